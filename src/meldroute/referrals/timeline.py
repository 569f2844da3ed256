"""referrals' entries on a signal's timeline (intake.timeline): each referral sent and every change of its status,
only those the viewer may see (referral_scope), linked to the referral's page. One query."""

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from meldroute.intake.models import Signal
from meldroute.intake.timeline import TimelineEntry

from .models import Referral, ReferralStatusChange, referral_scope


def entries(user: Any, signal: Signal) -> list[TimelineEntry]:
    changes = (ReferralStatusChange.objects
               .filter(referral__signal=signal, referral__in=Referral.objects.filter(referral_scope(user)))
               .select_related("referral", "actor").order_by("created_at", "id"))
    result = []
    for change in changes:
        referral = change.referral
        if not change.from_status:
            text = _("Doorverwezen naar %(name)s") % {"name": referral.receiver_name}
        else:
            text = _("Doorverwijzing naar %(name)s: %(status)s") % {"name": referral.receiver_name,
                                                                    "status": change.get_to_status_display()}
        actor = change.actor_label
        if change.actor is not None:
            actor = change.actor.get_full_name() or change.actor.username
        result.append(TimelineEntry(when=change.created_at, kind="referral", text=text, actor=actor,
                                    link=reverse("referrals:detail", args=[referral.uuid])))
    return result

"""cases' entries on a signal's timeline (intake.timeline): the case the signal went into. The case's code and a
link only when the viewer may see the case (case_scope); otherwise only that it is in a case. Two queries."""

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from meldroute.intake.models import Signal
from meldroute.intake.timeline import TimelineEntry, user_label

from .models import Case, case_scope


def entries(user: Any, signal: Signal) -> list[TimelineEntry]:
    cases = list(Case.objects.filter(signals=signal).select_related("opened_by").order_by("created_at", "id"))
    if not cases:
        return []
    visible = set(Case.objects.filter(case_scope(user), pk__in=[c.pk for c in cases]).values_list("pk", flat=True))
    result = []
    for case in cases:
        if case.pk in visible:
            result.append(TimelineEntry(when=case.created_at, kind="case", actor=user_label(case.opened_by),
                                        text=_("Opgenomen in casus %(ref)s") % {"ref": case.reference},
                                        link=reverse("cases:detail", args=[case.uuid])))
        else:
            result.append(TimelineEntry(when=case.created_at, kind="case",
                                        text=_("Opgenomen in een casus")))
    return result

"""meetings' entries on a signal's timeline (intake.timeline): the decisions tables took on the signal.

Only as far as the viewer may see the meeting (meetings_visible_to): the table, date, owner and deadline and a link
for a meeting the viewer's organisation sits at; for any other only that a table decided, and what. Two queries."""

from typing import Any

from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from meldroute.intake.models import Signal
from meldroute.intake.timeline import TimelineEntry, user_label

from .models import AgendaItem
from .selectors import meetings_visible_to


def entries(user: Any, signal: Signal) -> list[TimelineEntry]:
    items = list(AgendaItem.objects.filter(signal=signal, decided_at__isnull=False)
                 .select_related("meeting__series", "decided_by", "owner_organisation").order_by("decided_at", "id"))
    if not items:
        return []
    meetings = meetings_visible_to(user)  # type: ignore[no-untyped-call]
    visible = set(meetings.filter(pk__in=[i.meeting_id for i in items]).values_list("pk", flat=True))
    result = []
    for item in items:
        assert item.decided_at is not None
        decision = item.get_decision_display()
        if item.meeting_id not in visible:
            result.append(TimelineEntry(when=item.decided_at, kind="meeting",
                                        text=_("Besluit in een overleg: %(decision)s") % {"decision": decision}))
            continue
        meeting = item.meeting
        text = _("Besluit in %(table)s van %(date)s: %(decision)s") % {
            "table": meeting.series.name, "date": date_format(meeting.date, "j F Y"), "decision": decision}
        if item.owner_organisation is not None:
            text += _("; eigenaar %(owner)s") % {"owner": item.owner_organisation.name}
        if item.deadline:
            text += _(", uiterlijk %(date)s") % {"date": date_format(item.deadline, "j F Y")}
        result.append(TimelineEntry(when=item.decided_at, kind="meeting", text=text,
                                    actor=user_label(item.decided_by) if item.decided_by_id else "",
                                    link=reverse("meetings:meeting", args=[meeting.uuid])))
    return result

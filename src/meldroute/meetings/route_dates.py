"""When the next table of a kind meets for a signal: the deadline of a route step that waits for that meeting.

Routing sits below meetings and may not ask; meetings registers this with routing (apps.ready), so a soft signal in
Noord- en Midden-Limburg is due at the next weekly screeningsoverleg (seed 003 §4.2), not after a count of days."""

from datetime import date, datetime, time, timedelta

from django.utils import timezone

from meldroute.intake.models import Signal

from .constants import MeetingStatus
from .models import MeetingSeries
from .selectors import signal_municipality_ids
from .services import next_date


def _start(series: MeetingSeries, day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, series.start_time or time(9, 0)))


def next_table_for(signal: Signal, kind: str, now: datetime) -> datetime | None:
    """The start of the next meeting of an active table of `kind` that takes this signal onto its agenda (a planned
    meeting, else the next date of its cadence); None when no such table exists (the step's own deadline holds)."""
    today = timezone.localdate(now)
    found: list[datetime] = []
    for series in MeetingSeries.objects.filter(kind=kind, is_active=True,
                                               region_id=signal.municipality.region_id):
        if signal.municipality_id not in signal_municipality_ids(series):
            continue
        planned = (series.meetings.filter(status=MeetingStatus.PLANNED, date__gte=today).order_by("date")
                   .values_list("date", flat=True).first())
        when = _start(series, planned or next_date(series, today))
        if when < now:
            when = _start(series, next_date(series, today + timedelta(days=1)))
        found.append(when)
    return min(found, default=None)

"""A route step that waits for a meeting is due when the next table of its kind meets for the signal (issue 13):
seed 003 §4.2 "wordt dit ingebracht bij het (wekelijkse) screeningsoverleg" — the next weekly table."""

from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone

from meldroute.meetings import services as meeting_services
from meldroute.meetings.constants import Cadence, Weekday
from meldroute.meetings.models import MeetingSeries
from meldroute.routing import services as routing_services
from meldroute.routing.constants import MeetingKind
from meldroute.routing.models import SignalRouteStep
from meldroute.triage import services as triage_services
from tests.factories import make_signal

# These tests walk one particular week (the set clock: Wednesday 2026-06-10 10:00, tables on Tuesday): they run on
# that clock only, not again at the test command's other moments.
pytestmark = [pytest.mark.django_db]


def screening(world, **extra):
    series = MeetingSeries.objects.create(
        region=world.region, kind=MeetingKind.SCREENING, name="Screeningsoverleg", cadence=Cadence.WEEKLY,
        weekday=Weekday.TUESDAY, start_time=time(9, 30), chair_organisation=world.zvh, **extra)
    series.participants.set([world.zvh, world.a])
    return series


def due_of_screening(world):
    signal = make_signal(world.melder_a)
    triage_services.assign_signal(signal, actor=world.af_a, assignee=world.af_a)
    return SignalRouteStep.objects.get(signal_route__signal=signal, key="screeningsoverleg").due_at


def test_a_soft_signal_is_due_at_the_next_weekly_screeningsoverleg(world):
    """Seed 003 §4.2: "Bij een niet-acuut signaal (zacht signaal), wordt dit ingebracht bij het (wekelijkse)
    screeningsoverleg" — picked up on Wednesday, due at Tuesday's table, 9:30."""
    routing_services.install_preset(world.region, "noord-midden-limburg", actor=world.beheerder)
    screening(world)
    due = due_of_screening(world)
    assert due == timezone.make_aware(datetime(2026, 6, 16, 9, 30))


def test_a_planned_meeting_sets_the_date(world):
    routing_services.install_preset(world.region, "noord-midden-limburg", actor=world.beheerder)
    series = screening(world)
    meeting = meeting_services.next_meeting(series, actor=world.procesregisseur)
    meeting.date = timezone.localdate() + timedelta(days=1)
    meeting.save(update_fields=["date"])
    assert due_of_screening(world) == timezone.make_aware(datetime.combine(meeting.date, time(9, 30)))


def test_without_a_table_the_steps_own_deadline_holds(world):
    routing_services.install_preset(world.region, "noord-midden-limburg", actor=world.beheerder)
    screening(world, is_active=False)
    due = due_of_screening(world)
    assert due is not None and due > timezone.now() + timedelta(days=5)  # five working days on

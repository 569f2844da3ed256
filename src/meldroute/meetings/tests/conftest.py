"""A region-1 route with a screeningsoverleg step, and the tables the meeting tests sit at."""

from datetime import datetime, time
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest

from meldroute.meetings.constants import Cadence, Weekday
from meldroute.meetings.models import MeetingSeries
from meldroute.partners.constants import DataCategory
from meldroute.routing import services as routing_services
from meldroute.routing.constants import MeetingKind

ROUTE = {
    "name": "Testroute met screeningsoverleg",
    "steps": [
        {"key": "screening", "position": 1, "title": "Wekelijks screeningsoverleg", "actor": "meeting",
         "action": "meeting", "target": "screening"},
        {"key": "signalering", "position": 1, "title": "Signaleringsoverleg", "actor": "meeting",
         "action": "meeting", "target": "signaling"},
        {"key": "terugkoppeling", "position": 2, "title": "Terugkoppeling aan de melder", "actor": "af",
         "action": "feedback"},
    ],
}
SECRET_ADDRESS = "Geheimpad 77, Aadorp"
SECRET_PERSONS = "Man met rode jas, circa 40 jaar"


@pytest.fixture
def tables(world):
    """Region 1's weekly screening table (ZVH chairs; police and municipality A take part, B does not), A's own
    monthly signaling table, and region 2's screening table. The screening table shares summary and description."""
    for region in (world.region, world.region2):
        routing_services.install_route(region, ROUTE, actor=world.beheerder)
    screening = MeetingSeries.objects.create(
        region=world.region, kind=MeetingKind.SCREENING, name="Screeningsoverleg Regio Een", cadence=Cadence.WEEKLY,
        weekday=Weekday.TUESDAY, chair_organisation=world.zvh,
        shared_categories=[DataCategory.DESCRIPTION])
    screening.participants.set([world.zvh, world.police, world.a])
    signaling = MeetingSeries.objects.create(
        region=world.region, municipality=world.a, kind=MeetingKind.SIGNALING, name="Signaleringsoverleg Aadorp",
        cadence=Cadence.MONTHLY, weekday=Weekday.THURSDAY, ordinal=1, chair_organisation=world.a,
        shared_categories=[DataCategory.LOCATION, DataCategory.CLASSIFICATION])
    signaling.participants.set([world.a, world.police])
    other = MeetingSeries.objects.create(
        region=world.region2, kind=MeetingKind.SCREENING, name="Screeningsoverleg Regio Twee",
        chair_organisation=world.police2, shared_categories=[DataCategory.DESCRIPTION])
    other.participants.set([world.police2, world.c])
    return SimpleNamespace(screening=screening, signaling=signaling, other=other)


@pytest.fixture
def secret_signal(world, tables):
    from tests.factories import make_signal

    return make_signal(world.melder_a, description="Zag mensen slapen in de loods achter de kwekerij.",
                       address=SECRET_ADDRESS, persons_description=SECRET_PERSONS)


def meeting_day(clock, meeting) -> None:
    """Move the test clock to 10:00 on the meeting's date: a meeting is held (closed) on or after its date."""
    clock.move_to(datetime.combine(meeting.date, time(10), tzinfo=ZoneInfo("Europe/Amsterdam")))

"""The demo region's tables: who chairs, who takes part, and a first meeting planned for each."""

import random

import pytest

from meldroute.demo.seed import _organisations, _users
from meldroute.demo.seed_meetings import seed_meetings
from meldroute.meetings.constants import Cadence, MeetingStatus
from meldroute.routing.constants import MeetingKind

pytestmark = pytest.mark.django_db


def test_demo_tables_are_seeded_with_their_chairs_participants_and_next_meeting():
    orgs = _organisations()
    region = orgs["GM9901"].region
    series = seed_meetings(region, orgs, _users(orgs), random.Random(1))
    screening = series["screening"]
    assert screening.kind == MeetingKind.SCREENING and screening.cadence == Cadence.WEEKLY
    assert screening.chair_organisation == orgs["ZVH-VH"] and screening.municipality is None
    assert {o.code for o in screening.participants.all()} == {"ZVH-VH", "VT-VH", "POL-VH", "GM9901", "GM9902",
                                                               "GM9903", "GM9904"}
    signaling = [s for key, s in series.items() if key.startswith("signaling-")]
    assert len(signaling) == 4 and all(s.chair_organisation == s.municipality for s in signaling)
    assert all(s.cadence == Cadence.MONTHLY for s in signaling)
    assert series["trafficking_table"].chair_organisation == orgs["RIEC-VK"]
    assert series["undermining"].kind == MeetingKind.UNDERMINING
    assert "persons" not in series["undermining"].shared_categories
    for item in series.values():
        assert item.meetings.filter(status=MeetingStatus.PLANNED).count() == 1


def test_demo_seeds_the_tables_of_issue_13():
    """The OM at the screeningsoverleg for criminal exploitation, the themaoverleg four times and the bestuurlijke
    mensenhandeltafel twice a year (seed 002 §5.5, seed 003 §6.3)."""
    from meldroute.meetings.constants import SeriesKind
    from meldroute.meetings.models import SeriesGuest

    orgs = _organisations()
    region = orgs["GM9901"].region
    series = seed_meetings(region, orgs, _users(orgs), random.Random(1))
    assert series["theme"].kind == SeriesKind.THEME and series["theme"].cadence == Cadence.QUARTERLY
    assert series["administrative_table"].kind == SeriesKind.ADMINISTRATIVE_TABLE
    assert series["administrative_table"].cadence == Cadence.HALF_YEARLY
    guest = SeriesGuest.objects.get(series=series["screening"])
    assert guest.organisation.code == "OM-VH" and guest.forms == ["criminal"]
    held = series["screening"].meetings.get(status=MeetingStatus.HELD)
    assert held.present_organisations.count() == 5 and held.minutes_copies.count() == 7

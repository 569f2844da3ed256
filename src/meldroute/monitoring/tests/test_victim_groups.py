"""The victim figures are counted from groups of equal facts (one grouped query) and equal the count of every
victim record, on the dashboard's dimensions and in the regional view."""

import pytest
from django.utils import timezone

from meldroute.monitoring import aggregates
from meldroute.monitoring.aggregates import Period

from .test_views import make_victims

pytestmark = [pytest.mark.django_db, pytest.mark.clock]


def test_grouped_victims_count_the_same_as_every_record(world):
    make_victims(world, world.a, 4, gender="female", citizenship="RO", age_band="18-22", exploitation_forms=["sexual"])
    make_victims(world, world.a, 3, gender="male", citizenship="NL", age_band="30+",
                 exploitation_forms=["labour", "sexual"], labour_sector="begging")
    make_victims(world, world.a, 2, gender="unknown", citizenship="XX", minor_at_exploitation=True)
    make_victims(world, world.b, 5, gender="male", citizenship="ZZ", is_minor=True, exploitation_forms=["labour"])
    make_victims(world, world.c, 2, gender="female")  # another region: in neither count below
    ids = [world.a.pk, world.b.pk]
    period = Period.year(timezone.localdate().year)  # the victims are registered on the clock's date
    records = aggregates.victim_records(ids, period)
    groups = aggregates.victim_groups(ids, period)
    assert len(groups) < len(records) == aggregates.victim_total(groups) == 14
    assert aggregates.victim_counts(groups) == aggregates.victim_counts(records)
    for dimension in aggregates.VICTIM_DIMENSIONS:
        assert aggregates.regional_victim_rows(groups, ids, dimension) == aggregates.regional_victim_rows(
            records, ids, dimension)
    assert aggregates.victim_counts(groups)["age_band"]["minor"] == 7


def test_no_victims_no_groups(world):
    assert aggregates.victim_groups([world.a.pk], Period.year(timezone.localdate().year)) == []

"""The demo attack, replayed on the demo region: no municipality pins a hidden cell of another in any regional table.

Before, an AF of the demo recovered 3 cells under 10 and 8 under 5 from the publication CSV with its own exact
figures. Here every regional table the product offers (every dimension, both versions, this year and last) is checked
from every municipality's viewpoint with the exact solver, and what the page and the CSV show is what was checked.
"""

import pytest
from django.db import transaction
from django.utils import timezone

from meldroute.demo.seed import seed
from meldroute.monitoring import aggregates, selectors, tables
from meldroute.monitoring.aggregates import Period
from meldroute.monitoring.constants import publication_threshold, shared_threshold
from meldroute.monitoring.suppression import protect_regional
from meldroute.organisations.models import Region

from .test_insider_suppression import assert_safe_from_every_viewpoint

pytestmark = pytest.mark.clock


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        seed()
        yield
        transaction.set_rollback(True)


def raw_rows(region, year, dimension):
    """One row per municipality, as build_regional_table counts them."""
    ids = [m.pk for m in selectors.municipalities_of(region)]
    period = Period.year(year)
    if dimension in tables.VICTIM_DIMENSION_KEYS:
        counts = aggregates.regional_victim_rows(aggregates.victim_records(ids, period), ids, dimension)
    else:
        counts = aggregates.regional_signal_rows(ids, period, dimension)
    return [[counts[pk].get(code, 0) for code, _l in tables.columns_for(dimension)] for pk in ids]


@pytest.mark.django_db
def test_no_demo_municipality_can_pin_a_hidden_cell_of_another_in_any_regional_table(demo):
    year = timezone.localdate().year
    checked = 0
    for region in Region.objects.all():
        if len(selectors.municipalities_of(region)) < 2:
            continue
        for dimension in tables.DIMENSIONS:
            for table_year in (year, year - 1):
                raw = raw_rows(region, table_year, dimension)
                if not any(map(any, raw)):
                    continue
                result = protect_regional(raw, shared_threshold(), publication_threshold())
                # What the product shows is exactly what was audited.
                for version, expected in (("shared", result.shared), ("publication", result.publication)):
                    shown = tables.build_regional_table(region, table_year, dimension, version).protected
                    assert shown == expected
                assert_safe_from_every_viewpoint(raw, result)
                checked += 1
    assert checked >= 10

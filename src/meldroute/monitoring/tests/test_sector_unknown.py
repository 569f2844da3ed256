"""Issue 14: the dashboard's sector table has one "Onbekend" row — signals classified with sector "onbekend" and
classified signals without a sector are the same unknown, whether counted from the rows or from the daily rollups."""

import csv
import io

import pytest
from django.urls import reverse
from tests.factories import make_signal

from meldroute.triage.services import classify_signal

pytestmark = [pytest.mark.django_db, pytest.mark.clock]


def test_unknown_and_empty_sector_are_one_onbekend_row(client, world):
    for sector, n in (("unknown", 6), ("", 6), ("hospitality", 11)):
        for _ in range(n):
            classify_signal(make_signal(world.melder_a), actor=world.af_a, assessment="suspected", forms=["labour"],
                            sector=sector)
    client.force_login(world.af_a)
    response = client.get(reverse("monitoring:dashboard_csv", args=["sector"]))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    labels = [row[0] for row in rows[1:]]
    assert labels.count("Onbekend") == 1, rows
    assert ["Onbekend", "12"] in [row[:2] for row in rows], rows

"""The evaluation report (monitoring, lower than policy) carries policy's sections through its registry: basisniveau,
actiepunten, trainings and awareness, effort — counts and labels only, small counts suppressed."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from tests.factories import make_signal, to_closed

from meldroute.monitoring.aggregates import Period
from meldroute.policy import services
from meldroute.policy.constants import FRONT_LINE_TEAMS, ActionStatus
from meldroute.policy.effort import effort_of
from meldroute.policy.models import ActionPoint
from meldroute.policy.report import actions_section, basisniveau_section, trainings_section

pytestmark = [pytest.mark.django_db, pytest.mark.clock]  # dates relative to the set clock


def test_the_yearly_report_shows_basisniveau_actions_trainings_and_effort(client, world):
    services.register_training(actor=world.af_a, municipality=world.a, title="E-learning", provider="riec_elearning",
                               held_on=timezone.localdate() - timedelta(days=3), teams=list(FRONT_LINE_TEAMS),
                               participants=30)
    client.force_login(world.af_a)
    page = client.get(reverse("monitoring:report"), {"kind": "jaar", "year": "2026"}).content.decode()
    for heading in ("Basisniveau bestuurlijke aanpak mensenhandel", "Voortgang actiepunten",
                    "Trainingen en bewustwording", "Inspanningen en bevindingen"):
        assert heading in page
    assert 'data-testid="report-extra-effort"' in page


def test_the_actions_section_counts_per_theme_with_overdue(world):
    today = timezone.localdate()
    for number, status, deadline in (("1", ActionStatus.DONE, today - timedelta(days=9)),
                                     ("2", ActionStatus.OPEN, today - timedelta(days=9)),
                                     ("3", ActionStatus.IN_PROGRESS, today + timedelta(days=9))):
        ActionPoint.objects.create(region=world.region, plan="P", theme="Opvang", number=number, action="a", who="w",
                                   when_text="x", status=status, deadline=deadline)
    period = Period(today.replace(month=1, day=1), today + timedelta(days=1))
    section = actions_section(world.a, period, "jaar")
    assert section.rows == [["Opvang", "3", "1", "1", "1"]]


def test_the_basisniveau_and_training_sections_name_what_is_missing(world):
    today = timezone.localdate()
    period = Period(today.replace(month=1, day=1), today + timedelta(days=1))
    basis = basisniveau_section(world.b, period, "jaar")
    assert [row[0] for row in basis.rows] == ["Beleid vastgesteld", "Aandachtsfunctionaris aangesteld",
                                               "Actieve signalering"]
    assert "Achtervang geregeld" in basis.rows[1][2]
    trainings = trainings_section(world.b, period, "jaar")
    assert "0 van 8 frontlinieteams" in trainings.text and "Balie / Burgerzaken" in trainings.text


def test_effort_counts_are_suppressed_below_the_threshold(world):
    signal = make_signal(world.melder_a)
    to_closed(signal, world.af_a)
    today = timezone.localdate()
    rows = effort_of(world.a, today - timedelta(days=1), today + timedelta(days=1))
    handled = rows[0]
    assert handled.value == 1 and handled.display == f"<{handled.threshold}"
    assert all(row.display in ("0", f"<{row.threshold}") or int(row.display) >= row.threshold for row in rows)

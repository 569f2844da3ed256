"""The demo seed: fictional region, a user per role, signals in many states, safe to run twice."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from meldroute.accounts.constants import Role
from meldroute.accounts.models import User
from meldroute.audit.models import AccessLogEntry, AuditEvent
from meldroute.audit.services import verify_chain
from meldroute.demo.seed import DEMO_PASSWORD, logins, seed
from meldroute.intake.constants import SignalStatus
from meldroute.intake.models import Signal
from meldroute.organisations.models import Organisation

pytestmark = pytest.mark.clock  # reads the clock: run again at awkward moments (scripts/test.sh)


@pytest.fixture(scope="module")
def seeded_once(django_db_setup, django_db_blocker):
    """Seed once for the module (it takes seconds), inside a transaction rolled back at the end."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield seed(signals_count=60)
        transaction.set_rollback(True)


@pytest.fixture
def seeded(seeded_once, db):
    return seeded_once


def test_seed_creates_a_region_with_three_or_more_municipalities_and_regional_bodies(seeded):
    assert seeded == {"created": True, "signals": 60}
    assert Organisation.objects.municipalities().filter(region__slug="veenhorst").count() >= 3
    assert set(Organisation.objects.filter(region__slug="veenhorst").values_list("kind", flat=True)) >= {
        "zvh", "riec", "police", "veilig_thuis"}


def test_every_role_has_a_demo_login_that_works(seeded, client):
    roles = set(User.objects.values_list("role_assignments__role", flat=True))
    assert roles >= set(Role.values)
    assert all(User.objects.get(username=username).check_password(DEMO_PASSWORD) for username, _, _ in logins())


def test_demo_signals_are_spread_over_states_and_channels(seeded):
    statuses = set(Signal.objects.values_list("status", flat=True))
    assert {SignalStatus.RECEIVED, SignalStatus.IN_TRIAGE, SignalStatus.CLOSED} <= statuses
    assert len(statuses) >= 5
    assert Signal.objects.filter(channel="partner").exists()
    assert Signal.objects.filter(is_acute=True).exists()


def test_demo_history_is_written_through_the_services_so_the_audit_chain_holds(seeded):
    from meldroute.demo.seed_af_phenomenon import SIGNALS_MADE
    from meldroute.demo.seed_homes import SIGNALS_MADE as HOME_SIGNALS
    from meldroute.demo.seed_residents import RESIDENT_SIGNALS

    assert AuditEvent.objects.filter(action="signal.registered").count() == (
        60 + len(RESIDENT_SIGNALS) + SIGNALS_MADE + HOME_SIGNALS)
    count, problems = verify_chain(AuditEvent)
    assert count > 60 and problems == []
    assert verify_chain(AccessLogEntry)[1] == []


def test_running_the_seed_twice_does_not_duplicate_anything(seeded):
    before = (Signal.objects.count(), User.objects.count(), Organisation.objects.count())
    assert seed(signals_count=60) == {"created": False}
    call_command("seed_demo", signals=10)
    assert (Signal.objects.count(), User.objects.count(), Organisation.objects.count()) == before


def test_demo_texts_name_no_real_places_from_the_seeds(seeded):
    # The policy plans name real municipalities; the demo must use fictional ones only.
    real = ["Hoorn", "Zoeterwoude", "Rijswijk", "Venlo", "Roermond", "Medemblik", "Enkhuizen"]
    names = " ".join(Organisation.objects.values_list("name", flat=True))
    texts = " ".join(f"{d} {a}" for d, a in Signal.objects.values_list("description", "address"))
    assert not any(place in names or place in texts for place in real)


def test_demo_partner_token_reads_the_partners_signals_through_the_api(seeded, client):
    from meldroute.demo.seed import DEMO_API_TOKEN

    response = client.get("/api/v1/signals/", HTTP_AUTHORIZATION=f"Token {DEMO_API_TOKEN}")
    assert response.status_code == 200
    assert response.json()["count"] == Signal.objects.filter(channel="partner").count() > 0


def test_demo_signals_walk_their_region_route(seeded):
    from meldroute.routing.constants import StepState
    from meldroute.routing.models import RouteDefinition, SignalRoute, SignalRouteStep

    assert set(RouteDefinition.objects.filter(is_active=True).values_list("preset", flat=True)) == {
        "noord-midden-limburg", "west-friesland", "zoeterwoude"}  # zoeterwoude: Weidewaard (seed_af_phenomenon)
    assert SignalRoute.objects.count() == Signal.objects.count()
    states = set(SignalRouteStep.objects.values_list("state", flat=True))
    assert states == {StepState.PENDING, StepState.ACTIVE, StepState.DONE, StepState.SKIPPED}


def test_demo_has_a_screeningsoverleg_agenda_and_answered_referrals(seeded):
    from meldroute.meetings.models import AgendaItem
    from meldroute.partners.models import DirectoryEntry
    from meldroute.referrals.models import Referral

    assert AgendaItem.objects.filter(meeting__series__kind="screening", signal__isnull=False).exists()
    assert AgendaItem.objects.filter(meeting__series__kind="screening", case__isnull=False).exists()
    assert Referral.objects.filter(status="done").exists()
    assert Referral.objects.filter(status="in_progress").exists()
    assert DirectoryEntry.objects.values("partner_type").distinct().count() >= 14


def test_last_weeks_screeningsoverleg_was_held_and_its_referrals_went_out(seeded):
    from meldroute.meetings.constants import MeetingStatus
    from meldroute.meetings.models import Meeting
    from meldroute.referrals.models import Referral

    held = Meeting.objects.get(series__kind="screening", status=MeetingStatus.HELD)
    assert held.date < held.held_at.date() + timedelta(days=1) and (timezone.localdate() - held.date).days <= 7
    decisions = list(held.items.values_list("decision", flat=True))
    assert decisions and "" not in decisions
    referred = held.items.filter(decision="refer").values_list("signal", flat=True)
    assert Referral.objects.filter(signal__in=referred).count() == len(referred)
    # What the table decided no longer waits for it: the next agenda holds only what it keeps monitoring or what
    # arrived since.
    planned = Meeting.objects.get(series__kind="screening", status=MeetingStatus.PLANNED)
    again = set(planned.items.exclude(signal=None).values_list("signal", flat=True))
    assert again.isdisjoint(held.items.exclude(decision="monitor").values_list("signal", flat=True))


def test_demo_inbox_shows_a_pattern_alert(seeded, client):
    client.force_login(User.objects.get(username="af.veenhorst"))
    html = client.get("/inbox/").content.decode()
    assert "Havenkade 14" in html or "99123456" in html


@pytest.mark.parametrize("username, url, expect", [
    ("af.veenhorst", "/dashboard/", "<svg"),
    ("burgemeester.veenhorst", "/rapportages/", "Gemeente Veenhorst"),
    ("ketenregisseur", "/regio/", "<table"),
    ("zorgcoordinator", "/comensha-export/", "CoMensha"),
    ("zorgcoordinator", "/slachtoffers/", "Slachtoffer"),
    ("procesregisseur", "/overleggen/", "Screeningsoverleg"),
    ("casusregisseur", "/casussen/", "CS-"),
    ("beheerder", "/beheer-meldroute/", "Noord- en Midden-Limburg"),
    ("partner.politie", "/doorverwijzingen/", "MR-"),
    ("fg.veenhorst", "/privacy/register/", "Politie eenheid Veenhorst"),
])
def test_every_role_finds_its_work_filled_in_the_demo(seeded, client, username, url, expect):
    client.force_login(User.objects.get(username=username))
    response = client.get(url)
    assert response.status_code == 200
    assert expect in response.content.decode()


def test_the_demo_has_an_open_route_draft_for_the_second_beheerder_to_publish(seeded, client):
    from meldroute.routing.models import RouteDraft

    draft = RouteDraft.objects.get(status="draft")
    assert draft.drafted_by.username == "beheerder" and draft.region.slug == "veenhorst"
    client.force_login(User.objects.get(username="beheerder2"))
    page = client.get(f"/beheer-meldroute/concepten/{draft.uuid}/").content.decode()
    assert 'data-testid="publish"' in page and "termijn gewijzigd" in page


def test_demo_offers_the_public_form_for_residents_in_veenhorst_only(seeded, client):
    from django.urls import reverse

    from meldroute.demo.seed_residents import RESIDENT_SIGNALS

    residents = Signal.objects.filter(channel="inwoner")
    assert residents.count() == len(RESIDENT_SIGNALS) and not residents.filter(is_acute=True).exists()
    assert set(residents.values_list("municipality__code", flat=True)) == {"GM9901"}
    page = client.get(reverse("intake:resident_report", args=["GM9901"])).content.decode()
    assert 'data-testid="resident-form"' in page
    closed = client.get(reverse("intake:resident_report", args=["GM9902"])).content.decode()
    assert 'data-testid="resident-form-closed"' in closed and "Zorgcoördinatie mensenhandel Veenhorst" in closed

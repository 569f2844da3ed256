"""Every role's start page: its own work, counts, overdue first, links to the work; no N+1; the AF and the melder keep
landing where they worked before; panels come from a registry another app can add to."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from tests.factories import UserFactory, make_signal

from meldroute.accounts.constants import Role
from meldroute.audit.models import AccessLogEntry
from meldroute.cases import services as case_services
from meldroute.cases.constants import CaseRole
from meldroute.core import home_panels
from meldroute.core.home_panels import Panel, Row
from meldroute.referrals.tests.conftest import refer

pytestmark = pytest.mark.django_db


@pytest.fixture
def rules(db):
    from meldroute.partners.services import ensure_default_sharing_rules

    ensure_default_sharing_rules()


def _queries(client, url="/") -> tuple[int, str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured), response.content.decode()


def test_the_af_still_lands_in_the_inbox_and_the_melder_on_their_signals(client, world):
    client.force_login(world.af_a)
    assert client.get(reverse("home"))["Location"] == reverse("triage:inbox")
    client.force_login(world.melder_a)
    assert client.get(reverse("home"))["Location"] == reverse("intake:mine")


def test_the_partner_sees_referrals_to_answer_acute_first_and_in_a_fixed_number_of_queries(client, world, rules):
    regular = make_signal(world.melder_a)
    refer(regular, world.af_a, to=world.police)
    client.force_login(world.partner)
    before, _page = _queries(client)
    acute = make_signal(world.melder_a, is_acute=True)
    acute_referral = refer(acute, world.af_a, to=world.police)
    for _ in range(3):
        refer(make_signal(world.melder_b), world.af_b, to=world.police)
    after, page = _queries(client)
    assert after == before  # no query per referral
    assert "Doorverwijzingen om te beantwoorden" in page
    assert page.index(acute.reference) < page.index(regular.reference)  # acute first
    assert reverse("referrals:detail", args=[acute_referral.uuid]) in page
    assert "Acuut" in page and "waarvan acuut" in page
    # The other region's partner sees none of it.
    client.force_login(world.partner2)
    assert acute.reference not in client.get("/").content.decode()


@pytest.fixture
def casework(world, clock):
    from meldroute.cases.tests.conftest import ROUTE, concrete_signal
    from meldroute.routing import services as routing_services

    routing_services.install_route(world.region, ROUTE, actor=world.beheerder)
    case = case_services.open_case(actor=world.af_a, signals=[concrete_signal(world)], title="Loods aan de haven")
    case_services.assign_member(case, actor=world.af_a, user=world.casusregisseur, role=CaseRole.CASUSREGISSEUR)
    tomorrow = timezone.localdate() + timedelta(days=1)
    case_services.add_action(case, actor=world.af_a, description="Huisbezoek met de wijkagent plannen",
                             deadline=tomorrow, owner_organisation=world.zvh)
    case_services.add_action(case, actor=world.af_a, description="Later werk", deadline=tomorrow + timedelta(days=30),
                             owner_organisation=world.zvh)
    clock.shift(timedelta(days=3))
    return case


def test_the_casusregisseur_sees_its_cases_and_overdue_actions_with_their_text_logged(client, world, casework):
    client.force_login(world.casusregisseur)
    before_log = AccessLogEntry.objects.count()
    count, page = _queries(client)
    assert "Mijn casussen en acties" in page
    assert "Huisbezoek met de wijkagent plannen" in page and "Later werk" not in page  # overdue only
    assert casework.reference in page and reverse("cases:detail", args=[casework.uuid]) in page
    assert "acties over de termijn" in page
    entry = AccessLogEntry.objects.order_by("-id").first()
    assert AccessLogEntry.objects.count() == before_log + 1
    assert entry.target_uuid == casework.uuid and entry.fields == ["actions"]
    # A second overdue action on the same case costs no extra query (one access-log entry per case shown).
    case_services.add_action(casework, actor=world.af_a, description="Tweede actie",
                             deadline=timezone.localdate() + timedelta(days=1), owner_organisation=world.zvh)
    assert _queries(client)[0] == count


def test_a_casusregisseur_of_no_case_sees_an_empty_panel_and_no_other_text(client, world, casework):
    other = UserFactory(username="casus2", organisation=world.zvh, roles=[Role.CASUSREGISSEUR])
    client.force_login(other)
    page = client.get("/").content.decode()
    assert "U heeft geen open casussen." in page and "Huisbezoek" not in page


def test_the_beheerder_sees_roles_waiting_for_approval_and_the_route_draft(client, world):
    from meldroute.accounts import services as account_services
    from meldroute.routing import drafts
    from meldroute.routing import services as routing_services

    second = UserFactory(username="beheerder_b", organisation=world.b, roles=[Role.BEHEERDER])
    newcomer = UserFactory(username="nieuw", organisation=world.a, roles=[], first_name="Nina", last_name="Nieuw")
    account_services.propose_role(newcomer, actor=second, role=Role.AF, reason="Nieuwe AF")
    routing_services.install_route(world.region, {"name": "Route", "steps": [
        {"key": "a", "position": 1, "title": "Stap", "actor": "af", "action": "feedback"}]}, actor=world.beheerder)
    draft = drafts.save_draft(world.region, changed(world.region),
                              actor=second)
    client.force_login(world.beheerder)
    page = client.get("/").content.decode()
    assert "Gebruikers die wachten op goedkeuring" in page and "Nina Nieuw" in page
    assert reverse("accounts:user", args=[newcomer.uuid]) in page
    assert reverse("routing:draft", args=[draft.uuid]) in page and "Te beoordelen" in page
    # The proposer itself is told it waits for a colleague, not asked to approve.
    client.force_login(second)
    page = client.get("/").content.decode()
    assert "Nina Nieuw" not in page and "eigen voorstellen" in page


def test_the_burgemeester_finds_the_latest_reports_and_rapportages_in_the_menu(client, world):
    client.force_login(world.burgemeester)
    response = client.get("/")
    page = response.content.decode()
    assert "Rapportages Gemeente Aadorp" in page
    assert "kind=halfjaar&amp;year=2025&amp;half=2" in page or "Halfjaarrapportage" in page
    assert (reverse("monitoring:report"), "Rapportages") in response.context["nav_items"]


def test_the_ketenregisseur_sees_the_regional_figures_and_the_basisniveau_link(client, world):
    make_signal(world.melder_a)
    client.force_login(world.ketenregisseur)
    response = client.get("/")
    page = response.content.decode()
    assert "Regio Een in 2026" in page and reverse("monitoring:regional") in page
    # The basisniveau: the placeholder, or policy's own panel once it registers one under the same key.
    assert "basisniveau" in [panel.key for panel in response.context["panels"]]


def test_the_procesregisseur_and_zorgcoordinator_get_their_panels(client, world):
    client.force_login(world.procesregisseur)
    assert "Komende overleggen" in client.get("/").content.decode()
    client.force_login(world.zorgcoordinator)
    page = client.get("/").content.decode()
    assert "Slachtoffers: bedenktijd en opvang" in page


def test_a_user_with_two_roles_sees_a_panel_per_role(client, world):
    both = UserFactory(username="twee", organisation=world.zvh, roles=[Role.PROCESREGISSEUR, Role.ZORGCOORDINATOR])
    client.force_login(both)
    page = client.get("/").content.decode()
    assert "Komende overleggen" in page and "Slachtoffers: bedenktijd en opvang" in page


def test_an_app_can_add_a_panel_and_replace_a_placeholder(client, world):
    def basisniveau(user, today):
        return Panel(key="basisniveau", title="Basisniveau: 2 van 3 gemeenten voldoen",
                     rows=[Row(text="Gemeente Beekstad", overdue=True, when=today, when_label="sinds")])

    saved = dict(home_panels._REGISTRY)  # whatever is registered now (policy's own panel, or the placeholder)
    home_panels.register(Role.KETENREGISSEUR, "basisniveau", basisniveau, order=20)
    home_panels.register(Role.KETENREGISSEUR, "basisniveau", lambda u, t: None, order=20, placeholder=True)
    try:
        client.force_login(world.ketenregisseur)
        page = client.get("/").content.decode()
        assert "Basisniveau: 2 van 3 gemeenten voldoen" in page
        assert "Gemeente Beekstad" in page
    finally:
        home_panels._REGISTRY.clear()
        home_panels._REGISTRY.update(saved)


def test_rows_are_shown_overdue_and_urgent_first_then_by_date():
    today = timezone.localdate()
    panel = Panel(key="k", title="t", rows=[Row(text="later", when=today + timedelta(days=5)),
                                            Row(text="undated"), Row(text="late", when=today, overdue=True),
                                            Row(text="soon", when=today + timedelta(days=1)),
                                            Row(text="acute", when=today + timedelta(days=2), urgent=True)])
    assert [r.text for r in panel.sorted_rows()] == ["late", "acute", "soon", "later", "undated"]


def changed(region):
    """The active route with its first step's deadline changed: a draft worth deciding on."""
    from meldroute.routing import drafts
    from meldroute.routing import services as routing_services

    data = routing_services.route_as_data(drafts.active_route(region))
    data["steps"][0]["deadline"] = {"working_days": 3}
    return data


def test_a_zorgcoordinator_on_the_team_gets_the_overdue_count_but_not_the_action_text(client, world, casework):
    from meldroute.cases.models import Case

    case_services.assign_member(casework, actor=world.af_a, user=world.zorgcoordinator, role=CaseRole.ZORGCOORDINATOR)
    client.force_login(world.zorgcoordinator)
    before_log = AccessLogEntry.objects.count()
    panel = next(p for p in client.get("/").context["panels"] if p.key == "cases")
    seen_whole = Case.objects.seen_whole_by(world.zorgcoordinator).filter(pk=casework.pk).exists()
    texts = [row.text for row in panel.rows]
    assert panel.figures[1].value == 1
    assert ("Huisbezoek met de wijkagent plannen" in texts) == seen_whole
    assert AccessLogEntry.objects.count() == before_log + (1 if seen_whole else 0)

"""The start pages in the access matrix: every role reaches "/" (the AF is sent to its inbox, the melder to its own
signals, everyone else gets the home of its roles); each panel shows only what the role's scoping rule allows, so a
user of another region or of a role without that work sees none of it; the home writes no audit event, and reads
personal data (the action texts of the casusregisseur's cases) only with an access-log entry; a visitor who is not
signed in is sent to the login page; the page takes no POST."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from meldroute.accounts import services as account_services
from meldroute.accounts.constants import Role
from meldroute.audit.models import AccessLogEntry, AuditEvent
from meldroute.cases import services as case_services
from meldroute.cases.constants import CaseRole
from meldroute.organisations.constants import OrganisationKind
from meldroute.partners.services import ensure_default_sharing_rules
from meldroute.referrals.tests.conftest import refer
from meldroute.routing import drafts
from meldroute.routing import services as routing_services
from tests.factories import OrganisationFactory, UserFactory, make_signal

pytestmark = [pytest.mark.django_db]

ACTION_TEXT = "Gesprek met de werkgever voorbereiden"
REDIRECTS = {"melder_a": "intake:mine", "melder_b": "intake:mine", "af_a": "triage:inbox", "af_b": "triage:inbox",
             "af_c": "triage:inbox"}
# Who sees which marker of region one's work on the home.
SEES = {
    "partner": {"referral"},
    "casusregisseur": {"action"},
    "beheerder": {"proposal", "draft"},
    "beheerder_b": {"draft"},  # proposed the role itself: told it waits for a colleague, not shown the name
    "ketenregisseur": {"draft"},
}
EVERYONE = ["melder_a", "melder_b", "af_a", "af_b", "af_c", "partner", "partner2", "zorgcoordinator",
            "procesregisseur", "casusregisseur", "ketenregisseur", "burgemeester", "beheerder", "beheerder_b",
            "beheerder_c", "ketenregisseur_c", "casusregisseur_b"]


@pytest.fixture
def setting(world, clock):
    ensure_default_sharing_rules()
    world.beheerder_b = UserFactory(username="beheerder_b", organisation=world.b, roles=[Role.BEHEERDER])
    world.beheerder_c = UserFactory(username="beheerder_c", organisation=world.c, roles=[Role.BEHEERDER])
    riec2 = OrganisationFactory(name="RIEC Regio Twee", code="RIEC-R2", kind=OrganisationKind.RIEC,
                                region=world.region2, email="")
    world.ketenregisseur_c = UserFactory(username="ketenregisseur_c", organisation=riec2,
                                         roles=[Role.KETENREGISSEUR])
    world.casusregisseur_b = UserFactory(username="casusregisseur_b", organisation=world.zvh,
                                         roles=[Role.CASUSREGISSEUR])
    signal = make_signal(world.melder_a, is_acute=True)
    referral = refer(signal, world.af_a, to=world.police)
    newcomer = UserFactory(username="nieuw", organisation=world.a, roles=[], first_name="Nina", last_name="Nieuwkomer")
    account_services.propose_role(newcomer, actor=world.beheerder_b, role=Role.AF, reason="Nieuwe AF")
    from meldroute.cases.tests.conftest import ROUTE, concrete_signal

    routing_services.install_route(world.region, ROUTE, actor=world.beheerder)
    draft = drafts.save_draft(world.region, changed(world.region),
                              actor=world.beheerder_b)
    case = case_services.open_case(actor=world.af_a, signals=[concrete_signal(world)], title="Werkplaats")
    case_services.assign_member(case, actor=world.af_a, user=world.casusregisseur, role=CaseRole.CASUSREGISSEUR)
    case_services.add_action(case, actor=world.af_a, description=ACTION_TEXT,
                             deadline=timezone.localdate() + timedelta(days=1), owner_organisation=world.zvh)
    clock.shift(timedelta(days=3))
    markers = {"referral": reverse("referrals:detail", args=[referral.uuid]), "proposal": "Nina Nieuwkomer",
               "draft": reverse("routing:draft", args=[draft.uuid]), "action": ACTION_TEXT}
    return world, markers


@pytest.mark.parametrize("who", EVERYONE)
def test_each_role_reaches_its_home_and_sees_only_its_own_work(client, setting, who):
    world, markers = setting
    client.force_login(getattr(world, who))
    events, reads = AuditEvent.objects.count(), AccessLogEntry.objects.count()
    response = client.get(reverse("home"))
    if who in REDIRECTS:
        assert response.status_code == 302 and response["Location"] == reverse(REDIRECTS[who])
        return
    assert response.status_code == 200, who
    page = response.content.decode()
    for name, marker in markers.items():
        assert (marker in page) == (name in SEES.get(who, set())), (who, name)
    assert AuditEvent.objects.count() == events  # reading the home changes nothing
    # Only the action texts are personal data on a home: one access-log entry per case shown.
    assert AccessLogEntry.objects.count() == reads + (1 if who == "casusregisseur" else 0), who


@pytest.mark.parametrize("who", ["partner", "beheerder", "casusregisseur"])
def test_the_home_takes_no_post_and_writes_nothing(client, setting, who):
    world, _markers = setting
    client.force_login(getattr(world, who))
    before = (AuditEvent.objects.count(), AccessLogEntry.objects.count())
    assert client.post(reverse("home"), {}).status_code == 405
    assert (AuditEvent.objects.count(), AccessLogEntry.objects.count()) == before


def test_anonymous_visitors_are_sent_to_the_login_page(client, setting):
    response = client.get(reverse("home"))
    assert response.status_code == 302 and "/inloggen/" in response["Location"]


def changed(region):
    """The active route with its first step's deadline changed: a draft worth deciding on."""
    from meldroute.routing import drafts
    from meldroute.routing import services as routing_services

    data = routing_services.route_as_data(drafts.active_route(region))
    data["steps"][0]["deadline"] = {"working_days": 3}
    return data

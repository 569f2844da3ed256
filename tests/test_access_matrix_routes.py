"""The access matrix of issue 13's pages: the ZVH procesregisseur opening a case from a signal its screeningsoverleg
decided to start (seed 003 §5.1, step "casus starten" with the ZVH as actor), next to the AF's own way in.

Every role × `GET/POST /casussen/nieuw/<signal>/` → 200/302 for the AF of the signal's municipality and for the
procesregisseur of the region's ZVH once the screeningsoverleg decided "casus starten", 404 (and nothing written) for
everyone else — also for that procesregisseur before the decision, and for another region's ZVH. The case list
shows the ZVH its signals to start, and nobody else.
"""

import pytest
from django.urls import reverse

from meldroute.accounts.constants import Role
from meldroute.audit.models import AccessLogEntry, AuditEvent
from meldroute.cases.models import Case
from meldroute.organisations.constants import OrganisationKind
from meldroute.routing import services as routing_services
from meldroute.routing.constants import Decision, StepState
from meldroute.routing.models import SignalRoute
from meldroute.triage import services as triage_services
from meldroute.triage.constants import Assessment
from tests.factories import OrganisationFactory, UserFactory, make_signal

pytestmark = [pytest.mark.django_db]

EVERY_USER = ["melder_a", "melder_a2", "af_a", "af_a2", "melder_b", "af_b", "af_c", "partner", "partner2",
              "zorgcoordinator", "procesregisseur", "casusregisseur", "ketenregisseur", "beheerder", "burgemeester",
              "procesregisseur_r2"]
MAY_OPEN = {"af_a", "af_a2", "procesregisseur"}


@pytest.fixture
def decided(world):
    """A soft signal of municipality A, classified, that the screeningsoverleg decided to start a case from."""
    world.procesregisseur_r2 = UserFactory(
        username="procesregisseur_r2", roles=[Role.PROCESREGISSEUR],
        organisation=OrganisationFactory(name="ZVH Regio Twee", code="ZVH-R2", kind=OrganisationKind.ZVH,
                                         region=world.region2, email=""))
    routing_services.install_preset(world.region, "noord-midden-limburg", actor=world.beheerder)
    signal = make_signal(world.melder_a, description="Zes mensen slapen in de schuur (fictief).")
    triage_services.classify_signal(signal, actor=world.af_a, assessment=Assessment.SUSPECTED, forms=["labour"],
                                    sector="")
    routing_services.record_route_event(signal, event="meeting_decided", target="screening", actor=world.af_a,
                                        facts={"decision": Decision.CASE})
    return signal


def test_the_matrix_covers_every_user_of_the_world(world, decided):
    assert set(EVERY_USER) == {name for name, value in vars(world).items() if hasattr(value, "has_role")}


@pytest.mark.parametrize("username", EVERY_USER)
def test_opening_a_case_from_a_decided_signal(client, world, decided, username):
    user = getattr(world, username)
    client.force_login(user)
    url = reverse("cases:open", args=[decided.uuid])
    reads, writes = AccessLogEntry.objects.count(), AuditEvent.objects.count()
    page = client.get(url)
    posted = client.post(url, {"title": "Schuur achter de garage"})
    if username in MAY_OPEN:
        assert page.status_code == 200
        assert posted.status_code == 302
        case = Case.objects.get(signals=decided)
        assert case.opened_by == user
        step = SignalRoute.objects.get(signal=decided).steps.get(key="casus-starten")
        assert step.state == StepState.DONE
        if username == "procesregisseur":
            assert case.zvh == world.zvh  # brought into the ZVH that opened it
            assert client.get(posted["Location"]).status_code == 200  # and the ZVH sees it
            assert AccessLogEntry.objects.filter(actor=user, target_uuid=decided.uuid,
                                                 purpose="casus starten vanuit het screeningsoverleg").exists()
    else:
        assert page.status_code == 404 and posted.status_code == 404
        assert not Case.objects.exists()
        assert AccessLogEntry.objects.count() == reads and AuditEvent.objects.count() == writes


def test_the_zvh_cannot_open_before_the_screeningsoverleg_decided(client, world):
    routing_services.install_preset(world.region, "noord-midden-limburg", actor=world.beheerder)
    signal = make_signal(world.melder_a)
    triage_services.classify_signal(signal, actor=world.af_a, assessment=Assessment.SUSPECTED, forms=["labour"],
                                    sector="")
    client.force_login(world.procesregisseur)
    assert client.get(reverse("cases:open", args=[signal.uuid])).status_code == 404
    assert client.post(reverse("cases:open", args=[signal.uuid]), {"title": "X"}).status_code == 404
    assert not Case.objects.exists()


@pytest.mark.parametrize("username", EVERY_USER)
def test_the_case_list_shows_the_signals_to_start_only_to_the_regions_zvh(client, world, decided, username):
    client.force_login(getattr(world, username))
    response = client.get(reverse("cases:list"))
    if response.status_code != 200:
        assert response.status_code == 404
        return
    assert (decided.reference in response.content.decode()) == (username == "procesregisseur")

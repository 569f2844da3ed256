"""Issue 13's new pages in the access matrix: the beheerder's AF duty form (/gebruikers/<uuid>/taak-af/), the
beheerder's receivers of another phenomenon (/beheer-fenomenen/ and its reset), and the AF's hand-over page
(/inbox/<uuid>/overdragen/). Every role but the one it is for, and that role in another municipality or region, gets
404 and nothing is written; the hand-over page reads the signal and logs exactly one access-log entry per 200."""

import pytest
from django.urls import reverse

from meldroute.accounts.constants import Role
from meldroute.accounts.models import User
from meldroute.audit.models import AccessLogEntry, AuditEvent
from meldroute.organisations.constants import AfDuty
from meldroute.partners.models import PhenomenonReceiver
from meldroute.triage.models import Handover
from tests.factories import UserFactory, make_signal

pytestmark = [pytest.mark.django_db, pytest.mark.clock]

USERS = ["melder_a", "melder_a2", "af_a", "af_a2", "melder_b", "af_b", "af_c", "partner", "partner2",
         "zorgcoordinator", "procesregisseur", "casusregisseur", "ketenregisseur", "beheerder", "burgemeester",
         "beheerder_c"]


@pytest.fixture
def setting(world):
    world.beheerder_c = UserFactory(username="beheerder_c", organisation=world.c, roles=[Role.BEHEERDER])
    world.signal = make_signal(world.melder_a, description="Signaal-A: overbewoning boven de winkel")
    return world


def _state():
    return (AuditEvent.objects.count(), list(User.objects.order_by("pk").values_list("af_duty", flat=True)),
            PhenomenonReceiver.objects.count(), Handover.objects.count())


def _pages(w):
    """(name, method, url, data) of every new page, aimed at af_a (region 1) and A's signal."""
    handover = reverse("triage:handover", args=[w.signal.uuid])
    return [
        ("duty", "post", reverse("accounts:set_af_duty", args=[w.af_a.uuid]),
         {"duty": AfDuty.OOV, "reason": "AOV'er"}),
        ("phenomena", "get", reverse("partners:phenomena"), None),
        ("phenomena_post", "post", reverse("partners:phenomena"),
         {"phenomenon": "care_need", "partner_type": "", "receiver_name": "Sociaal team", "source": "afspraak"}),
        ("phenomenon_reset", "post", reverse("partners:phenomenon_reset", args=["care_need"]), {}),
        ("handover", "get", handover + "?fenomeen=poor_housing", None),
        ("handover_post", "post", handover, {"fenomeen": "poor_housing", "wijze": "buiten", "receiver_name": "BWT",
                                             "contact": "Inspecteur", "handed_over_on": "2026-06-10",
                                             "text": "Gebeld."}),
    ]


# Who gets through to each page (everyone else: 404). The beheerder of region 1 manages af_a and the region's
# receivers; the AFs of municipality A reach A's signal.
ALLOWED = {
    "duty": {"beheerder"},
    "phenomena": {"beheerder", "beheerder_c"},  # each for its own region
    "phenomena_post": {"beheerder", "beheerder_c"},
    "phenomenon_reset": {"beheerder", "beheerder_c"},
    "handover": {"af_a", "af_a2"},
    "handover_post": {"af_a", "af_a2"},
}
STATUS_WHEN_ALLOWED = {"duty": 302, "phenomena": 200, "phenomena_post": 302, "phenomenon_reset": 302,
                       "handover": 200, "handover_post": 302}


@pytest.mark.parametrize("username", USERS)
def test_every_role_on_every_new_page(client, setting, username):
    w = setting
    user = getattr(w, username)
    client.force_login(user)
    for name, method, url, data in _pages(w):
        before, logged = _state(), AccessLogEntry.objects.filter(actor=user).count()
        response = getattr(client, method)(url, data) if data is not None else getattr(client, method)(url)
        if username in ALLOWED[name]:
            assert response.status_code == STATUS_WHEN_ALLOWED[name], (name, username)
            if name.startswith("handover"):
                # The hand-over page shows A's signal: one access-log entry for this user and this signal.
                assert AccessLogEntry.objects.filter(actor=user).count() == logged + 1, name
                assert AccessLogEntry.objects.filter(actor=user).last().target_uuid == w.signal.uuid
        else:
            assert response.status_code == 404, (name, username, response.status_code)
            assert _state() == before, (name, username)  # nothing written
            assert AccessLogEntry.objects.filter(actor=user).count() == logged
            assert "Signaal-A" not in response.content.decode()


def test_the_other_regions_beheerder_changes_only_its_own_region(client, setting):
    w = setting
    client.force_login(w.beheerder_c)
    client.post(reverse("partners:phenomena"), {"phenomenon": "care_need", "partner_type": "",
                                                "receiver_name": "Sociaal team C", "source": "afspraak"})
    assert list(PhenomenonReceiver.objects.filter(region__isnull=False).values_list("region", flat=True)) == [
        w.region2.pk]


def test_the_beheerder_cannot_set_its_own_duty_or_one_of_another_region(client, setting):
    w = setting
    client.force_login(w.beheerder)
    assert client.post(reverse("accounts:set_af_duty", args=[w.af_c.uuid]),
                       {"duty": AfDuty.OOV, "reason": "x"}).status_code == 404
    assert not User.objects.exclude(af_duty="").exists()


def test_only_the_beheerders_menu_links_the_receivers_page(client, setting):
    link = (reverse("partners:phenomena"), "Ander fenomeen")
    for username, expected in (("beheerder", True), ("af_a", False), ("melder_a", False)):
        client.force_login(getattr(setting, username))
        page = client.get(reverse("partners:directory"))
        assert (link in page.context["nav_items"]) is expected, username

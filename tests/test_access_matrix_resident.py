"""The public form for residents in the access matrix (issue 16).

The resident pages are open to everyone — no account, any role — and read no personal data (no access-log entry); a
signed-in user who files there files as a resident, never under their own name. The beheerder's switch is 404 for
every other role and for a beheerder of another region, and writes nothing then; anonymous visitors are sent to log in.
"""

import pytest
from django.test import Client
from django.urls import reverse

from meldroute.accounts.constants import Role
from meldroute.audit.models import AccessLogEntry, AuditEvent
from meldroute.intake import resident_services
from meldroute.intake.models import ResidentForm, ResidentFormCounter, Signal
from tests.factories import UserFactory

pytestmark = [pytest.mark.django_db]

EVERY_ROLE = ["melder_a", "af_a", "af_b", "af_c", "partner", "zorgcoordinator", "procesregisseur", "casusregisseur",
              "ketenregisseur", "burgemeester", "beheerder"]
NON_BEHEERDERS = [who for who in EVERY_ROLE if who != "beheerder"]


def _state():
    return (Signal.objects.count(), ResidentForm.objects.count(),
            list(ResidentForm.objects.values_list("is_enabled", flat=True)), ResidentFormCounter.objects.count(),
            AuditEvent.objects.count(), AccessLogEntry.objects.count())


def _beheer_pages(world):
    return [("get", reverse("intake:resident_manage"), None),
            ("post", reverse("intake:resident_update", args=[world.a.uuid]),
             {"is_enabled": "on", "local_help_name": "", "local_help_url": ""})]


def _request(client, method, url, data):
    return getattr(client, method)(url, data) if data is not None else getattr(client, method)(url)


@pytest.mark.parametrize("who", [None, *EVERY_ROLE])
@pytest.mark.parametrize("enabled", [False, True])
def test_the_resident_pages_are_open_to_everyone_and_read_no_personal_data(client, world, who, enabled):
    if enabled:
        resident_services.set_resident_form(world.a, actor=world.beheerder, is_enabled=True)
    if who:
        client.force_login(getattr(world, who))
    before = _state()
    for name in ("resident_report", "resident_receipt"):
        response = client.get(reverse(f"intake:{name}", args=[world.a.code]))
        assert response.status_code == 200, (who, name)
    assert _state() == before  # nothing read, nothing written


@pytest.mark.parametrize("who", [None, "af_a", "melder_a", "beheerder"])
def test_whoever_files_on_the_public_form_files_as_a_resident(client, world, who):
    resident_services.set_resident_form(world.a, actor=world.beheerder, is_enabled=True)
    if who:
        client.force_login(getattr(world, who))
    response = client.post(reverse("intake:resident_report", args=[world.a.code]),
                           {"description": "Busje met werkers, elke ochtend om vijf uur."})
    assert response.status_code == 302
    signal = Signal.objects.get()
    assert signal.reporter is None and signal.source_organisation is None and signal.channel == "inwoner"


@pytest.mark.parametrize("who", [None, *EVERY_ROLE])
def test_a_post_to_a_closed_form_is_refused_for_everyone_and_writes_nothing(client, world, who):
    if who:
        client.force_login(getattr(world, who))
    before = _state()
    response = client.post(reverse("intake:resident_report", args=[world.b.code]), {"description": "x"})
    assert response.status_code == 403
    assert _state() == before


@pytest.mark.parametrize("who", NON_BEHEERDERS)
def test_the_beheerder_switch_is_404_for_every_other_role_and_writes_nothing(client, world, who):
    client.force_login(getattr(world, who))
    before = _state()
    for method, url, data in _beheer_pages(world):
        assert _request(client, method, url, data).status_code == 404, (who, method, url)
    assert _state() == before


def test_a_beheerder_of_another_region_gets_404_on_this_regions_municipality_and_writes_nothing(client, world):
    client.force_login(UserFactory(username="beheerder_c", organisation=world.c, roles=[Role.BEHEERDER]))
    before = _state()
    assert client.get(reverse("intake:resident_manage")).status_code == 200  # its own region's page
    assert world.a.name not in client.get(reverse("intake:resident_manage")).content.decode()
    _method, url, data = _beheer_pages(world)[1]
    assert client.post(url, data).status_code == 404
    assert client.post(reverse("intake:resident_update", args=[world.police.uuid]), data).status_code == 404
    assert _state() == before


def test_anonymous_visitors_are_sent_to_log_in_for_the_beheerder_switch(client, world):
    before = _state()
    for method, url, data in _beheer_pages(world):
        response = _request(client, method, url, data)
        assert response.status_code == 302 and reverse("login") in response["Location"], (method, url)
    assert _state() == before


def test_the_beheerder_switch_works_for_its_own_region_reads_no_personal_data_and_writes_one_event(world):
    client = Client()
    client.force_login(world.beheerder)
    logged, events = AccessLogEntry.objects.count(), AuditEvent.objects.count()
    assert client.get(reverse("intake:resident_manage")).status_code == 200
    _method, url, data = _beheer_pages(world)[1]
    assert client.post(url, data).status_code == 302
    assert resident_services.resident_form_of(world.a).is_enabled
    assert AccessLogEntry.objects.count() == logged and AuditEvent.objects.count() == events + 1

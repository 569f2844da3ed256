"""The public form for residents (issue 16): off by default with the links elsewhere, on per municipality by the
beheerder (audited), a resident's signal in the AF's inbox as channel inwoner and never acute, a honeypot that looks
accepted and stores nothing, a rate limit per address and overall that keeps the input, hashed expiring counters,
and a receipt code that opens nothing."""

import logging
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from tests.factories import actions_since, audit_mark

from meldroute.audit.models import AccessLogEntry, AuditEvent
from meldroute.audit.targets import target_of
from meldroute.core.exceptions import DomainError
from meldroute.intake import resident_services, services
from meldroute.intake.constants import Channel, SignalStatus
from meldroute.intake.models import Indicator, ResidentForm, ResidentFormCounter, Signal

pytestmark = [pytest.mark.django_db]

ADDRESS = "203.0.113.7"
DESCRIPTION = "In het pand aan de Zandweg slapen elke nacht tien mannen; ze worden om vijf uur opgehaald."


def _url(world, name="resident_report", municipality=None):
    return reverse(f"intake:{name}", args=[(municipality or world.a).code])


def _switch_on(world, municipality=None):
    return resident_services.set_resident_form(municipality or world.a, actor=world.beheerder, is_enabled=True,
                                               local_help_name="Zorgcoördinatie Regio Een",
                                               local_help_url="https://zorg.example.nl")


def _post(client, world, address=ADDRESS, **data):
    payload = {"description": DESCRIPTION, "address": "Zandweg 12, Aadorp", "postcode": "1234 ab", **data}
    return client.post(_url(world), payload, REMOTE_ADDR=address)


def _stored():
    return Signal.objects.count(), AuditEvent.objects.count(), AccessLogEntry.objects.count()


@pytest.fixture
def limits(settings):
    def set_limits(**values):
        settings.MELDROUTE = {**settings.MELDROUTE, "RESIDENT_FORM_LIMITS": values}
    return set_limits


# --- Off (the default) ---------------------------------------------------------------------------------------------

def test_the_form_is_off_by_default_and_the_page_links_to_meld_misdaad_anoniem(client, world):
    response = client.get(_url(world))
    assert response.status_code == 200  # residents land here from the municipality's site: not a 404
    content = response.content.decode()
    assert 'data-testid="resident-form-closed"' in content and "meldmisdaadanoniem.nl" in content
    assert "bel 112" in content
    assert 'data-testid="resident-form"' not in content and "<textarea" not in content
    assert not resident_services.resident_form_of(world.a).is_enabled


def test_a_post_to_a_form_that_is_off_is_refused_and_stores_nothing(client, world):
    before = _stored()
    response = _post(client, world)
    assert response.status_code == 403
    assert "meldmisdaadanoniem.nl" in response.content.decode()
    assert _stored() == before and not ResidentFormCounter.objects.exists()


def test_switched_off_again_the_form_is_gone(client, world):
    _switch_on(world)
    resident_services.set_resident_form(world.a, actor=world.beheerder, is_enabled=False)
    assert 'data-testid="resident-form-closed"' in client.get(_url(world)).content.decode()
    assert _post(client, world).status_code == 403


def test_the_service_refuses_a_municipality_with_the_form_off(world):
    with pytest.raises(resident_services.ResidentFormClosed):
        resident_services.register_resident_signal(world.a, address=ADDRESS, data={"description": "x"})
    assert not Signal.objects.exists()


@pytest.mark.parametrize("code", ["GM0000", "POL-R1", "x" * 300])
def test_an_unknown_code_or_an_organisation_that_is_no_municipality_is_404(client, world, code):
    assert client.get(reverse("intake:resident_report", args=[code])).status_code == 404


def test_the_local_help_is_shown_when_the_form_is_off_too(client, world):
    resident_services.set_resident_form(world.a, actor=world.beheerder, is_enabled=False,
                                        local_help_name="Zorgcoördinatie Regio Een",
                                        local_help_url="https://zorg.example.nl")
    content = client.get(_url(world)).content.decode()
    assert "Zorgcoördinatie Regio Een" in content and "https://zorg.example.nl" in content


# --- On: a resident files ------------------------------------------------------------------------------------------

def test_a_resident_signal_lands_in_the_af_inbox_as_channel_inwoner_and_not_acute(client, world):
    _switch_on(world)
    indicator = Indicator.objects.filter(form="general", is_active=True).first()
    mark = audit_mark()
    response = _post(client, world, indicators=[indicator.pk], observed_time="'s nachts")
    assert response.status_code == 302
    assert response["Location"] == _url(world, "resident_receipt")  # the code is never in a URL
    signal = Signal.objects.get()
    assert signal.channel == Channel.PUBLIC == "inwoner"
    assert not signal.is_acute and signal.status == SignalStatus.RECEIVED
    assert signal.reporter is None and signal.source_organisation is None and signal.municipality == world.a
    assert signal.description == DESCRIPTION and signal.postcode == "1234 AB"
    assert list(signal.indicators.all()) == [indicator]
    assert signal.reference not in response["Location"]
    assert actions_since(mark)[0] == "signal.registered"
    event = AuditEvent.objects.get(action="signal.registered")
    assert event.actor is None and event.actor_label == "inwoner" and event.details["channel"] == "inwoner"

    receipt = client.get(response["Location"])
    assert receipt.status_code == 200 and signal.reference in receipt.content.decode()

    af = Client()
    af.force_login(world.af_a)
    inbox = af.get(reverse("triage:inbox")).content.decode()
    assert signal.reference in inbox and "Inwoner" in inbox


def test_the_resident_cannot_make_a_signal_acute(client, world):
    _switch_on(world)
    _post(client, world, is_acute="yes")
    assert Signal.objects.get().is_acute is False


def test_only_the_short_list_of_general_indicators_is_offered_and_accepted(client, world):
    _switch_on(world)
    general = Indicator.objects.filter(form="general", is_active=True)
    other = Indicator.objects.exclude(form="general").first()
    content = client.get(_url(world)).content.decode()
    assert all(i.text in content for i in general) and other.text not in content
    response = _post(client, world, indicators=[other.pk])
    assert response.status_code == 400 and "Herkent u iets hiervan?" in response.content.decode()
    assert not Signal.objects.exists()
    signal = resident_services.register_resident_signal(world.a, address=ADDRESS, data={"description": "x"},
                                                        indicators=[other])
    assert not signal.indicators.exists()  # the service drops what the form would not offer


def test_bad_input_gets_a_dutch_message_at_the_field_and_keeps_the_input(client, world):
    _switch_on(world)
    response = _post(client, world, description="", postcode="99999", persons_description="Twee jonge vrouwen")
    assert response.status_code == 400
    content = response.content.decode()
    assert "Schrijf kort op wat u heeft gezien of gehoord." in content
    assert "Vul een Nederlandse postcode in" in content
    assert "Zandweg 12, Aadorp" in content and "Twee jonge vrouwen" in content and "99999" in content
    assert not Signal.objects.exists() and not ResidentFormCounter.objects.exists()


def test_a_too_long_text_is_refused_at_the_field(client, world):
    _switch_on(world)
    response = _post(client, world, description="x" * 5_001)
    assert response.status_code == 400 and "maximaal 5000 tekens" in response.content.decode()


def test_no_resident_feedback_is_owed_when_the_af_closes_the_signal(client, world):
    _switch_on(world)
    _post(client, world)
    signal = Signal.objects.get()
    services.transition_signal(signal, actor=world.af_a, to_status=SignalStatus.IN_TRIAGE)
    services.transition_signal(signal, actor=world.af_a, to_status=SignalStatus.CLOSED, text="Doorgezet.")
    signal.refresh_from_db()
    assert signal.feedback_due_at is None and signal.deadline_at is None


def test_only_the_public_form_files_without_an_account(world):
    with pytest.raises(DomainError):
        services.register_signal(actor=None, municipality=world.a, is_acute=False, data={"description": "x"})
    with pytest.raises(DomainError):
        services.register_signal(actor=world.melder_a, municipality=world.a, is_acute=False,
                                 data={"description": "x"}, channel=Channel.PUBLIC)
    assert not Signal.objects.exists()


def test_csrf_stays_on_for_the_public_form(world):
    _switch_on(world)
    client = Client(enforce_csrf_checks=True)
    response = _post(client, world)
    assert response.status_code == 403 and not Signal.objects.exists()


def test_the_public_pages_are_not_kept_by_a_browser_or_proxy(client, world):
    _switch_on(world)
    assert "no-store" in client.get(_url(world))["Cache-Control"]
    assert "no-store" in client.get(_url(world, "resident_receipt"))["Cache-Control"]


# --- The honeypot: looks accepted, nothing stored ------------------------------------------------------------------

def test_a_filled_honeypot_looks_accepted_but_stores_nothing(client, world):
    _switch_on(world)
    before = _stored()
    response = _post(client, world, website="https://spam.example")
    assert response.status_code == 302 and response["Location"] == _url(world, "resident_receipt")
    receipt = client.get(response["Location"]).content.decode()
    assert 'data-testid="receipt-code"' in receipt
    assert _stored() == before  # no signal, no audit event, no access-log entry


def test_the_honeypot_is_hidden_from_people_and_assistive_technology(client, world):
    _switch_on(world)
    content = client.get(_url(world)).content.decode()
    assert '<div class="mr-honeypot" aria-hidden="true">' in content and 'tabindex="-1"' in content
    assert 'style="' not in content and "<script>" not in content  # the strict CSP: a class, no inline style


# --- The rate limit ------------------------------------------------------------------------------------------------

def test_too_many_from_one_address_gets_a_dutch_429_with_the_input_kept(client, world, limits):
    limits(per_address=2, overall=100)
    _switch_on(world)
    assert [_post(client, world).status_code for _ in range(2)] == [302, 302]
    response = _post(client, world, persons_description="Man met een blauwe bestelbus")
    assert response.status_code == 429
    content = response.content.decode()
    assert "te veel meldingen verstuurd" in content and "Meld Misdaad Anoniem" in content
    assert DESCRIPTION in content and "Man met een blauwe bestelbus" in content
    assert Signal.objects.count() == 2
    assert _post(client, world, address="198.51.100.20").status_code == 302  # another address is not blocked


def test_too_many_overall_gets_a_dutch_429(client, world, limits):
    limits(per_address=10, overall=3)
    _switch_on(world)
    codes = [_post(client, world, address=f"198.51.100.{n}").status_code for n in range(4)]
    assert codes == [302, 302, 302, 429]
    assert Signal.objects.count() == 3


def test_the_honeypot_counts_against_the_limit_too(client, world, limits):
    limits(per_address=1, overall=100)
    _switch_on(world)
    assert _post(client, world, website="x").status_code == 302
    assert _post(client, world).status_code == 429
    assert not Signal.objects.exists()


def test_a_refused_submission_is_not_counted(client, world, limits):
    limits(per_address=1, overall=100)
    _switch_on(world)
    assert _post(client, world, description="").status_code == 400
    assert _post(client, world).status_code == 302


@pytest.mark.clock
def test_the_limit_opens_again_in_the_next_window_and_old_counters_are_deleted(client, world, limits, clock):
    limits(per_address=1, overall=100, window_minutes=60)
    _switch_on(world)
    assert _post(client, world).status_code == 302
    assert _post(client, world).status_code == 429
    clock.shift(timedelta(minutes=61))
    assert _post(client, world).status_code == 302
    assert resident_services.purge_counters() == 2  # the past window's address and overall counters
    assert ResidentFormCounter.objects.count() == 2


def test_counters_hold_no_address_and_differ_per_window(client, world):
    _switch_on(world)
    _post(client, world)
    keys = list(ResidentFormCounter.objects.values_list("key", flat=True))
    assert len(keys) == 2 and all(ADDRESS not in key and len(key) == 64 for key in keys)
    now = ResidentFormCounter.objects.first().window_start
    assert (resident_services.counter_key(now, f"address:{ADDRESS}")
            != resident_services.counter_key(now + timedelta(hours=1), f"address:{ADDRESS}"))


def test_nothing_the_resident_typed_nor_their_address_is_logged(client, world, caplog, limits):
    limits(per_address=1, overall=100)
    _switch_on(world)
    with caplog.at_level(logging.DEBUG):
        _post(client, world)
        _post(client, world)  # the 429
        _post(client, world, description="")  # the 400
    assert ADDRESS not in caplog.text and "Zandweg" not in caplog.text


# --- The receipt code reveals nothing ------------------------------------------------------------------------------

def test_the_receipt_code_is_shown_once_and_opens_nothing(client, world):
    _switch_on(world)
    receipt_url = _post(client, world)["Location"]
    signal = Signal.objects.get()
    assert signal.reference in client.get(receipt_url).content.decode()
    again = client.get(receipt_url).content.decode()
    assert signal.reference not in again and "Geen ontvangstcode om te tonen" in again
    for attempt in (f"{receipt_url}?code={signal.reference}", f"{_url(world)}?code={signal.reference}"):
        page = client.get(attempt).content.decode()
        assert DESCRIPTION not in page and "Zandweg" not in page
    assert client.get(f"/inwoners/{world.a.code}/ontvangen/{signal.reference}/").status_code == 404
    assert client.get(f"/meldingen/{signal.uuid}/").status_code == 302  # the reporter pages need an account
    assert signal.reference not in client.get(receipt_url).content.decode()


def test_a_new_visitor_sees_no_receipt_code(client, world):
    _switch_on(world)
    receipt_url = _post(client, world)["Location"]
    stranger = Client()
    page = stranger.get(receipt_url).content.decode()
    assert Signal.objects.get().reference not in page and "Geen ontvangstcode om te tonen" in page


# --- The beheerder's switch ----------------------------------------------------------------------------------------

def test_the_beheerder_switches_the_form_on_and_it_is_audited(world):
    mark = audit_mark()
    setting = _switch_on(world)
    assert setting.is_enabled and ResidentForm.objects.get(municipality=world.a).is_enabled
    assert actions_since(mark) == ["resident_form.changed"]
    event = AuditEvent.objects.get(action="resident_form.changed")
    assert event.actor == world.beheerder and event.target_type == "intake.resident_form" == target_of(setting)
    assert event.details == {"municipality": world.a.code, "is_enabled": True}
    assert set(event.fields) == {"is_enabled", "local_help_name", "local_help_url"}


def test_saving_without_a_change_writes_no_event(world):
    _switch_on(world)
    mark = audit_mark()
    _switch_on(world)
    assert actions_since(mark) == []


@pytest.mark.parametrize("who", ["af_a", "melder_a", "burgemeester", "ketenregisseur"])
def test_only_a_beheerder_switches_the_form(world, who):
    with pytest.raises(DomainError):
        resident_services.set_resident_form(world.a, actor=getattr(world, who), is_enabled=True)
    assert not ResidentForm.objects.exists()


def test_a_beheerder_cannot_switch_a_municipality_of_another_region_or_a_partner(world):
    for organisation in (world.c, world.police):
        with pytest.raises(DomainError):
            resident_services.set_resident_form(organisation, actor=world.beheerder, is_enabled=True)
    assert not ResidentForm.objects.exists()


def test_the_beheerder_page_switches_it_on_and_off(client, world):
    client.force_login(world.beheerder)
    page = client.get(reverse("intake:resident_manage")).content.decode()
    assert world.a.name in page and world.b.name in page and world.c.name not in page
    url = reverse("intake:resident_update", args=[world.b.uuid])
    response = client.post(url, {"is_enabled": "on", "local_help_name": "", "local_help_url": ""})
    assert response.status_code == 302 and resident_services.resident_form_of(world.b).is_enabled
    client.post(url, {"local_help_name": "", "local_help_url": ""})
    assert not resident_services.resident_form_of(world.b).is_enabled


def test_the_beheerder_page_refuses_bad_input_with_a_dutch_message(client, world):
    client.force_login(world.beheerder)
    url = reverse("intake:resident_update", args=[world.b.uuid])
    response = client.post(url, {"is_enabled": "on", "local_help_url": "javascript:alert(1)"}, follow=True)
    assert "Vul een geldig webadres in" in response.content.decode()
    assert not ResidentForm.objects.exists()


def test_the_af_reads_a_resident_signal_like_any_other_and_cannot_ask_the_resident_a_question(client, world):
    _switch_on(world)
    _post(client, world)
    signal = Signal.objects.get()
    af = Client()
    af.force_login(world.af_a)
    page = af.get(reverse("triage:signal", args=[signal.uuid]))
    assert page.status_code == 200
    content = page.content.decode()
    assert DESCRIPTION in content and "Inwoner (openbaar formulier)" in content
    assert AccessLogEntry.objects.filter(actor=world.af_a, target_uuid=signal.uuid).exists()  # the read is logged
    other = Client()
    other.force_login(world.af_b)
    assert other.get(reverse("triage:signal", args=[signal.uuid])).status_code == 404
    from meldroute.triage import services as triage_services

    with pytest.raises(DomainError):
        triage_services.request_information(signal, actor=world.af_a, question="Waar precies?")
    assert not signal.information_requests.exists()


@pytest.mark.parametrize("bad", [
    {"description": "nul\x00teken"},
    {"indicators": ["99999999999999999999999"]},
    {"indicators": ["abc"]},
    {"observed_on": "31-02-2026"},
    {"observed_on": "2999-01-01"},
    {"postcode": "0123 AB"},
    {"location_description": "x" * 301},
])
def test_bad_input_is_a_dutch_400_never_a_500_and_stores_nothing(client, world, bad):
    _switch_on(world)
    response = _post(client, world, **bad)
    assert response.status_code == 400
    assert "Controleer de volgende punten" in response.content.decode()
    assert not Signal.objects.exists() and not ResidentFormCounter.objects.exists()

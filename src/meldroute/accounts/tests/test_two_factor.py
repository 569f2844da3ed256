"""Two-factor authentication (SPEC F3): nobody reaches personal data on password alone where it is required."""

import pytest
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from tests.factories import make_api_token, make_signal

from meldroute.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def require_2fa(settings):
    settings.MELDROUTE = {**settings.MELDROUTE, "REQUIRE_2FA": True}


def current_code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def test_password_alone_leads_to_setting_up_an_authenticator_not_to_the_inbox(client, world):
    client.force_login(world.af_a)
    response = client.get(reverse("triage:inbox"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("two_factor_setup"))
    assert "next=%2Finbox%2F" in response["Location"]


def test_linking_an_authenticator_with_a_correct_code_opens_the_application(client, world):
    client.force_login(world.af_a)
    page = client.get(reverse("two_factor_setup"))
    assert page.status_code == 200 and b"<svg" in page.content and b'data-testid="totp-secret"' in page.content
    device = TOTPDevice.objects.get(user=world.af_a, confirmed=False)
    response = client.post(reverse("two_factor_setup"), {"code": current_code(device), "next": "/inbox/"})
    assert response.status_code == 302 and response["Location"] == "/inbox/"
    assert TOTPDevice.objects.get(pk=device.pk).confirmed
    assert client.get(reverse("triage:inbox")).status_code == 200
    assert AuditEvent.objects.filter(action="user.two_factor_enrolled", actor=world.af_a).count() == 1


def test_a_wrong_code_is_refused_in_dutch_logged_and_keeps_the_door_closed(client, world):
    client.force_login(world.af_a)
    client.get(reverse("two_factor_setup"))
    device = TOTPDevice.objects.get(user=world.af_a)
    wrong = f"{(int(current_code(device)) + 1) % 1_000_000:06d}"
    response = client.post(reverse("two_factor_setup"), {"code": wrong})
    assert response.status_code == 200
    assert "Deze code klopt niet of is verlopen." in response.content.decode()
    assert not TOTPDevice.objects.get(pk=device.pk).confirmed
    assert AuditEvent.objects.filter(action="user.two_factor_failed", actor=world.af_a).count() == 1
    assert client.get(reverse("triage:inbox")).status_code == 302


def test_code_must_be_six_digits(client, world):
    client.force_login(world.af_a)
    response = client.post(reverse("two_factor_setup"), {"code": "12ab"})
    assert "Een code bestaat uit zes cijfers." in response.content.decode()


def test_next_login_asks_for_a_code_from_the_linked_app(client, world):
    device = TOTPDevice.objects.create(user=world.melder_a, name="app", confirmed=True)
    client.force_login(world.melder_a)
    response = client.get(reverse("intake:mine"))
    assert response["Location"].startswith(reverse("two_factor_verify"))
    assert client.get(reverse("two_factor_setup"))["Location"] == reverse("two_factor_verify")
    response = client.post(reverse("two_factor_verify"), {"code": current_code(device), "next": "/meldingen/"})
    assert response["Location"] == "/meldingen/"
    assert client.get(reverse("intake:mine")).status_code == 200


def test_next_parameter_cannot_send_the_user_to_another_site(client, world):
    device = TOTPDevice.objects.create(user=world.melder_a, name="app", confirmed=True)
    client.force_login(world.melder_a)
    response = client.post(reverse("two_factor_verify"), {"code": current_code(device),
                                                         "next": "https://evil.example/"})
    assert response["Location"] == "/"


def test_session_api_calls_need_the_second_factor_but_partner_tokens_do_not(client, world):
    make_signal(world.partner, municipality=world.a, channel="partner")
    client.force_login(world.af_a)
    response = client.get("/api/v1/signals/")
    assert response.status_code == 403 and response.json()["code"] == "two_factor_required"
    client.logout()
    secret = make_api_token(world.police)  # the police organisation's system, not a person
    assert client.get("/api/v1/signals/", HTTP_AUTHORIZATION=f"Token {secret}").json()["count"] == 1


def test_login_and_logout_stay_reachable_without_the_second_factor(client, world):
    client.force_login(world.af_a)
    assert client.post(reverse("logout")).status_code == 302
    assert client.get(reverse("login")).status_code == 200

"""Logging out in the access matrix (RP-initiated logout, docs/privacy/login.md): every role logs out the same way — a
password session to Meldroute's login page with one `user.logout` event as that user, a session that came through
the IdP on to the IdP's end-session endpoint with one `user.logout_oidc` event as that user. Only a session the OIDC
callback started, holding its id_token, goes to the IdP; logging out is POST only, and a GET logs no one out."""

import urllib.parse

import pytest
from django.contrib.auth import SESSION_KEY
from django.urls import reverse

from meldroute.accounts.oidc import ID_TOKEN_SESSION_KEY
from meldroute.accounts.oidc_logout import OIDC_BACKEND_PATH
from meldroute.audit.models import AccessLogEntry, AuditEvent
from tests.factories import actions_since, audit_mark
from tests.oidc_support import running_idp

pytestmark = [pytest.mark.django_db]

ROLES = ["melder_a", "melder_a2", "af_a", "af_a2", "melder_b", "af_b", "af_c", "partner", "partner2",
         "zorgcoordinator", "procesregisseur", "casusregisseur", "ketenregisseur", "burgemeester", "beheerder"]
TOKEN = "header.payload.handtekening"  # stands for the id_token the callback keeps; the provider is not asked here


@pytest.fixture
def idp(settings):
    yield from running_idp(settings)


def _written() -> tuple[int, int]:
    return AuditEvent.objects.count(), AccessLogEntry.objects.count()


def _idp_session(client, user) -> None:
    """A session as the OIDC callback leaves it: started by the OIDC backend, the id_token kept for the hint."""
    client.force_login(user, backend=OIDC_BACKEND_PATH)
    session = client.session
    session[ID_TOKEN_SESSION_KEY] = TOKEN
    session.save()


@pytest.mark.parametrize("who", ROLES)
def test_a_password_session_of_every_role_logs_out_to_the_login_page_with_one_event(client, world, idp, who):
    user = getattr(world, who)
    client.force_login(user)
    mark, reads = audit_mark(), AccessLogEntry.objects.count()
    response = client.post(reverse("logout"))
    assert response.status_code == 302 and response["Location"] == reverse("login")
    assert SESSION_KEY not in client.session
    _logged_out_here(user, mark, reads)


def _logged_out_here(user, mark: int, reads: int) -> None:
    """One `user.logout` event as that user (Meldroute's session only), no read logged."""
    assert actions_since(mark) == ["user.logout"] and AccessLogEntry.objects.count() == reads
    event = AuditEvent.objects.get(id__gt=mark)
    assert event.actor == user and event.target_uuid == user.uuid


@pytest.mark.parametrize("who", ROLES)
def test_an_idp_session_of_every_role_goes_on_to_the_idp_with_one_event_as_that_user(client, world, idp, who):
    user = getattr(world, who)
    _idp_session(client, user)
    mark, reads = audit_mark(), AccessLogEntry.objects.count()
    response = client.post(reverse("logout"))
    assert response.status_code == 302 and response["Location"].startswith(f"{idp.issuer}/end-session?")
    assert urllib.parse.parse_qs(urllib.parse.urlsplit(response["Location"]).query)["id_token_hint"] == [TOKEN]
    assert SESSION_KEY not in client.session and ID_TOKEN_SESSION_KEY not in client.session
    assert actions_since(mark) == ["user.logout_oidc"] and AccessLogEntry.objects.count() == reads
    event = AuditEvent.objects.get(id__gt=mark)
    assert event.actor == user and event.target_uuid == user.uuid


@pytest.mark.parametrize("who", ["af_a", "partner", "beheerder"])
def test_a_get_logs_no_one_out_and_writes_nothing(client, world, idp, who):
    _idp_session(client, getattr(world, who))
    before = _written()
    assert client.get(reverse("logout")).status_code == 405
    assert client.session[SESSION_KEY] == str(getattr(world, who).pk)
    assert _written() == before


def test_an_id_token_in_a_password_session_does_not_send_it_to_the_idp(client, world, idp):
    client.force_login(world.af_a)  # the password backend
    session = client.session
    session[ID_TOKEN_SESSION_KEY] = TOKEN
    session.save()
    mark, reads = audit_mark(), AccessLogEntry.objects.count()
    response = client.post(reverse("logout"))
    assert response["Location"] == reverse("login")
    _logged_out_here(world.af_a, mark, reads)


def test_an_idp_session_without_an_id_token_logs_out_here_only(client, world, idp):
    client.force_login(world.af_a, backend=OIDC_BACKEND_PATH)  # started before the end-session endpoint was set
    mark, reads = audit_mark(), AccessLogEntry.objects.count()
    response = client.post(reverse("logout"))
    assert response["Location"] == reverse("login") and SESSION_KEY not in client.session
    _logged_out_here(world.af_a, mark, reads)


def test_an_anonymous_logout_goes_to_the_login_page_and_writes_nothing(client, world, idp):
    before = _written()
    response = client.post(reverse("logout"))
    assert response.status_code == 302 and response["Location"] == reverse("login")
    assert _written() == before

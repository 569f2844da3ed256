"""Login through the identity provider and the local login switch in the access matrix (issue 16): the switch is the
region's beheerder's only — every other role and another region's beheerder get 404 and nothing is written; the OIDC
start and callback are open to anyone (they are how one logs in), 404 while no IdP is configured, and never log
anyone in or read personal data on their own."""

import pytest
from django.contrib.auth import SESSION_KEY
from django.urls import reverse

from meldroute.accounts.constants import Role
from meldroute.audit.models import AccessLogEntry, AuditEvent
from meldroute.organisations.models import Organisation
from tests.factories import UserFactory
from tests.oidc_support import running_idp

pytestmark = [pytest.mark.django_db]

NON_BEHEERDERS = ["melder_a", "melder_a2", "af_a", "af_a2", "melder_b", "af_b", "af_c", "partner", "partner2",
                  "zorgcoordinator", "procesregisseur", "casusregisseur", "ketenregisseur", "burgemeester"]


@pytest.fixture
def idp(settings):
    yield from running_idp(settings)


def _switch_url(organisation: Organisation) -> str:
    return reverse("accounts:local_login", args=[organisation.uuid])


def _state():
    return (list(Organisation.objects.order_by("pk").values_list("local_login_allowed", flat=True)),
            AuditEvent.objects.count(), AccessLogEntry.objects.count())


@pytest.mark.parametrize("who", NON_BEHEERDERS)
def test_the_switch_is_404_for_every_other_role_and_writes_nothing(client, world, idp, who):
    client.force_login(getattr(world, who))
    before = _state()
    response = client.post(_switch_url(world.a), {"allowed": "0", "reason": "poging"})
    assert response.status_code == 404
    assert _state() == before


def test_the_switch_is_404_for_a_beheerder_of_another_region(client, world, idp):
    client.force_login(UserFactory(organisation=world.c, roles=[Role.BEHEERDER]))
    before = _state()
    assert client.post(_switch_url(world.a), {"allowed": "0", "reason": "poging"}).status_code == 404
    assert _state() == before


def test_the_switch_works_for_the_regions_beheerder_and_reads_no_personal_data(client, world, idp):
    client.force_login(world.beheerder)
    page = client.get(reverse("accounts:users"))
    assert page.status_code == 200 and "Lokaal inloggen uitzetten" in page.content.decode()
    access_before = AccessLogEntry.objects.count()
    response = client.post(_switch_url(world.b), {"allowed": "0", "reason": "Beekstad logt in via ADFS"})
    assert response.status_code == 302 and response["Location"] == reverse("accounts:users")
    world.b.refresh_from_db()
    assert world.b.local_login_allowed is False
    assert AuditEvent.objects.filter(action="organisation.local_login_changed", actor=world.beheerder).count() == 1
    assert AccessLogEntry.objects.count() == access_before


def test_the_switch_without_a_reason_is_refused_in_dutch_and_changes_nothing(client, world, idp):
    client.force_login(world.beheerder)
    before = _state()
    response = client.post(_switch_url(world.b), {"allowed": "0", "reason": ""}, follow=True)
    assert response.status_code == 200 and "Geef een reden op." in response.content.decode()
    assert _state() == before


def test_the_switch_takes_no_get_and_no_anonymous_visitor(client, world, idp):
    assert client.post(_switch_url(world.a), {"allowed": "0", "reason": "x"}).status_code == 302  # to the login
    client.force_login(world.beheerder)
    assert client.get(_switch_url(world.a)).status_code == 405


def test_the_oidc_pages_are_404_without_an_idp(client, world):
    for user in (None, world.af_a):
        if user is not None:
            client.force_login(user)
        assert client.get(reverse("accounts:oidc_start")).status_code == 404
        assert client.get(reverse("accounts:oidc_callback") + "?code=a&state=b").status_code == 404


def test_the_oidc_start_sends_anyone_to_the_idp_with_pkce_and_writes_nothing(client, world, idp):
    before = _state()
    response = client.get(reverse("accounts:oidc_start"))
    assert response.status_code == 302 and response["Location"].startswith(idp.issuer)
    assert "code_challenge_method=S256" in response["Location"] and "nonce=" in response["Location"]
    assert _state() == before and SESSION_KEY not in client.session


def test_the_oidc_callback_without_a_flow_logs_no_one_in_and_reads_nothing(client, world, idp):
    access_before = AccessLogEntry.objects.count()
    bare = client.get(reverse("accounts:oidc_callback"))
    assert bare.status_code == 302 and bare["Location"] == reverse("login")
    forged = client.get(reverse("accounts:oidc_callback") + "?code=gestolen&state=verzonnen")
    assert forged.status_code == 302 and SESSION_KEY not in client.session
    assert AuditEvent.objects.order_by("-id").values_list("action", flat=True).first() == "user.login_refused"
    assert AccessLogEntry.objects.count() == access_before

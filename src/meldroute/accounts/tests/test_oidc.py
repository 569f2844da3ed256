"""Login through the organisation's identity provider (SPEC F3, issue 16): the local OpenID provider on loopback runs
the real authorization code flow with PKCE; Meldroute matches the identity to an existing account and never creates
one, trusts the IdP's second factor only when it says so, and audits every login and refusal."""

import pytest
from django.contrib.auth import SESSION_KEY
from django.urls import reverse
from tests.factories import UserFactory, actions_since, audit_mark
from tests.oidc_support import oidc_login, running_idp, sign_in_at_idp, start_at_idp

from meldroute.accounts import services
from meldroute.accounts.constants import Role
from meldroute.accounts.models import User
from meldroute.accounts.oidc import IDP_SECOND_FACTOR_SESSION_KEY, idp_did_second_factor
from meldroute.accounts.safety_net import audited_by_service
from meldroute.audit.models import AuditEvent
from meldroute.core.exceptions import DomainError

pytestmark = pytest.mark.django_db


@pytest.fixture
def idp(settings):
    yield from running_idp(settings)


@pytest.fixture(autouse=True)
def require_2fa(settings):
    settings.MELDROUTE = {**settings.MELDROUTE, "REQUIRE_2FA": True}


def link(user: User, subject: str) -> User:
    with audited_by_service():
        user.oidc_subject = subject
        user.save(update_fields=["oidc_subject"])
    return user


def refusal(mark: int) -> AuditEvent:
    events = AuditEvent.objects.filter(id__gt=mark, action="user.login_refused")
    assert events.count() == 1
    return events.get()


def test_a_known_account_whose_idp_asked_a_second_factor_is_in_without_totp(client, world, idp):
    link(world.af_a, "sub-af-a")
    mark = audit_mark()
    response = oidc_login(client, idp, "af.a@aadorp.example")
    assert response.status_code == 302
    assert client.session[SESSION_KEY] == str(world.af_a.pk)
    assert client.session[IDP_SECOND_FACTOR_SESSION_KEY] is True
    assert client.get(reverse("triage:inbox")).status_code == 200  # no TOTP asked again
    assert actions_since(mark) == ["user.login_oidc"]
    event = AuditEvent.objects.get(id__gt=mark, action="user.login_oidc")
    assert event.actor == world.af_a and event.target_uuid == world.af_a.uuid
    assert event.details["second_factor_by_idp"] is True and "mfa" in event.details["amr"]


def test_without_a_second_factor_at_the_idp_meldroute_asks_its_own_totp(client, world, idp):
    link(world.melder_a, "sub-melder-a")
    oidc_login(client, idp, "melder.a@aadorp.example")
    assert client.session[SESSION_KEY] == str(world.melder_a.pk)
    assert client.session[IDP_SECOND_FACTOR_SESSION_KEY] is False
    response = client.get(reverse("intake:mine"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("two_factor_setup"))
    assert AuditEvent.objects.get(action="user.login_oidc").details["second_factor_by_idp"] is False


def test_an_account_unknown_to_meldroute_is_refused_in_dutch_and_never_created(client, world, idp):
    users_before = User.objects.count()
    mark = audit_mark()
    response = oidc_login(client, idp, "onbekend@aadorp.example")
    assert response.status_code == 302 and response["Location"] == reverse("login")
    assert SESSION_KEY not in client.session
    assert User.objects.count() == users_before
    event = refusal(mark)
    assert event.details["reason"] == "unknown_account" and event.details["subject"] == "sub-onbekend"
    page = client.get(reverse("login"))
    assert "Uw organisatie-account is niet bekend in Meldroute" in page.content.decode()


def test_an_unverified_match_on_e_mail_is_not_made_even_when_the_address_is_known(client, world, idp):
    # af_b@test.example exists, but matching on e-mail is off by default: the subject is what counts.
    mark = audit_mark()
    oidc_login(client, idp, "af.b@beekstad.example")
    assert SESSION_KEY not in client.session
    assert refusal(mark).details["reason"] == "unknown_account"


def test_a_verified_e_mail_links_the_account_once_when_the_deployment_allows_it(client, world, idp, settings):
    settings.MELDROUTE_OIDC = {**settings.MELDROUTE_OIDC, "MATCH_VERIFIED_EMAIL": True}
    mark = audit_mark()
    oidc_login(client, idp, "af.b@beekstad.example")
    assert client.session[SESSION_KEY] == str(world.af_b.pk)
    world.af_b.refresh_from_db()
    assert world.af_b.oidc_subject == "sub-af-b"
    assert actions_since(mark) == ["user.oidc_linked", "user.login_oidc"]


def test_an_inactive_account_is_refused(client, world, idp):
    link(world.af_a, "sub-af-a")
    with audited_by_service():
        User.objects.filter(pk=world.af_a.pk).update(is_active=False)
    mark = audit_mark()
    oidc_login(client, idp, "af.a@aadorp.example")
    assert SESSION_KEY not in client.session
    event = refusal(mark)
    assert event.details["reason"] == "inactive" and event.target_uuid == world.af_a.uuid
    assert "Uw account in Meldroute is niet actief" in client.get(reverse("login")).content.decode()


def test_an_organisation_claim_that_does_not_match_the_account_is_refused(client, world, idp, settings):
    settings.MELDROUTE_OIDC = {**settings.MELDROUTE_OIDC, "ORGANISATION_CLAIM": "gemeentecode"}
    link(world.af_b, "sub-af-b")  # an account of Beekstad; the IdP says Aadorp (GM8901)
    mark = audit_mark()
    oidc_login(client, idp, "af.b@beekstad.example")
    assert SESSION_KEY not in client.session
    assert refusal(mark).details["reason"] == "organisation_mismatch"


def test_an_organisation_claim_mapped_to_the_accounts_organisation_lets_it_in(client, world, idp, settings):
    settings.MELDROUTE_OIDC = {**settings.MELDROUTE_OIDC, "ORGANISATION_CLAIM": "gemeentecode",
                               "ORGANISATION_MAP": {"GM8901": "GM8902"}}
    link(world.af_b, "sub-af-b")
    oidc_login(client, idp, "af.b@beekstad.example")
    assert client.session[SESSION_KEY] == str(world.af_b.pk)


def test_roles_come_from_meldroute_not_from_the_idp(client, world, idp):
    link(world.melder_a, "sub-melder-a")
    oidc_login(client, idp, "melder.a@aadorp.example")
    user = User.objects.get(pk=client.session[SESSION_KEY])
    assert user.roles == frozenset({Role.MELDER})


def test_a_forged_state_is_refused_and_nobody_is_logged_in(client, world, idp):
    link(world.af_a, "sub-af-a")
    callback = sign_in_at_idp(idp, start_at_idp(client), "af.a@aadorp.example")
    forged = callback.replace("state=", "state=x")
    mark = audit_mark()
    response = client.get(forged)
    assert response.status_code == 302 and SESSION_KEY not in client.session
    assert refusal(mark).details["reason"] == "provider_error"


def test_a_wrong_pkce_verifier_is_refused_by_the_provider_and_so_by_meldroute(client, world, idp):
    link(world.af_a, "sub-af-a")
    callback = sign_in_at_idp(idp, start_at_idp(client), "af.a@aadorp.example")
    session = client.session
    for entry in session["oidc_states"].values():
        entry["code_verifier"] = "x" * 64  # not the verifier whose S256 challenge the provider holds
    session.save()
    mark = audit_mark()
    client.get(callback)
    assert SESSION_KEY not in client.session
    assert refusal(mark).details["reason"] == "provider_error"


def test_a_nonce_other_than_the_one_sent_is_refused(client, world, idp):
    link(world.af_a, "sub-af-a")
    callback = sign_in_at_idp(idp, start_at_idp(client), "af.a@aadorp.example")
    session = client.session
    for entry in session["oidc_states"].values():
        entry["nonce"] = "een-andere-nonce"
    session.save()
    client.get(callback)
    assert SESSION_KEY not in client.session


def test_an_id_token_from_another_issuer_is_refused(client, world, idp, settings):
    settings.MELDROUTE_OIDC = {**settings.MELDROUTE_OIDC, "ISSUER": "https://login.example/andere-tenant"}
    link(world.af_a, "sub-af-a")
    mark = audit_mark()
    oidc_login(client, idp, "af.a@aadorp.example")
    assert SESSION_KEY not in client.session
    assert refusal(mark).details["reason"] == "provider_error"


def test_a_code_is_good_for_one_login_only(client, world, idp):
    link(world.af_a, "sub-af-a")
    callback = sign_in_at_idp(idp, start_at_idp(client), "af.a@aadorp.example")
    client.get(callback)
    assert client.session[SESSION_KEY] == str(world.af_a.pk)
    client.logout()
    client.get(callback)  # replayed: the state is gone from the new session, the code used
    assert SESSION_KEY not in client.session


def test_cancelling_at_the_idp_is_a_refusal_with_a_message(client, world, idp):
    params = start_at_idp(client)
    mark = audit_mark()
    client.get(f"/inloggen/organisatie/terug/?error=access_denied&state={params['state']}")
    assert refusal(mark).details["reason"] == "cancelled"
    assert "afgebroken" in client.get(reverse("login")).content.decode()


def test_a_deactivated_users_oidc_session_ends(client, world, idp):
    link(world.af_a, "sub-af-a")
    oidc_login(client, idp, "af.a@aadorp.example")
    with audited_by_service():
        User.objects.filter(pk=world.af_a.pk).update(is_active=False)
    response = client.get(reverse("triage:inbox"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


# --- the login page and the local login switch


def test_without_an_idp_the_login_page_shows_only_the_local_form_and_the_oidc_urls_are_404(client, world):
    page = client.get(reverse("login")).content.decode()
    assert "Inloggen met uw organisatie-account" not in page and 'name="password"' in page
    assert client.get("/inloggen/organisatie/").status_code == 404
    assert client.get("/inloggen/organisatie/terug/?code=a&state=b").status_code == 404


def test_with_an_idp_the_login_page_offers_the_organisation_account_next_to_the_local_form(client, world, idp):
    page = client.get(reverse("login")).content.decode()
    assert "Inloggen met uw organisatie-account" in page and 'name="password"' in page


def test_when_no_organisation_allows_local_login_the_page_shows_only_the_organisation_account(client, world, idp):
    from meldroute.organisations.models import Organisation

    Organisation.objects.update(local_login_allowed=False)
    page = client.get(reverse("login")).content.decode()
    assert "Inloggen met uw organisatie-account" in page and 'name="password"' not in page


def test_local_login_off_refuses_the_password_of_that_organisations_users_only(client, world, idp):
    services.set_local_login(world.a, actor=world.beheerder, allowed=False, reason="Aadorp gebruikt Entra ID")
    mark = audit_mark()
    response = client.post(reverse("login"), {"username": "af_a", "password": "Test-wachtwoord-123"})
    assert response.status_code == 200 and SESSION_KEY not in client.session
    assert "alleen toe met uw organisatie-account" in response.content.decode()
    assert 'value="af_a"' in response.content.decode()  # what was typed is kept
    event = refusal(mark)
    assert event.details["reason"] == "local_login_off" and event.target_uuid == world.af_a.uuid
    # Beekstad still allows it.
    client.post(reverse("login"), {"username": "af_b", "password": "Test-wachtwoord-123"})
    assert client.session[SESSION_KEY] == str(world.af_b.pk)


def test_local_login_off_leaves_the_idp_login_open(client, world, idp):
    services.set_local_login(world.a, actor=world.beheerder, allowed=False, reason="Aadorp gebruikt Entra ID")
    link(world.af_a, "sub-af-a")
    oidc_login(client, idp, "af.a@aadorp.example")
    assert client.session[SESSION_KEY] == str(world.af_a.pk)


def test_switching_local_login_is_audited_with_the_reason(world, idp):
    mark = audit_mark()
    services.set_local_login(world.b, actor=world.beheerder, allowed=False, reason="Beekstad gebruikt ADFS")
    world.b.refresh_from_db()
    assert world.b.local_login_allowed is False
    assert actions_since(mark) == ["organisation.local_login_changed"]
    event = AuditEvent.objects.get(id__gt=mark)
    assert event.actor == world.beheerder and event.target_uuid == world.b.uuid
    assert event.details == {"reason": "Beekstad gebruikt ADFS", "organisation": "GM8902", "allowed": False}


@pytest.mark.parametrize("who", ["af_a", "melder_a", "partner", "burgemeester"])
def test_only_a_beheerder_switches_local_login(world, idp, who):
    mark = audit_mark()
    with pytest.raises(DomainError):
        services.set_local_login(world.a, actor=getattr(world, who), allowed=False, reason="poging")
    assert actions_since(mark) == []


def test_a_beheerder_of_another_region_cannot_switch_it(world, idp):
    other = UserFactory(organisation=world.c, roles=[Role.BEHEERDER])
    with pytest.raises(DomainError) as refused:
        services.set_local_login(world.a, actor=other, allowed=False, reason="poging")
    assert refused.value.code == "not_found"


def test_local_login_cannot_be_switched_off_without_an_idp(world):
    mark = audit_mark()
    with pytest.raises(DomainError) as refused:
        services.set_local_login(world.a, actor=world.beheerder, allowed=False, reason="poging")
    assert "identiteitsprovider" in refused.value.message
    world.a.refresh_from_db()
    assert world.a.local_login_allowed is True and actions_since(mark) == []


def test_a_reason_is_required(world, idp):
    with pytest.raises(DomainError) as refused:
        services.set_local_login(world.a, actor=world.beheerder, allowed=False, reason="  ")
    assert refused.value.field == "reason"


@pytest.mark.parametrize(("claims", "expected"), [
    ({"amr": ["pwd", "mfa"]}, True), ({"amr": ["pwd"]}, False), ({}, False), ({"amr": "mfa"}, True),
    ({"acr": "urn:keycloak:loa2"}, True), ({"acr": "urn:keycloak:loa1"}, False),
])
def test_the_idps_second_factor_counts_only_with_an_accepted_amr_or_acr(settings, claims, expected):
    settings.MELDROUTE_OIDC = {**settings.MELDROUTE_OIDC, "MFA_AMR": ["mfa"], "MFA_ACR": ["urn:keycloak:loa2"]}
    assert idp_did_second_factor(claims) is expected


def test_switching_local_login_or_linking_an_identity_outside_the_services_is_caught_by_the_safety_net(world):
    mark = audit_mark()
    world.a.local_login_allowed = False
    world.a.save()  # as the stock admin or a shell would
    world.af_a.oidc_subject = "sub-elders-gezet"
    world.af_a.save()
    assert actions_since(mark) == ["organisation.local_login_changed_outside_service", "user.changed_outside_service"]
    assert AuditEvent.objects.get(action="user.changed_outside_service", id__gt=mark).fields == ["oidc_subject"]


def test_a_half_configured_idp_is_reported_at_start_up(settings):
    from meldroute.accounts.checks import oidc_configuration

    assert oidc_configuration() == []  # not configured at all: nothing to say
    settings.OIDC_RP_CLIENT_ID = "meldroute"
    settings.OIDC_RP_CLIENT_SECRET = "geheim"
    (warning,) = oidc_configuration()
    assert warning.id == "meldroute.W101"
    assert "MELDROUTE_OIDC_TOKEN_ENDPOINT" in warning.msg and "MELDROUTE_OIDC_ISSUER" in warning.msg
    assert "MELDROUTE_OIDC_CLIENT_SECRET" not in warning.msg


def test_a_complete_idp_configuration_raises_no_warning(idp):
    from meldroute.accounts.checks import oidc_configuration

    assert oidc_configuration() == []

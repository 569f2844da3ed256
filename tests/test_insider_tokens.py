"""Attacks on API tokens: a token is an organisation system's credential, stored hashed, always expiring; an expired,
revoked or unknown token is a structured 401; a beheerder cannot mint a token for its own organisation."""

from datetime import timedelta

import pytest
from django.db import connection

from meldroute.accounts import services
from meldroute.accounts.models import ApiToken, User
from meldroute.audit.models import AuditEvent
from meldroute.audit.services import verify_chain
from meldroute.core.exceptions import DomainError
from tests.factories import UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.clock]

SIGNALS = "/api/v1/signals/"


@pytest.fixture
def beheerder2(world):
    from meldroute.accounts.constants import Role

    return UserFactory(username="beheerder2", organisation=world.b, roles=[Role.BEHEERDER])


def _dump_database() -> str:
    """Every text value of every table, as a database reader would see it."""
    parts = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f'SELECT * FROM "{table}"')  # noqa: S608 — table names from the schema itself
            parts.extend(str(value) for row in cursor.fetchall() for value in row)
    return "\n".join(parts)


def test_token_secret_is_stored_nowhere_only_its_hash(world):
    token, secret = services.create_api_token(world.police, actor=world.beheerder, name="Politiesysteem",
                                              valid_days=90, reason="koppeling BVH")
    assert secret not in _dump_database()
    assert token.key_hash != secret and len(token.key_hash) == 64
    assert token.user.is_service_account and token.user.organisation == world.police
    assert not token.user.has_usable_password()
    event = AuditEvent.objects.get(action="api_token.created", target_uuid=token.uuid)
    assert event.actor == world.beheerder and event.details["reason"] == "koppeling BVH"
    assert secret not in str(event.details)
    assert verify_chain(AuditEvent)[1] == []


def test_token_acts_for_its_organisation_system(world, client):
    _token, secret = services.create_api_token(world.police, actor=world.beheerder, name="Politiesysteem",
                                               valid_days=30, reason="koppeling")
    response = client.get(SIGNALS, HTTP_AUTHORIZATION=f"Token {secret}")
    assert response.status_code == 200


def test_expired_token_is_a_structured_401(world, client, clock):
    _token, secret = services.create_api_token(world.police, actor=world.beheerder, name="Politiesysteem",
                                               valid_days=1, reason="koppeling")
    assert client.get(SIGNALS, HTTP_AUTHORIZATION=f"Token {secret}").status_code == 200
    clock.shift(timedelta(days=1, minutes=1))
    response = client.get(SIGNALS, HTTP_AUTHORIZATION=f"Token {secret}")
    assert response.status_code == 401
    assert response.json()["code"] == "token_expired" and response.json()["status"] == 401


def test_revoked_token_is_a_structured_401_and_audited(world, client):
    token, secret = services.create_api_token(world.police, actor=world.beheerder, name="Politiesysteem",
                                              valid_days=30, reason="koppeling")
    services.revoke_api_token(token, actor=world.beheerder, reason="systeem uitgefaseerd")
    response = client.get(SIGNALS, HTTP_AUTHORIZATION=f"Token {secret}")
    assert response.status_code == 401 and response.json()["code"] == "token_revoked"
    assert AuditEvent.objects.filter(action="api_token.revoked", target_uuid=token.uuid).count() == 1


def test_unknown_token_is_a_structured_401(world, client):
    response = client.get(SIGNALS, HTTP_AUTHORIZATION="Token niet-bestaande-sleutel")
    assert response.status_code == 401 and response.json()["code"] == "authentication_failed"


def test_token_needs_an_expiry_within_a_year(world):
    for days in (0, 400):
        with pytest.raises(DomainError):
            services.create_api_token(world.police, actor=world.beheerder, name="x", valid_days=days, reason="r")
    assert not ApiToken.objects.exists()


@pytest.mark.parametrize("who", ["af_a", "melder_a", "partner", "ketenregisseur"])
def test_no_one_but_a_beheerder_makes_a_token(world, who):
    with pytest.raises(DomainError):
        services.create_api_token(world.police, actor=getattr(world, who), name="x", valid_days=30, reason="r")
    assert not ApiToken.objects.exists() and not User.objects.filter(is_service_account=True).exists()


def test_beheerder_cannot_make_a_token_for_its_own_organisation_or_another_region(world):
    police_beheerder = UserFactory(username="beheerder_politie", organisation=world.police, roles=["beheerder"])
    with pytest.raises(DomainError):
        services.create_api_token(world.police, actor=police_beheerder, name="x", valid_days=30, reason="r")
    with pytest.raises(DomainError):
        services.create_api_token(world.police2, actor=world.beheerder, name="x", valid_days=30, reason="r")
    with pytest.raises(DomainError):  # a municipality is no partner system
        services.create_api_token(world.b, actor=world.beheerder, name="x", valid_days=30, reason="r")
    assert not ApiToken.objects.exists() and AuditEvent.objects.filter(action__startswith="api_token").count() == 0


def test_service_account_cannot_log_in(world, client):
    token, _secret = services.create_api_token(world.police, actor=world.beheerder, name="x", valid_days=30,
                                               reason="r")
    client.post("/inloggen/", {"username": token.user.username, "password": ""})
    client.post("/inloggen/", {"username": token.user.username, "password": "!"})
    assert "_auth_user_id" not in client.session


def test_a_persons_token_is_refused_where_the_second_factor_is_required(world, client, settings):
    """A token for a person (only possible from a shell) would skip 2FA: refused once 2FA is on."""
    from tests.factories import make_api_token

    settings.MELDROUTE = {**settings.MELDROUTE, "REQUIRE_2FA": True}
    person_secret = make_api_token(world.partner)
    _token, system_secret = services.create_api_token(world.police, actor=world.beheerder, name="BVH",
                                                      valid_days=30, reason="koppeling")
    assert client.get(SIGNALS, HTTP_AUTHORIZATION=f"Token {person_secret}").status_code == 401
    assert client.get(SIGNALS, HTTP_AUTHORIZATION=f"Token {system_secret}").status_code == 200

"""A partner system may retry a submission after a time-out (issue 14, 17): one signal per reference, never two,
and a reused reference never swallows a different signal."""

import json

import pytest
from django.db import IntegrityError, transaction

from meldroute.accounts.constants import Role
from meldroute.audit.models import AuditEvent
from meldroute.intake import services
from meldroute.intake.constants import Channel
from meldroute.intake.models import Signal
from tests.factories import UserFactory, make_api_token
from tests.test_api import SIGNALS_URL, post_json, valid_payload

pytestmark = pytest.mark.clock


def test_a_retry_with_the_same_reference_and_content_returns_the_first_signal_with_200(client, world):
    first = post_json(client, valid_payload(), world.partner)
    again = post_json(client, valid_payload(), world.partner)

    assert first.status_code == 201 and again.status_code == 200, again.content
    assert again.json()["id"] == first.json()["id"]
    assert again.json()["reference"] == first.json()["reference"]
    assert Signal.objects.count() == 1
    assert AuditEvent.objects.filter(action="signal.registered").count() == 1


def test_the_same_reference_with_other_content_is_a_409_naming_the_first_signal(client, world):
    first = post_json(client, valid_payload(), world.partner)
    other = post_json(client, valid_payload(description="Een heel ander signaal over een nagelstudio."),
                      world.partner)

    assert other.status_code == 409
    body = other.json()
    assert body["code"] == "duplicate_reference" and body["status"] == 409
    assert body["reference"] == first.json()["reference"] and body["id"] == first.json()["id"]
    assert "external_reference" in body["errors"]
    assert "al gebruikt" in body["detail"]
    assert Signal.objects.count() == 1


def test_another_organisation_may_use_the_same_reference(client, world):
    other_partner = UserFactory(username="partner.riec", organisation=world.riec, roles=[Role.PARTNER])
    first = post_json(client, valid_payload(), world.partner)
    second = client.post(SIGNALS_URL, data=json.dumps(valid_payload()), content_type="application/json",
                         HTTP_AUTHORIZATION=f"Token {make_api_token(other_partner)}")

    assert first.status_code == 201 and second.status_code == 201, second.content
    assert Signal.objects.count() == 2


def test_submissions_without_a_reference_are_never_merged(client, world):
    assert post_json(client, valid_payload(external_reference=""), world.partner).status_code == 201
    assert post_json(client, valid_payload(external_reference=""), world.partner).status_code == 201
    assert Signal.objects.count() == 2


def test_the_database_refuses_a_second_signal_with_the_same_partner_reference(world):
    """Two retries racing past the service's check still store one signal: the constraint decides."""
    services.submit_partner_signal(actor=world.partner, municipality=world.a, is_acute=False,
                                   data={"description": "Eerste", "external_reference": "R-1"})
    first = Signal.objects.get()
    with pytest.raises(IntegrityError), transaction.atomic():
        Signal.objects.create(reference="MR-RACE", municipality=world.a, channel=Channel.PARTNER,
                              reporter=world.partner, source_organisation=first.source_organisation,
                              external_reference="R-1", description="Tweede")


def test_a_retry_that_lost_the_race_returns_the_winner(world, monkeypatch):
    """The check found nothing, the insert hit the constraint: the winner is read back, as for a plain retry."""
    data = {"description": "Eerste", "external_reference": "R-2"}
    winner, created = services.submit_partner_signal(actor=world.partner, municipality=world.a, is_acute=False,
                                                     data=data)
    real = services._partner_signal
    calls = []

    def first_miss(actor, reference):
        calls.append(reference)
        return None if len(calls) == 1 else real(actor, reference)

    monkeypatch.setattr(services, "_partner_signal", first_miss)
    again, created_again = services.submit_partner_signal(actor=world.partner, municipality=world.a,
                                                          is_acute=False, data=data)

    assert created and not created_again and again.pk == winner.pk
    assert Signal.objects.count() == 1


# --- The root of the API ------------------------------------------------------------------------

def test_the_api_root_answers_json_with_a_link_per_collection(client, world):
    from tests.test_api import auth

    response = client.get("/api/v1/", **auth(world.partner))

    assert response.status_code == 200 and response["Content-Type"].startswith("application/json")
    body = response.json()
    assert body["resources"]["signals"].endswith("/api/v1/signals/")
    assert body["schema"].endswith("/api/schema/")
    for link in body["resources"].values():
        assert client.get(link, **auth(world.partner)).status_code in (200, 404)  # scoped, never a 500


def test_the_api_root_without_a_token_is_a_structured_401(client, world):
    response = client.get("/api/v1/")

    assert response.status_code == 401
    assert response.json()["code"] in ("not_authenticated", "authentication_failed")

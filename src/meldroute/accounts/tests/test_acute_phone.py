"""The beheerder sets the number an acute receipt tells the reporter to call (issue 14): audited, own region only."""

import pytest
from django.urls import reverse
from tests.factories import UserFactory, make_signal

from meldroute.accounts.constants import Role
from meldroute.audit.models import AuditEvent

pytestmark = [pytest.mark.django_db, pytest.mark.clock]


def url(organisation):
    return reverse("accounts:acute_phone", args=[organisation.uuid])


def test_the_beheerder_sets_the_number_and_the_acute_receipt_shows_it(client, world):
    client.force_login(world.beheerder)
    assert 'data-testid="acute-phone"' in client.get(reverse("accounts:users")).content.decode()

    response = client.post(url(world.a), {"acute_phone": "0900 - 123 4567"})

    assert response.status_code == 302
    world.a.refresh_from_db()
    assert world.a.acute_phone == "0900 - 123 4567"
    event = AuditEvent.objects.get(action="organisation.acute_phone_changed")
    assert event.actor == world.beheerder and event.details["after"] == "0900 - 123 4567"
    signal = make_signal(world.melder_a, is_acute=True)
    client.force_login(world.melder_a)
    assert "0900 - 123 4567" in client.get(reverse("intake:receipt", args=[signal.uuid])).content.decode()


def test_a_wrong_number_is_a_dutch_message_and_nothing_changes(client, world):
    client.force_login(world.beheerder)
    response = client.post(url(world.a), {"acute_phone": "bel de balie"}, follow=True)
    assert "Geef een telefoonnummer" in response.content.decode()
    world.a.refresh_from_db()
    assert world.a.acute_phone == "" and not AuditEvent.objects.filter(action="organisation.acute_phone_changed")


@pytest.mark.parametrize("who", ["af_a", "melder_a", "ketenregisseur", "other_beheerder"])
def test_others_get_404_and_nothing_is_written(client, world, who):
    user = (UserFactory(username="beheerder_c", organisation=world.c, roles=[Role.BEHEERDER])
            if who == "other_beheerder" else getattr(world, who))
    client.force_login(user)
    assert client.post(url(world.a), {"acute_phone": "0900 1234567"}).status_code == 404
    world.a.refresh_from_db()
    assert world.a.acute_phone == "" and not AuditEvent.objects.filter(action="organisation.acute_phone_changed")

"""The AF's signal page."""

import pytest
from django.urls import reverse
from tests.factories import make_signal


@pytest.mark.django_db
def test_signal_page_shows_who_looked_at_it(client, world):
    signal = make_signal(world.melder_a)
    client.force_login(world.af_a2)
    client.get(reverse("triage:signal", args=[signal.uuid]))
    client.force_login(world.af_a)
    page = client.get(reverse("triage:signal", args=[signal.uuid])).content.decode()
    log = page.split('data-testid="access-log"')[1].split("</ul>")[0]
    assert world.af_a2.username in log and world.af_a.username in log

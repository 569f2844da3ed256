"""A refused 'finish a step' without a step of its own on the page still says why (found by the bad-input property)."""

import pytest
from django.urls import reverse
from tests.factories import make_signal

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("step", ["", "geen-stap"])
def test_finishing_no_step_or_an_unknown_one_is_refused_where_the_af_sees_it(client, world, step):
    signal = make_signal(world.melder_a)
    client.force_login(world.af_a)

    response = client.post(reverse("triage:action", args=[signal.uuid, "complete_step"]),
                           {"complete_step-step": step, "complete_step-note": "Gebeld met de politie."})

    assert response.status_code == 200
    body = response.content.decode()
    assert "mr-error-summary" in body

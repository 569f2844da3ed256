"""Pages with personal data are never kept by the browser; logging out clears what it kept of the site."""

import pytest
from django.urls import reverse
from tests.factories import make_api_token, make_signal


@pytest.mark.django_db
def test_pages_for_a_signed_in_user_are_not_stored(client, world):
    signal = make_signal(world.melder_a)
    client.force_login(world.af_a)
    for url in (reverse("triage:inbox"), reverse("triage:signal", args=[signal.uuid]), reverse("home")):
        response = client.get(url, follow=False)
        cache_control = {part.strip() for part in response["Cache-Control"].split(",")}
        assert {"no-store", "private"} <= cache_control, url


@pytest.mark.django_db
def test_logging_out_asks_the_browser_to_clear_its_cache_and_storage(client, world):
    client.force_login(world.af_a)
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert response["Clear-Site-Data"] == '"cache", "storage"'
    assert "no-store" in response["Cache-Control"]


@pytest.mark.django_db
def test_an_anonymous_post_to_logout_clears_nothing(client):
    assert "Clear-Site-Data" not in client.post(reverse("logout"))


@pytest.mark.django_db
def test_api_answers_to_a_token_are_not_stored(client, world):
    response = client.get("/api/v1/signals/", HTTP_AUTHORIZATION=f"Token {make_api_token(world.melder_a)}")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]

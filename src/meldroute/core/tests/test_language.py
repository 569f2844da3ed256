"""Dutch by default, whatever the browser asks; English after choosing it with the switch."""

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext


@pytest.mark.django_db
def test_interface_is_dutch_even_when_the_browser_prefers_english(client, world):
    client.force_login(world.melder_a)
    page = client.get(reverse("intake:report"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert page["Content-Language"] == "nl"
    assert '<html lang="nl">' in page.content.decode() and "Signaal melden" in page.content.decode()


@pytest.mark.django_db
def test_choosing_english_translates_the_interface_and_choosing_dutch_returns(client, world):
    with translation.override("en"):
        english_title = gettext("Signaal melden")
    assert english_title != "Signaal melden", "the English catalogue is compiled and shipped"
    client.force_login(world.melder_a)
    response = client.post(reverse("set_language"), {"language": "en", "next": reverse("intake:report")})
    assert response.status_code == 302
    page = client.get(reverse("intake:report"))
    assert page["Content-Language"] == "en" and english_title in page.content.decode()
    client.post(reverse("set_language"), {"language": "nl", "next": "/"})
    assert "Signaal melden" in client.get(reverse("intake:report")).content.decode()


@pytest.mark.django_db
def test_an_unknown_language_cookie_falls_back_to_dutch(client, world):
    client.force_login(world.melder_a)
    client.cookies["django_language"] = "xx"
    assert client.get(reverse("intake:report"))["Content-Language"] == "nl"


@pytest.mark.django_db
def test_an_english_request_leaves_its_thread_in_dutch(client, world):
    # The language is per thread: after serving an English user, the next job this thread runs (a mail, a
    # notification, a refusal from a service) is Dutch again.
    client.force_login(world.melder_a)
    client.cookies["django_language"] = "en"
    assert client.get(reverse("intake:report"))["Content-Language"] == "en"
    assert translation.get_language() == "nl"
    assert gettext("Signaal melden") == "Signaal melden"

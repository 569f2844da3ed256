"""The sliding idle timeout, renewed at most once a minute (core.middleware.SessionRenewalMiddleware): a page read
writes no session row, a user who keeps working stays signed in, an idle one is signed out after 30 minutes."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

pytestmark = [pytest.mark.django_db, pytest.mark.clock]


def _session_writes(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return [q["sql"] for q in queries if "django_session" in q["sql"] and not q["sql"].startswith("SELECT")]


def test_reading_pages_within_a_minute_writes_the_session_once(client, world, clock):
    client.force_login(world.af_a)
    inbox = reverse("triage:inbox")
    assert _session_writes(client, inbox) == []  # logging in saved it: that was its renewal
    clock.shift(timedelta(seconds=5))
    assert _session_writes(client, inbox) == []
    clock.shift(timedelta(seconds=20))
    assert _session_writes(client, inbox) == []
    clock.shift(timedelta(seconds=40))  # over a minute since the last renewal
    assert len(_session_writes(client, inbox)) == 1
    clock.shift(timedelta(seconds=5))
    assert _session_writes(client, inbox) == []


def test_a_user_who_keeps_working_stays_signed_in_past_the_idle_timeout(client, world, clock):
    assert settings.SESSION_COOKIE_AGE == 1800
    client.force_login(world.af_a)
    inbox = reverse("triage:inbox")
    for _ in range(12):  # an hour, a page every five minutes
        clock.shift(timedelta(minutes=5))
        response = client.get(inbox)
        assert response.status_code == 200, "signed out while working"


def test_an_idle_session_ends_after_the_timeout(client, world, clock):
    client.force_login(world.af_a)
    inbox = reverse("triage:inbox")
    assert client.get(inbox).status_code == 200
    clock.shift(timedelta(seconds=30))
    assert client.get(inbox).status_code == 200  # not renewed (within the minute)
    clock.shift(timedelta(minutes=29, seconds=40))  # 30 min 10 s after the last renewal
    response = client.get(inbox)
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_an_anonymous_page_neither_reads_nor_writes_a_session(client, db):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("login"))
    assert response.status_code == 200
    assert not [q for q in queries if "django_session" in q["sql"]]

"""Issue 14: the demo shows unread notifications for the AF and the police, as a visitor's first look expects."""

import pytest
from django.db import transaction
from django.urls import reverse

from meldroute.accounts.models import User
from meldroute.demo.seed import seed
from meldroute.notifications.models import Notification

pytestmark = pytest.mark.clock


@pytest.fixture(scope="module")
def seeded_once(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        yield seed(signals_count=60)
        transaction.set_rollback(True)


@pytest.mark.django_db
@pytest.mark.parametrize("username", ["af.veenhorst", "partner.politie"])
def test_the_demo_af_and_police_have_unread_notifications(seeded_once, client, username):
    user = User.objects.get(username=username)
    unread = Notification.objects.filter(user=user, read_at__isnull=True)
    assert unread.exists()
    client.force_login(user)
    page = client.get(reverse("notifications:list")).content.decode()
    assert unread.first().text in page

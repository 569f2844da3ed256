"""Issue 14: the demo shows unread notifications for the AF and the police, as a visitor's first look expects."""

import pytest
from django.urls import reverse

from meldroute.accounts.models import User
from meldroute.notifications.models import Notification

pytestmark = pytest.mark.clock


@pytest.mark.django_db
@pytest.mark.parametrize("username", ["af.veenhorst", "partner.politie"])
def test_the_demo_af_and_police_have_unread_notifications(seeded_once, client, username):
    user = User.objects.get(username=username)
    unread = Notification.objects.filter(user=user, read_at__isnull=True)
    assert unread.exists()
    client.force_login(user)
    page = client.get(reverse("notifications:list")).content.decode()
    assert unread.first().text in page

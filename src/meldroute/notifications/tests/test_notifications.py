"""Notifications (issue 14): in the application for each user, by mail per the user's choice, through an outbox that
loses nothing when the mail server is down; a user sees and changes only their own."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from meldroute.audit.models import AuditEvent
from meldroute.core import jobs
from meldroute.notifications import services
from meldroute.notifications.constants import Kind
from meldroute.notifications.models import Notification, OutboxMail

pytestmark = [pytest.mark.django_db, pytest.mark.clock]


def tell(world, urgent=False, mailbox=""):
    return services.notify(users=[world.af_a, world.af_b], kind=Kind.REFERRAL_ANSWERED, urgent=urgent,
                           text="Doorverwijzing bij MR-TEST01 beantwoord", link="/inbox/", mailbox=mailbox)


def test_notify_writes_one_notification_per_user_and_one_mail_per_address(world):
    tell(world, mailbox="meldpunt@gemeente.example")

    assert Notification.objects.filter(user=world.af_a).unread().count() == 1
    assert Notification.objects.filter(user=world.af_b).count() == 1
    recipients = sorted(r for m in OutboxMail.objects.all() for r in m.recipients)
    assert recipients == sorted([world.af_a.email, world.af_b.email, "meldpunt@gemeente.example"])
    assert not mail.outbox  # nothing is sent before the worker: the mail commits with the change or not at all


def test_the_worker_sends_each_mail_once_with_a_link_and_no_more_than_the_text(world, settings):
    settings.MELDROUTE = {**settings.MELDROUTE, "BASE_URL": "https://meldroute.example"}
    tell(world, urgent=True)

    assert jobs.run_due_jobs()["notification_mail"] == 2
    assert jobs.run_due_jobs(timezone.now() + timedelta(minutes=5))["notification_mail"] == 0
    assert len(mail.outbox) == 2
    message = mail.outbox[0]
    assert message.subject.startswith("ACUUT") and "MR-TEST01" in message.subject
    assert "https://meldroute.example/inbox/" in message.body
    assert all(len(m.to) == 1 for m in mail.outbox)  # colleagues do not see each other's address
    assert OutboxMail.objects.filter(sent_at__isnull=False, recipients=[]).count() == 2


def test_a_mail_server_that_is_down_delays_the_mail_and_loses_nothing(world, settings):
    tell(world)
    settings.EMAIL_BACKEND = "tests.factories.BrokenEmailBackend"
    now = timezone.now()

    assert services.send_outbox(now) == 0
    waiting = OutboxMail.objects.filter(sent_at__isnull=True)
    assert waiting.count() == 2 and waiting.filter(attempts=1, last_error__gt="").count() == 1

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert services.send_outbox(now) == 1  # the one that failed waits out its pause
    assert services.send_outbox(now + timedelta(minutes=1)) == 1
    assert len(mail.outbox) == 2 and not OutboxMail.objects.filter(sent_at__isnull=True).exists()


def test_a_user_who_declined_mail_for_a_kind_gets_it_only_in_the_application(world):
    services.set_mail_choices(world.af_a, {k: k != Kind.REFERRAL_ANSWERED for k in Kind.values})
    tell(world)

    assert [m.recipients for m in OutboxMail.objects.all()] == [[world.af_b.email]]
    assert Notification.objects.filter(user=world.af_a).exists()
    event = AuditEvent.objects.get(action="notifications.mail_choices_changed")
    assert event.details["mail_off"] == [Kind.REFERRAL_ANSWERED]


def test_inactive_users_are_not_told(world):
    world.af_b.is_active = False
    world.af_b.save()
    tell(world)
    assert not Notification.objects.filter(user=world.af_b).exists()


def test_the_list_shows_the_users_own_unread_and_opening_marks_it_read(client, world):
    tell(world)
    client.force_login(world.af_a)

    page = client.get(reverse("notifications:list"))
    assert page.status_code == 200 and "MR-TEST01" in page.content.decode()
    assert 'class="mr-unread-count"' in page.content.decode()

    mine = Notification.objects.get(user=world.af_a)
    response = client.post(reverse("notifications:open", args=[mine.uuid]))
    assert response.status_code == 302 and response["Location"] == "/inbox/"
    mine.refresh_from_db()
    assert mine.read_at is not None
    assert Notification.objects.get(user=world.af_b).read_at is None


def test_another_users_notification_is_404_and_stays_unread(client, world):
    tell(world)
    theirs = Notification.objects.get(user=world.af_b)
    client.force_login(world.af_a)

    assert client.post(reverse("notifications:open", args=[theirs.uuid])).status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_mark_all_read_touches_only_the_users_own(client, world):
    tell(world)
    client.force_login(world.af_a)
    client.post(reverse("notifications:mark_all_read"))

    assert not Notification.objects.filter(user=world.af_a).unread().exists()
    assert Notification.objects.filter(user=world.af_b).unread().exists()


def test_the_settings_page_saves_the_users_choice(client, world):
    client.force_login(world.af_a)
    data = {k: "on" for k in Kind.values if k != Kind.AGENDA_PUBLISHED}

    assert client.post(reverse("notifications:settings"), data).status_code == 302
    assert services.mail_choices(world.af_a)[Kind.AGENDA_PUBLISHED] is False
    assert services.mail_choices(world.af_a)[Kind.REFERRAL_RECEIVED] is True
    assert services.mail_choices(world.af_b)[Kind.AGENDA_PUBLISHED] is True


def test_a_link_to_another_site_is_never_followed(client, world):
    services.notify(users=[world.af_a], kind=Kind.REFERRAL_ANSWERED, text="x", link="https://evil.example/")
    client.force_login(world.af_a)
    response = client.post(reverse("notifications:open", args=[Notification.objects.get().uuid]))
    assert response["Location"] == reverse("notifications:list")


def test_anonymous_visitors_are_sent_to_login(client, world):
    assert client.get(reverse("notifications:list")).status_code == 302

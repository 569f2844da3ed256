"""The background worker command runs the due jobs and is safe to run again."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from tests.factories import make_signal

from meldroute.intake import services
from meldroute.intake.constants import Outcome
from meldroute.triage.services import close_signal

pytestmark = pytest.mark.clock  # reads the clock: run again at awkward moments (scripts/test.sh)


@pytest.mark.django_db
def test_worker_once_sends_an_overdue_feedback_reminder_only_once(world, capsys, monkeypatch):
    signal = make_signal(world.melder_a)
    close_signal(signal, actor=world.af_a, outcome=Outcome.NO_TRAFFICKING, text="Geen aanwijzingen.")
    later = timezone.now() + timedelta(days=30)
    monkeypatch.setattr(timezone, "now", lambda: later)
    mail.outbox.clear()
    call_command("run_worker", once=True)
    call_command("run_worker", once=True)  # e.g. after a restart
    reminders = [m for m in mail.outbox if "Terugkoppeling te laat" in m.subject]
    assert len(reminders) == 1 and signal.reference in reminders[0].subject
    assert "'feedback_reminders': 1" in capsys.readouterr().out


@pytest.mark.django_db
def test_worker_catches_up_an_acute_alert_lost_before_it_was_mailed(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):  # the process "crashed" before on_commit ran
        signal = make_signal(world.melder_a, is_acute=True)
    assert mail.outbox == []
    assert services.send_pending_acute_alerts() == 1
    assert services.send_pending_acute_alerts() == 0
    assert len(mail.outbox) == 1 and signal.reference in mail.outbox[0].subject


@pytest.mark.django_db(transaction=True)
def test_a_mail_server_that_is_down_never_fails_the_reporter_and_the_alert_follows_later(client, world, settings):
    """The receipt is shown although the alert could not be mailed; the worker sends it once mail works."""
    from django.urls import reverse

    from meldroute.intake.models import Signal

    settings.EMAIL_BACKEND = "tests.factories.BrokenEmailBackend"
    client.force_login(world.melder_a)
    response = client.post(reverse("intake:report"), {
        "description": "Acuut: man dwingt jonge vrouw in een busje.", "is_acute": "yes", "reporter_team": "balie"})
    assert response.status_code == 302 and "/ontvangen/" in response["Location"]
    signal = Signal.objects.get()
    assert signal.acute_alert_sent_at is None

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert services.send_pending_acute_alerts() == 1
    assert Signal.objects.get().acute_alert_sent_at is not None
    assert [m.subject for m in mail.outbox if signal.reference in m.subject]


@pytest.mark.django_db
def test_a_failing_job_is_retried_after_its_backoff_and_does_not_stop_the_others(world, settings, monkeypatch):
    from meldroute.core.jobs import run_due_jobs

    signal = make_signal(world.melder_a)
    close_signal(signal, actor=world.af_a, outcome=Outcome.NO_TRAFFICKING, text="Geen aanwijzingen.")
    later = timezone.now() + timedelta(days=30)
    settings.EMAIL_BACKEND = "tests.factories.BrokenEmailBackend"
    results = run_due_jobs(now=later)
    assert results["feedback_reminders"] == -1 and results["expired_information_requests"] == 0
    from meldroute.core.models import JobState

    state = JobState.objects.get(name="feedback_reminders")
    assert state.failures == 1 and state.last_error and state.next_run_at == later + timedelta(minutes=1)
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert "feedback_reminders" not in run_due_jobs(now=later)  # it waits out its backoff; the others run
    # the claim was rolled back with the failed mail, so after the pause the reminder goes out
    assert run_due_jobs(now=later + timedelta(minutes=1))["feedback_reminders"] == 1
    assert JobState.objects.get(name="feedback_reminders").failures == 0

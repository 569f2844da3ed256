"""The worker's reminder of overdue actions: once per action, to the right person, code and link only."""

from datetime import datetime, time, timedelta

import pytest
from django.core import mail
from django.utils import timezone

from meldroute.audit.models import AuditEvent
from meldroute.cases import services
from meldroute.cases.models import CaseAction
from meldroute.core.jobs import run_due_jobs

from .conftest import SECRET

pytestmark = [pytest.mark.django_db, pytest.mark.clock]


def at(day):
    """A fake clock: 09:00 local time on `day`."""
    return timezone.make_aware(datetime.combine(day, time(9, 0)))


def test_an_overdue_action_is_reminded_once_to_its_owner(world, team_case):
    deadline = timezone.localdate() + timedelta(days=2)
    action = services.add_action(team_case, actor=world.af_a, description=f"Gesprek over {SECRET}",
                                 deadline=deadline, owner_user=world.zorgcoordinator)
    mail.outbox.clear()
    assert services.send_action_reminders(at(deadline)) == 0  # the deadline day itself is on time
    assert run_due_jobs(at(deadline + timedelta(days=1)))["case_action_reminders"] == 1
    reminders = [m for m in mail.outbox if "te laat" in m.subject]  # not the mail that the action was set
    assert [m.to for m in reminders] == [[world.zorgcoordinator.email]]
    message = reminders[0]
    assert team_case.reference in message.subject and f"/casussen/{team_case.uuid}/" in message.body
    assert SECRET not in message.body and "Gesprek" not in message.body and team_case.title not in message.body
    # A restart of the worker, and the next rounds: no second mail.
    for days in (1, 2, 30):
        assert services.send_action_reminders(at(deadline + timedelta(days=days))) == 0
    assert len([m for m in mail.outbox if "te laat" in m.subject]) == 1
    assert AuditEvent.objects.filter(action="case.action_reminder_sent").count() == 1
    action.refresh_from_db()
    assert action.reminder_sent_at == at(deadline + timedelta(days=1))


def test_an_action_of_a_partner_is_reminded_to_the_casusregisseur_and_a_new_deadline_is_reminded_again(
        world, team_case):
    deadline = timezone.localdate() + timedelta(days=1)
    action = services.add_action(team_case, actor=world.af_a, description="Controle", deadline=deadline,
                                 owner_organisation=world.police)
    mail.outbox.clear()
    assert services.send_action_reminders(at(deadline + timedelta(days=1))) == 1
    assert mail.outbox[0].to == [world.casusregisseur.email]
    services.postpone_action(action, actor=world.af_a, deadline=deadline + timedelta(days=5), reason="Politie later")
    assert services.send_action_reminders(at(deadline + timedelta(days=5))) == 0
    assert services.send_action_reminders(at(deadline + timedelta(days=6))) == 1
    assert len(mail.outbox) == 2


def test_without_a_casusregisseur_the_afs_are_reminded_and_done_actions_never(world, case):
    deadline = timezone.localdate()
    services.add_action(case, actor=world.af_a, description="Controle", deadline=deadline,
                        owner_organisation=world.police)
    done = services.add_action(case, actor=world.af_a, description="Klaar", deadline=deadline, owner_user=world.af_a)
    services.complete_action(done, actor=world.af_a)
    mail.outbox.clear()
    assert services.send_action_reminders(at(deadline + timedelta(days=3))) == 1
    assert sorted(mail.outbox[0].to) == sorted([world.af_a.email, world.af_a2.email])
    assert CaseAction.objects.get(pk=done.pk).reminder_sent_at is None

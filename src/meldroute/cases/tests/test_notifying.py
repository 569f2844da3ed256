"""An action's owner hears of it (issue 14): when it is set for them, and when overdue — code and deadline only."""

from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone

from meldroute.cases import services
from meldroute.notifications.constants import Kind
from meldroute.notifications.models import Notification

from .conftest import SECRET

pytestmark = [pytest.mark.django_db, pytest.mark.clock]


def test_an_action_set_for_a_colleague_tells_them_without_its_text(world, team_case):
    deadline = timezone.localdate() + timedelta(days=3)
    services.add_action(team_case, actor=world.af_a, description=f"Gesprek over {SECRET}", deadline=deadline,
                        owner_user=world.zorgcoordinator)

    told = Notification.objects.get(user=world.zorgcoordinator)
    assert told.kind == Kind.CASE_ACTION_ASSIGNED and team_case.reference in told.text
    assert SECRET not in told.text and "Gesprek" not in told.text
    assert told.link == f"/casussen/{team_case.uuid}/"


def test_an_action_one_sets_for_oneself_tells_nobody(world, team_case):
    services.add_action(team_case, actor=world.af_a, description="Bellen", owner_user=world.af_a,
                        deadline=timezone.localdate() + timedelta(days=3))
    assert not Notification.objects.exists()


def test_an_overdue_action_is_told_once_with_the_reminder(world, team_case):
    deadline = timezone.localdate() + timedelta(days=1)
    services.add_action(team_case, actor=world.af_a, description="Controle", deadline=deadline,
                        owner_user=world.zorgcoordinator)
    later = timezone.make_aware(datetime.combine(deadline + timedelta(days=1), time(9)))

    assert services.send_action_reminders(later) == 1
    assert services.send_action_reminders(later + timedelta(days=1)) == 0
    overdue = Notification.objects.filter(kind=Kind.CASE_ACTION_OVERDUE)
    assert [n.user for n in overdue] == [world.zorgcoordinator]

"""Victim care: trajectory, placements (impossible dates, overlap), bedenktijd (regular, Dublin, NL refused),
reminders once with a fake clock, B8/B9 steps, responsible municipality, pages and scoping."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from meldroute.audit.models import AuditEvent
from meldroute.care import services
from meldroute.care.models import Placement, ReflectionPeriod
from meldroute.core.exceptions import DomainError
from meldroute.core.jobs import run_due_jobs
from meldroute.persons.tests.helpers import add_suspect, add_victim, make_case

pytestmark = [pytest.mark.django_db, pytest.mark.clock]
AMS = ZoneInfo("Europe/Amsterdam")


@pytest.fixture
def case(world):
    return make_case(world)


@pytest.fixture
def victim(world, case):
    return add_victim(case, world.af_a)


@pytest.fixture
def trajectory(world, victim):
    return services.start_trajectory(victim, actor=world.zorgcoordinator, started_on=date(2025, 1, 2),
                                     residence_status="without", found_municipality=world.a)


def at(day: date, hour: int = 9) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=AMS)


def test_a_suspect_gets_no_trajectory(world, case):
    suspect = add_suspect(case, world.af_a)
    with pytest.raises(DomainError):
        services.start_trajectory(suspect, actor=world.af_a, started_on=date(2025, 1, 2))


def test_responsible_municipality_follows_the_rule_and_an_override_needs_a_reason(world, trajectory):
    assert trajectory.responsible_municipality == world.a  # not registered: where found
    assert trajectory.zorgcoordinator == world.zorgcoordinator
    services.update_trajectory(trajectory, actor=world.zorgcoordinator, residence_status="without",
                               aangifte_made=False, registered_municipality=world.b, found_municipality=world.a)
    assert trajectory.responsible_municipality == world.b  # registered wins
    with pytest.raises(DomainError) as error:
        services.set_responsible_municipality(trajectory, actor=world.zorgcoordinator, municipality=world.c,
                                              reason="")
    assert error.value.field == "reason"
    services.set_responsible_municipality(trajectory, actor=world.zorgcoordinator, municipality=world.c,
                                          reason="Om veiligheidsredenen ver weg geplaatst")
    trajectory.refresh_from_db()
    assert trajectory.responsible_municipality == world.c and trajectory.is_overridden
    event = AuditEvent.objects.filter(action="care.responsible_municipality_set").latest("id")
    assert event.details == {"municipality": "GM8903", "overridden": True}
    # The override holds when the registration changes; choosing the rule's municipality returns to the rule.
    services.update_trajectory(trajectory, actor=world.zorgcoordinator, residence_status="without",
                               aangifte_made=False, registered_municipality=None, found_municipality=world.a)
    assert trajectory.responsible_municipality == world.c
    services.set_responsible_municipality(trajectory, actor=world.zorgcoordinator, municipality=world.a, reason="")
    assert trajectory.responsible_municipality == world.a and not trajectory.is_overridden


def test_aangifte_date_without_aangifte_is_refused(world, trajectory):
    with pytest.raises(DomainError) as error:
        services.update_trajectory(trajectory, actor=world.zorgcoordinator, residence_status="without",
                                   aangifte_made=False, aangifte_on=date(2025, 2, 1))
    assert error.value.field == "aangifte_made"


def test_a_placement_cannot_end_before_it_starts_or_overlap(world, trajectory):
    with pytest.raises(DomainError) as error:
        services.add_placement(trajectory, actor=world.zorgcoordinator, kind="cosm", provider="Opvang Test",
                               started_on=date(2025, 2, 10), ended_on=date(2025, 2, 1))
    assert error.value.field == "ended_on" and "vóór de begindatum" in error.value.message
    services.add_placement(trajectory, actor=world.zorgcoordinator, kind="crisis_labour", provider="Crisisopvang Test",
                           started_on=date(2025, 1, 2), ended_on=date(2025, 1, 20))
    open_one = services.add_placement(trajectory, actor=world.zorgcoordinator, kind="cosm", provider="COSM Test",
                                      started_on=date(2025, 1, 20))  # moving day
    with pytest.raises(DomainError) as error:
        services.add_placement(trajectory, actor=world.zorgcoordinator, kind="omm", provider="OMM Test",
                               started_on=date(2025, 3, 1))
    assert "overlapt" in error.value.message
    with pytest.raises(DomainError):
        services.end_placement(open_one, actor=world.zorgcoordinator, ended_on=date(2025, 1, 19))
    services.end_placement(open_one, actor=world.zorgcoordinator, ended_on=date(2025, 3, 1))
    services.add_placement(trajectory, actor=world.zorgcoordinator, kind="omm", provider="OMM Test",
                           started_on=date(2025, 3, 1))
    assert Placement.objects.count() == 3
    assert AuditEvent.objects.filter(action="care.placement_added").count() == 3


@pytest.mark.parametrize(("kind", "starts", "granted", "deadline"), [
    ("regular", date(2024, 3, 1), date(2024, 3, 1), date(2024, 5, 31)),
    ("regular", date(2024, 11, 30), date(2024, 11, 30), date(2025, 2, 27)),  # month end clamped
    ("dublin", date(2024, 3, 1), date(2024, 3, 1), date(2024, 3, 30)),  # 30 days after 18 May 2023
    ("dublin", date(2023, 5, 18), date(2023, 5, 18), date(2023, 6, 16)),  # the rule's first day
    ("dublin", date(2023, 5, 10), date(2023, 5, 10), date(2023, 8, 9)),  # granted before: three months
])
def test_bedenktijd_deadline(kind, starts, granted, deadline):
    assert services.reflection_deadline(kind, starts, granted)[0] == deadline


def test_bedenktijd_comes_from_configuration(settings):
    settings.MELDROUTE = {**settings.MELDROUTE, "BEDENKTIJD": {**settings.MELDROUTE["BEDENKTIJD"],
                                                               "regular_months": 2}}
    deadline, rule = services.reflection_deadline("regular", date(2024, 3, 1), date(2024, 3, 1))
    assert deadline == date(2024, 4, 30) and "B8/3" in rule


def test_bedenktijd_is_refused_for_a_dutch_national(world, case):
    dutch = add_victim(case, world.af_a, citizenship="NL", bsn="123456782")
    trajectory = services.start_trajectory(dutch, actor=world.zorgcoordinator, started_on=date(2025, 1, 2))
    with pytest.raises(DomainError) as error:
        services.grant_reflection_period(trajectory, actor=world.zorgcoordinator, kind="regular",
                                         starts_on=date(2025, 1, 2))
    assert "Nederlandse nationaliteit" in error.value.message
    assert not ReflectionPeriod.objects.exists()


def test_bedenktijd_is_granted_once_and_audited(world, trajectory):
    period = services.grant_reflection_period(trajectory, actor=world.zorgcoordinator, kind="regular",
                                              starts_on=date(2025, 1, 6))
    assert period.deadline == date(2025, 4, 5) and "B8/3" in period.rule
    assert AuditEvent.objects.get(action="care.reflection_granted").details == {"kind": "regular",
                                                                               "deadline": "2025-04-05"}
    with pytest.raises(DomainError):
        services.grant_reflection_period(trajectory, actor=world.zorgcoordinator, kind="regular",
                                         starts_on=date(2025, 1, 6))


@override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend")
def test_reminders_are_sent_once_per_threshold_with_a_fake_clock(world, trajectory):
    period = services.grant_reflection_period(trajectory, actor=world.zorgcoordinator, kind="regular",
                                              starts_on=date(2025, 1, 6))  # deadline 5 April 2025
    mail.outbox.clear()
    assert services.send_reflection_reminders(at(date(2025, 3, 20))) == 0  # 16 days left
    assert run_due_jobs(at(date(2025, 3, 22)))["reflection_reminders"] == 1  # 14 days left, through the worker
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert "CS-GM8901-2026-001" in message.subject and "Zwaantje" not in message.body
    assert reverse("care:trajectory", args=[trajectory.person.uuid]) in message.body
    # A restart the same day and the days after: nothing new.
    for day in (date(2025, 3, 22), date(2025, 3, 23), date(2025, 4, 1)):
        assert services.send_reflection_reminders(at(day, 23)) == 0
    assert services.send_reflection_reminders(at(date(2025, 4, 2))) == 1  # 3 days left
    assert services.send_reflection_reminders(at(date(2025, 4, 3))) == 0
    assert len(mail.outbox) == 2
    assert sorted(period.reminders.values_list("days_before", flat=True)) == [3, 14]
    assert AuditEvent.objects.filter(action="care.reflection_reminder_sent").count() == 2


def test_a_worker_down_past_both_thresholds_sends_one_reminder(world, trajectory):
    period = services.grant_reflection_period(trajectory, actor=world.zorgcoordinator, kind="regular",
                                              starts_on=date(2025, 1, 6))
    mail.outbox.clear()
    assert services.send_reflection_reminders(at(date(2025, 4, 4))) == 1
    assert services.send_reflection_reminders(at(date(2025, 4, 4), 15)) == 0
    assert len(mail.outbox) == 1 and period.reminders.count() == 2


def test_a_permit_decision_needs_its_application_first(world, trajectory):
    with pytest.raises(DomainError) as error:
        services.record_permit_event(trajectory, actor=world.zorgcoordinator, kind="b8_granted",
                                     occurred_on=date(2025, 2, 1))
    assert error.value.field == "kind"
    services.record_permit_event(trajectory, actor=world.zorgcoordinator, kind="b8_applied",
                                 occurred_on=date(2025, 1, 20))
    services.record_permit_event(trajectory, actor=world.zorgcoordinator, kind="b8_granted",
                                 occurred_on=date(2025, 2, 1))
    assert list(trajectory.permit_events.values_list("kind", flat=True)) == ["b8_applied", "b8_granted"]


def test_only_the_zorgcoordinator_and_the_regie_work_on_care(world, victim):
    for user in (world.af_b, world.partner, world.melder_a):
        with pytest.raises(DomainError) as error:
            services.start_trajectory(victim, actor=user, started_on=date(2025, 1, 2))
        assert error.value.code == "forbidden"


# --- Pages ----------------------------------------------------------------------------------------------------------

def test_victims_list_shows_pseudonyms_and_deadlines_only(client, world, trajectory):
    services.grant_reflection_period(trajectory, actor=world.zorgcoordinator, kind="regular",
                                     starts_on=date(2025, 1, 6))
    client.force_login(world.zorgcoordinator)
    body = client.get(reverse("care:list")).content.decode()
    assert trajectory.person.pseudonym in body and "Zwaantje" not in body
    assert "verlopen" in body  # 5 April 2025 has passed
    client.force_login(world.af_b)
    assert trajectory.person.pseudonym not in client.get(reverse("care:list")).content.decode()


def test_trajectory_page_and_bad_dates_keep_input(client, world, trajectory):
    client.force_login(world.zorgcoordinator)
    url = reverse("care:trajectory", args=[trajectory.person.uuid])
    assert client.get(url).status_code == 200
    response = client.post(reverse("care:action", args=[trajectory.person.uuid, "placement"]), {
        "placement-kind": "cosm", "placement-provider": "Opvang Test", "placement-started_on": "2025-02-10",
        "placement-ended_on": "2025-02-01"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "vóór de begindatum" in body and 'value="Opvang Test"' in body
    response = client.post(reverse("care:action", args=[trajectory.person.uuid, "placement"]), {
        "placement-kind": "cosm", "placement-provider": "Opvang Test", "placement-started_on": "2025-02-10"})
    assert response.status_code == 302 and Placement.objects.count() == 1


@pytest.mark.parametrize("username", ["af_b", "af_c", "partner", "melder_a", "ketenregisseur", "beheerder"])
def test_trajectory_pages_are_404_outside_the_scope(client, world, trajectory, username):
    client.force_login(getattr(world, username))
    person = trajectory.person
    assert client.get(reverse("care:trajectory", args=[person.uuid])).status_code == 404
    assert client.post(reverse("care:action", args=[person.uuid, "placement"]), {}).status_code == 404


def test_a_suspect_has_no_care_page(client, world, case):
    suspect = add_suspect(case, world.af_a)
    client.force_login(world.af_a)
    assert client.get(reverse("care:trajectory", args=[suspect.uuid])).status_code == 404


def test_date_fields_show_their_value_in_iso_for_the_date_input(client, world, victim):
    # A type="date" input shows (and posts back) only ISO dates; "24-11-2026" would show an empty field.
    client.force_login(world.zorgcoordinator)
    body = client.get(reverse("care:trajectory", args=[victim.uuid])).content.decode()
    assert f'name="start-started_on" value="{timezone.localdate().isoformat()}"' in body

"""The route engine's rules: copies that later route changes leave alone, closing and cancelling, manual steps,
reminders that are sent once, and the validation of route data."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from tests.factories import make_signal

from meldroute.audit.models import AuditEvent
from meldroute.core.exceptions import DomainError
from meldroute.core.jobs import run_due_jobs
from meldroute.routing import services
from meldroute.routing.constants import StepState
from meldroute.routing.models import RouteDefinition, SignalRoute
from meldroute.routing.presets import load_preset
from meldroute.triage import services as triage_services

pytestmark = [pytest.mark.django_db, pytest.mark.clock]

SMALL_ROUTE = {
    "name": "Kleine route",
    "steps": [
        {"key": "oppakken", "title": "Oppakken", "actor": "af", "action": "pick_up", "deadline": {"hours": 4}},
        {"key": "overleg", "title": "Overleg", "actor": "meeting", "action": "meeting", "target": "screening"},
        {"key": "terugkoppelen", "title": "Terugkoppelen", "actor": "af", "action": "feedback"},
    ],
}


def steps_of(signal):
    return {s.key: s for s in SignalRoute.objects.get(signal=signal).steps.all()}


def test_a_region_without_a_route_leaves_signals_alone(world):
    signal = make_signal(world.melder_a)
    assert not SignalRoute.objects.filter(signal=signal).exists()
    assert services.record_route_event(signal, event="picked_up", actor=world.af_a) == []


def test_a_route_change_never_rewrites_the_route_of_signals_on_their_way(world):
    first = services.install_route(world.region, SMALL_ROUTE, actor=world.beheerder)
    old_signal = make_signal(world.melder_a)
    second = services.install_preset(world.region, "west-friesland", actor=world.beheerder)
    new_signal = make_signal(world.melder_a)

    first.refresh_from_db()
    assert (first.is_active, second.is_active, second.version) == (False, True, 2)
    assert list(steps_of(old_signal)) == ["oppakken", "overleg", "terugkoppelen"]
    assert SignalRoute.objects.get(signal=old_signal).version == 1
    assert "verrijken" in steps_of(new_signal)
    assert RouteDefinition.objects.filter(region=world.region, is_active=True).count() == 1


def test_routes_are_per_region(world):
    services.install_route(world.region, SMALL_ROUTE, actor=world.beheerder)
    other = make_signal(world.af_c)  # municipality C lies in region 2, which has no route
    assert not SignalRoute.objects.filter(signal=other).exists()


def test_closing_skips_what_is_open_but_keeps_the_feedback_owed(world):
    services.install_route(world.region, SMALL_ROUTE, actor=world.beheerder)
    signal = make_signal(world.melder_a)
    triage_services.close_signal(signal, actor=world.af_a, outcome="no_trafficking", text="Geen aanwijzingen.")
    steps = steps_of(signal)
    assert steps["oppakken"].state == StepState.DONE  # closing picks the signal up first
    assert steps["overleg"].state == StepState.SKIPPED
    assert steps["terugkoppelen"].state == StepState.ACTIVE
    assert SignalRoute.objects.get(signal=signal).finished_at is None


def test_cancelling_ends_the_whole_route(world):
    services.install_route(world.region, SMALL_ROUTE, actor=world.beheerder)
    signal = make_signal(world.melder_a)
    triage_services.cancel_signal(signal, actor=world.af_a, text="Dubbel ingevoerd.")
    assert {s.state for s in steps_of(signal).values()} == {StepState.SKIPPED}
    assert SignalRoute.objects.get(signal=signal).finished_at is not None


def test_reopening_takes_the_route_up_again(world):
    services.install_route(world.region, SMALL_ROUTE, actor=world.beheerder)
    signal = make_signal(world.melder_a)
    triage_services.cancel_signal(signal, actor=world.af_a, text="Vergissing.")
    signal.refresh_from_db()
    route = SignalRoute.objects.get(signal=signal)
    assert route.finished_at is not None
    # Cancelled is final; a closed signal can be reopened.
    other = make_signal(world.melder_a)
    triage_services.close_signal(other, actor=world.af_a, outcome="no_trafficking", text="Niets.")

    triage_services.give_feedback(other, actor=world.af_a, text="Bedankt, afgerond.")
    assert SignalRoute.objects.get(signal=other).finished_at is not None
    triage_services.reopen_signal(other, actor=world.af_a, text="Nieuwe informatie.")
    assert SignalRoute.objects.get(signal=other).finished_at is None
    steps = steps_of(other)
    # The meeting that closing skipped is back; the feedback is owed again once it is done.
    assert steps["overleg"].state == StepState.ACTIVE
    assert steps["terugkoppelen"].state == StepState.PENDING


def test_complete_step_needs_a_note_an_active_step_and_the_municipalitys_af(world):
    services.install_route(world.region, SMALL_ROUTE, actor=world.beheerder)
    signal = make_signal(world.melder_a)
    steps = steps_of(signal)
    with pytest.raises(DomainError) as error:
        services.complete_step(steps["oppakken"], actor=world.af_a, note="  ")
    assert error.value.field == "note"
    with pytest.raises(DomainError):
        services.complete_step(steps["overleg"], actor=world.af_a, note="Nog niet aan de beurt.")
    with pytest.raises(DomainError):
        services.complete_step(steps["oppakken"], actor=world.af_b, note="Andere gemeente.")
    assert steps_of(signal)["oppakken"].state == StepState.ACTIVE

    services.complete_step(steps["oppakken"], actor=world.af_a, note="Telefonisch opgepakt.")
    after = steps_of(signal)
    assert after["oppakken"].state == StepState.DONE and after["oppakken"].completed_by == world.af_a
    assert after["overleg"].state == StepState.ACTIVE
    assert AuditEvent.objects.filter(action="route.step_completed", target_uuid=signal.uuid).count() == 1


def test_an_overdue_step_is_reminded_once_even_across_worker_restarts(world):
    services.install_route(world.region, SMALL_ROUTE, actor=world.beheerder)
    signal = make_signal(world.melder_a)
    mail.outbox.clear()
    later = timezone.now() + timedelta(hours=5)  # the fake clock: past the 4-hour deadline
    assert run_due_jobs(now=timezone.now())["route_step_reminders"] == 0
    assert run_due_jobs(now=later)["route_step_reminders"] == 1
    assert run_due_jobs(now=later + timedelta(hours=1))["route_step_reminders"] == 0
    reminders = [m for m in mail.outbox if signal.reference in m.subject]
    assert len(reminders) == 1
    assert set(reminders[0].to) == {world.af_a.email, world.af_a2.email}
    assert signal.description not in reminders[0].body  # code and link only
    assert AuditEvent.objects.filter(action="route.step_reminder_sent", target_uuid=signal.uuid).count() == 1


@pytest.mark.parametrize("change, field, message", [
    ({"name": ""}, "name", "naam"),
    ({"steps": []}, "steps", "minstens één stap"),
    ({"steps": [{"key": "a", "title": "A", "actor": "wizard", "action": "inform"}]}, "steps", "onbekende actor"),
    ({"steps": [{"key": "a", "title": "A", "actor": "af", "action": "fly"}]}, "steps", "onbekende actie"),
    ({"steps": [{"key": "a", "title": "A", "actor": "af", "action": "meeting", "target": "bingo"}]}, "steps",
     "past niet"),
    ({"steps": [{"key": "a", "title": "A", "actor": "af", "action": "inform", "when": {"weather": "sunny"}}]},
     "steps", "onbekend routekenmerk"),
    ({"steps": [{"key": "a", "title": "A", "actor": "af", "action": "inform", "when": {"acute": "ja"}}]},
     "steps", "ja of nee"),
    ({"steps": [{"key": "a", "title": "A", "actor": "af", "action": "inform"},
                {"key": "a", "title": "B", "actor": "af", "action": "inform"}]}, "steps", "twee keer"),
    ({"steps": [{"key": "a", "title": "A", "actor": "af", "action": "inform", "deadline": {"days": 3}}]},
     "steps", "termijn"),
    # A value the fact never takes would make the step silently never match.
    ({"steps": [{"key": "a", "title": "A", "actor": "af", "action": "inform", "when": {"forms": ["sexuel"]}}]},
     "steps", "'sexuel' is geen waarde van 'forms'. mogelijk zijn: criminal, labour, organ_removal, sexual"),
    ({"steps": [{"key": "a", "title": "A", "actor": "af", "action": "inform", "when": {"not_side": "dader"}}]},
     "steps", "'dader' is geen waarde van 'not_side'"),
    ({"steps": [{"key": "a", "title": "A", "actor": "af", "action": "inform", "when": {"assessment": "zeker"}}]},
     "steps", "'zeker' is geen waarde van 'assessment'"),
    ({"steps": [{"key": "a", "title": "A", "actor": "af", "action": "inform", "when": {"decision": "wachten"}}]},
     "steps", "'wachten' is geen waarde van 'decision'"),
])
def test_invalid_route_data_is_refused_in_dutch_and_installs_nothing(world, change, field, message):
    with pytest.raises(DomainError) as error:
        services.install_route(world.region, {**SMALL_ROUTE, **change}, actor=world.beheerder)
    assert error.value.field == field
    assert message in error.value.message.lower()
    assert not RouteDefinition.objects.exists()


def test_known_fact_values_are_accepted(world):
    when = {"forms": ["sexual", "labour"], "assessment": ["suspected", "actual"], "not_side": "perpetrator",
            "decision": "refer"}
    route = {**SMALL_ROUTE, "steps": [{"key": "a", "title": "A", "actor": "af", "action": "inform", "when": when}]}
    definition = services.install_route(world.region, route, actor=world.beheerder)
    assert definition.steps.get().conditions == when


def test_every_preset_is_valid_route_data():
    for slug in ("west-friesland", "noord-midden-limburg", "zoeterwoude"):
        data = services.validate_route_data(load_preset(slug))
        assert data["steps"] and data["source"]


def test_an_overdue_step_is_told_in_the_application_once_and_a_declined_mail_is_not_sent(world):
    from meldroute.notifications.constants import Kind
    from meldroute.notifications.models import Notification
    from meldroute.notifications.services import set_mail_choices

    services.install_route(world.region, SMALL_ROUTE, actor=world.beheerder)
    signal = make_signal(world.melder_a)
    set_mail_choices(world.af_a2, {k: k != Kind.ROUTE_STEP_OVERDUE for k in Kind.values})
    mail.outbox.clear()
    later = timezone.now() + timedelta(hours=5)

    assert services.send_step_reminders(later) == 1
    assert services.send_step_reminders(later + timedelta(hours=1)) == 0
    told = Notification.objects.filter(kind=Kind.ROUTE_STEP_OVERDUE)
    assert {n.user for n in told} == {world.af_a, world.af_a2}
    assert all(signal.reference in n.text and signal.description not in n.text for n in told)
    reminders = [m for m in mail.outbox if signal.reference in m.subject]
    assert [set(m.to) for m in reminders] == [{world.af_a.email}]

"""Planning, compiling, deciding and closing: the meeting services and the route they move."""

from datetime import date, timedelta

import pytest
from django.utils import timezone
from tests.factories import make_signal

from meldroute.audit.models import AuditEvent
from meldroute.core.exceptions import DomainError
from meldroute.meetings import services
from meldroute.meetings.constants import Cadence, MeetingStatus, Ordinal, Weekday
from meldroute.meetings.models import AgendaItem, MeetingSeries
from meldroute.meetings.tests.conftest import meeting_day
from meldroute.routing.constants import Decision, StepState
from meldroute.routing.models import SignalRoute

pytestmark = [pytest.mark.django_db, pytest.mark.clock]


def step_states(signal) -> dict[str, str]:
    return dict(SignalRoute.objects.get(signal=signal).steps.values_list("key", "state"))


def agenda(world, tables, series=None):
    """The series' next meeting with its agenda compiled, as its chair opens it (ZVH, or A's AF for A's table)."""
    chair = world.procesregisseur if series is None else world.af_a
    meeting = services.next_meeting(series or tables.screening, actor=chair)
    services.compile_agenda(meeting, actor=chair)
    return meeting


# --- Cadence ------------------------------------------------------------------------------------

def test_next_date_follows_the_weekly_and_monthly_cadence():
    weekly = MeetingSeries(cadence=Cadence.WEEKLY, weekday=Weekday.TUESDAY)
    assert services.next_date(weekly, date(2026, 3, 2)) == date(2026, 3, 3)  # Monday → Tuesday
    assert services.next_date(weekly, date(2026, 3, 3)) == date(2026, 3, 3)  # on the day itself
    assert services.next_date(weekly, date(2026, 3, 4)) == date(2026, 3, 10)
    first_thursday = MeetingSeries(cadence=Cadence.MONTHLY, weekday=Weekday.THURSDAY, ordinal=Ordinal.FIRST)
    assert services.next_date(first_thursday, date(2026, 3, 1)) == date(2026, 3, 5)
    assert services.next_date(first_thursday, date(2026, 3, 6)) == date(2026, 4, 2)
    assert services.next_date(first_thursday, date(2026, 12, 4)) == date(2027, 1, 7)  # over the year's end
    last_friday = MeetingSeries(cadence=Cadence.MONTHLY, weekday=Weekday.FRIDAY, ordinal=Ordinal.LAST)
    assert services.next_date(last_friday, date(2026, 2, 1)) == date(2026, 2, 27)
    second_wednesday = MeetingSeries(cadence=Cadence.MONTHLY, weekday=Weekday.WEDNESDAY, ordinal=Ordinal.SECOND)
    assert services.next_date(second_wednesday, date(2026, 4, 1)) == date(2026, 4, 8)


def test_next_meeting_is_planned_once_and_the_following_one_only_after_it_was_held(world, tables, clock):
    today = date(2026, 3, 2)
    first = services.next_meeting(tables.screening, actor=world.procesregisseur, today=today)
    assert first.date == date(2026, 3, 3) and first.status == MeetingStatus.PLANNED
    assert services.next_meeting(tables.screening, actor=world.procesregisseur, today=today) == first
    assert AuditEvent.objects.filter(action="meeting.planned", target_uuid=first.uuid).count() == 1
    meeting_day(clock, first)
    services.close_meeting(first, actor=world.procesregisseur)
    # Held on Tuesday and opened again the same day: the next one is a week later, never the same date twice.
    second = services.next_meeting(tables.screening, actor=world.procesregisseur, today=date(2026, 3, 3))
    assert second.date == date(2026, 3, 10)


def test_only_the_chair_plans_a_meeting(world, tables):
    with pytest.raises(DomainError) as refused:
        services.next_meeting(tables.screening, actor=world.partner)
    assert refused.value.code == "forbidden" and "voorzitter" in refused.value.message
    assert not tables.screening.meetings.exists()


# --- The agenda compiles itself ------------------------------------------------------------------

def test_agenda_holds_the_waiting_signals_of_participating_municipalities_only(world, tables):
    own = make_signal(world.melder_a)
    not_participating = make_signal(world.melder_b)  # B does not sit at this table
    other_region = make_signal(world.af_c)
    cancelled = make_signal(world.melder_a)
    from meldroute.triage.services import cancel_signal
    cancel_signal(cancelled, actor=world.af_a, text="Dubbel.")
    meeting = services.next_meeting(tables.screening, actor=world.procesregisseur)
    added = services.compile_agenda(meeting, actor=world.procesregisseur)
    assert [item.signal for item in added] == [own]
    assert added[0].route_step.key == "screening" and added[0].position == 1
    assert not AgendaItem.objects.filter(signal__in=[not_participating, other_region, cancelled]).exists()
    event = AuditEvent.objects.get(action="meeting.agenda_compiled", target_uuid=meeting.uuid)
    assert event.details == {"added": 1}


def test_compiling_again_adds_only_what_is_new(world, tables):
    first = make_signal(world.melder_a)
    meeting = agenda(world, tables)
    assert services.compile_agenda(meeting, actor=world.procesregisseur) == []
    second = make_signal(world.melder_a)
    added = services.compile_agenda(meeting, actor=world.procesregisseur)
    assert [i.signal for i in added] == [second] and added[0].position == 2
    assert list(meeting.items.values_list("signal", flat=True)) == [first.pk, second.pk]
    assert AuditEvent.objects.filter(action="meeting.agenda_compiled").count() == 2


def test_a_municipal_table_discusses_its_own_municipality_only(world, tables):
    own = make_signal(world.melder_a)
    make_signal(world.melder_b)
    meeting = services.next_meeting(tables.signaling, actor=world.af_a)
    added = services.compile_agenda(meeting, actor=world.af_a)
    assert [i.signal for i in added] == [own]
    assert added[0].route_step.key == "signalering"


# --- Decisions move the route -------------------------------------------------------------------

def test_decision_completes_the_meeting_step_and_activates_the_next(world, tables):
    signal = make_signal(world.melder_a)
    meeting = agenda(world, tables)
    item = meeting.items.get()
    deadline = timezone.localdate() + timedelta(days=14)
    services.decide_item(item, actor=world.procesregisseur, decision=Decision.CASE, owner_organisation=world.zvh,
                         action="Casus openen en plan van aanpak opstellen.", deadline=deadline)
    item.refresh_from_db()
    assert item.decision == Decision.CASE and item.decided_by == world.procesregisseur and item.deadline == deadline
    states = step_states(signal)
    assert states["screening"] == StepState.DONE
    assert states["signalering"] == StepState.ACTIVE  # the parallel step is not this table's
    assert SignalRoute.objects.get(signal=signal).facts["decision"] == Decision.CASE
    event = AuditEvent.objects.get(action="meeting.item_decided", target_uuid=signal.uuid)
    assert event.details["decision"] == "case" and event.details["steps_completed"] == 1
    assert event.actor == world.procesregisseur and "Casus openen" not in str(event.details)


def test_no_trafficking_needs_no_owner_and_sets_the_decision_fact(world, tables):
    signal = make_signal(world.melder_a)
    item = agenda(world, tables).items.get()
    services.decide_item(item, actor=world.procesregisseur, decision=Decision.NO_TRAFFICKING)
    assert step_states(signal)["screening"] == StepState.DONE
    assert SignalRoute.objects.get(signal=signal).facts["decision"] == Decision.NO_TRAFFICKING


def test_both_tables_decided_the_route_moves_to_feedback(world, tables):
    signal = make_signal(world.melder_a)
    services.decide_item(agenda(world, tables).items.get(), actor=world.procesregisseur,
                         decision=Decision.NO_TRAFFICKING)
    services.decide_item(agenda(world, tables, tables.signaling).items.get(), actor=world.af_a,
                         decision=Decision.CONTINUE, owner_organisation=world.police, action="Controle plannen.")
    states = step_states(signal)
    assert states["signalering"] == StepState.DONE and states["terugkoppeling"] == StepState.ACTIVE


def test_refer_names_the_partner(world, tables):
    signal = make_signal(world.melder_a)
    item = agenda(world, tables).items.get()
    services.decide_item(item, actor=world.procesregisseur, decision=Decision.REFER, owner_organisation=world.a,
                         action="Doorverwijzen naar Veilig Thuis.", refer_to="veilig_thuis")
    assert SignalRoute.objects.get(signal=signal).facts["refer_to"] == "veilig_thuis"
    item.refresh_from_db()
    assert item.refer_to == "veilig_thuis" and item.get_refer_to_display() == "Veilig Thuis"


def test_monitor_keeps_the_step_active_and_the_signal_returns_on_the_next_agenda(world, tables, clock):
    signal = make_signal(world.melder_a)
    meeting = agenda(world, tables)
    services.decide_item(meeting.items.get(), actor=world.procesregisseur, decision=Decision.MONITOR)
    assert step_states(signal)["screening"] == StepState.ACTIVE
    meeting_day(clock, meeting)
    services.close_meeting(meeting, actor=world.procesregisseur)
    following = services.next_meeting(tables.screening, actor=world.procesregisseur)
    assert following != meeting
    added = services.compile_agenda(following, actor=world.procesregisseur)
    assert [i.signal for i in added] == [signal]


@pytest.mark.parametrize(("kwargs", "field", "message"), [
    ({"decision": "besluit"}, "decision", "Kies een besluit."),
    ({"decision": Decision.CASE, "action": "Casus openen."}, "owner_organisation",
     "Kies welke organisatie de actie uitvoert."),
    ({"decision": Decision.CONTINUE, "owner": "police"}, "action", "Beschrijf de afgesproken actie."),
    ({"decision": Decision.CONTINUE, "owner": "b", "action": "Iets."}, "owner_organisation",
     "Kies een organisatie die aan dit overleg deelneemt."),
    ({"decision": Decision.CONTINUE, "owner": "police", "action": "Iets.", "past": True}, "deadline",
     "De uiterste datum ligt in het verleden."),
    ({"decision": Decision.REFER, "owner": "police", "action": "Iets."}, "refer_to",
     "Kies naar welke ketenpartner het signaal wordt doorverwezen."),
])
def test_invalid_decisions_are_refused_in_dutch_at_the_field(world, tables, kwargs, field, message):
    signal = make_signal(world.melder_a)
    item = agenda(world, tables).items.get()
    owner = getattr(world, kwargs.pop("owner", ""), None) if "owner" in kwargs else None
    deadline = timezone.localdate() - timedelta(days=1) if kwargs.pop("past", False) else None
    with pytest.raises(DomainError) as refused:
        services.decide_item(item, actor=world.procesregisseur, owner_organisation=owner, deadline=deadline, **kwargs)
    assert refused.value.field == field and refused.value.message == message
    item.refresh_from_db()
    assert item.decision == "" and step_states(signal)["screening"] == StepState.ACTIVE
    assert not AuditEvent.objects.filter(action="meeting.item_decided").exists()


def test_only_the_chair_records_a_decision(world, tables):
    signal = make_signal(world.melder_a)
    item = agenda(world, tables).items.get()
    # Participants, but not chairing: the police, the AF of a participating municipality, a zorgcoördinator.
    for user in (world.partner, world.af_a, world.zorgcoordinator, world.af_c, world.ketenregisseur):
        with pytest.raises(DomainError) as refused:
            services.decide_item(item, actor=user, decision=Decision.NO_TRAFFICKING)
        assert refused.value.code == "forbidden"
    assert step_states(signal)["screening"] == StepState.ACTIVE
    # The AF of the municipality chairs its own signaleringsoverleg.
    own_item = agenda(world, tables, tables.signaling).items.get()
    services.decide_item(own_item, actor=world.af_a2, decision=Decision.NO_TRAFFICKING)
    with pytest.raises(DomainError):
        services.decide_item(own_item, actor=world.af_a2, decision=Decision.NO_TRAFFICKING)  # already decided


def test_closing_waits_for_every_decision_and_then_is_final(world, tables, clock):
    make_signal(world.melder_a)
    meeting = agenda(world, tables)
    meeting_day(clock, meeting)
    with pytest.raises(DomainError) as refused:
        services.close_meeting(meeting, actor=world.procesregisseur)
    assert refused.value.message == "Leg eerst bij elk agendapunt een besluit vast."
    services.decide_item(meeting.items.get(), actor=world.procesregisseur, decision=Decision.NO_TRAFFICKING)
    services.close_meeting(meeting, actor=world.procesregisseur, notes="Volgende keer ook Arbeidsinspectie.")
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.HELD and meeting.held_at and meeting.closed_by == world.procesregisseur
    assert AuditEvent.objects.filter(action="meeting.held", target_uuid=meeting.uuid).exists()
    with pytest.raises(DomainError):
        services.compile_agenda(meeting, actor=world.procesregisseur)


def test_a_cancelled_meeting_passes_its_open_items_to_the_next(world, tables):
    signal = make_signal(world.melder_a)
    meeting = agenda(world, tables)
    services.cancel_meeting(meeting, actor=world.procesregisseur)
    assert not meeting.items.exists()
    following = services.next_meeting(tables.screening, actor=world.procesregisseur)
    assert [i.signal for i in services.compile_agenda(following, actor=world.procesregisseur)] == [signal]
    assert AuditEvent.objects.filter(action="meeting.cancelled", target_uuid=meeting.uuid).exists()

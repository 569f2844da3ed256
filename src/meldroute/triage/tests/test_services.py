"""The AF's decisions on a signal: every rule, every refusal, and the audit events each success writes."""

from datetime import timedelta

import pytest
from django.utils import timezone
from tests.factories import make_signal

from meldroute.audit.models import AuditEvent
from meldroute.core.exceptions import DomainError
from meldroute.core.workdays import add_working_days
from meldroute.intake.constants import Outcome, Phenomenon, SignalStatus
from meldroute.intake.exceptions import TransitionNotAllowed
from meldroute.intake.models import Signal
from meldroute.triage import services
from meldroute.triage.constants import Assessment, ExploitationForm, NoteSource, Sector
from meldroute.triage.models import Classification, EnrichmentNote
from meldroute.triage.services import give_feedback, send_feedback_reminders

pytestmark = pytest.mark.clock  # reads the clock: run again at awkward moments (scripts/test.sh)

NOT_AF_OF_MUNICIPALITY = "Alleen een aandachtsfunctionaris van deze gemeente kan dit doen."


def audit_mark() -> int:
    return AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0


def actions_since(mark: int) -> list[str]:
    return list(AuditEvent.objects.filter(id__gt=mark).order_by("id").values_list("action", flat=True))


def statuses_since(mark: int) -> list[tuple[str, str]]:
    return [(e["from"], e["to"]) for e in AuditEvent.objects.filter(id__gt=mark, action="signal.status_changed")
            .order_by("id").values_list("details", flat=True)]


def fresh(signal: Signal) -> Signal:
    return Signal.objects.get(pk=signal.pk)


@pytest.fixture
def signal(world):
    return make_signal(world.melder_a)


def closed(signal, af, **kwargs):
    kwargs.setdefault("outcome", Outcome.NO_TRAFFICKING)
    kwargs.setdefault("text", "Geen aanwijzingen gevonden.")
    return services.close_signal(signal, actor=af, **kwargs)


# --- Assignment --------------------------------------------------------------------------------

@pytest.mark.django_db
def test_assigning_a_new_signal_starts_triage(world, signal):
    mark = audit_mark()

    services.assign_signal(signal, actor=world.af_a, assignee=world.af_a2)

    signal = fresh(signal)
    assert (signal.assigned_to, signal.status) == (world.af_a2, SignalStatus.IN_TRIAGE)
    assert actions_since(mark) == ["signal.status_changed", "signal.assigned"]
    assert statuses_since(mark) == [(SignalStatus.RECEIVED, SignalStatus.IN_TRIAGE)]
    assert AuditEvent.objects.get(id__gt=mark, action="signal.assigned").details == {
        "from": None, "to": world.af_a2.pk}


@pytest.mark.django_db
def test_reassigning_a_signal_in_triage_changes_no_status(world, signal):
    services.assign_signal(signal, actor=world.af_a, assignee=world.af_a)
    mark = audit_mark()

    services.assign_signal(signal, actor=world.af_a, assignee=world.af_a2)

    assert fresh(signal).assigned_to == world.af_a2
    assert actions_since(mark) == ["signal.assigned"]


@pytest.mark.django_db
@pytest.mark.parametrize("username", ["melder_a", "af_b", "af_c", "partner", "beheerder"])
def test_only_an_af_of_the_municipality_can_assign(world, signal, username):
    mark = audit_mark()

    with pytest.raises(DomainError) as refusal:
        services.assign_signal(signal, actor=getattr(world, username), assignee=world.af_a)

    assert (refusal.value.code, refusal.value.message) == ("forbidden", NOT_AF_OF_MUNICIPALITY)
    assert (fresh(signal).assigned_to, fresh(signal).status) == (None, SignalStatus.RECEIVED)
    assert actions_since(mark) == []


@pytest.mark.django_db
@pytest.mark.parametrize("username", ["af_b", "melder_a2", "beheerder"])
def test_the_assignee_must_be_an_af_of_the_same_municipality(world, signal, username):
    mark = audit_mark()

    with pytest.raises(DomainError) as refusal:
        services.assign_signal(signal, actor=world.af_a, assignee=getattr(world, username))

    assert refusal.value.field == "assignee"
    assert refusal.value.message == "Kies een aandachtsfunctionaris van deze gemeente."
    assert fresh(signal).assigned_to is None and actions_since(mark) == []


@pytest.mark.django_db
def test_a_closed_signal_cannot_be_assigned(world, signal):
    closed(signal, world.af_a)
    mark = audit_mark()

    with pytest.raises(DomainError, match="afgesloten signaal kan niet worden toegewezen"):
        services.assign_signal(signal, actor=world.af_a, assignee=world.af_a2)

    assert fresh(signal).assigned_to is None and actions_since(mark) == []


# --- Enrichment --------------------------------------------------------------------------------

@pytest.mark.django_db
def test_an_enrichment_note_records_its_source_and_starts_triage(world, signal):
    mark = audit_mark()

    note = services.add_enrichment_note(signal, actor=world.af_a, source=NoteSource.KVK,
                                        text="KvK: ingeschreven als uitzendbureau sinds 2024.")

    assert (note.signal, note.source, note.author) == (signal, NoteSource.KVK, world.af_a)
    assert fresh(signal).status == SignalStatus.IN_TRIAGE
    assert actions_since(mark) == ["signal.status_changed", "signal.enriched"]
    assert AuditEvent.objects.get(id__gt=mark, action="signal.enriched").details == {"source": "kvk"}


@pytest.mark.django_db
@pytest.mark.parametrize("source", ["", "facebook"])
def test_an_enrichment_note_requires_a_known_source(world, signal, source):
    mark = audit_mark()

    with pytest.raises(DomainError) as refusal:
        services.add_enrichment_note(signal, actor=world.af_a, source=source, text="Iets gevonden.")

    assert (refusal.value.field, refusal.value.message) == ("source", "Kies de bron van deze informatie.")
    assert not EnrichmentNote.objects.exists() and actions_since(mark) == []
    assert fresh(signal).status == SignalStatus.RECEIVED


@pytest.mark.django_db
def test_an_enrichment_note_requires_a_text(world, signal):
    mark = audit_mark()

    with pytest.raises(DomainError, match="Schrijf wat u heeft gevonden"):
        services.add_enrichment_note(signal, actor=world.af_a, source=NoteSource.BRP, text="  ")

    assert not EnrichmentNote.objects.exists() and actions_since(mark) == []


@pytest.mark.django_db
def test_only_an_af_of_the_municipality_can_enrich(world, signal):
    mark = audit_mark()

    with pytest.raises(DomainError, match=NOT_AF_OF_MUNICIPALITY):
        services.add_enrichment_note(signal, actor=world.af_b, source=NoteSource.BRP, text="BRP: 9 ingeschrevenen.")

    assert not EnrichmentNote.objects.exists() and actions_since(mark) == []


# --- Classification ----------------------------------------------------------------------------

@pytest.mark.django_db
def test_classifying_stores_the_assessment_and_starts_triage(world, signal):
    mark = audit_mark()

    classification = services.classify_signal(
        signal, actor=world.af_a, assessment=Assessment.SUSPECTED, forms=[ExploitationForm.LABOUR],
        sector=Sector.AGRICULTURE, means_of_control=["withholds_documents", "debt_bondage"])

    assert classification.assessment == Assessment.SUSPECTED and classification.forms == ["labour"]
    assert classification.means_of_control == ["debt_bondage", "withholds_documents"]
    assert fresh(signal).status == SignalStatus.IN_TRIAGE
    assert actions_since(mark) == ["signal.status_changed", "signal.classified"]


@pytest.mark.django_db
@pytest.mark.parametrize("assessment", ["", "maybe"])
def test_classifying_requires_an_assessment(world, signal, assessment):
    mark = audit_mark()

    with pytest.raises(DomainError) as refusal:
        services.classify_signal(signal, actor=world.af_a, assessment=assessment, forms=["labour"])

    assert (refusal.value.field, refusal.value.message) == ("assessment", "Kies een beoordeling.")
    assert not Classification.objects.exists() and actions_since(mark) == []


@pytest.mark.django_db
@pytest.mark.parametrize("assessment", [Assessment.POTENTIAL, Assessment.SUSPECTED, Assessment.ACTUAL])
def test_a_suspicion_of_trafficking_requires_a_form_of_exploitation(world, signal, assessment):
    mark = audit_mark()

    with pytest.raises(DomainError) as refusal:
        services.classify_signal(signal, actor=world.af_a, assessment=assessment, forms=[])

    assert refusal.value.field == "exploitation_forms"
    assert "minstens één vorm van uitbuiting" in refusal.value.message
    assert not Classification.objects.exists() and actions_since(mark) == []


@pytest.mark.django_db
def test_no_trafficking_needs_no_form_of_exploitation(world, signal):
    classification = services.classify_signal(signal, actor=world.af_a, assessment=Assessment.NONE)

    assert (classification.assessment, classification.forms) == (Assessment.NONE, [])


@pytest.mark.django_db
def test_an_unknown_form_of_exploitation_is_refused(world, signal):
    mark = audit_mark()

    with pytest.raises(DomainError, match="Onbekende vorm van uitbuiting"):
        services.classify_signal(signal, actor=world.af_a, assessment=Assessment.SUSPECTED, forms=["piracy"])

    assert not Classification.objects.exists() and actions_since(mark) == []


@pytest.mark.django_db
def test_classifying_again_updates_the_one_classification(world, signal):
    services.classify_signal(signal, actor=world.af_a, assessment=Assessment.POTENTIAL, forms=["sexual"])
    mark = audit_mark()

    services.classify_signal(signal, actor=world.af_a2, assessment=Assessment.ACTUAL, forms=["sexual", "criminal"])

    classification = Classification.objects.get(signal=signal)
    assert (classification.assessment, classification.forms, classification.classified_by) == (
        Assessment.ACTUAL, ["criminal", "sexual"], world.af_a2)
    assert actions_since(mark) == ["signal.classified"]
    assert AuditEvent.objects.get(id__gt=mark).details["created"] is False


@pytest.mark.django_db
def test_classifying_keeps_the_signals_copy_for_the_dashboards_in_sync(world, signal):
    services.classify_signal(signal, actor=world.af_a, assessment=Assessment.POTENTIAL, forms=["sexual"],
                             sector=Sector.SEX_WORK)
    first = Classification.objects.get(signal=signal)
    copy = fresh(signal)
    assert (copy.classified_at, copy.classified_forms, copy.classified_sector) == (
        first.created_at, ["sexual"], Sector.SEX_WORK)
    mark = audit_mark()

    services.classify_signal(signal, actor=world.af_a2, assessment=Assessment.ACTUAL, forms=["labour", "criminal"],
                             sector="")

    copy = fresh(signal)
    # Re-classifying changes the facts; the moment stays the first classification (the time to triage).
    assert (copy.classified_at, copy.classified_forms, copy.classified_sector) == (
        first.created_at, ["criminal", "labour"], "")
    event = AuditEvent.objects.get(id__gt=mark, action="signal.classified")
    assert {"classified_at", "classified_forms", "classified_sector"} <= set(event.fields)


@pytest.mark.django_db
def test_a_refused_classification_leaves_the_signals_copy_untouched(world, signal):
    with pytest.raises(DomainError):
        services.classify_signal(signal, actor=world.af_a, assessment=Assessment.SUSPECTED, forms=["piracy"])

    copy = fresh(signal)
    assert (copy.classified_at, copy.classified_forms, copy.classified_sector) == (None, [], "")


@pytest.mark.django_db
def test_the_migration_backfills_the_copy_of_classifications_made_before_it(world, signal):
    from importlib import import_module

    from django.apps import apps

    other = make_signal(world.melder_a)
    classification = Classification.objects.create(signal=signal, forms=["labour"], sector=Sector.CLEANING,
                                                   assessment=Assessment.SUSPECTED, classified_by=world.af_a)
    assert fresh(signal).classified_at is None  # written directly, as before the copy existed

    import_module("meldroute.triage.migrations.0003_backfill_signal_classification_copy").copy_classifications(
        apps, None)

    copy = fresh(signal)
    assert (copy.classified_at, copy.classified_forms, copy.classified_sector) == (
        classification.created_at, ["labour"], Sector.CLEANING)
    assert (fresh(other).classified_at, fresh(other).classified_forms) == (None, [])


@pytest.mark.django_db
def test_only_an_af_of_the_municipality_can_classify(world, signal):
    mark = audit_mark()

    with pytest.raises(DomainError, match=NOT_AF_OF_MUNICIPALITY):
        services.classify_signal(signal, actor=world.melder_a, assessment=Assessment.NONE)

    assert not Classification.objects.exists() and actions_since(mark) == []


# --- Routing -----------------------------------------------------------------------------------

@pytest.mark.django_db
def test_routing_to_a_partner_of_the_region_puts_the_signal_in_the_route(world, signal):
    mark = audit_mark()

    services.route_signal(signal, actor=world.af_a, partner=world.police, text="AVIM neemt contact op.")

    signal = fresh(signal)
    assert signal.status == SignalStatus.IN_ROUTE
    assert signal.feedback_due_at is not None  # routing starts the feedback clock
    assert actions_since(mark) == ["signal.status_changed", "signal.status_changed"]
    assert statuses_since(mark) == [(SignalStatus.RECEIVED, SignalStatus.IN_TRIAGE),
                                    (SignalStatus.IN_TRIAGE, SignalStatus.IN_ROUTE)]
    assert signal.status_changes.last().text == "Doorgezet naar Politie Regio Een. AVIM neemt contact op."


@pytest.mark.django_db
@pytest.mark.parametrize("partner", ["police2", "b", "a"])
def test_routing_requires_a_partner_in_the_same_region_that_is_not_a_municipality(world, signal, partner):
    mark = audit_mark()

    with pytest.raises(DomainError) as refusal:
        services.route_signal(signal, actor=world.af_a, partner=getattr(world, partner))

    assert (refusal.value.field, refusal.value.message) == ("partner", "Kies een ketenpartner in de eigen regio.")
    assert fresh(signal).status == SignalStatus.RECEIVED and actions_since(mark) == []


@pytest.mark.django_db
def test_only_an_af_of_the_municipality_can_route(world, signal):
    mark = audit_mark()

    with pytest.raises(DomainError, match=NOT_AF_OF_MUNICIPALITY):
        services.route_signal(signal, actor=world.partner, partner=world.police)

    assert fresh(signal).status == SignalStatus.RECEIVED and actions_since(mark) == []


# --- Closing -----------------------------------------------------------------------------------

@pytest.mark.django_db
def test_closing_sets_the_outcome_the_closing_moment_and_the_feedback_clock(world, signal):
    mark = audit_mark()

    closed(signal, world.af_a, outcome=Outcome.NO_TRAFFICKING, text="Geen aanwijzingen.")

    signal = fresh(signal)
    assert (signal.status, signal.outcome, signal.phenomenon) == (SignalStatus.CLOSED, Outcome.NO_TRAFFICKING, "")
    assert signal.closed_at is not None
    assert signal.feedback_due_at == add_working_days(signal.closed_at, 10)
    assert signal.deadline_at == signal.feedback_due_at
    assert actions_since(mark) == ["signal.status_changed", "signal.status_changed"]
    assert statuses_since(mark) == [(SignalStatus.RECEIVED, SignalStatus.IN_TRIAGE),
                                    (SignalStatus.IN_TRIAGE, SignalStatus.CLOSED)]
    assert signal.status_changes.last().text == "Geen aanwijzingen."


@pytest.mark.django_db
def test_closing_with_other_phenomenon_requires_the_phenomenon(world, signal):
    mark = audit_mark()

    with pytest.raises(DomainError) as refusal:
        closed(signal, world.af_a, outcome=Outcome.OTHER_PHENOMENON, phenomenon="")

    assert refusal.value.field == "phenomenon" and "ander fenomeen" in refusal.value.message
    signal = fresh(signal)
    assert (signal.status, signal.outcome, signal.closed_at) == (SignalStatus.RECEIVED, "", None)
    assert actions_since(mark) == []


@pytest.mark.django_db
def test_closing_with_other_phenomenon_keeps_the_phenomenon(world, signal):
    closed(signal, world.af_a, outcome=Outcome.OTHER_PHENOMENON, phenomenon=Phenomenon.POOR_HOUSING)

    assert (fresh(signal).outcome, fresh(signal).phenomenon) == (Outcome.OTHER_PHENOMENON, Phenomenon.POOR_HOUSING)


@pytest.mark.django_db
def test_a_phenomenon_is_dropped_when_the_outcome_is_not_other_phenomenon(world, signal):
    closed(signal, world.af_a, outcome=Outcome.DUPLICATE, phenomenon=Phenomenon.POOR_HOUSING)

    assert (fresh(signal).outcome, fresh(signal).phenomenon) == (Outcome.DUPLICATE, "")


@pytest.mark.django_db
@pytest.mark.parametrize("outcome", ["", "solved"])
def test_closing_requires_a_known_outcome(world, signal, outcome):
    mark = audit_mark()

    with pytest.raises(DomainError) as refusal:
        closed(signal, world.af_a, outcome=outcome)

    assert (refusal.value.field, refusal.value.message) == ("outcome", "Kies een uitkomst.")
    assert fresh(signal).status == SignalStatus.RECEIVED and actions_since(mark) == []


@pytest.mark.django_db
def test_closing_requires_a_text_and_leaves_a_new_signal_untouched(world, signal):
    mark = audit_mark()

    with pytest.raises(DomainError) as refusal:
        closed(signal, world.af_a, text="")

    assert refusal.value.field == "text"
    # The triage step taken on the way is rolled back with the refused close.
    signal = fresh(signal)
    assert (signal.status, signal.outcome) == (SignalStatus.RECEIVED, "")
    assert signal.status_changes.count() == 1 and actions_since(mark) == []


@pytest.mark.django_db
def test_only_an_af_of_the_municipality_can_close(world, signal):
    mark = audit_mark()

    with pytest.raises(DomainError, match=NOT_AF_OF_MUNICIPALITY):
        closed(signal, world.af_b)

    assert fresh(signal).status == SignalStatus.RECEIVED and actions_since(mark) == []


# --- Reopening and cancelling ------------------------------------------------------------------

@pytest.mark.django_db
def test_reopening_clears_the_outcome_and_resets_the_feedback_clock(world, signal):
    closed(signal, world.af_a, outcome=Outcome.OTHER_PHENOMENON, phenomenon=Phenomenon.LABOUR_LAW)

    send_feedback_reminders(now=fresh(signal).feedback_due_at + timedelta(hours=1))
    give_feedback(signal, actor=world.af_a, text="Afgehandeld.")
    before = fresh(signal)
    assert None not in (before.feedback_due_at, before.feedback_sent_at, before.feedback_reminder_sent_at)
    mark = audit_mark()

    services.reopen_signal(signal, actor=world.af_a, text="Nieuwe informatie van de wijkagent.")

    signal = fresh(signal)
    assert signal.status == SignalStatus.REOPENED
    assert (signal.outcome, signal.phenomenon, signal.closed_at) == ("", "", None)
    assert (signal.feedback_due_at, signal.feedback_sent_at, signal.feedback_reminder_sent_at) == (None, None, None)
    assert signal.deadline_at is not None and signal.deadline_at > timezone.now()
    assert actions_since(mark) == ["signal.status_changed"]
    assert statuses_since(mark) == [(SignalStatus.CLOSED, SignalStatus.REOPENED)]


@pytest.mark.django_db
def test_a_reopened_signal_owes_new_feedback_once_closed_again(world, signal):
    closed(signal, world.af_a)

    give_feedback(signal, actor=world.af_a, text="Afgehandeld.")
    services.reopen_signal(signal, actor=world.af_a, text="Toch nog iets.")

    closed(signal, world.af_a, outcome=Outcome.INSUFFICIENT_INFORMATION, text="Niets nieuws.")

    signal = fresh(signal)
    assert signal.feedback_sent_at is None
    assert signal.feedback_due_at == add_working_days(signal.closed_at, 10)
    assert Signal.objects.feedback_overdue(now=signal.feedback_due_at + timedelta(minutes=1)).get() == signal


@pytest.mark.django_db
def test_reopening_requires_a_text(world, signal):
    closed(signal, world.af_a)
    mark = audit_mark()

    with pytest.raises(DomainError, match="Geef een toelichting"):
        services.reopen_signal(signal, actor=world.af_a, text="")

    assert fresh(signal).status == SignalStatus.CLOSED and actions_since(mark) == []


@pytest.mark.django_db
def test_only_a_closed_signal_can_be_reopened(world, signal):
    mark = audit_mark()

    with pytest.raises(TransitionNotAllowed):
        services.reopen_signal(signal, actor=world.af_a, text="Heropenen.")

    assert fresh(signal).status == SignalStatus.RECEIVED and actions_since(mark) == []


@pytest.mark.django_db
def test_only_an_af_of_the_municipality_can_reopen(world, signal):
    closed(signal, world.af_a)
    mark = audit_mark()

    with pytest.raises(DomainError, match=NOT_AF_OF_MUNICIPALITY):
        services.reopen_signal(signal, actor=world.melder_a, text="Heropenen.")

    assert fresh(signal).status == SignalStatus.CLOSED and actions_since(mark) == []


@pytest.mark.django_db
def test_cancelling_a_signal_ends_it_without_a_deadline(world, signal):
    mark = audit_mark()

    services.cancel_signal(signal, actor=world.af_a, text="Dubbel ingevoerd door de melder.")

    signal = fresh(signal)
    assert (signal.status, signal.deadline_at) == (SignalStatus.CANCELLED, None)
    assert actions_since(mark) == ["signal.status_changed"]
    assert statuses_since(mark) == [(SignalStatus.RECEIVED, SignalStatus.CANCELLED)]


@pytest.mark.django_db
def test_cancelling_requires_a_text(world, signal):
    mark = audit_mark()

    with pytest.raises(DomainError, match="Geef een toelichting"):
        services.cancel_signal(signal, actor=world.af_a, text=" ")

    assert fresh(signal).status == SignalStatus.RECEIVED and actions_since(mark) == []


@pytest.mark.django_db
def test_a_closed_signal_cannot_be_cancelled(world, signal):
    closed(signal, world.af_a)
    mark = audit_mark()

    with pytest.raises(TransitionNotAllowed):
        services.cancel_signal(signal, actor=world.af_a, text="Toch annuleren.")

    assert fresh(signal).status == SignalStatus.CLOSED and actions_since(mark) == []


@pytest.mark.django_db
def test_only_an_af_of_the_municipality_can_cancel(world, signal):
    mark = audit_mark()

    with pytest.raises(DomainError, match=NOT_AF_OF_MUNICIPALITY):
        services.cancel_signal(signal, actor=world.af_c, text="Annuleren.")

    assert fresh(signal).status == SignalStatus.RECEIVED and actions_since(mark) == []

"""The AF's contact with the reporter (triage.services): questions and their expiry, feedback and its reminders."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from tests.factories import actions_since, audit_mark, make_signal, to_closed, to_triage

from meldroute.audit.models import AuditEvent
from meldroute.core.exceptions import DomainError
from meldroute.core.workdays import add_working_days
from meldroute.intake import services
from meldroute.intake.constants import SignalStatus
from meldroute.intake.models import Feedback, InformationRequest, Signal, SignalStatusChange
from meldroute.triage import services as triage_services

pytestmark = pytest.mark.clock  # reads the clock: run again at awkward moments (scripts/test.sh)

DESCRIPTION = "Jonge vrouw aan de balie, paspoort in handen van de man naast haar, Dorpsstraat 12."


# --- Questions to the reporter -----------------------------------------------------------------

@pytest.mark.django_db
def test_asking_the_reporter_a_question_puts_the_signal_in_info_requested_until_expiry(world):
    signal = to_triage(make_signal(world.melder_a), world.af_a)
    mark = audit_mark()

    request = triage_services.request_information(signal, actor=world.af_a, question="Welke dag was dit?")

    signal.refresh_from_db()
    assert signal.status == SignalStatus.INFO_REQUESTED
    assert request.is_open and request.asked_by == world.af_a
    assert abs(request.expires_at - (timezone.now() + timedelta(days=14))) < timedelta(minutes=1)
    assert signal.deadline_at == request.expires_at
    assert actions_since(mark) == ["signal.status_changed", "signal.information_requested"]


@pytest.mark.django_db
def test_asking_the_reporter_on_a_new_signal_starts_triage_first(world):
    # The AF's signal page offers the question on a signal that is still "received".
    signal = make_signal(world.melder_a)

    triage_services.request_information(signal, actor=world.af_a, question="Welke dag was dit?")

    signal.refresh_from_db()
    assert signal.status == SignalStatus.INFO_REQUESTED
    assert list(signal.status_changes.values_list("to_status", flat=True)) == [
        SignalStatus.RECEIVED, SignalStatus.IN_TRIAGE, SignalStatus.INFO_REQUESTED]


@pytest.mark.django_db
@pytest.mark.parametrize("username", ["melder_a", "af_b"])
def test_only_an_af_of_the_municipality_can_ask_the_reporter(world, username):
    signal = to_triage(make_signal(world.melder_a), world.af_a)
    mark = audit_mark()

    with pytest.raises(DomainError) as refusal:
        triage_services.request_information(signal, actor=getattr(world, username), question="Welke dag?")

    assert refusal.value.code == "forbidden"
    assert not InformationRequest.objects.exists() and actions_since(mark) == []


@pytest.mark.django_db
def test_an_empty_question_is_refused(world):
    signal = to_triage(make_signal(world.melder_a), world.af_a)

    with pytest.raises(DomainError, match="Schrijf de vraag"):
        triage_services.request_information(signal, actor=world.af_a, question="  ")

    assert not InformationRequest.objects.exists()


@pytest.mark.django_db
def test_expiring_questions_returns_the_signal_to_triage_and_is_idempotent(world):
    signal = to_triage(make_signal(world.melder_a), world.af_a)
    request = triage_services.request_information(signal, actor=world.af_a, question="Welke dag was dit?")
    later = request.expires_at + timedelta(minutes=1)

    assert triage_services.expire_information_requests(now=later) == 1
    history_count, mark = SignalStatusChange.objects.count(), audit_mark()
    assert triage_services.expire_information_requests(now=later) == 0

    request.refresh_from_db()
    assert request.expired_at == later and request.answered_at is None
    signal.refresh_from_db()
    assert signal.status == SignalStatus.IN_TRIAGE
    last_change = signal.status_changes.last()
    assert (last_change.to_status, last_change.actor) == (SignalStatus.IN_TRIAGE, None)
    assert SignalStatusChange.objects.count() == history_count and actions_since(mark) == []


@pytest.mark.django_db
def test_a_question_is_not_expired_before_its_expiry(world):
    signal = to_triage(make_signal(world.melder_a), world.af_a)
    request = triage_services.request_information(signal, actor=world.af_a, question="Welke dag was dit?")

    assert triage_services.expire_information_requests(now=request.expires_at - timedelta(minutes=1)) == 0

    assert InformationRequest.objects.get(pk=request.pk).expired_at is None
    assert Signal.objects.get(pk=signal.pk).status == SignalStatus.INFO_REQUESTED


@pytest.mark.django_db
def test_an_expired_question_cannot_be_answered_any_more(world):
    signal = to_triage(make_signal(world.melder_a), world.af_a)
    request = triage_services.request_information(signal, actor=world.af_a, question="Welke dag was dit?")
    # Expired by the job at a moment the question was still nominally open.
    triage_services.expire_information_requests(now=request.expires_at)
    request.refresh_from_db()

    with pytest.raises(DomainError, match="verlopen"):
        services.answer_information_request(request, actor=world.melder_a, answer="Dinsdag.")


# --- Feedback ----------------------------------------------------------------------------------

@pytest.mark.django_db
def test_closing_starts_the_feedback_clock_at_ten_working_days(world):
    signal = to_closed(make_signal(world.melder_a), world.af_a)

    signal.refresh_from_db()
    assert signal.closed_at is not None
    assert signal.feedback_due_at == add_working_days(signal.closed_at, 10)
    assert signal.deadline_at == signal.feedback_due_at


@pytest.mark.django_db
def test_interim_feedback_before_closing_does_not_settle_the_feedback_owed(world):
    signal = to_triage(make_signal(world.melder_a), world.af_a)
    mark = audit_mark()

    feedback = triage_services.give_feedback(signal, actor=world.af_a, text="We kijken ernaar.")

    assert feedback.signal == signal and feedback.author == world.af_a
    assert Signal.objects.get(pk=signal.pk).feedback_sent_at is None
    assert actions_since(mark) == ["signal.feedback_given"]

    to_closed_signal = services.transition_signal(signal, actor=world.af_a, to_status=SignalStatus.CLOSED,
                                                  text="Afgerond.")
    to_closed_signal.refresh_from_db()
    assert to_closed_signal.feedback_sent_at is None and to_closed_signal.feedback_due_at is not None


@pytest.mark.django_db
def test_feedback_after_closing_settles_the_feedback_and_clears_the_deadline(world):
    signal = to_closed(make_signal(world.melder_a), world.af_a)
    mark = audit_mark()

    triage_services.give_feedback(signal, actor=world.af_a, text="Dank voor uw melding, we hebben actie ondernomen.")

    signal.refresh_from_db()
    assert signal.feedback_sent_at is not None and signal.deadline_at is None
    assert actions_since(mark) == ["signal.feedback_given"]
    assert not Signal.objects.feedback_overdue(now=signal.feedback_due_at + timedelta(days=1)).exists()


@pytest.mark.django_db
def test_feedback_after_routing_settles_the_feedback(world):
    signal = to_triage(make_signal(world.melder_a), world.af_a)
    services.transition_signal(signal, actor=world.af_a, to_status=SignalStatus.IN_ROUTE)

    triage_services.give_feedback(signal, actor=world.af_a, text="Uw melding is doorgezet.")

    assert Signal.objects.get(pk=signal.pk).feedback_sent_at is not None


@pytest.mark.django_db
def test_a_second_feedback_does_not_move_the_moment_feedback_was_given(world):
    signal = to_closed(make_signal(world.melder_a), world.af_a)
    triage_services.give_feedback(signal, actor=world.af_a, text="Eerste terugkoppeling.")
    first = Signal.objects.get(pk=signal.pk).feedback_sent_at

    triage_services.give_feedback(signal, actor=world.af_a, text="Aanvulling.")

    assert Signal.objects.get(pk=signal.pk).feedback_sent_at == first
    assert Feedback.objects.filter(signal=signal).count() == 2


@pytest.mark.django_db
@pytest.mark.parametrize("username", ["melder_a", "af_b"])
def test_only_an_af_of_the_municipality_can_give_feedback(world, username):
    signal = to_closed(make_signal(world.melder_a), world.af_a)
    mark = audit_mark()

    with pytest.raises(DomainError) as refusal:
        triage_services.give_feedback(signal, actor=getattr(world, username), text="Terugkoppeling.")

    assert refusal.value.message == "Alleen een aandachtsfunctionaris van deze gemeente kan dit doen."
    assert not Feedback.objects.exists() and actions_since(mark) == []


@pytest.mark.django_db
def test_empty_feedback_is_refused(world):
    signal = to_closed(make_signal(world.melder_a), world.af_a)

    with pytest.raises(DomainError, match="Schrijf de terugkoppeling"):
        triage_services.give_feedback(signal, actor=world.af_a, text=" ")

    assert not Feedback.objects.exists()


@pytest.mark.django_db
def test_feedback_overdue_lists_closed_signals_past_their_feedback_date_without_feedback(world):
    overdue = to_closed(make_signal(world.melder_a), world.af_a)
    answered = to_closed(make_signal(world.melder_a), world.af_a)
    triage_services.give_feedback(answered, actor=world.af_a, text="Afgehandeld.")
    make_signal(world.melder_a)  # still open: no clock yet
    overdue.refresh_from_db()
    after_due = overdue.feedback_due_at + timedelta(minutes=1)

    assert list(Signal.objects.feedback_overdue(now=after_due)) == [overdue]
    assert not Signal.objects.feedback_overdue(now=overdue.feedback_due_at - timedelta(minutes=1)).exists()

    Signal.objects.filter(pk=overdue.pk).update(feedback_due_at=timezone.now() - timedelta(hours=1))
    assert list(Signal.objects.feedback_overdue()) == [overdue]


@pytest.mark.django_db
def test_the_feedback_reminder_is_sent_once_per_signal(world, mailoutbox):
    signal = to_closed(make_signal(world.melder_a, description=DESCRIPTION), world.af_a)
    signal.refresh_from_db()
    later = signal.feedback_due_at + timedelta(hours=1)

    assert triage_services.send_feedback_reminders(now=later) == 1
    assert triage_services.send_feedback_reminders(now=later) == 0

    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert sorted(mail.to) == sorted([world.af_a.email, world.af_a2.email])
    assert signal.reference in mail.subject and DESCRIPTION not in mail.body
    assert Signal.objects.get(pk=signal.pk).feedback_reminder_sent_at == later
    assert AuditEvent.objects.filter(action="signal.feedback_reminder_sent").count() == 1


@pytest.mark.django_db
def test_the_feedback_reminder_goes_to_the_assigned_af_only(world, mailoutbox):
    signal = to_closed(make_signal(world.melder_a), world.af_a)
    Signal.objects.filter(pk=signal.pk).update(assigned_to=world.af_a2)
    signal.refresh_from_db()

    triage_services.send_feedback_reminders(now=signal.feedback_due_at + timedelta(hours=1))

    assert [m.to for m in mailoutbox] == [[world.af_a2.email]]


@pytest.mark.django_db
def test_no_feedback_reminder_before_the_feedback_is_due(world, mailoutbox):
    signal = to_closed(make_signal(world.melder_a), world.af_a)
    signal.refresh_from_db()

    assert triage_services.send_feedback_reminders(now=signal.feedback_due_at - timedelta(hours=1)) == 0

    assert mailoutbox == []


# --- The reporter's mail -----------------------------------------------------------------------

@pytest.mark.django_db
@pytest.mark.parametrize("reason", ["feedback", "question"])
def test_the_reporter_is_told_by_mail_that_something_waits_without_its_content(
        world, reason, django_capture_on_commit_callbacks):
    signal = make_signal(world.melder_a)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        if reason == "feedback":
            triage_services.give_feedback(signal, actor=world.af_a, text="Geheime inhoud van de terugkoppeling.")
        else:
            triage_services.request_information(signal, actor=world.af_a, question="Geheime vraag over de persoon?")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [world.melder_a.email]
    assert signal.reference in message.subject and str(signal.uuid) in message.body
    assert "Geheime" not in message.body and "Geheime" not in message.subject

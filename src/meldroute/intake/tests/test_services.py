"""Intake services: registration, acute alerts, attachments, questions to the reporter, feedback and the jobs."""

import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings as django_settings
from django.core import mail
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from tests.factories import PDF_BYTES, PNG_BYTES, make_signal, png_upload

from meldroute.audit.models import AuditEvent
from meldroute.core import jobs
from meldroute.core.exceptions import DomainError
from meldroute.core.workdays import add_working_days
from meldroute.intake import services
from meldroute.intake.constants import Channel, SignalStatus
from meldroute.intake.exceptions import AttachmentRejected
from meldroute.intake.models import Attachment, Feedback, InformationRequest, Signal, SignalStatusChange
from meldroute.triage import services as triage_services

pytestmark = pytest.mark.clock  # reads the clock: run again at awkward moments (scripts/test.sh)

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
DESCRIPTION = "Jonge vrouw aan de balie, paspoort in handen van de man naast haar, Dorpsstraat 12."


def actions_since(mark: int) -> list[str]:
    return list(AuditEvent.objects.filter(id__gt=mark).order_by("id").values_list("action", flat=True))


def audit_mark() -> int:
    return AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0


def to_triage(signal, af):
    return services.transition_signal(signal, actor=af, to_status=SignalStatus.IN_TRIAGE)


def to_closed(signal, af):
    to_triage(signal, af)
    return services.transition_signal(signal, actor=af, to_status=SignalStatus.CLOSED, text="Afgerond.")


def text_upload(name="foto.png"):
    return SimpleUploadedFile(name, b"Dit is gewoon tekst, geen afbeelding.\n" * 10, content_type="image/png")


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


# --- Registration ------------------------------------------------------------------------------

@pytest.mark.django_db
def test_registering_a_signal_gives_a_readable_reference_and_a_received_history_row(world):
    signal = make_signal(world.melder_a, description=DESCRIPTION)

    assert re.fullmatch(r"MR-[A-HJ-NP-Z2-9]{8}", signal.reference)
    signal.refresh_from_db()
    assert signal.status == SignalStatus.RECEIVED
    assert (signal.municipality, signal.reporter, signal.source_organisation) == (world.a, world.melder_a, world.a)
    change = signal.status_changes.get()
    assert (change.from_status, change.to_status, change.actor) == ("", SignalStatus.RECEIVED, world.melder_a)


@pytest.mark.django_db
def test_registering_a_signal_writes_exactly_one_registered_audit_event(world):
    signal = make_signal(world.melder_a, description=DESCRIPTION)

    event = AuditEvent.objects.get()
    assert event.action == "signal.registered"
    assert (event.actor, event.target_uuid) == (world.melder_a, signal.uuid)
    assert "description" in event.fields
    # Field names only, never the values.
    assert DESCRIPTION not in str(event.details) and DESCRIPTION not in str(event.fields)


@pytest.mark.django_db
def test_an_acute_signal_must_be_triaged_within_four_hours(world):
    signal = make_signal(world.melder_a, is_acute=True)

    assert signal.deadline_at == signal.received_at + timedelta(hours=4)


@pytest.mark.django_db
@pytest.mark.parametrize(("received", "due"), [
    ("2026-06-10T10:00+02:00", "2026-06-17T10:00+02:00"),  # a Wednesday: one weekend in between
    ("2026-12-05T12:00+01:00", "2026-12-11T12:00+01:00"),  # a Saturday: Monday is the first working day
    ("2027-04-26T09:00+02:00", "2027-05-04T09:00+02:00"),  # the day before Koningsdag, which does not count
    ("2027-03-26T02:30+01:00", "2027-04-05T02:30+02:00"),  # across the spring DST night and Easter Monday
])
def test_a_non_acute_signal_must_be_triaged_within_five_working_days(world, clock, received, due):
    clock.move_to(datetime.fromisoformat(received), tick=False)
    signal = make_signal(world.melder_a)

    assert signal.deadline_at == add_working_days(signal.received_at, 5) == datetime.fromisoformat(due)


@pytest.mark.django_db
def test_the_triage_deadline_of_a_signal_filed_before_koningsdag_skips_the_holiday(world, monkeypatch):
    filed = datetime(2026, 4, 24, 10, 0, tzinfo=AMSTERDAM).astimezone(UTC)  # Friday; Monday 27 April is Koningsdag
    monkeypatch.setattr(timezone, "now", lambda: filed)

    signal = make_signal(world.melder_a)

    assert signal.received_at == filed
    assert signal.deadline_at == datetime(2026, 5, 4, 10, 0, tzinfo=AMSTERDAM)


@pytest.mark.django_db
@pytest.mark.parametrize("username", ["partner", "zorgcoordinator", "ketenregisseur", "burgemeester", "beheerder"])
def test_a_user_without_a_reporting_role_cannot_file_an_internal_signal(world, username):
    actor = getattr(world, username)

    with pytest.raises(DomainError) as refusal:
        make_signal(actor, municipality=world.a)

    assert refusal.value.code == "forbidden"
    assert refusal.value.message == "U kunt geen signaal melden met uw rol."
    assert not Signal.objects.exists() and not AuditEvent.objects.exists()


@pytest.mark.django_db
def test_a_melder_cannot_file_a_signal_for_another_municipality(world):
    with pytest.raises(DomainError) as refusal:
        make_signal(world.melder_a, municipality=world.b)

    assert refusal.value.message == "U kunt alleen melden bij uw eigen gemeente."
    assert not Signal.objects.exists() and not AuditEvent.objects.exists()


@pytest.mark.django_db
def test_a_signal_must_belong_to_a_municipality(world):
    with pytest.raises(DomainError, match="hoort bij een gemeente"):
        make_signal(world.partner, municipality=world.police, channel=Channel.PARTNER)

    assert not Signal.objects.exists() and not AuditEvent.objects.exists()


@pytest.mark.django_db
def test_the_partner_channel_is_refused_to_a_user_without_the_partner_role(world):
    with pytest.raises(DomainError) as refusal:
        make_signal(world.melder_a, channel=Channel.PARTNER)

    assert refusal.value.code == "forbidden"
    assert refusal.value.message == "Alleen ketenpartners kunnen via de API melden."
    assert not Signal.objects.exists() and not AuditEvent.objects.exists()


@pytest.mark.django_db
def test_a_partner_cannot_report_to_a_municipality_outside_its_region(world):
    with pytest.raises(DomainError) as refusal:
        make_signal(world.partner, municipality=world.c, channel=Channel.PARTNER)

    assert refusal.value.message == "Deze gemeente hoort niet bij de regio van uw organisatie."
    assert not Signal.objects.exists() and not AuditEvent.objects.exists()


@pytest.mark.django_db
def test_a_partner_can_report_to_any_municipality_of_its_region(world):
    signal = make_signal(world.partner, municipality=world.b, channel=Channel.PARTNER, external_reference="PL-1")

    assert (signal.municipality, signal.channel, signal.source_organisation) == (world.b, Channel.PARTNER, world.police)
    assert list(AuditEvent.objects.values_list("action", flat=True)) == ["signal.registered"]


# --- Acute alert -------------------------------------------------------------------------------

@pytest.mark.django_db
def test_an_acute_signal_mails_the_afs_of_its_municipality_once_without_personal_data(
        world, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        signal = make_signal(world.melder_a, is_acute=True, description=DESCRIPTION,
                             persons_description="Vrouw, ongeveer twintig, heet Anna", address="Dorpsstraat 12")

    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert sorted(mail.to) == sorted([world.af_a.email, world.af_a2.email])
    assert world.af_b.email not in mail.to and world.af_c.email not in mail.to
    assert signal.reference in mail.subject and signal.reference in mail.body
    for personal in (DESCRIPTION, "Anna", "Dorpsstraat"):
        assert personal not in mail.body and personal not in mail.subject
    signal.refresh_from_db()
    assert signal.acute_alert_sent_at is not None
    assert actions_since(0) == ["signal.registered", "signal.acute_alert_sent"]


@pytest.mark.django_db
def test_a_non_acute_signal_sends_no_alert(world, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        signal = make_signal(world.melder_a)

    assert mailoutbox == []
    assert Signal.objects.get(pk=signal.pk).acute_alert_sent_at is None


@pytest.mark.django_db
def test_the_acute_alert_skips_an_absent_af(world, mailoutbox, django_capture_on_commit_callbacks):
    world.af_a.absent_until = timezone.localdate()  # absent up to and including today
    world.af_a.save()

    with django_capture_on_commit_callbacks(execute=True):
        make_signal(world.melder_a, is_acute=True)

    assert [m.to for m in mailoutbox] == [[world.af_a2.email]]


@pytest.mark.django_db
def test_an_af_whose_absence_ended_yesterday_is_alerted_again(world, mailoutbox, django_capture_on_commit_callbacks):
    world.af_a.absent_until = timezone.localdate() - timedelta(days=1)
    world.af_a.save()

    with django_capture_on_commit_callbacks(execute=True):
        make_signal(world.melder_a, is_acute=True)

    assert sorted(mailoutbox[0].to) == sorted([world.af_a.email, world.af_a2.email])


@pytest.mark.django_db
def test_when_every_af_is_absent_all_of_them_are_alerted(world, mailoutbox, django_capture_on_commit_callbacks):
    for af in (world.af_a, world.af_a2):
        af.absent_until = timezone.localdate() + timedelta(days=3)
        af.save()

    with django_capture_on_commit_callbacks(execute=True):
        make_signal(world.melder_a, is_acute=True)

    assert len(mailoutbox) == 1
    assert sorted(mailoutbox[0].to) == sorted([world.af_a.email, world.af_a2.email])


@pytest.mark.django_db
def test_sending_the_acute_alert_twice_mails_once(world, mailoutbox):
    signal = make_signal(world.melder_a, is_acute=True)  # on_commit not run: the alert is still pending

    services.send_acute_alert(signal.pk)
    services.send_acute_alert(signal.pk)

    assert len(mailoutbox) == 1
    assert AuditEvent.objects.filter(action="signal.acute_alert_sent").count() == 1


@pytest.mark.django_db
def test_pending_acute_alerts_are_caught_up_once(world, mailoutbox):
    pending = make_signal(world.melder_a, is_acute=True)
    make_signal(world.melder_a)  # not acute
    picked_up = make_signal(world.melder_a, is_acute=True)
    to_triage(picked_up, world.af_a)  # an AF is already on it

    assert services.send_pending_acute_alerts() == 1
    assert services.send_pending_acute_alerts() == 0

    assert len(mailoutbox) == 1 and pending.reference in mailoutbox[0].subject
    assert Signal.objects.get(pk=pending.pk).acute_alert_sent_at is not None
    assert Signal.objects.get(pk=picked_up.pk).acute_alert_sent_at is None


# --- Attachments -------------------------------------------------------------------------------

@pytest.mark.django_db
def test_a_png_attachment_is_stored_under_a_name_that_is_not_the_reporters(world, media):
    signal = make_signal(world.melder_a, uploads=[png_upload("paspoort Anna.png")])

    attachment = signal.attachments.get()
    assert (attachment.original_name, attachment.content_type, attachment.size) == (
        "paspoort Anna.png", "image/png", len(PNG_BYTES))
    assert "Anna" not in attachment.file.name
    # Encrypted at rest (core.storage): the disk holds a token, the storage hands back the upload.
    assert PNG_BYTES not in (media / attachment.file.name).read_bytes()
    assert attachment.file.open("rb").read() == PNG_BYTES
    assert "attachments" in AuditEvent.objects.get(action="signal.registered").fields


@pytest.mark.django_db
def test_a_pdf_attachment_is_accepted(world, media):
    upload = SimpleUploadedFile("verslag.pdf", PDF_BYTES, content_type="application/pdf")

    signal = make_signal(world.melder_a, uploads=[upload])

    assert signal.attachments.get().content_type == "application/pdf"


@pytest.mark.django_db
def test_a_text_file_named_png_is_refused_and_nothing_is_stored(world, media):
    with pytest.raises(AttachmentRejected) as refusal:
        make_signal(world.melder_a, uploads=[png_upload("echt.png"), text_upload("nep.png")])

    assert refusal.value.field == "attachments"
    assert "nep.png" in refusal.value.message and "niet is toegestaan" in refusal.value.message
    assert not Signal.objects.exists() and not Attachment.objects.exists() and not AuditEvent.objects.exists()
    assert not [p for p in media.rglob("*") if p.is_file()]


@pytest.mark.django_db
def test_an_attachment_over_the_size_limit_is_refused(world, media):
    limit = django_settings.MELDROUTE["ATTACHMENT_MAX_BYTES"]
    too_big = SimpleUploadedFile("groot.png", PNG_BYTES + b"\0" * limit, content_type="image/png")

    with pytest.raises(AttachmentRejected) as refusal:
        make_signal(world.melder_a, uploads=[too_big])

    assert "te groot" in refusal.value.message
    assert not Signal.objects.exists() and not Attachment.objects.exists()
    assert not [p for p in media.rglob("*") if p.is_file()]


@pytest.mark.django_db
def test_adding_attachments_refuses_the_whole_batch_when_one_file_is_wrong(world, media):
    signal = make_signal(world.melder_a)
    mark = audit_mark()

    with pytest.raises(AttachmentRejected):
        services.add_attachments(signal, actor=world.melder_a, uploads=[png_upload(), text_upload()])

    assert not signal.attachments.exists()
    assert not default_storage.exists(f"signals/{signal.uuid}")
    assert actions_since(mark) == []


@pytest.mark.django_db
def test_adding_attachments_stores_them_and_writes_one_audit_event(world, media):
    signal = make_signal(world.melder_a)
    mark = audit_mark()

    services.add_attachments(signal, actor=world.melder_a, uploads=[png_upload("a.png"), png_upload("b.png")])

    assert sorted(signal.attachments.values_list("original_name", flat=True)) == ["a.png", "b.png"]
    assert actions_since(mark) == ["signal.attachments_added"]


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
def test_the_reporters_answer_returns_the_signal_to_triage(world):
    signal = to_triage(make_signal(world.melder_a), world.af_a)
    request = triage_services.request_information(signal, actor=world.af_a, question="Welke dag was dit?")
    mark = audit_mark()

    services.answer_information_request(request, actor=world.melder_a, answer="Dinsdagochtend.")

    request.refresh_from_db()
    assert request.answer == "Dinsdagochtend." and request.answered_at is not None and not request.is_open
    signal.refresh_from_db()
    assert signal.status == SignalStatus.IN_TRIAGE
    assert actions_since(mark) == ["signal.status_changed", "signal.information_answered"]


@pytest.mark.django_db
@pytest.mark.parametrize("username", ["af_a", "melder_a2"])
def test_only_the_reporter_may_answer_the_question(world, username):
    signal = to_triage(make_signal(world.melder_a), world.af_a)
    request = triage_services.request_information(signal, actor=world.af_a, question="Welke dag was dit?")
    mark = audit_mark()

    with pytest.raises(DomainError) as refusal:
        services.answer_information_request(request, actor=getattr(world, username), answer="Dinsdag.")

    assert refusal.value.message == "Alleen de melder kan deze vraag beantwoorden."
    assert InformationRequest.objects.get(pk=request.pk).answered_at is None
    assert Signal.objects.get(pk=signal.pk).status == SignalStatus.INFO_REQUESTED
    assert actions_since(mark) == []


@pytest.mark.django_db
def test_a_question_past_its_expiry_cannot_be_answered(world):
    signal = to_triage(make_signal(world.melder_a), world.af_a)
    request = triage_services.request_information(signal, actor=world.af_a, question="Welke dag was dit?")
    InformationRequest.objects.filter(pk=request.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    request.refresh_from_db()

    with pytest.raises(DomainError, match="verlopen"):
        services.answer_information_request(request, actor=world.melder_a, answer="Te laat.")

    assert InformationRequest.objects.get(pk=request.pk).answer == ""


@pytest.mark.django_db
def test_a_question_cannot_be_answered_twice(world):
    signal = to_triage(make_signal(world.melder_a), world.af_a)
    request = triage_services.request_information(signal, actor=world.af_a, question="Welke dag was dit?")
    services.answer_information_request(request, actor=world.melder_a, answer="Dinsdag.")

    with pytest.raises(DomainError, match="al beantwoord"):
        services.answer_information_request(request, actor=world.melder_a, answer="Nee, woensdag.")

    assert InformationRequest.objects.get(pk=request.pk).answer == "Dinsdag."


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


# --- Jobs --------------------------------------------------------------------------------------

@pytest.mark.django_db
def test_the_due_jobs_do_what_is_due_at_the_given_moment_and_nothing_twice(world, mailoutbox):
    asked = to_triage(make_signal(world.melder_a), world.af_a)
    triage_services.request_information(asked, actor=world.af_a, question="Welke dag was dit?")
    closed = to_closed(make_signal(world.melder_a), world.af_a)
    acute = make_signal(world.melder_a, is_acute=True)  # alert left pending, as after a crash
    later = timezone.now() + timedelta(days=40)

    def intake_jobs(results):  # the apps above intake register jobs of their own; they are tested there
        return {k: results[k] for k in ("expired_information_requests", "feedback_reminders", "acute_alerts")}

    assert intake_jobs(jobs.run_due_jobs(now=timezone.now())) == {
        "expired_information_requests": 0, "feedback_reminders": 0, "acute_alerts": 1}
    assert intake_jobs(jobs.run_due_jobs(now=later)) == {
        "expired_information_requests": 1, "feedback_reminders": 1, "acute_alerts": 0}
    assert intake_jobs(jobs.run_due_jobs(now=later)) == {
        "expired_information_requests": 0, "feedback_reminders": 0, "acute_alerts": 0}

    assert Signal.objects.get(pk=asked.pk).status == SignalStatus.IN_TRIAGE
    assert Signal.objects.get(pk=closed.pk).feedback_reminder_sent_at == later
    assert Signal.objects.get(pk=acute.pk).acute_alert_sent_at is not None
    assert len(mailoutbox) == 2


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

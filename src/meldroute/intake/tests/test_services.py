"""Intake services: registration, acute alerts, attachments, answering a question, and the due jobs."""

import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings as django_settings
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from tests.factories import (
    PDF_BYTES,
    PNG_BYTES,
    actions_since,
    audit_mark,
    make_signal,
    png_upload,
    to_closed,
    to_triage,
)

from meldroute.audit.models import AuditEvent
from meldroute.core import jobs
from meldroute.core.exceptions import DomainError
from meldroute.core.workdays import add_working_days
from meldroute.intake import services
from meldroute.intake.constants import Channel, SignalStatus
from meldroute.intake.exceptions import AttachmentRejected
from meldroute.intake.models import Attachment, InformationRequest, Signal
from meldroute.triage import services as triage_services

pytestmark = pytest.mark.clock  # reads the clock: run again at awkward moments (scripts/test.sh)

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
DESCRIPTION = "Jonge vrouw aan de balie, paspoort in handen van de man naast haar, Dorpsstraat 12."


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


# --- Answering a question (asked by the AF: triage.services) ---------------------------------

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

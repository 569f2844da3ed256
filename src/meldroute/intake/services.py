"""The reporter's side of a signal: registration, attachments, acute alerts, status transitions, answering a question.

The AF's writes (questions to the reporter, their expiry, feedback and its reminders) are in triage.services."""

import logging
import secrets
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from typing import Any

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from meldroute.accounts.constants import Role
from meldroute.accounts.models import User
from meldroute.audit.services import record_event
from meldroute.audit.targets import target_of
from meldroute.core.exceptions import DomainError
from meldroute.core.jobs import claim_send_audit
from meldroute.core.language import recorded
from meldroute.core.workdays import add_working_days
from meldroute.organisations.models import Organisation

from . import events
from .constants import ALLOWED_TRANSITIONS, FEEDBACK_CLOCK_STATUSES, TEXT_REQUIRED, Channel, SignalStatus
from .exceptions import AttachmentRejected, TransitionNotAllowed
from .models import Attachment, Indicator, InformationRequest, Signal, SignalStatusChange

logger = logging.getLogger(__name__)
REFERENCE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: codes are read aloud and retyped


def config(key: str) -> Any:
    return settings.MELDROUTE[key]


def generate_reference() -> str:
    return "MR-" + "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(8))


def triage_deadline(start: datetime, is_acute: bool) -> datetime:
    if is_acute:
        return start + timedelta(hours=config("TRIAGE_HOURS_ACUTE"))
    return add_working_days(start, config("TRIAGE_WORKING_DAYS"))


# --- Attachments -------------------------------------------------------------------------------

def inspect_attachment(upload: UploadedFile) -> str:
    """Return the content type detected from the bytes, or refuse with a Dutch message."""
    max_bytes = config("ATTACHMENT_MAX_BYTES")
    if upload.size is None or upload.size > max_bytes:
        raise AttachmentRejected(
            _("Het bestand %(name)s is te groot: maximaal %(mb)s MB.")
            % {"name": upload.name, "mb": round(max_bytes / 1024 / 1024, 1)}, field="attachments")
    if upload.size == 0:
        raise AttachmentRejected(_("Het bestand %(name)s is leeg.") % {"name": upload.name}, field="attachments")
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    kind = filetype.guess(head)
    allowed = config("ATTACHMENT_TYPES")
    if kind is None or kind.mime not in allowed:
        raise AttachmentRejected(
            _("Het bestand %(name)s is van een soort die niet is toegestaan. Toegestaan: %(types)s.")
            % {"name": upload.name, "types": ", ".join(str(v) for v in allowed.values())}, field="attachments")
    mime: str = kind.mime
    return mime


def _store_attachment(signal: Signal, upload: UploadedFile, actor: Any) -> Attachment:
    content_type = inspect_attachment(upload)
    attachment = Attachment(signal=signal, original_name=(upload.name or "bijlage")[-200:],
                            content_type=content_type, size=upload.size or 0,
                            uploaded_by=actor if getattr(actor, "pk", None) else None)
    attachment.file.save(attachment.uuid.hex, upload, save=False)
    attachment.save()
    return attachment


def add_attachments(signal: Signal, *, actor: Any, uploads: Sequence[UploadedFile]) -> list[Attachment]:
    for upload in uploads:
        inspect_attachment(upload)  # refuse the whole batch before anything is stored
    with transaction.atomic():
        # Count under the signal's row lock: two uploads at once must not both fit under the limit.
        Signal.objects.select_for_update().filter(pk=signal.pk).first()
        if signal.attachments.count() + len(uploads) > config("ATTACHMENT_MAX_COUNT"):
            raise AttachmentRejected(_("Te veel bijlagen: maximaal %(n)s per signaal.")
                                     % {"n": config("ATTACHMENT_MAX_COUNT")}, field="attachments")
        stored = [_store_attachment(signal, upload, actor) for upload in uploads]
        record_event(actor=actor, action="signal.attachments_added", target_type=target_of(signal),
                     target_uuid=signal.uuid, fields=["attachments"], purpose="bijlage bij signaal",
                     details={"count": len(stored)})
    return stored


# --- Registration ------------------------------------------------------------------------------

SIGNAL_INPUT_FIELDS = ("description", "address", "postcode", "business_name", "kvk_number",
                       "location_description", "observed_on", "observed_time", "persons_description",
                       "reporter_team", "external_reference")


def register_signal(*, actor: User | None, municipality: Organisation, is_acute: bool, data: dict[str, Any],
                    indicators: Iterable[Indicator] = (), uploads: Sequence[UploadedFile] = (),
                    channel: str = Channel.INTERNAL) -> Signal:
    """File a signal. Once this returns, the signal is committed: the receipt may be shown.

    `actor` is None only for a resident on the public form (channel PUBLIC, intake.resident_services), who has no
    account: the signal then has no reporter and no source organisation."""
    if not municipality.is_municipality:
        raise DomainError(_("Een signaal hoort bij een gemeente."), field="municipality")
    if (actor is None) != (channel == Channel.PUBLIC):
        raise DomainError(_("Alleen het inwonerformulier meldt zonder account."), code="forbidden")
    if actor is None:
        return _register(actor=None, municipality=municipality, is_acute=is_acute, data=data, indicators=indicators,
                         uploads=uploads, channel=channel)
    if channel == Channel.INTERNAL and not actor.can_report:
        raise DomainError(_("U kunt geen signaal melden met uw rol."), code="forbidden")
    if channel == Channel.PARTNER and not actor.has_role(Role.PARTNER):
        raise DomainError(_("Alleen ketenpartners kunnen via de API melden."), code="forbidden")
    if channel == Channel.PARTNER and (actor.organisation is None
                                       or actor.organisation.region_id != municipality.region_id):
        raise DomainError(_("Deze gemeente hoort niet bij de regio van uw organisatie."), field="municipality")
    if channel == Channel.INTERNAL and actor.organisation_id != municipality.pk:
        raise DomainError(_("U kunt alleen melden bij uw eigen gemeente."), field="municipality")
    if len(uploads) > config("ATTACHMENT_MAX_COUNT"):
        raise AttachmentRejected(_("Te veel bijlagen: maximaal %(n)s per signaal.")
                                 % {"n": config("ATTACHMENT_MAX_COUNT")}, field="attachments")
    return _register(actor=actor, municipality=municipality, is_acute=is_acute, data=data, indicators=indicators,
                     uploads=uploads, channel=channel)


def _register(*, actor: User | None, municipality: Organisation, is_acute: bool, data: dict[str, Any],
              indicators: Iterable[Indicator], uploads: Sequence[UploadedFile], channel: str) -> Signal:
    for upload in uploads:
        inspect_attachment(upload)

    now = timezone.now()
    values = {name: data[name] for name in SIGNAL_INPUT_FIELDS if data.get(name) not in (None, "")}
    with transaction.atomic():
        signal = Signal(
            reference=_unique_reference(), municipality=municipality, channel=channel, reporter=actor,
            source_organisation=actor.organisation if actor is not None else None, is_acute=is_acute, received_at=now,
            deadline_at=triage_deadline(now, is_acute), **values,
        )
        signal.full_clean()
        signal.save()
        signal.indicators.set(list(indicators))
        for upload in uploads:
            _store_attachment(signal, upload, actor)
        SignalStatusChange.objects.create(signal=signal, from_status="", to_status=SignalStatus.RECEIVED,
                                          actor=actor, created_at=now)
        record_event(actor=actor, action="signal.registered", target_type=target_of(signal), target_uuid=signal.uuid,
                     fields=[*values, "is_acute", "indicators", *(["attachments"] if uploads else [])],
                     purpose="melding signaal mensenhandel", actor_label="inwoner" if actor is None else "",
                     details={"channel": channel, "is_acute": is_acute, "municipality": municipality.code})
        events.signal_registered.send(sender=Signal, instance=signal, actor=actor)
        if is_acute:
            # robust: a mail server that is down must not turn a committed signal into an error page; the
            # alert stays unclaimed and the worker's send_pending_acute_alerts() sends it on its next round.
            transaction.on_commit(lambda: send_acute_alert(signal.pk), robust=True)
    return signal


class DuplicateExternalReference(DomainError):
    """A partner reused its own reference for a different signal: the first one stands, nothing new is stored."""

    def __init__(self, existing: Signal) -> None:
        message = _("Dit kenmerk is al gebruikt voor een ander signaal (%(ref)s).") % {"ref": existing.reference}
        super().__init__(message, field="external_reference", code="duplicate_reference")
        self.existing = existing


# What a partner system sends again when it retries after a time-out: the same reference with the same content.
_REPLAY_FIELDS = ("description", "address", "postcode", "business_name", "kvk_number", "location_description",
                  "observed_on", "observed_time", "persons_description")


def submit_partner_signal(*, actor: User, municipality: Organisation, is_acute: bool, data: dict[str, Any],
                          indicators: Iterable[Indicator] = ()) -> tuple[Signal, bool]:
    """A partner system's submission, idempotent per organisation and its own reference.

    Returns (signal, created). The same reference with the same content is a retry: the first signal is returned
    and nothing is stored again. The same reference with other content is refused (DuplicateExternalReference),
    so a reused reference never silently swallows a new signal. A database constraint backs the rule, so two
    retries racing each other still store one signal.
    """
    indicators = list(indicators)
    reference = (data.get("external_reference") or "").strip()
    if not reference:
        return register_signal(actor=actor, municipality=municipality, is_acute=is_acute, data=data,
                               indicators=indicators, channel=Channel.PARTNER), True
    data = {**data, "external_reference": reference}
    existing = _partner_signal(actor, reference)
    if existing is None:
        try:
            with transaction.atomic():
                return register_signal(actor=actor, municipality=municipality, is_acute=is_acute, data=data,
                                       indicators=indicators, channel=Channel.PARTNER), True
        except (IntegrityError, ValidationError):  # a retry that raced the first call past the check above
            existing = _partner_signal(actor, reference)
            if existing is None:
                raise
    if not _same_submission(existing, municipality=municipality, is_acute=is_acute, data=data,
                            indicators=indicators):
        raise DuplicateExternalReference(existing)
    return existing, False


def _partner_signal(actor: User, reference: str) -> Signal | None:
    return (Signal.objects.filter(channel=Channel.PARTNER, source_organisation_id=actor.organisation_id,
                                  external_reference=reference).first()
            if actor.organisation_id else None)


def _same_submission(signal: Signal, *, municipality: Organisation, is_acute: bool, data: dict[str, Any],
                     indicators: list[Indicator]) -> bool:
    def value(v: Any) -> Any:
        return "" if v is None else v

    return (signal.municipality_id == municipality.pk and signal.is_acute == is_acute
            and all(value(getattr(signal, name)) == value(data.get(name)) for name in _REPLAY_FIELDS)
            and {i.pk for i in signal.indicators.all()} == {i.pk for i in indicators})


def _unique_reference() -> str:
    while True:
        reference = generate_reference()
        if not Signal.objects.filter(reference=reference).exists():
            return reference


def acute_alert_recipients(signal: Signal) -> list[User]:
    """The on-duty AFs and their achtervang; absent AFs only when nobody else is there."""
    afs = list(User.objects.with_role(Role.AF).filter(organisation_id=signal.municipality_id).order_by("id"))
    present = [af for af in afs if not af.is_absent()]
    return present or afs


def responsible_afs(signal: Signal) -> list[User]:
    """Who is reminded about a signal: the AF it is assigned to, else the AFs an acute alert would reach."""
    return [signal.assigned_to] if signal.assigned_to else acute_alert_recipients(signal)


def responsible_af_addresses(signal: Signal) -> list[str]:
    return [user.email for user in responsible_afs(signal) if user and user.email]


def send_acute_alert(signal_id: int) -> None:
    """Mail the AFs once. The claim and the mail share a transaction: a failed mail unclaims."""
    signal = Signal.objects.select_related("municipality").filter(pk=signal_id).first()
    if signal is None:
        return

    def addresses() -> list[str]:
        return [u.email for u in acute_alert_recipients(signal) if u.email] or (
            [signal.municipality.email] if signal.municipality.email else [])

    # The mail carries no personal data: only the code and a link into the application.
    claim_send_audit(
        claim=lambda: Signal.objects.filter(pk=signal_id, acute_alert_sent_at__isnull=True).update(
            acute_alert_sent_at=timezone.now()),
        recipients=addresses, mail="intake/mail/acute_alert",
        context=lambda: {"ref": signal.reference, "municipality": signal.municipality.name,
                         "link": config("BASE_URL") + reverse("triage:signal", args=[signal.uuid])},
        audit=lambda sent_to: record_event(
            actor=None, action="signal.acute_alert_sent", target_type=target_of(signal), target_uuid=signal.uuid,
            fields=["acute_alert_sent_at"], purpose="alarmering acuut signaal", details={"recipients": len(sent_to)}))


def acute_alerts_overdue() -> int:
    """Acute alerts not sent two minutes after their signal came in (readiness: core.health)."""
    return Signal.objects.filter(is_acute=True, acute_alert_sent_at__isnull=True, status=SignalStatus.RECEIVED,
                                 received_at__lt=timezone.now() - timedelta(minutes=2)).count()


def send_pending_acute_alerts() -> int:
    """Catch-up for alerts lost to a crash between commit and mail (on_commit does not survive restarts)."""
    pending = Signal.objects.filter(is_acute=True, acute_alert_sent_at__isnull=True,
                                    status=SignalStatus.RECEIVED).values_list("pk", flat=True)
    count = 0
    for signal_id in pending:
        send_acute_alert(signal_id)
        count += 1
    return count


# --- Transitions -------------------------------------------------------------------------------

# What transition_signal reads from the signal besides the caller's own changes; re-read under the row lock.
_LOCKED_FIELDS = ("status", "deadline_at", "closed_at", "feedback_due_at", "feedback_sent_at",
                  "feedback_reminder_sent_at")


def transition_signal(signal: Signal, *, actor: User | None, to_status: str, text: str = "",
                      purpose: str = "behandeling signaal", extra_fields: Iterable[str] = (),
                      route_end: dict[str, Any] | None = None) -> Signal:
    """The one place where a signal changes state: checks the table, writes history and audit.

    `route_end` (closing): which open route steps end and why — {"steps": [keys], "note": reason} — passed on to
    the route with the event; without it, closing ends every open step but the feedback still owed."""
    text = (text or "").strip()
    if to_status in TEXT_REQUIRED and not text:
        raise DomainError(_("Geef een toelichting bij deze stap."), field="text")

    now = timezone.now()
    changed = {"status", "deadline_at", *extra_fields}
    with transaction.atomic():
        # Lock the row and check the table against the status as committed, not as this caller last read it: of two
        # changes at once (two AFs, an AF and the worker, a partner and the sender), the second waits and is then
        # judged on the first one's outcome. The fields this step reads are taken from the locked row too, except
        # the ones the caller has just set (extra_fields).
        current = Signal.objects.select_for_update().values(*_LOCKED_FIELDS).get(pk=signal.pk)
        for name, value in current.items():
            if name not in extra_fields:
                setattr(signal, name, value)
        from_status = signal.status
        if to_status not in ALLOWED_TRANSITIONS[from_status]:
            raise TransitionNotAllowed(
                _("Een signaal met status '%(from)s' kan niet naar '%(to)s'.")
                % {"from": SignalStatus(from_status).label, "to": SignalStatus(to_status).label})
        signal.status = to_status
        if to_status in (SignalStatus.IN_TRIAGE, SignalStatus.REOPENED) and from_status != SignalStatus.RECEIVED:
            signal.deadline_at = triage_deadline(now, signal.is_acute)
        if to_status in FEEDBACK_CLOCK_STATUSES:
            # A resident on the public form has no account to read feedback in: nothing is owed to them.
            if signal.feedback_due_at is None and signal.channel != Channel.PUBLIC:
                signal.feedback_due_at = add_working_days(now, config("FEEDBACK_WORKING_DAYS"))
                changed.add("feedback_due_at")
            signal.deadline_at = None if signal.feedback_sent_at else signal.feedback_due_at
        if to_status == SignalStatus.CLOSED:
            signal.closed_at = now
            changed.add("closed_at")
        if to_status == SignalStatus.REOPENED:
            signal.closed_at = None
            signal.outcome = signal.phenomenon = ""
            # New feedback is owed once the reopened signal is finished again.
            signal.feedback_due_at = signal.feedback_sent_at = signal.feedback_reminder_sent_at = None
            changed |= {"closed_at", "outcome", "phenomenon", "feedback_due_at", "feedback_sent_at",
                        "feedback_reminder_sent_at"}
        if to_status == SignalStatus.INFO_REQUESTED:
            signal.deadline_at = (signal.information_requests.filter(answered_at__isnull=True, expired_at__isnull=True)
                                  .order_by("-expires_at").values_list("expires_at", flat=True).first())
        if to_status == SignalStatus.CANCELLED:
            signal.deadline_at = None
        signal.full_clean()
        signal.save(update_fields=[*changed, "updated_at"])
        SignalStatusChange.objects.create(signal=signal, from_status=from_status, to_status=to_status,
                                          actor=actor, text=text, created_at=now)
        record_event(actor=actor, action="signal.status_changed", target_type=target_of(signal),
                     target_uuid=signal.uuid,
                     fields=sorted(changed), purpose=purpose, details={"from": from_status, "to": to_status})
        events.signal_transitioned.send(sender=Signal, instance=signal, actor=actor, from_status=from_status,
                                        to_status=to_status, route_end=route_end)
    return signal


# --- The reporter answers a question ---------------------------------------------------------

def answer_information_request(request: InformationRequest, *, actor: User, answer: str) -> InformationRequest:
    signal = request.signal
    if signal.reporter_id != actor.pk:
        raise DomainError(_("Alleen de melder kan deze vraag beantwoorden."), code="forbidden")
    if not request.is_open:
        raise DomainError(_("Deze vraag is verlopen of al beantwoord."), field="answer")
    answer = (answer or "").strip()
    if not answer:
        raise DomainError(_("Schrijf uw antwoord."), field="answer")
    with transaction.atomic():
        request.answer = answer
        request.answered_at = timezone.now()
        request.save(update_fields=["answer", "answered_at", "updated_at"])
        if signal.status == SignalStatus.INFO_REQUESTED:
            transition_signal(signal, actor=actor, to_status=SignalStatus.IN_TRIAGE,
                              text=recorded("Melder heeft de vraag beantwoord."), purpose="antwoord melder")
        record_event(actor=actor, action="signal.information_answered", target_type=target_of(signal),
                     target_uuid=signal.uuid, fields=["answer"], purpose="antwoord melder")
    return request

"""Signals, their reported indicators, attachments, questions to the reporter, feedback and status history."""

from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from meldroute.accounts.constants import Role
from meldroute.accounts.permissions import in_role
from meldroute.core.fields import BlindIndexField, EncryptedTextField
from meldroute.core.models import AppendOnlyModel, BaseModel
from meldroute.core.storage import private_storage
from meldroute.organisations.constants import Team
from meldroute.organisations.models import Organisation

from . import search_keys
from .constants import ACTIVE_STATUSES, REPORTER_STATUS_LABELS, Channel, Outcome, Phenomenon, SignalStatus
from .indicator_catalogue import INDICATOR_GROUP_LABELS


class Indicator(models.Model):
    """One item of the signalenlijst. Seeded from indicator_catalogue; editable by the beheerder."""

    code = models.SlugField(_("code"), max_length=64, unique=True)
    form = models.CharField(_("vorm van uitbuiting"), max_length=32,
                            choices=list(INDICATOR_GROUP_LABELS.items()))
    text = models.CharField(_("tekst"), max_length=200)
    position = models.PositiveIntegerField(_("volgorde"), default=0)
    is_active = models.BooleanField(_("actief"), default=True)

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicatoren")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.text


def signal_scope(user: Any) -> Q:
    """THE scoping rule for signals: the union of what each of the user's roles may see (SPEC §1, F1).

    Everyone sees the signals they filed themselves. An AF sees all signals of their municipality.
    A partner contact sees the signals their organisation submitted. Other roles see no signals
    (cases, care and aggregates reach them through their own rules).
    """
    if user is None or not user.is_authenticated or not user.is_active:
        return Q(pk__in=[])
    scope = Q(reporter=user)
    if user.organisation_id is not None:
        if in_role(user, Role.AF, municipality=True):
            scope |= Q(municipality_id=user.organisation_id)
        if in_role(user, Role.PARTNER):
            scope |= Q(channel=Channel.PARTNER, source_organisation_id=user.organisation_id)
    return scope


class SignalQuerySet(models.QuerySet["Signal"]):
    def visible_to(self, user: Any) -> "SignalQuerySet":
        return self.filter(signal_scope(user))

    def reported_by(self, user: Any) -> "SignalQuerySet":
        return self.filter(reporter=user) if user.is_authenticated else self.none()

    def feedback_overdue(self, now: datetime | None = None) -> "SignalQuerySet":
        now = now or timezone.now()
        return self.filter(feedback_sent_at__isnull=True, feedback_due_at__lt=now)

    def needing_attention(self) -> "SignalQuerySet":
        """Still being worked on, or finished but the reporter is still owed feedback."""
        return self.filter(Q(status__in=ACTIVE_STATUSES)
                           | Q(feedback_sent_at__isnull=True, feedback_due_at__isnull=False))


class Signal(BaseModel):
    audit_target = "intake.signal"  # stored in the audit and access logs: never rename (audit.targets)

    reference = models.CharField(_("ontvangstcode"), max_length=16, unique=True)
    municipality = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="signals",
                                     verbose_name=_("gemeente"),
                                     limit_choices_to={"kind": "municipality"})
    channel = models.CharField(_("kanaal"), max_length=16, choices=Channel.choices, default=Channel.INTERNAL)
    reporter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="reported_signals", verbose_name=_("melder"))
    source_organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, null=True, blank=True,
                                            related_name="submitted_signals",
                                            verbose_name=_("organisatie van de melder"))
    reporter_team = models.CharField(_("team van de melder"), max_length=32, choices=Team.choices, blank=True)
    external_reference = models.CharField(_("kenmerk ketenpartner"), max_length=64, blank=True)
    is_acute = models.BooleanField(_("acuut"), default=False)
    status = models.CharField(_("status"), max_length=16, choices=SignalStatus.choices,
                              default=SignalStatus.RECEIVED)

    # What, where, when, who — personal data lives in these free texts, so they are encrypted at rest (core.fields;
    # lengths are checked by the forms and the API). Search and linking use the blind indexes below, never these.
    description = EncryptedTextField(_("wat heeft u gezien of gehoord"))
    address = EncryptedTextField(_("adres"), blank=True)
    postcode = EncryptedTextField(_("postcode"), blank=True)
    business_name = EncryptedTextField(_("naam bedrijf"), blank=True)
    kvk_number = EncryptedTextField(_("KvK-nummer"), blank=True)
    location_description = EncryptedTextField(_("andere locatie"), blank=True)
    observed_on = models.DateField(_("datum waarneming"), null=True, blank=True)
    observed_time = EncryptedTextField(_("tijdstip of periode"), blank=True)
    persons_description = EncryptedTextField(_("betrokken personen"), blank=True)
    # Keyed hashes of the normalised location fields (intake.search_keys), recomputed on every save.
    postcode_index = BlindIndexField(source="postcode", normalise=search_keys.normalise_postcode, purpose="postcode")
    street_index = BlindIndexField(source="address", normalise=search_keys.normalise_street, purpose="street")
    address_index = BlindIndexField(source="address", normalise=search_keys.normalise_street_number,
                                    purpose="address")
    kvk_index = BlindIndexField(source="kvk_number", normalise=search_keys.normalise_kvk, purpose="kvk")
    business_index = BlindIndexField(source="business_name", normalise=search_keys.normalise_text,
                                     purpose="business")
    indicators = models.ManyToManyField(Indicator, blank=True, related_name="signals",
                                        verbose_name=_("aangevinkte signalen"))

    received_at = models.DateTimeField(_("ontvangen op"), default=timezone.now)
    assigned_to = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                                    blank=True, related_name="assigned_signals",
                                    verbose_name=_("behandelaar"))
    # The next moment by which somebody must act (triage, answer, feedback); kept by the services.
    deadline_at = models.DateTimeField(_("volgende termijn"), null=True, blank=True)
    acute_alert_sent_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(_("afgesloten op"), null=True, blank=True)
    outcome = models.CharField(_("uitkomst"), max_length=32, choices=Outcome.choices, blank=True)
    phenomenon = models.CharField(_("ander fenomeen"), max_length=32, choices=Phenomenon.choices, blank=True)
    feedback_due_at = models.DateTimeField(_("terugkoppeling uiterlijk"), null=True, blank=True)
    feedback_sent_at = models.DateTimeField(_("terugkoppeling gegeven op"), null=True, blank=True)
    feedback_reminder_sent_at = models.DateTimeField(null=True, blank=True)

    # Denormalised from triage.Classification for the dashboards; written only by triage.services.classify_signal
    # (and backfilled by triage's migration 0003). A copy, so counting a municipality's signals per form and
    # sector needs no join to the classifications (benchmarks/dashboard.py). Never edit these by hand: the
    # classification is the source of truth.
    classified_at = models.DateTimeField(_("eerst geclassificeerd op"), null=True, blank=True, editable=False)
    classified_forms = models.JSONField(_("vormen van uitbuiting (classificatie)"), default=list, blank=True,
                                        editable=False)
    classified_sector = models.CharField(_("sector (classificatie)"), max_length=32, blank=True, editable=False)

    objects = SignalQuerySet.as_manager()

    PERSONAL_FIELDS = ("description", "address", "postcode", "business_name", "kvk_number",
                       "location_description", "persons_description", "observed_on", "observed_time")

    class Meta:
        verbose_name = _("signaal")
        verbose_name_plural = _("signalen")
        indexes = [
            models.Index(fields=["municipality", "-is_acute", "received_at"], name="signal_inbox_idx"),
            models.Index(fields=["reporter", "-received_at"], name="signal_reporter_idx"),
            models.Index(fields=["source_organisation", "-received_at"], name="signal_source_idx"),
            models.Index(fields=["municipality", "status"], name="signal_muni_status_idx"),
            # The inbox's default view (SignalQuerySet.needing_attention) in its exact order: a partial index
            # holds only the signals still needing attention, so counting them and reading page 1 no longer
            # walk the municipality's whole closed history (benchmarks/inbox.py).
            models.Index(fields=["municipality", "-is_acute", "received_at", "id"], name="signal_attention_idx",
                         condition=Q(status__in=sorted(ACTIVE_STATUSES))
                         | Q(feedback_sent_at__isnull=True, feedback_due_at__isnull=False)),
            # The inbox's counts (the page count and every tab) read only these columns of the open work: with them
            # in the index they are index-only scans, whatever the history (PostgreSQL; include= is ignored elsewhere).
            models.Index(fields=["municipality"], name="signal_attention_count_idx",
                         include=["id", "reporter", "assigned_to", "is_acute", "feedback_due_at", "feedback_sent_at"],
                         condition=Q(status__in=sorted(ACTIVE_STATUSES))
                         | Q(feedback_sent_at__isnull=True, feedback_due_at__isnull=False)),
            # The pattern alert leaves out the municipality's cancelled signals of its period: found here, not by
            # joining every link to the signal table (triage.selectors.pattern_alerts_for).
            models.Index(fields=["municipality", "received_at"], name="signal_cancelled_idx", include=["id"],
                         condition=Q(status=SignalStatus.CANCELLED)),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(outcome=Outcome.OTHER_PHENOMENON) | ~Q(phenomenon=""),
                name="other_phenomenon_names_phenomenon",
            ),
            models.CheckConstraint(
                condition=Q(status=SignalStatus.CLOSED, closed_at__isnull=False) | ~Q(status=SignalStatus.CLOSED),
                name="closed_signal_has_closed_at",
            ),
            # A partner system may retry a submission after a time-out: its own reference identifies the signal
            # (intake.services.submit_partner_signal), and the database makes sure two racing retries store one.
            models.UniqueConstraint(
                fields=["source_organisation", "external_reference"],
                condition=Q(channel=Channel.PARTNER) & ~Q(external_reference=""),
                name="partner_reference_once",
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUSES

    @property
    def is_feedback_overdue(self) -> bool:
        return (self.feedback_sent_at is None and self.feedback_due_at is not None
                and self.feedback_due_at < timezone.now())

    @property
    def is_deadline_passed(self) -> bool:
        return self.deadline_at is not None and self.deadline_at < timezone.now()

    @property
    def reporter_status_label(self) -> str:
        return str(REPORTER_STATUS_LABELS[SignalStatus(self.status)])

    @property
    def where(self) -> str:
        parts = [self.business_name, self.address, self.postcode, self.location_description]
        return ", ".join(p for p in parts if p)


class SignalStatusChange(AppendOnlyModel):
    """Append-only history: one row per status change, with its text."""

    signal = models.ForeignKey(Signal, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(max_length=16, choices=SignalStatus.choices, blank=True)
    to_status = models.CharField(max_length=16, choices=SignalStatus.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    text = EncryptedTextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]


def attachment_path(instance: "Attachment", filename: str) -> str:
    # Never the reporter's file name on disk: it may carry personal data or path tricks.
    return f"signals/{instance.signal.uuid}/{instance.uuid}"


class Attachment(BaseModel):
    audit_target = "intake.attachment"  # stored in the audit and access logs: never rename (audit.targets)

    signal = models.ForeignKey(Signal, on_delete=models.CASCADE, related_name="attachments")
    # Stored as one Fernet token (core.storage), decrypted only by the access-checked download.
    file = models.FileField(upload_to=attachment_path, max_length=200, storage=private_storage)
    original_name = EncryptedTextField(_("bestandsnaam"))  # a file name can carry a name
    content_type = models.CharField(_("soort bestand"), max_length=120)
    size = models.PositiveIntegerField(_("grootte (bytes)"))
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                                    related_name="+")

    class Meta:
        verbose_name = _("bijlage")
        verbose_name_plural = _("bijlagen")
        ordering = ["created_at"]

    def __str__(self) -> str:
        name: str = self.original_name
        return name


class InformationRequest(BaseModel):
    """A question from the AF to the reporter, answered in the app before it expires."""

    signal = models.ForeignKey(Signal, on_delete=models.CASCADE, related_name="information_requests")
    question = EncryptedTextField(_("vraag"))
    asked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    expires_at = models.DateTimeField(_("verloopt op"))
    answer = EncryptedTextField(_("antwoord"), blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    expired_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at"]

    @property
    def is_open(self) -> bool:
        return self.answered_at is None and self.expired_at is None and self.expires_at > timezone.now()


class Feedback(BaseModel):
    """Terugkoppeling: text written for the reporter, separate from internal notes."""

    signal = models.ForeignKey(Signal, on_delete=models.CASCADE, related_name="feedback")
    text = EncryptedTextField(_("terugkoppeling"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("terugkoppeling")
        verbose_name_plural = _("terugkoppelingen")
        ordering = ["created_at"]


# The public form for residents keeps its configuration and rate-limit counters in a module of its own.
from .resident_models import ResidentForm, ResidentFormCounter  # noqa: E402,F401

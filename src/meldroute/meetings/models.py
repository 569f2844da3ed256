"""Meeting series (a recurring overleg and who takes part), dated meetings and their agenda items with decisions."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from meldroute.cases.models import Case
from meldroute.core.fields import EncryptedTextField
from meldroute.core.models import BaseModel
from meldroute.intake.models import Signal
from meldroute.organisations.models import Organisation, Region
from meldroute.partners.constants import DataCategory, PartnerType
from meldroute.routing.constants import Decision
from meldroute.routing.models import SignalRouteStep

from .constants import (
    CASE_DECISION_LABELS,
    MOVE_REASON_MAX_LENGTH,
    Cadence,
    MeetingStatus,
    Ordinal,
    SeriesKind,
    Weekday,
)


class MeetingSeriesQuerySet(models.QuerySet["MeetingSeries"]):
    def with_participant(self, organisation_id: int) -> "MeetingSeriesQuerySet":
        """Series an organisation sits at (the chair always does)."""
        return self.filter(Q(participants__id=organisation_id) | Q(chair_organisation_id=organisation_id)).distinct()


class MeetingSeries(BaseModel):
    """A recurring overleg: regional (no municipality) or of one municipality, with its participants and cadence."""

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="meeting_series",
                               verbose_name=_("regio"))
    municipality = models.ForeignKey(Organisation, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="meeting_series", verbose_name=_("gemeente"),
                                     limit_choices_to={"kind": "municipality"},
                                     help_text=_("Leeg voor een regionaal overleg."))
    kind = models.CharField(_("soort overleg"), max_length=32, choices=SeriesKind.choices)
    name = models.CharField(_("naam"), max_length=160)
    cadence = models.CharField(_("frequentie"), max_length=16, choices=Cadence.choices, default=Cadence.WEEKLY)
    weekday = models.PositiveSmallIntegerField(_("dag"), choices=Weekday.choices, default=Weekday.TUESDAY)
    ordinal = models.SmallIntegerField(_("welke week van de maand"), choices=Ordinal.choices, default=Ordinal.FIRST,
                                       help_text=_("Alleen bij een maandelijks overleg."))
    start_time = models.TimeField(_("aanvang"), null=True, blank=True)
    chair_organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="chaired_series",
                                           verbose_name=_("voorzitter (organisatie)"))
    participants = models.ManyToManyField(Organisation, related_name="meeting_participations",
                                          verbose_name=_("deelnemende organisaties"))
    # The sharing rule of this table: which categories of a signal its participants may see (DataCategory values).
    shared_categories = models.JSONField(_("gedeelde gegevens"), default=list, blank=True)
    is_active = models.BooleanField(_("actief"), default=True)

    objects = MeetingSeriesQuerySet.as_manager()

    class Meta:
        verbose_name = _("overlegreeks")
        verbose_name_plural = _("overlegreeksen")
        ordering = ["region__name", "name"]

    def __str__(self) -> str:
        return self.name

    @property
    def categories(self) -> frozenset[str]:
        """The shared categories; the summary (no personal data) is always shared."""
        return frozenset(c for c in self.shared_categories if c in DataCategory.values) | {DataCategory.SUMMARY}

    @property
    def category_labels(self) -> list[str]:
        return [str(label) for value, label in DataCategory.choices if value in self.categories]

    @property
    def cadence_label(self) -> str:
        day = Weekday(self.weekday).label
        if self.cadence in (Cadence.QUARTERLY, Cadence.HALF_YEARLY):
            return _("%(cadence)s, de %(ordinal)s %(day)s van de maand") % {
                "cadence": Cadence(self.cadence).label, "ordinal": Ordinal(self.ordinal).label, "day": day}
        if self.cadence == Cadence.MONTHLY:
            return _("Elke %(ordinal)s %(day)s van de maand") % {"ordinal": Ordinal(self.ordinal).label, "day": day}
        return _("Elke %(day)s") % {"day": day}


class Meeting(BaseModel):
    """One dated sitting of a series."""

    audit_target = "meetings.meeting"  # stored in the audit and access logs: never rename (audit.targets)

    series = models.ForeignKey(MeetingSeries, on_delete=models.CASCADE, related_name="meetings",
                               verbose_name=_("overlegreeks"))
    date = models.DateField(_("datum"))
    status = models.CharField(_("stand"), max_length=16, choices=MeetingStatus.choices,
                              default=MeetingStatus.PLANNED)
    notes = EncryptedTextField(_("aantekeningen"), blank=True)  # encrypted at rest (core.fields)
    held_at = models.DateTimeField(_("afgesloten op"), null=True, blank=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="+")
    # Who was there (recorded by the chair): organisations, never persons.
    present_organisations = models.ManyToManyField(Organisation, blank=True, related_name="+",
                                                   verbose_name=_("aanwezige organisaties"))
    attendance_recorded_at = models.DateTimeField(_("aanwezigheid vastgelegd op"), null=True, blank=True)

    class Meta:
        verbose_name = _("overleg")
        verbose_name_plural = _("overleggen")
        ordering = ["-date", "-id"]
        constraints = [models.UniqueConstraint(fields=["series", "date"], name="one_meeting_per_series_per_day")]

    def __str__(self) -> str:
        return f"{self.series.name} {self.date:%d-%m-%Y}"

    @property
    def is_planned(self) -> bool:
        return self.status == MeetingStatus.PLANNED


class AgendaItem(BaseModel):
    """A signal or a case on a meeting's agenda (exactly one of the two), and what the meeting decided about it."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="items", verbose_name=_("overleg"))
    signal = models.ForeignKey(Signal, on_delete=models.PROTECT, null=True, blank=True, related_name="agenda_items",
                               verbose_name=_("signaal"))
    case = models.ForeignKey(Case, on_delete=models.PROTECT, null=True, blank=True, related_name="agenda_items",
                             verbose_name=_("casus"))
    route_step = models.ForeignKey(SignalRouteStep, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="agenda_items", verbose_name=_("stap in de meldroute"))
    position = models.PositiveIntegerField(_("volgorde"))
    decision = models.CharField(_("besluit"), max_length=32, choices=Decision.choices, blank=True)
    owner_organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, null=True, blank=True,
                                           related_name="+", verbose_name=_("eigenaar"))
    action = EncryptedTextField(_("actie"), blank=True)
    deadline = models.DateField(_("uiterlijk"), null=True, blank=True)
    refer_to = models.CharField(_("doorverwijzen naar"), max_length=32, choices=PartnerType.choices, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+", verbose_name=_("vastgelegd door"))
    decided_at = models.DateTimeField(_("besloten op"), null=True, blank=True)
    # The screeningsoverleg decided that the persons must be sheltered (seed 003 §6, footnote 12): care starts the
    # placement request for the zorgcoördinator (meetings.events.shelter_decided).
    shelter = models.BooleanField(_("opvang"), default=False)
    # Moved to the next meeting of the series, with the reason (no names): handled here, discussed there.
    moved_to = models.OneToOneField("self", on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="moved_from", verbose_name=_("verplaatst naar"))
    move_reason = models.CharField(_("reden verplaatsing"), max_length=MOVE_REASON_MAX_LENGTH, blank=True)

    class Meta:
        verbose_name = _("agendapunt")
        verbose_name_plural = _("agendapunten")
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "signal"], name="signal_once_per_meeting"),
            models.UniqueConstraint(fields=["meeting", "case"], name="case_once_per_meeting"),
            models.CheckConstraint(condition=(Q(signal__isnull=False, case__isnull=True)
                                              | Q(signal__isnull=True, case__isnull=False)),
                                   name="agenda_item_is_signal_or_case"),
            models.CheckConstraint(condition=~Q(decision="refer") | ~Q(refer_to=""), name="refer_names_partner"),
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.subject_reference}"

    @property
    def is_case(self) -> bool:
        return self.case_id is not None

    @property
    def subject_reference(self) -> str:
        """The signal's or the case's reference: what the agenda and the messages name the item by."""
        subject = self.case if self.case_id is not None else self.signal
        return subject.reference if subject is not None else ""

    @property
    def is_decided(self) -> bool:
        return bool(self.decision)

    @property
    def is_moved(self) -> bool:
        return self.moved_to_id is not None

    @property
    def is_handled(self) -> bool:
        """Decided, or moved to the next meeting: nothing is left to do about it at this meeting."""
        return self.is_decided or self.is_moved

    @property
    def decision_label(self) -> str:
        if self.is_case and self.decision in CASE_DECISION_LABELS:
            return str(CASE_DECISION_LABELS[Decision(self.decision)])
        return str(self.get_decision_display())


class CaseAgendaRequest(BaseModel):
    """A case waiting for the next meeting of a series (SPEC §2 D2): placed on the agenda when the chair's next meeting
    compiles (`placed_on`); pending while `placed_on` is empty. A cancelled meeting frees its undecided items, so
    their requests are pending again and the case returns on the next meeting."""

    series = models.ForeignKey(MeetingSeries, on_delete=models.CASCADE, related_name="case_requests",
                               verbose_name=_("overlegreeks"))
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="agenda_requests", verbose_name=_("casus"))
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("aangevraagd door"))
    # Why the case should be discussed; shown on the case page only (the table sees no more than the case header).
    reason = EncryptedTextField(_("reden"))
    placed_on = models.OneToOneField(AgendaItem, on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="request", verbose_name=_("agendapunt"))

    class Meta:
        verbose_name = _("agendering van een casus")
        verbose_name_plural = _("agenderingen van casussen")
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["series", "case"], condition=Q(placed_on__isnull=True),
                                    name="one_pending_case_request_per_series"),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} → {self.series_id}"

    @property
    def is_pending(self) -> bool:
        return self.placed_on_id is None


class SeriesGuest(BaseModel):
    """An organisation that joins a table for the items of some forms of exploitation only: the OM at the
    screeningsoverleg for criminal exploitation (seed 003 §6.3). Compiling the agenda invites it to those items."""

    series = models.ForeignKey(MeetingSeries, on_delete=models.CASCADE, related_name="guests",
                               verbose_name=_("overlegreeks"))
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("organisatie"))
    forms = models.JSONField(_("vormen van uitbuiting"), default=list)

    class Meta:
        verbose_name = _("vaste gast van een overleg")
        verbose_name_plural = _("vaste gasten van overleggen")
        constraints = [models.UniqueConstraint(fields=["series", "organisation"], name="one_guest_rule_per_org")]

    def __str__(self) -> str:
        return f"{self.organisation_id} @ {self.series_id}"


class ItemGuest(BaseModel):
    """An organisation invited to one agenda item (ODWH or HEIT at the signaleringsoverleg "wanneer dit voor de
    casuïstiek nodig is", seed 002 §5.2.1; the OM by its SeriesGuest rule). It sees that item only, never another
    item of the meeting, and reads it by the same sharing rule as a standing participant of its partner type."""

    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="guests",
                             verbose_name=_("agendapunt"))
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="agenda_invitations",
                                     verbose_name=_("organisatie"))
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+", verbose_name=_("uitgenodigd door"))

    class Meta:
        verbose_name = _("uitgenodigde voor een agendapunt")
        verbose_name_plural = _("uitgenodigden voor agendapunten")
        constraints = [models.UniqueConstraint(fields=["item", "organisation"], name="one_invitation_per_item")]

    def __str__(self) -> str:
        return f"{self.organisation_id} → {self.item_id}"


class MinutesCopy(BaseModel):
    """One participant organisation's copy of a held meeting's minutes: its PDF holds what that organisation may see
    (agenda_for); the mail that announces it carries a link only. `notified_at` is the outbox's claim."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="minutes_copies",
                                verbose_name=_("overleg"))
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("organisatie"))
    notified_at = models.DateTimeField(_("gemeld op"), null=True, blank=True)

    class Meta:
        verbose_name = _("notulen voor een deelnemer")
        verbose_name_plural = _("notulen voor deelnemers")
        constraints = [models.UniqueConstraint(fields=["meeting", "organisation"], name="one_minutes_copy_per_org")]

    def __str__(self) -> str:
        return f"{self.meeting_id} → {self.organisation_id}"

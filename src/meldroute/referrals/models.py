"""Referrals to chain partners with their own authorised field set, their history, and personal links."""

import hashlib
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from meldroute.accounts.constants import Role
from meldroute.accounts.permissions import in_role
from meldroute.core.fields import EncryptedJSONField
from meldroute.core.models import AppendOnlyModel, BaseModel
from meldroute.intake.constants import Phenomenon
from meldroute.intake.models import Signal
from meldroute.organisations.models import Organisation
from meldroute.partners.constants import DataCategory, LegalGround, PartnerType
from meldroute.partners.models import DirectoryEntry

from .constants import OPEN_STATUSES, OutcomeKind, ReferralKind, ReferralStatus, category_fields


def referral_scope(user: Any) -> Q:
    """Who sees which referral: an AF those of their municipality's signals; a partner contact those sent to their
    organisation. Nobody else (the ketenregisseur, the reporter, other municipalities and partners) sees any."""
    if user is None or not user.is_authenticated or not user.is_active or user.organisation_id is None:
        return Q(pk__in=[])
    scope = Q(pk__in=[])
    if in_role(user, Role.AF, municipality=True):
        scope |= Q(municipality_id=user.organisation_id)  # the signal's municipality, copied (never changes)
    if in_role(user, Role.PARTNER):
        scope |= Q(receiver_organisation_id=user.organisation_id)
    return scope


class ReferralQuerySet(models.QuerySet["Referral"]):
    def visible_to(self, user: Any) -> "ReferralQuerySet":
        return self.filter(referral_scope(user))

    def open(self) -> "ReferralQuerySet":
        return self.filter(status__in=OPEN_STATUSES)


class Referral(BaseModel):
    audit_target = "referrals.referral"  # stored in the audit and access logs: never rename (audit.targets)

    signal = models.ForeignKey(Signal, on_delete=models.PROTECT, related_name="referrals",
                               verbose_name=_("signaal"))
    # Copies of two facts of the signal that never change once it is in (services.create_referral sets them): the
    # AF's list is scoped and counted on the referral's own municipality, and the acute filter reads its own flag,
    # so neither joins the municipality's whole signal history (issue 17, benchmarks/lists.py).
    municipality = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+", db_index=False,
                                     verbose_name=_("gemeente van het signaal"))
    is_acute = models.BooleanField(_("acuut signaal"), default=False)
    # Sender and receiver are snapshotted: a later rename or merge must not change what the record says.
    sender_organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="referrals_sent",
                                            verbose_name=_("verzendende organisatie"))
    sender_name = models.CharField(_("verzender"), max_length=160)
    receiver_organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, null=True, blank=True,
                                              related_name="referrals_received",
                                              verbose_name=_("ontvangende organisatie in Meldroute"))
    directory_entry = models.ForeignKey(DirectoryEntry, on_delete=models.SET_NULL, null=True, blank=True,
                                        related_name="referrals", verbose_name=_("ketenpartner uit de wegwijzer"))
    receiver_name = models.CharField(_("ontvanger"), max_length=160)
    receiver_partner_type = models.CharField(_("soort ketenpartner"), max_length=32, choices=PartnerType.choices)
    purpose = models.TextField(_("doel van de doorverwijzing"))
    # A hand-over of another phenomenon carries its own field set (constants.PHENOMENON_CATEGORY_FIELDS).
    kind = models.CharField(_("soort doorverwijzing"), max_length=16, choices=ReferralKind.choices,
                            default=ReferralKind.TRAFFICKING)
    phenomenon = models.CharField(_("ander fenomeen"), max_length=32, choices=Phenomenon.choices, blank=True)
    legal_ground = models.CharField(_("grondslag"), max_length=32, choices=LegalGround.choices)
    categories = models.JSONField(_("gedeelde soorten gegevens"), default=list)
    # Exactly what went out (SPEC C4): the values of the authorised fields at the moment of sending.
    shared_data = EncryptedJSONField(_("gedeelde gegevens"), default=dict)  # encrypted at rest (core.fields)
    status = models.CharField(_("status"), max_length=16, choices=ReferralStatus.choices,
                              default=ReferralStatus.IN_PROGRESS)
    reason = models.TextField(_("reden"), blank=True)
    outcome = models.TextField(_("uitkomst"), blank=True)
    # The structured outcome beside the text: what was done, and to whom it was handed over if it was.
    outcome_kind = models.CharField(_("soort uitkomst"), max_length=16, choices=OutcomeKind.choices, blank=True)
    outcome_handed_to = models.CharField(_("overgedragen aan"), max_length=160, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("verstuurd door"))
    closed_at = models.DateTimeField(_("afgesloten op"), null=True, blank=True)

    objects = ReferralQuerySet.as_manager()

    class Meta:
        verbose_name = _("doorverwijzing")
        verbose_name_plural = _("doorverwijzingen")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["receiver_organisation", "-created_at"], name="referral_receiver_idx"),
                   # The partner's list filtered on status (the open ones first of all) without reading the rest.
                   models.Index(fields=["receiver_organisation", "status", "-created_at"],
                                name="referral_receiver_status_idx"),
                   # The AF's list, newest first, and its count: the municipality's referrals only.
                   models.Index(fields=["municipality", "-created_at", "-id"], name="referral_municipality_idx"),
                   # The partner's acute filter.
                   models.Index(fields=["receiver_organisation", "-created_at"], condition=Q(is_acute=True),
                                name="referral_receiver_acute_idx")]
        constraints = [
            models.CheckConstraint(condition=~Q(status=ReferralStatus.REJECTED) | ~Q(reason=""),
                                   name="rejected_referral_has_reason"),
            models.CheckConstraint(condition=~Q(status=ReferralStatus.DONE) | ~Q(outcome=""),
                                   name="done_referral_has_outcome"),
            # A hand-over names its phenomenon; a trafficking referral has none.
            models.CheckConstraint(condition=(Q(kind=ReferralKind.PHENOMENON) & ~Q(phenomenon=""))
                                   | Q(kind=ReferralKind.TRAFFICKING, phenomenon=""),
                                   name="referral_kind_names_phenomenon"),
        ]

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.municipality_id is None and self.signal_id is not None:  # the signal's fixed facts, copied once
            self.municipality_id = self.signal.municipality_id
            self.is_acute = self.signal.is_acute
        super().save(*args, **kwargs)

    def __str__(self) -> str:
        return f"{self.signal.reference} → {self.receiver_name}"

    @property
    def link_actor_label(self) -> str:
        """Who acted through a personal link, in the audit and access logs (nobody is signed in)."""
        return f"persoonlijke link: {self.receiver_name}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def shared_fields(self) -> list[str]:
        return [f"{category}.{name}" for category in self.categories
                for name, _label in category_fields(self.kind, category)]

    def shared_sections(self) -> list[tuple[str, list[tuple[str, str]]]]:
        """What went out, for display: per authorised category its fields with their labels. Nothing else."""
        sections = []
        for category in DataCategory.values:
            if category not in self.categories:
                continue
            values = self.shared_data.get(category, {})
            sections.append((str(DataCategory(category).label),
                             [(str(label), values.get(name) or "—")
                              for name, label in category_fields(self.kind, category)]))
        return sections


class ReferralStatusChange(AppendOnlyModel):
    """Append-only history: one row per status change of a referral, with its text."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(max_length=16, choices=ReferralStatus.choices, blank=True)
    to_status = models.CharField(max_length=16, choices=ReferralStatus.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    # Who acted when there is no account: "persoonlijke link" of the receiver.
    actor_label = models.CharField(max_length=160, blank=True)
    text = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]


class ReferralMessage(models.Model):
    """A question of the receiver to the sender on a referral, or the sender's answer (issue 14). Only the two parties
    read them, the receiver not after a revocation; retention clears them with the referral's other texts."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="messages")
    from_receiver = models.BooleanField(_("van de ontvanger"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    author_label = models.CharField(max_length=160, blank=True)
    text = models.TextField(_("bericht"))
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("bericht bij een doorverwijzing")
        verbose_name_plural = _("berichten bij een doorverwijzing")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.referral_id}: {'ontvanger' if self.from_receiver else 'verzender'}"


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class ReferralLinkQuerySet(models.QuerySet["ReferralLink"]):
    def valid(self, now: datetime | None = None) -> "ReferralLinkQuerySet":
        return self.filter(revoked_at__isnull=True, expires_at__gt=now or timezone.now())


class ReferralLink(BaseModel):
    """A personal link for a receiver without an account. Only the SHA-256 of the token is stored."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="links")
    token_hash = models.CharField(max_length=64, unique=True)
    expires_at = models.DateTimeField(_("geldig tot"))
    revoked_at = models.DateTimeField(_("ingetrokken op"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    objects = ReferralLinkQuerySet.as_manager()

    class Meta:
        verbose_name = _("persoonlijke link")
        verbose_name_plural = _("persoonlijke links")
        ordering = ["-created_at"]

    @property
    def is_valid(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()

"""The custom User: member of one organisation, holding one or more roles; proposals for a role; API tokens."""

import hashlib
import uuid
from datetime import date, datetime
from functools import cached_property
from typing import ClassVar

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from meldroute.organisations.constants import AfDuty, Team
from meldroute.organisations.models import Organisation

from .constants import REPORTING_ROLES, ProposalStatus, Role


class UserQuerySet(models.QuerySet["User"]):
    def with_role(self, role: str) -> "UserQuerySet":
        return self.filter(role_assignments__role=role, is_active=True)


class MeldrouteUserManager(UserManager.from_queryset(UserQuerySet)):  # type: ignore[misc]
    pass


class User(AbstractUser):
    audit_target = "accounts.user"  # stored in the audit and access logs: never rename (audit.targets)

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="members",
        verbose_name=_("organisatie"),
    )
    team = models.CharField(_("team"), max_length=32, choices=Team.choices, blank=True)
    # While absent, the achtervang (the other AF of the municipality) takes over alerts.
    absent_until = models.DateField(_("afwezig tot en met"), null=True, blank=True)
    # Which of the municipality's AFs this is, where the route splits the work (routing's af_oov / af_zorg steps);
    # recorded by the beheerder (accounts.services.set_af_duty), one active holder per duty per municipality.
    af_duty = models.CharField(_("taak als aandachtsfunctionaris"), max_length=16, choices=AfDuty.choices,
                               blank=True)
    # The system of a partner organisation, acting through the organisation's API tokens: no password, no session,
    # and the partner contact's view of its own organisation's submissions (nothing it could be granted more).
    is_service_account = models.BooleanField(_("systeemaccount"), default=False, editable=False)
    # Who this user is at the organisation's identity provider (OpenID Connect, accounts.oidc): the stable claim the
    # login matches on. Never taken from an e-mail address unless the IdP verified it (and the deployment allows it).
    oidc_subject = models.CharField(_("identiteit bij de identiteitsprovider"), max_length=255, null=True, blank=True,
                                    unique=True, editable=False)

    objects: ClassVar[MeldrouteUserManager] = MeldrouteUserManager()

    class Meta:
        verbose_name = _("gebruiker")
        verbose_name_plural = _("gebruikers")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "af_duty"],
                                    condition=models.Q(is_active=True) & ~models.Q(af_duty=""),
                                    name="one_active_af_per_duty"),
        ]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    @cached_property
    def roles(self) -> frozenset[str]:
        if not self.pk or not self.is_active:
            return frozenset()
        if self.is_service_account:
            return frozenset({Role.PARTNER})
        return frozenset(self.role_assignments.values_list("role", flat=True))

    def has_role(self, role: str) -> bool:
        return role in self.roles

    @property
    def can_report(self) -> bool:
        return bool(self.roles & REPORTING_ROLES) and self.organisation_id is not None

    def is_absent(self, today: date | None = None) -> bool:
        today = today or timezone.localdate()
        return self.absent_until is not None and self.absent_until >= today


class RoleAssignment(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_assignments")
    role = models.CharField(_("rol"), max_length=32, choices=Role.choices)

    class Meta:
        verbose_name = _("rol")
        verbose_name_plural = _("rollen")
        constraints = [models.UniqueConstraint(fields=["user", "role"], name="unique_role_per_user")]

    def __str__(self) -> str:
        return self.get_role_display()


class RoleProposal(models.Model):
    """A beheerder proposes a role that needs a second pair of eyes; another beheerder approves or refuses it."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_proposals")
    role = models.CharField(_("rol"), max_length=32, choices=Role.choices)
    reason = models.TextField(_("reden"))
    proposed_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    proposed_at = models.DateTimeField(_("voorgesteld op"), default=timezone.now)
    status = models.CharField(_("status"), max_length=16, choices=ProposalStatus.choices,
                              default=ProposalStatus.PENDING)
    decided_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    decided_at = models.DateTimeField(_("besloten op"), null=True, blank=True)
    decision_reason = models.TextField(_("toelichting bij het besluit"), blank=True)

    class Meta:
        verbose_name = _("rolvoorstel")
        verbose_name_plural = _("rolvoorstellen")
        constraints = [
            models.UniqueConstraint(fields=["user", "role"], condition=models.Q(status="pending"),
                                    name="one_pending_proposal_per_role"),
            # The proposer never decides its own proposal, whatever path wrote the row.
            models.CheckConstraint(condition=~models.Q(decided_by=models.F("proposed_by")),
                                   name="proposal_decided_by_another"),
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()} — {self.user}"


def hash_token_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


class ApiTokenQuerySet(models.QuerySet["ApiToken"]):
    def usable(self, now: datetime | None = None) -> "ApiTokenQuerySet":
        now = now or timezone.now()
        return self.filter(revoked_at__isnull=True, expires_at__gt=now)


class ApiToken(models.Model):
    """A partner organisation's system credential: only the SHA-256 of the secret is stored; it always expires."""

    audit_target = "accounts.apitoken"  # stored in the audit and access logs: never rename (audit.targets)

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="api_tokens",
                                     verbose_name=_("organisatie"))
    # The organisation's service account: the API scopes by request.user, so a token acts as its system.
    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="api_tokens")
    name = models.CharField(_("naam"), max_length=100)
    prefix = models.CharField(_("begin van de sleutel"), max_length=8)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("aangemaakt op"), default=timezone.now)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    expires_at = models.DateTimeField(_("verloopt op"))
    revoked_at = models.DateTimeField(_("ingetrokken op"), null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("API-sleutel")
        verbose_name_plural = _("API-sleutels")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    def is_usable(self, now: datetime | None = None) -> bool:
        now = now or timezone.now()
        return self.revoked_at is None and self.expires_at > now

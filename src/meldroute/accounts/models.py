"""The custom User: member of one organisation, holding one or more roles."""

import uuid
from functools import cached_property
from typing import ClassVar

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from meldroute.organisations.constants import Team
from meldroute.organisations.models import Organisation

from .constants import REPORTING_ROLES, Role


class UserQuerySet(models.QuerySet):
    def with_role(self, role: str):
        return self.filter(role_assignments__role=role, is_active=True)


class MeldrouteUserManager(UserManager.from_queryset(UserQuerySet)):  # type: ignore[misc]
    pass


class User(AbstractUser):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="members",
        verbose_name=_("organisatie"),
    )
    team = models.CharField(_("team"), max_length=32, choices=Team.choices, blank=True)
    # While absent, the achtervang (the other AF of the municipality) takes over alerts.
    absent_until = models.DateField(_("afwezig tot en met"), null=True, blank=True)

    objects: ClassVar[MeldrouteUserManager] = MeldrouteUserManager()  # type: ignore[assignment]

    class Meta:
        verbose_name = _("gebruiker")
        verbose_name_plural = _("gebruikers")

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    @cached_property
    def roles(self) -> frozenset[str]:
        if not self.pk or not self.is_active:
            return frozenset()
        return frozenset(self.role_assignments.values_list("role", flat=True))

    def has_role(self, role: str) -> bool:
        return role in self.roles

    @property
    def can_report(self) -> bool:
        return bool(self.roles & REPORTING_ROLES) and self.organisation_id is not None

    def is_absent(self, today=None) -> bool:
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

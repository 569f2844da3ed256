"""A case (casus) opened from one or more signals, its team, and its scoping rule."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from meldroute.accounts.constants import Role
from meldroute.core.models import BaseModel
from meldroute.intake.models import Signal
from meldroute.organisations.models import Organisation

from .constants import CaseResult, CaseRole, CaseStatus


def case_scope(user) -> Q:
    """THE scoping rule for cases (SPEC §1, F1): the case team, the AFs of the case's municipality, and the
    procesregisseurs of the ZVH the case was brought into. Everyone else sees no case."""
    if user is None or not user.is_authenticated or not user.is_active:
        return Q(pk__in=[])
    scope = Q(members__user=user, members__ended_at__isnull=True)
    if user.organisation_id is not None:
        if user.has_role(Role.AF) and user.organisation.is_municipality:
            scope |= Q(municipality_id=user.organisation_id)
        if user.has_role(Role.PROCESREGISSEUR):
            scope |= Q(zvh_id=user.organisation_id)
    return scope


class CaseQuerySet(models.QuerySet):
    def visible_to(self, user):
        # distinct: the team join may match a user more than once
        return self.filter(pk__in=Case.objects.filter(case_scope(user)).values("pk"))


class Case(BaseModel):
    reference = models.CharField(_("casusnummer"), max_length=20, unique=True)
    title = models.CharField(_("werktitel"), max_length=120,
                             help_text=_("Zonder namen: bijvoorbeeld 'Nagelsalon Dorpsstraat'."))
    municipality = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="cases",
                                     verbose_name=_("gemeente"), limit_choices_to={"kind": "municipality"})
    zvh = models.ForeignKey(Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="zvh_cases",
                            verbose_name=_("ingebracht bij ZVH"), limit_choices_to={"kind": "zvh"})
    signals = models.ManyToManyField(Signal, related_name="cases", verbose_name=_("signalen"))
    status = models.CharField(_("status"), max_length=16, choices=CaseStatus.choices, default=CaseStatus.OPENED)
    is_complex = models.BooleanField(_("complexe casus"), default=False)
    complexity_criteria = models.JSONField(_("criteria complexiteit"), default=list, blank=True)
    result = models.CharField(_("resultaat"), max_length=32, choices=CaseResult.choices, blank=True)
    result_text = models.TextField(_("toelichting resultaat"), blank=True)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    closed_at = models.DateTimeField(_("afgesloten op"), null=True, blank=True)

    objects = CaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("casus")
        verbose_name_plural = _("casussen")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=~Q(status=CaseStatus.CLOSED) | ~Q(result=""),
                                   name="closed_case_has_result"),
        ]

    def __str__(self) -> str:
        return self.reference


class CaseMember(BaseModel):
    """A user's role on one case: the case team."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="case_memberships")
    role = models.CharField(_("rol"), max_length=32, choices=CaseRole.choices)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("lid casusteam")
        verbose_name_plural = _("casusteam")
        constraints = [models.UniqueConstraint(fields=["case", "user", "role"], condition=Q(ended_at__isnull=True),
                                               name="one_active_membership_per_role")]


class CaseStatusChange(models.Model):
    """Append-only history of a case's status, with its reason or result."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(max_length=16, choices=CaseStatus.choices, blank=True)
    to_status = models.CharField(max_length=16, choices=CaseStatus.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    text = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise TypeError("Case history is append-only.")
        super().save(*args, **kwargs)

"""A case (casus) opened from one or more signals, its team, and its scoping rule."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from meldroute.accounts.constants import Role
from meldroute.accounts.permissions import in_role
from meldroute.core.models import AppendOnlyModel, BaseModel
from meldroute.intake.models import Signal
from meldroute.organisations.models import Organisation

from .constants import ActionStatus, CaseResult, CaseRole, CaseStatus, ComplexityCriterion, InterventionKind


def _scope(user, *, care_only_counts: bool) -> Q:
    if user is None or not user.is_authenticated or not user.is_active:
        return Q(pk__in=[])
    memberships = CaseMember.objects.filter(user=user, ended_at__isnull=True)
    if not care_only_counts:
        memberships = memberships.exclude(role=CaseRole.ZORGCOORDINATOR)
    scope = Q(pk__in=memberships.values("case_id"))
    if user.organisation_id is not None:
        if in_role(user, Role.AF, municipality=True):
            scope |= Q(municipality_id=user.organisation_id)
        if in_role(user, Role.PROCESREGISSEUR):
            scope |= Q(zvh_id=user.organisation_id)
    return scope


def case_scope(user) -> Q:
    """THE scoping rule for cases (SPEC §1, F1): the case team, the AFs of the case's municipality, and the
    procesregisseurs of the ZVH the case was brought into. Everyone else sees no case."""
    return _scope(user, care_only_counts=True)


def full_case_scope(user) -> Q:
    """The part of the case scope that sees a case whole: everyone in `case_scope` except a zorgcoördinator who is on
    the team only for care (they see the care part: the case header, the team and what concerns the victims)."""
    return _scope(user, care_only_counts=False)


class CaseQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(case_scope(user))

    def seen_whole_by(self, user):
        return self.filter(full_case_scope(user))


class Case(BaseModel):
    audit_target = "cases.case"  # stored in the audit and access logs: never rename (audit.targets)

    # CS-<municipality code>-<year>-<number>: numbered per municipality and year, unique across the country.
    reference = models.CharField(_("casusnummer"), max_length=32, unique=True)
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

    # What a read of the case page shows beyond the list (access-logged under these names).
    PERSONAL_FIELDS = ("title", "signals", "members", "actions", "interventions", "result_text")

    class Meta:
        verbose_name = _("casus")
        verbose_name_plural = _("casussen")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=~Q(status=CaseStatus.CLOSED) | ~Q(result=""),
                                   name="closed_case_has_result"),
        ]
        # The open cases only (the case list's "Lopend" and its count): their number follows the open work, while
        # the closed cases pile up for years.
        indexes = [models.Index(fields=["municipality", "-created_at"], name="case_open_idx",
                                condition=~Q(status=CaseStatus.CLOSED))]

    def __str__(self) -> str:
        return self.reference

    @property
    def is_open(self) -> bool:
        return self.status != CaseStatus.CLOSED

    @property
    def complexity_labels(self) -> list[str]:
        labels = dict(ComplexityCriterion.choices)
        return [str(labels.get(c, c)) for c in self.complexity_criteria]


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


class CaseStatusChange(AppendOnlyModel):
    """Append-only history of a case's status, with its reason or result."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(max_length=16, choices=CaseStatus.choices, blank=True)
    to_status = models.CharField(max_length=16, choices=CaseStatus.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    text = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]


class CaseActionQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status=ActionStatus.OPEN)

    def overdue(self, today):
        """Open and past its deadline (the deadline day itself still counts as on time)."""
        return self.open().filter(deadline__lt=today)


class CaseAction(BaseModel):
    """One action of the plan van aanpak: what, who (a person or a partner organisation), by when."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="actions")
    description = models.TextField(_("actie"), max_length=2_000)
    owner_user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="case_actions", verbose_name=_("eigenaar (persoon)"))
    owner_organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, null=True, blank=True,
                                           related_name="case_actions", verbose_name=_("eigenaar (ketenpartner)"))
    # Snapshot: the plan keeps saying who owned the action even after a rename or a departure.
    owner_label = models.CharField(_("eigenaar"), max_length=200)
    deadline = models.DateField(_("uiterlijk"))
    status = models.CharField(_("status"), max_length=16, choices=ActionStatus.choices, default=ActionStatus.OPEN)
    done_at = models.DateTimeField(_("afgerond op"), null=True, blank=True)
    note = models.TextField(_("toelichting"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reminder_sent_at = models.DateTimeField(null=True, blank=True)

    objects = CaseActionQuerySet.as_manager()

    class Meta:
        verbose_name = _("actie plan van aanpak")
        verbose_name_plural = _("plan van aanpak")
        ordering = ["deadline", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(owner_user__isnull=False, owner_organisation__isnull=True)
                           | Q(owner_user__isnull=True, owner_organisation__isnull=False)),
                name="case_action_has_exactly_one_owner"),
        ]
        indexes = [models.Index(fields=["status", "deadline"], name="case_action_due_idx"),
                   # A case's open actions (the case list's next deadline and overdue count, per row).
                   models.Index(fields=["case", "deadline"], name="case_action_open_idx",
                                condition=Q(status=ActionStatus.OPEN))]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.description[:40]}"

    def is_overdue(self, today) -> bool:
        return self.status == ActionStatus.OPEN and self.deadline < today


class Intervention(BaseModel):
    """A bestuurlijke interventie, on a case or on an address or business without one (SPEC E5)."""

    audit_target = "cases.intervention"  # stored in the audit and access logs: never rename (audit.targets)

    case = models.ForeignKey(Case, on_delete=models.PROTECT, null=True, blank=True, related_name="interventions")
    municipality = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="interventions",
                                     verbose_name=_("gemeente"), limit_choices_to={"kind": "municipality"})
    address = models.CharField(_("adres"), max_length=200, blank=True)
    business_name = models.CharField(_("bedrijf"), max_length=200, blank=True)
    kvk_number = models.CharField(_("KvK-nummer"), max_length=8, blank=True)
    kind = models.CharField(_("soort interventie"), max_length=32, choices=InterventionKind.choices)
    decided_on = models.DateField(_("datum"))
    legal_basis = models.CharField(_("grondslag"), max_length=200)
    result = models.TextField(_("resultaat"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    PERSONAL_FIELDS = ("address", "business_name", "kvk_number", "result")

    class Meta:
        verbose_name = _("bestuurlijke interventie")
        verbose_name_plural = _("bestuurlijke interventies")
        ordering = ["-decided_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(case__isnull=False) | ~Q(address="") | ~Q(business_name="")
                                   | ~Q(kvk_number=""), name="intervention_has_a_subject"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.decided_on}"

"""Case states and their allowed transitions (ZGW-style ordered statuses), case roles, closing results."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CaseStatus(models.TextChoices):
    OPENED = "opened", _("Geopend")
    PLAN = "plan", _("Plan van aanpak in voorbereiding")
    IN_PROGRESS = "in_progress", _("In uitvoering")
    SUSPENDED = "suspended", _("Opgeschort")
    CLOSED = "closed", _("Afgesloten")
    REOPENED = "reopened", _("Heropend")


C = CaseStatus
# Ordered: opened → plan → in_progress → closed; suspension and reopening need a reason, closing a result.
ALLOWED_TRANSITIONS: dict[str, frozenset[str]] = {
    C.OPENED: frozenset({C.PLAN, C.IN_PROGRESS, C.SUSPENDED, C.CLOSED}),
    C.PLAN: frozenset({C.IN_PROGRESS, C.SUSPENDED, C.CLOSED}),
    C.IN_PROGRESS: frozenset({C.SUSPENDED, C.CLOSED}),
    C.SUSPENDED: frozenset({C.PLAN, C.IN_PROGRESS, C.CLOSED}),
    C.CLOSED: frozenset({C.REOPENED}),
    C.REOPENED: frozenset({C.PLAN, C.IN_PROGRESS, C.SUSPENDED, C.CLOSED}),
}
REASON_REQUIRED = frozenset({C.SUSPENDED, C.REOPENED})
OPEN_STATUSES = frozenset({C.OPENED, C.PLAN, C.IN_PROGRESS, C.SUSPENDED, C.REOPENED})


class CaseRole(models.TextChoices):
    CASUSREGISSEUR = "casusregisseur", _("Casusregisseur")
    PROCESREGISSEUR = "procesregisseur", _("Procesregisseur")
    ZORGCOORDINATOR = "zorgcoordinator", _("Zorgcoördinator")
    MEMBER = "member", _("Lid van het casusteam")


class CaseResult(models.TextChoices):
    """Why a case closed (required to close)."""

    VICTIM_SAFE = "victim_safe", _("Slachtoffer in veiligheid en in zorg")
    PROSECUTION = "prosecution", _("Overgedragen aan politie/OM (opsporing en vervolging)")
    ADMINISTRATIVE = "administrative", _("Bestuurlijke interventie uitgevoerd")
    NO_TRAFFICKING = "no_trafficking", _("Geen mensenhandel gebleken")
    TRANSFERRED = "transferred", _("Overgedragen aan andere gemeente of regio")
    NO_CONTACT = "no_contact", _("Geen contact meer met betrokkene(n)")
    OTHER = "other", _("Anders")


class ComplexityCriterion(models.TextChoices):
    """Why a case is complex and gets a procesregisseur (seed 003 §5.3)."""

    MULTIPLE_DOMAINS = "multiple_domains", _("Problemen op meerdere leefgebieden")
    HIGH_SAFETY_RISK = "high_safety_risk", _("Hoog veiligheidsrisico")
    MULTIPLE_PARTNERS = "multiple_partners", _("Veel ketenpartners betrokken")
    MINOR_INVOLVED = "minor_involved", _("Minderjarige betrokken")

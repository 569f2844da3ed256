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


# Who manages a case (status, team, plan): these team roles, and the AFs of the case's municipality.
MANAGING_ROLES = frozenset({CaseRole.CASUSREGISSEUR, CaseRole.PROCESREGISSEUR})


class ActionStatus(models.TextChoices):
    OPEN = "open", _("Open")
    DONE = "done", _("Gedaan")
    CANCELLED = "cancelled", _("Vervallen")


class InterventionKind(models.TextChoices):
    """The municipality's own barriers (SPEC E5; seed 002 §5.5)."""

    BIBOB = "bibob", _("Bibob-toets")
    APV_REFUSAL = "apv_refusal", _("Weigering APV-/exploitatievergunning")
    PERMIT_WITHDRAWAL = "permit_withdrawal", _("Intrekking APV-/exploitatievergunning")
    CLOSURE = "closure", _("Sluiting van een pand")
    DWANGSOM = "dwangsom", _("Last onder dwangsom")
    OVERBEWONING = "overbewoning", _("Handhaving overbewoning")
    CONTROL_DAY = "control_day", _("Integrale controledag")


# The usual legal basis per kind, proposed when the user leaves it empty (they may name a more precise article).
DEFAULT_LEGAL_BASIS: dict[str, str] = {
    InterventionKind.BIBOB: "Wet Bibob (art. 3)",
    InterventionKind.APV_REFUSAL: "APV art. 3:4 (exploitatievergunning seksinrichting)",
    InterventionKind.PERMIT_WITHDRAWAL: "APV art. 3:4 jo. Wet Bibob; art. 1:6 APV",
    InterventionKind.CLOSURE: "art. 174a Gemeentewet / Woningwet art. 13b",
    InterventionKind.DWANGSOM: "art. 5:32 Awb",
    InterventionKind.OVERBEWONING: "Besluit bouwwerken leefomgeving (voorheen Bouwbesluit) / Woningwet",
    InterventionKind.CONTROL_DAY: "APV en bijzondere wetten (toezicht art. 5:11 e.v. Awb)",
}

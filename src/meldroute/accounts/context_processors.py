"""Navigation entries for the signed-in user's roles."""

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from .constants import Role


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    items: list[tuple[str, str]] = []
    if user.can_report:
        items += [(reverse("intake:report"), _("Signaal melden")), (reverse("intake:mine"), _("Mijn meldingen"))]
    if user.has_role(Role.AF):
        items.append((reverse("triage:inbox"), _("Inbox signalen")))
        items.append((reverse("absence"), _("Afwezigheid")))
    if _takes_part_in_meetings(user):
        items.append((reverse("meetings:list"), _("Overleggen")))
    if user.has_role(Role.PARTNER):
        items.append((reverse("referrals:list"), _("Doorverwijzingen")))
    if user.has_role(Role.ZORGCOORDINATOR):
        items.append((reverse("care:list"), _("Slachtoffers")))
    if user.roles & CASE_ROLES:
        items.append((reverse("cases:list"), _("Casussen")))
    items.append((reverse("partners:directory"), _("Wegwijzer")))
    # Monitoring (meldroute.monitoring.selectors decides who sees which figures; these are only the links).
    if user.has_role(Role.AF) or user.has_role(Role.BURGEMEESTER):
        items.append((reverse("monitoring:dashboard"), _("Dashboard")))
    if user.has_role(Role.AF) or user.has_role(Role.BURGEMEESTER) or user.has_role(Role.KETENREGISSEUR):
        items.append((reverse("risk:index"), _("Risicokaart")))  # omgevingsscan (meldroute.risk.selectors)
        items.append((reverse("policy:overview"), _("Beleid")))  # basisniveau, actiepunten (meldroute.policy.selectors)
    if user.has_role(Role.BURGEMEESTER):  # the latest reports are also on the burgemeester's home (meldroute.homes)
        items.append((reverse("monitoring:report"), _("Rapportages")))
    if user.has_role(Role.KETENREGISSEUR):
        items.append((reverse("monitoring:regional"), _("Regio")))
        items.append((reverse("routing:drafts"), _("Meldroute-concepten")))  # to publish or refuse (issue 13)
    if user.has_role(Role.ZORGCOORDINATOR):
        items.append((reverse("monitoring:comensha"), _("CoMensha-export")))
    if user.has_role(Role.BEHEERDER):
        items.append((reverse("routing:manage"), _("Meldroute")))
        items.append((reverse("accounts:users"), _("Gebruikers")))
        items.append((reverse("intake:resident_manage"), _("Inwonerformulier")))
        items.append((reverse("partners:phenomena"), _("Ander fenomeen")))  # who receives it (issue 13)
    if user.has_role(Role.FG):  # the data subject's requests and the register of processing (meldroute.privacy)
        items.append((reverse("privacy:index"), _("Privacy (FG)")))
    if user.has_role(Role.BEHEERDER) or user.has_role(Role.FG):
        items.append((reverse("retention:report"), _("Bewaartermijnen")))
    if user.is_superuser:
        items.append((reverse("admin:index"), _("Technisch beheer")))
    return {"nav_items": items}


# Roles that work on cases (the case list itself shows only what meldroute.cases.models.case_scope allows).
CASE_ROLES = frozenset({Role.AF, Role.PROCESREGISSEUR, Role.CASUSREGISSEUR, Role.ZORGCOORDINATOR})

# Roles that sit at a meeting table for their organisation (meldroute.meetings.constants.WORKING_ROLES).
MEETING_ROLES = frozenset({Role.AF, Role.PROCESREGISSEUR, Role.CASUSREGISSEUR, Role.ZORGCOORDINATOR, Role.PARTNER})


def _takes_part_in_meetings(user: Any) -> bool:
    # Decided by role, without a query on every page: the overleggen page itself says when the organisation sits
    # at no table yet.
    return user.organisation_id is not None and bool(user.roles & MEETING_ROLES)

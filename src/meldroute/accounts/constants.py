"""The roles of SPEC section 1."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    MELDER = "melder", _("Melder")
    AF = "aandachtsfunctionaris", _("Aandachtsfunctionaris mensenhandel")
    ZORGCOORDINATOR = "zorgcoordinator", _("Zorgcoördinator mensenhandel")
    PROCESREGISSEUR = "procesregisseur", _("Procesregisseur ZVH")
    CASUSREGISSEUR = "casusregisseur", _("Casusregisseur")
    KETENREGISSEUR = "ketenregisseur", _("Ketenregisseur (RIEC)")
    PARTNER = "partner", _("Contactpersoon ketenpartner")
    BEHEERDER = "beheerder", _("Functioneel beheerder")
    BURGEMEESTER = "burgemeester", _("Burgemeester / portefeuillehouder")
    FG = "fg", _("Functionaris gegevensbescherming")


# Roles that may file a signal through the internal reporting form.
REPORTING_ROLES = frozenset({Role.MELDER, Role.AF})

# Roles whose grant takes two people (one beheerder proposes, a second approves): every role that sees personal data,
# and the beheerder role itself — otherwise one beheerder could make a second account its own approver.
APPROVAL_ROLES = frozenset({Role.AF, Role.ZORGCOORDINATOR, Role.PROCESREGISSEUR, Role.CASUSREGISSEUR, Role.PARTNER,
                            Role.BEHEERDER, Role.FG})


class ProposalStatus(models.TextChoices):
    PENDING = "pending", _("Wacht op goedkeuring")
    APPROVED = "approved", _("Goedgekeurd")
    REFUSED = "refused", _("Afgewezen")


# An organisation API token lives at most this long; the beheerder chooses a shorter term.
API_TOKEN_MAX_DAYS = 366

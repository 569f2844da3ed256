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


# Roles that may file a signal through the internal reporting form.
REPORTING_ROLES = frozenset({Role.MELDER, Role.AF})

"""Vocabularies of victim care: shelter types, residence status, bedenktijd kinds, B8/B9 permit steps."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class PlacementKind(models.TextChoices):
    """Shelter types (SPEC E4; seed 003 §6)."""

    COSM = "cosm", _("COSM (categorale opvang slachtoffers mensenhandel)")
    OMM = "omm", _("OMM (opvang bij multiproblematiek, 36 landelijke plaatsen)")
    VROUWENOPVANG = "vrouwenopvang", _("Vrouwenopvang / opvang geweld in afhankelijkheid")
    CRISIS_LABOUR = "crisis_labour", _("Crisisopvang arbeidsuitbuiting (CoMensha)")
    BESCHERMDE_OPVANG = "beschermde_opvang", _("Beschermde Opvang (Nidos, minderjarigen)")
    AZC = "azc", _("Asielzoekerscentrum (COA)")
    OTHER = "other", _("Andere opvang")


# Seed 003 §6: which shelter fits which form of exploitation (a hint on the trajectory page, not a rule).
PLACEMENT_HINTS = {
    "sexual": (PlacementKind.VROUWENOPVANG, PlacementKind.COSM),
    "labour": (PlacementKind.CRISIS_LABOUR, PlacementKind.COSM),
    "criminal": (PlacementKind.COSM,),
}


class ResidenceStatus(models.TextChoices):
    LAWFUL = "lawful", _("Rechtmatig verblijf")
    WITHOUT = "without", _("Zonder rechtmatig verblijf")
    ASYLUM = "asylum", _("In de asielprocedure")
    UNKNOWN = "unknown", _("Onbekend")


class ReflectionKind(models.TextChoices):
    REGULAR = "regular", _("Bedenktijd (B8/3)")
    DUBLIN = "dublin", _("Bedenktijd in een Dublinzaak")


class PermitEventKind(models.TextChoices):
    """Steps of the residence permits for victims (Vreemdelingencirculaire B8/3 and B9)."""

    B8_APPLIED = "b8_applied", _("B8 aangevraagd")
    B8_GRANTED = "b8_granted", _("B8 verleend")
    B8_REFUSED = "b8_refused", _("B8 afgewezen")
    B9_APPLIED = "b9_applied", _("B9 aangevraagd")
    B9_GRANTED = "b9_granted", _("B9 verleend")
    B9_REFUSED = "b9_refused", _("B9 afgewezen")

"""Kinds of organisation and the municipal teams reporters work in."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class OrganisationKind(models.TextChoices):
    MUNICIPALITY = "municipality", _("Gemeente")
    ZVH = "zvh", _("Zorg- en Veiligheidshuis")
    RIEC = "riec", _("RIEC")
    VEILIG_THUIS = "veilig_thuis", _("Veilig Thuis")
    POLICE = "police", _("Politie (AVIM)")
    LABOUR_INSPECTORATE = "labour_inspectorate", _("Nederlandse Arbeidsinspectie")
    CARE_COORDINATION = "care_coordination", _("Zorgcoördinatie mensenhandel")
    NGO = "ngo", _("Maatschappelijke organisatie")
    OTHER = "other", _("Andere ketenpartner")


class Team(models.TextChoices):
    """Front-line teams of a municipality (SPEC §1, melder)."""

    BALIE = "balie", _("Balie / Burgerzaken")
    KCC = "kcc", _("Klantcontactcentrum (KCC)")
    TOEZICHT = "toezicht", _("Toezicht en handhaving")
    BOA = "boa", _("BOA")
    LEERPLICHT = "leerplicht", _("Leerplicht")
    WIJKTEAM = "wijkteam", _("Wijkteam / sociaal team")
    ZWI = "zwi", _("Zorg, Werk en Inkomen")
    VERGUNNINGEN = "vergunningen", _("Vergunningen")
    ECONOMISCHE_ZAKEN = "economische_zaken", _("Economische zaken")
    OOV = "oov", _("Openbare orde en veiligheid")
    OTHER = "other", _("Ander team")

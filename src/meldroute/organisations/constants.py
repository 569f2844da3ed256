"""Kinds of organisation, the municipal teams reporters work in, and the duties a municipality gives its AFs."""

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


class AfDuty(models.TextChoices):
    """Which signals one of a municipality's AFs handles, where it has more than one (seed 002 §5.2.1: Zoeterwoude's
    AF OOV takes (perpetrators of) trafficking and locations, its AF Zorg, Werk en Inkomen the victims; each is the
    other's achtervang). An AF without a duty handles every signal."""

    OOV = "oov", _("AF OOV: signalen over daders en locaties")
    ZORG = "zorg", _("AF Zorg, Werk en Inkomen: signalen over slachtoffers")

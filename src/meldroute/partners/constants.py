"""Vocabularies shared by the partner directory, sharing rules, referrals and meetings."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class PartnerType(models.TextChoices):
    """Every kind of chain partner named in the policy plans (seed 000 bijlage 1, seed 003 bijlage 3)."""

    POLICE = "police", _("Politie (AVIM)")
    VEILIG_THUIS = "veilig_thuis", _("Veilig Thuis")
    RIEC = "riec", _("RIEC")
    ZVH = "zvh", _("Zorg- en Veiligheidshuis")
    LABOUR_INSPECTORATE = "labour_inspectorate", _("Nederlandse Arbeidsinspectie")
    CARE_COORDINATION = "care_coordination", _("Zorgcoördinatie mensenhandel")
    COMENSHA = "comensha", _("CoMensha")
    FAIRWORK = "fairwork", _("FairWork")
    SHOP = "shop", _("SHOP (hulpverlening prostitutie)")
    HEIT = "heit", _("HEIT (Haags Economisch Interventie Team)")
    PCT = "pct", _("Prostitutie Controle Team")
    NIDOS = "nidos", _("Nidos (voogdij alleenstaande minderjarige vreemdelingen)")
    COA = "coa", _("COA")
    IND = "ind", _("IND")
    OM = "om", _("Openbaar Ministerie")
    KMAR = "kmar", _("Koninklijke Marechaussee")
    OTHER = "other", _("Andere ketenpartner")


class DataCategory(models.TextChoices):
    """What may go out in a referral or onto a meeting agenda. Only SUMMARY holds no personal data."""

    SUMMARY = "summary", _("Kenmerk, datum, gemeente, status (geen persoonsgegevens)")
    CLASSIFICATION = "classification", _("Classificatie (vorm, sector, beoordeling, indicatoren)")
    DESCRIPTION = "description", _("Omschrijving van het signaal")
    LOCATION = "location", _("Adres, postcode, bedrijf en KvK-nummer")
    PERSONS = "persons", _("Betrokken personen")
    ENRICHMENT = "enrichment", _("Verrijking (BRP, KvK, handhaving, wijkteam)")


PERSONAL_CATEGORIES = frozenset({DataCategory.DESCRIPTION, DataCategory.LOCATION, DataCategory.PERSONS,
                                 DataCategory.ENRICHMENT})


class LegalGround(models.TextChoices):
    """Grounds on which data may be shared (AVG art. 6 and the covenants the plans name, seed 002 §5.6)."""

    PUBLIC_TASK = "public_task", _("Publieke taak (AVG art. 6 lid 1 sub e)")
    LEGAL_OBLIGATION = "legal_obligation", _("Wettelijke plicht (AVG art. 6 lid 1 sub c)")
    VITAL_INTEREST = "vital_interest", _("Vitaal belang van het slachtoffer (AVG art. 6 lid 1 sub d)")
    CONSENT = "consent", _("Toestemming van de betrokkene")
    RIEC_COVENANT = "riec_covenant", _("RIEC-convenant")
    ZVH_COVENANT = "zvh_covenant", _("Convenant Zorg- en Veiligheidshuis")
    MELDCODE = "meldcode", _("Meldcode huiselijk geweld en kindermishandeling (meldrecht)")

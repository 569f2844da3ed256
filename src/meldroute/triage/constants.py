"""Classification vocabularies: forms of exploitation, sectors, means of control (HTCDS), assessment levels."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ExploitationForm(models.TextChoices):
    SEXUAL = "sexual", _("Seksuele uitbuiting")
    LABOUR = "labour", _("Arbeidsuitbuiting")
    CRIMINAL = "criminal", _("Criminele uitbuiting")
    ORGAN_REMOVAL = "organ_removal", _("Gedwongen orgaanverwijdering")


class Sector(models.TextChoices):
    """Risk sectors named in the policy plans and CoMensha's sector list."""

    SEX_WORK = "sex_work", _("Seksbranche / prostitutie")
    AGRICULTURE = "agriculture", _("Land- en tuinbouw")
    CONSTRUCTION = "construction", _("Bouw")
    HOSPITALITY = "hospitality", _("Horeca")
    MEAT_PROCESSING = "meat_processing", _("Vleesverwerking")
    CLEANING = "cleaning", _("Schoonmaak")
    TEMPORARY_WORK = "temporary_work", _("Uitzendbureaus")
    BEAUTY = "beauty", _("Schoonheidsbranche (nagelstudio, massagesalon)")
    AUTOMOTIVE = "automotive", _("Autobranche (wasstraat, garage)")
    LOGISTICS = "logistics", _("Transport en logistiek")
    DOMESTIC_WORK = "domestic_work", _("Huishoudelijk werk / au pair")
    RETAIL = "retail", _("Winkels en detailhandel")
    DRUGS = "drugs", _("Drugshandel / -productie")
    BEGGING = "begging", _("Bedelarij")
    OTHER = "other", _("Anders")
    UNKNOWN = "unknown", _("Onbekend")


class MeansOfControl(models.TextChoices):
    """IOM Human Trafficking Case Data Standard: means of control."""

    DEBT_BONDAGE = "debt_bondage", _("Schuldslavernij")
    TAKES_EARNINGS = "takes_earnings", _("Neemt verdiensten af")
    RESTRICTS_FINANCIAL_ACCESS = "restricts_financial_access", _("Beperkt toegang tot geld")
    THREATS = "threats", _("Bedreiging")
    PSYCHOLOGICAL_ABUSE = "psychological_abuse", _("Psychisch geweld")
    PHYSICAL_ABUSE = "physical_abuse", _("Fysiek geweld")
    SEXUAL_ABUSE = "sexual_abuse", _("Seksueel geweld")
    FALSE_PROMISES = "false_promises", _("Valse beloften")
    PSYCHOACTIVE_SUBSTANCES = "psychoactive_substances", _("Verdovende middelen")
    RESTRICTS_MOVEMENT = "restricts_movement", _("Beperkt bewegingsvrijheid")
    RESTRICTS_MEDICAL_CARE = "restricts_medical_care", _("Beperkt medische zorg")
    EXCESSIVE_WORKING_HOURS = "excessive_working_hours", _("Buitensporige werktijden")
    USES_CHILDREN = "uses_children", _("Gebruikt kinderen")
    THREAT_OF_LAW_ENFORCEMENT = "threat_of_law_enforcement", _("Dreigt met politie/uitzetting")
    WITHHOLDS_NECESSITIES = "withholds_necessities", _("Onthoudt eerste levensbehoeften")
    WITHHOLDS_DOCUMENTS = "withholds_documents", _("Houdt documenten in")
    OTHER = "other", _("Anders")


class Assessment(models.TextChoices):
    """The four levels Veilig Thuis uses (SPEC B3)."""

    NONE = "none", _("Geen sprake van mensenhandel")
    POTENTIAL = "potential", _("Potentieel slachtoffer (risicofactoren)")
    SUSPECTED = "suspected", _("Vermoedelijk slachtoffer (ernstig vermoeden)")
    ACTUAL = "actual", _("Daadwerkelijk slachtoffer")


class NoteSource(models.TextChoices):
    BRP = "brp", _("BRP (basisregistratie personen)")
    KVK = "kvk", _("KvK (Handelsregister)")
    HANDHAVING = "handhaving", _("Toezicht en handhaving")
    WIJKTEAM = "wijkteam", _("Wijkteam")
    POLITIE = "politie", _("Politie")
    OTHER = "other", _("Anders")


class LinkKind(models.TextChoices):
    """What two signals can have in common (SPEC B4)."""

    ADDRESS = "address", _("zelfde adres")
    BUSINESS = "business", _("zelfde bedrijf (KvK)")
    PERSON = "person", _("zelfde persoon (BRP)")


class LookupSource(models.TextChoices):
    BRP = "brp", _("BRP")
    KVK = "kvk", _("KvK")

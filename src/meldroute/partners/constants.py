"""Vocabularies shared by the partner directory, sharing rules, referrals and meetings."""

from typing import Any

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


class ExploitationForm(models.TextChoices):
    """A copy of triage's forms of exploitation: partners sits below triage, the values are the same strings."""

    SEXUAL = "sexual", _("Seksuele uitbuiting")
    LABOUR = "labour", _("Arbeidsuitbuiting")
    CRIMINAL = "criminal", _("Criminele uitbuiting")
    ORGAN_REMOVAL = "organ_removal", _("Gedwongen orgaanverwijdering")


# An organisation with accounts in Meldroute whose directory entry is missing still gets a partner type.
PARTNER_TYPE_OF_KIND = {
    "zvh": PartnerType.ZVH,
    "riec": PartnerType.RIEC,
    "veilig_thuis": PartnerType.VEILIG_THUIS,
    "police": PartnerType.POLICE,
    "labour_inspectorate": PartnerType.LABOUR_INSPECTORATE,
    "care_coordination": PartnerType.CARE_COORDINATION,
}

P, C, G = PartnerType, DataCategory, LegalGround
_ANY_GROUND = tuple(G.values)
# Government partners with a public task in the approach (seed 000 bijlage 1, seed 002 §5.6.1): personal data may
# go to them on their public task, a legal obligation, the victim's vital interest or the covenants.
_STATUTORY = (G.PUBLIC_TASK, G.LEGAL_OBLIGATION, G.VITAL_INTEREST, G.RIEC_COVENANT, G.ZVH_COVENANT)
# Care and civil-society organisations: the person's consent or their vital interest.
_CARE = (G.CONSENT, G.VITAL_INTEREST)
_PERSONAL_GROUNDS: dict[str, tuple[str, ...]] = {
    P.POLICE: _STATUTORY,
    P.RIEC: _STATUTORY,
    P.ZVH: _STATUTORY,
    P.VEILIG_THUIS: (*_STATUTORY, G.MELDCODE, G.CONSENT),
    P.LABOUR_INSPECTORATE: _STATUTORY,
    P.PCT: _STATUTORY,
    P.HEIT: _STATUTORY,
    P.OM: _STATUTORY,
    P.KMAR: _STATUTORY,
    P.CARE_COORDINATION: (G.PUBLIC_TASK, G.ZVH_COVENANT, *_CARE),
    P.NIDOS: (G.PUBLIC_TASK, G.LEGAL_OBLIGATION, *_CARE),
    P.COA: (G.LEGAL_OBLIGATION, *_CARE),
    P.IND: (G.PUBLIC_TASK, G.LEGAL_OBLIGATION),
    # Seed 002 §5.6.2: no personal data to SHOP unless the victim's vital interest requires it.
    P.SHOP: (G.VITAL_INTEREST,),
    P.FAIRWORK: _CARE,
    P.COMENSHA: _CARE,
    P.OTHER: _CARE,
}
_SOURCE: dict[str, str] = {
    P.SHOP: "Beleidsplan Zoeterwoude §5.6.2: met SHOP geen persoonsgegevens, behalve bij vitaal belang van het "
            "slachtoffer.",
}
_DEFAULT_SOURCE = "Handreiking De aanpak van mensenhandel en het gebruik van persoonsgegevens (landelijke standaard)."


def default_sharing_rules() -> list[dict[str, Any]]:
    """The national sharing rules: one row per (partner type, category). SUMMARY needs no rule (never personal)."""
    rows = []
    for partner_type in PartnerType.values:
        for category in DataCategory.values:
            if category == C.SUMMARY:
                continue
            grounds = _ANY_GROUND if category == C.CLASSIFICATION else _PERSONAL_GROUNDS[partner_type]
            rows.append({"partner_type": partner_type, "category": category, "grounds": sorted(set(grounds)),
                         "source": _SOURCE.get(partner_type, _DEFAULT_SOURCE)})
    return rows


# --- "Geen mensenhandel, ander fenomeen": who receives it (seed 000 §4.2, SPEC B3) ----------------------------------
# The national default per phenomenon (intake.constants.Phenomenon values): the partner type a referral goes to, or
# "" when the receiver is outside Meldroute (a municipal department, the wijkteam) and the hand-over is recorded as
# passed on outside. A region overrides a row on the beheerder's page (partners.services.set_phenomenon_receiver).
_SEED_000 = ("Basisniveau West-Friesland §4.2: de aandachtsfunctionaris kan concluderen dat het niet om mensenhandel "
             "gaat, maar mogelijk om een ander onwenselijk fenomeen")


def default_phenomenon_receivers() -> list[dict[str, str]]:
    return [
        {"phenomenon": "undermining", "partner_type": P.RIEC, "receiver_name": "RIEC / lokaal ondermijningsoverleg",
         "source": f"{_SEED_000}; stap 4–5: het lokale ondermijningsoverleg, het RIEC."},
        {"phenomenon": "domestic_violence", "partner_type": P.VEILIG_THUIS, "receiver_name": "Veilig Thuis",
         "source": "Meldcode huiselijk geweld en kindermishandeling; Wmo art. 4.2 (Veilig Thuis); "
                   "beleidsplan Zoeterwoude §5.2.1."},
        {"phenomenon": "poor_housing", "partner_type": "",
         "receiver_name": "Bouw- en woningtoezicht (BWT) van de gemeente",
         "source": "Beleidsplan Zoeterwoude §5.5: BWT neemt deel aan het signaleringsoverleg en de integrale "
                   "controles."},
        {"phenomenon": "labour_law", "partner_type": P.LABOUR_INSPECTORATE,
         "receiver_name": "Nederlandse Arbeidsinspectie",
         "source": "Beleidsplan Zoeterwoude §5.5: bij arbeidsuitbuiting is onder meer de Nederlandse "
                   "Arbeidsinspectie (NLA) verantwoordelijk."},
        {"phenomenon": "illegal_prostitution", "partner_type": P.PCT, "receiver_name": "Prostitutie Controle Team",
         "source": f"{_SEED_000}; stap 4: in het geval van prostitutie contact met het Prostitutie Controle Team."},
        {"phenomenon": "care_need", "partner_type": "", "receiver_name": "Wijkteam / sociaal team van de gemeente",
         "source": f"{_SEED_000}; stap 3: het wijkteam."},
        {"phenomenon": "other", "partner_type": "", "receiver_name": "Te bepalen door de aandachtsfunctionaris",
         "source": _SEED_000 + "."},
    ]

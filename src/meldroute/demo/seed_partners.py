"""The wegwijzer of the demo region: every chain partner named in the policy plans, with FICTIONAL contact details."""

from meldroute.organisations.models import Organisation, Region
from meldroute.partners.constants import PartnerType as P
from meldroute.partners.models import DirectoryEntry
from meldroute.partners.services import ensure_default_sharing_rules

SEXUAL, LABOUR, CRIMINAL, ORGANS = "sexual", "labour", "criminal", "organ_removal"
ALL_FORMS = [SEXUAL, LABOUR, CRIMINAL, ORGANS]

# (partner type, name, national?, organisation code in demo.seed BODIES, forms, role, contact route, mail, phone)
# Roles after seed 000 bijlage 1, seed 002 §5.6 and seed 003 bijlage 3; every contact detail is made up.
PARTNERS = [
    (P.RIEC, "RIEC Veenhorst-Kust", False, "RIEC-VK", ALL_FORMS,
     "Informatieknooppunt en expertisecentrum voor de bestuurlijke aanpak van georganiseerde criminaliteit; "
     "mensenhandel is een prioriteit. Levert de ketenregisseur mensenhandel.",
     "Casus inbrengen via het RIEC-informatieplein (regionale mensenhandeltafel). Vragen aan de ketenregisseur.",
     "mensenhandel@riec-veenhorst.example", "0800-0000101"),
    (P.ZVH, "Zorg- en Veiligheidshuis Veenhorst", False, "ZVH-VH", ALL_FORMS,
     "Zorg en veiligheid op één locatie; voert het wekelijkse screeningsoverleg en de procesregie op casussen.",
     "Aanmelden bij de procesregisseur; niet-acute signalen gaan naar het screeningsoverleg (wekelijks).",
     "aanmelden@zvh-veenhorst.example", "0800-0000102"),
    (P.POLICE, "Politie eenheid Veenhorst — AVIM", False, "POL-VH", ALL_FORMS,
     "Afdeling Vreemdelingenpolitie, Identificatie en Mensenhandel: identificatie, toezicht vreemdelingenwet, "
     "opsporing van mensenhandel en mensensmokkel.",
     "Acuut gevaar: 112. Anders: de operationeel specialist mensenhandel via het politiecontact van de gemeente.",
     "avim@politie-veenhorst.example", "0800-0000103"),
    (P.VEILIG_THUIS, "Veilig Thuis Veenhorst — Meldpunt Mensenhandel", False, "VT-VH", [SEXUAL, CRIMINAL, LABOUR],
     "Advies- en meldpunt huiselijk geweld en kindermishandeling, met een meldpunt voor binnenlandse mensenhandel. "
     "Weegt signalen, schat de situatie in en start zo nodig hulp.",
     "Advies of melding: bel het meldpunt (24/7). Professionals onder de meldcode melden hier.",
     "meldpunt@veiligthuis-veenhorst.example", "0800-0000104"),
    (P.LABOUR_INSPECTORATE, "Nederlandse Arbeidsinspectie — team Arbeidsuitbuiting", False, "NLA-VH", [LABOUR],
     "Controleert arbeidsomstandigheden en spoort arbeidsuitbuiting, fraude en georganiseerde criminaliteit in de "
     "keten van werk en inkomen op.",
     "Signalen via het meldformulier van de inspectie of via de mensenhandeltafel (arbeidsuitbuiting).",
     "signalen@arbeidsinspectie.example", "0800-0000105"),
    (P.CARE_COORDINATION, "Zorgcoördinatie mensenhandel Veenhorst", False, "ZC-VH", ALL_FORMS,
     "Coördineert zorg, opvang en ondersteuning van (vermoedelijke) slachtoffers en de informatie-uitwisseling "
     "tussen hulpverleners.",
     "Rechtstreeks bij de zorgcoördinator, ook buiten kantoortijd via de achterwacht.",
     "zorgcoordinatie@veenhorst.example", "0800-0000106"),
    (P.PCT, "Prostitutie Controle Team Veenhorst", False, "PCT-VH", [SEXUAL],
     "Controleert vergunde en niet-vergunde prostitutie samen met gemeente en politie.",
     "Via de AF OOV of het signaleringsoverleg.", "pct@veenhorst.example", "0800-0000107"),
    (P.HEIT, "HEIT — Economisch Interventie Team", False, "", [SEXUAL, LABOUR],
     "Interventieteam bij onderbouwde signalen van illegale prostitutie of malafide bedrijvigheid (seed 002 §5.5).",
     "Aanvraag via de AF OOV; sluit aan bij het signaleringsoverleg als de casus dat vraagt.",
     "interventie@heit.example", "0800-0000108"),
    (P.SHOP, "SHOP — hulpverlening prostitutie en mensenhandel", False, "", [SEXUAL],
     "Hulpverlening aan sekswerkers en slachtoffers van seksuele uitbuiting; sparren en voorlichting.",
     "Sparren kan zonder persoonsgegevens. Breng het slachtoffer zelf met SHOP in contact of maak samen een "
     "afspraak.", "contact@shop-hulpverlening.example", "0800-0000109"),
    (P.COMENSHA, "CoMensha", True, "", ALL_FORMS,
     "Landelijk coördinatiecentrum tegen mensenhandel: registreert slachtoffers, coördineert opvang (COSM) en "
     "organiseert het landelijk overleg van aandachtsfunctionarissen.",
     "Opvangplek of registratie: telefonisch, op werkdagen.", "info@comensha.example", "0800-0000110"),
    (P.FAIRWORK, "FairWork", True, "", [LABOUR, CRIMINAL],
     "Landelijke organisatie tegen arbeidsuitbuiting: voorlichting, trainingen en hulp aan (vermoedelijke) "
     "slachtoffers.", "Hulplijn en trainingen aanvragen via het algemene nummer.", "info@fairwork.example",
     "0800-0000111"),
    (P.NIDOS, "Nidos", True, "", ALL_FORMS,
     "Voogdij over alleenstaande minderjarige vreemdelingen, ook als zij mogelijk slachtoffer zijn.",
     "Via de jeugdbeschermer of het landelijk nummer.", "voogdij@nidos.example", "0800-0000112"),
    (P.COA, "COA — Centraal Orgaan opvang asielzoekers", True, "", ALL_FORMS,
     "Opvang van asielzoekers en, in de bedenktijd, de toelage voor slachtoffers zonder rechtmatig verblijf.",
     "Via de locatie of het landelijk contactpunt mensenhandel.", "mensenhandel@coa.example", "0800-0000113"),
    (P.IND, "IND — Immigratie- en Naturalisatiedienst", True, "", ALL_FORMS,
     "Beslist over bedenktijd en verblijf (B8-regeling) van slachtoffers zonder Nederlandse nationaliteit.",
     "Via politie (AVIM) of Koninklijke Marechaussee; niet rechtstreeks door de gemeente.",
     "b8@ind.example", "0800-0000114"),
    (P.OM, "Openbaar Ministerie — parket Veenhorst", True, "", ALL_FORMS,
     "Vervolging van mensenhandel; officier van justitie mensenhandel sluit aan bij de mensenhandeltafel.",
     "Via de politie of de mensenhandeltafel.", "mensenhandel@om.example", "0800-0000115"),
]


def seed_partners(region: Region, orgs: dict[str, Organisation]) -> list[DirectoryEntry]:
    """Create (or refresh) the directory entries; the national ones have no region. Safe to run twice."""
    ensure_default_sharing_rules()
    entries = []
    for partner_type, name, national, code, forms, role, route, email, phone in PARTNERS:
        entry, _created = DirectoryEntry.objects.update_or_create(
            name=name, region=None if national else region,
            defaults={"partner_type": partner_type, "description": role, "contact_route": route, "email": email,
                      "phone": phone, "website": f"https://{email.split('@')[1]}/", "forms": forms,
                      "organisation": orgs.get(code) if code else None, "is_active": True})
        entries.append(entry)
    return entries

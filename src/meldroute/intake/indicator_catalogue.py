"""The indicator checklist (signalenlijst) offered to reporters, grouped by form of exploitation."""

from typing import NamedTuple


class IndicatorSpec(NamedTuple):
    code: str  # stable identifier, lowercase snake_case, prefixed by form
    form: str  # one of: "general", "sexual", "labour", "criminal", "organ_removal"
    text: str  # the indicator in Dutch, one sentence, no closing period


INDICATORS: tuple[IndicatorSpec, ...] = (
    # --- Algemene signalen -------------------------------------------------
    IndicatorSpec(
        "general_no_control_over_id",
        "general",
        "Heeft geen controle over eigen paspoort, ID-bewijs of bankpas; een ander bewaart die",
    ),
    IndicatorSpec(
        "general_debt_to_recruiter",
        "general",
        "Heeft schulden bij werkgever, ronselaar of bemiddelaar die niet af te lossen lijken",
    ),
    IndicatorSpec(
        "general_hands_over_earnings",
        "general",
        "Moet de verdiensten geheel of grotendeels afstaan aan een ander",
    ),
    IndicatorSpec(
        "general_restricted_movement",
        "general",
        "Kan niet vrij gaan en staan, wordt gebracht en gehaald of is steeds onder begeleiding",
    ),
    IndicatorSpec(
        "general_housing_tied_to_employer",
        "general",
        "Huisvesting is geregeld door of gekoppeld aan de werkgever of bemiddelaar",
    ),
    IndicatorSpec(
        "general_many_registered_one_address",
        "general",
        "Veel mensen staan ingeschreven of verblijven op één adres, vaak steeds andere",
    ),
    IndicatorSpec(
        "general_signs_of_fear_or_injury",
        "general",
        "Toont tekenen van angst of onderdanigheid, of heeft onverklaarde verwondingen",
    ),
    IndicatorSpec(
        "general_third_party_speaks",
        "general",
        "Iemand anders voert het woord, tolkt of vult formulieren in en wijkt niet van de zijde",
    ),
    IndicatorSpec(
        "general_minor_involved",
        "general",
        "Er is een minderjarige betrokken of de opgegeven leeftijd lijkt niet te kloppen",
    ),
    IndicatorSpec(
        "general_does_not_know_address",
        "general",
        "Kent het eigen woon- of werkadres niet of kan niet zeggen in welke plaats dat is",
    ),
    # --- Seksuele uitbuiting -----------------------------------------------
    IndicatorSpec(
        "sexual_unlicensed_location",
        "sexual",
        "Werkt in de prostitutie zonder vergunning, bijvoorbeeld in een woning, hotel of vakantiepark",
    ),
    IndicatorSpec(
        "sexual_online_ads_changing_locations",
        "sexual",
        "Wordt online aangeboden in advertenties met steeds wisselende steden of adressen",
    ),
    IndicatorSpec(
        "sexual_ad_phone_managed_by_other",
        "sexual",
        "Het telefoonnummer uit de advertentie wordt door een ander beheerd of opgenomen",
    ),
    IndicatorSpec(
        "sexual_cannot_refuse_clients",
        "sexual",
        "Maakt zeer lange dagen, werkt ook bij ziekte of menstruatie en kan klanten niet weigeren",
    ),
    IndicatorSpec(
        "sexual_forced_unsafe_sex",
        "sexual",
        "Moet seks zonder condoom hebben of andere handelingen verrichten die zij of hij niet wil",
    ),
    IndicatorSpec(
        "sexual_unaware_of_prices",
        "sexual",
        "Kent de tarieven of afspraken met klanten niet, omdat een ander die regelt",
    ),
    IndicatorSpec(
        "sexual_lives_at_workplace",
        "sexual",
        "Woont en slaapt op de werkplek of wordt steeds tussen werkplek en verblijf vervoerd",
    ),
    IndicatorSpec(
        "sexual_controlling_partner",
        "sexual",
        "Heeft een vaak oudere partner die geld, telefoon en contacten controleert (pooierboy)",
    ),
    IndicatorSpec(
        "sexual_ownership_tattoo",
        "sexual",
        "Heeft een tatoeage of merkteken dat lijkt te wijzen op eigendom van een pooier",
    ),
    IndicatorSpec(
        "sexual_minor_unexplained_gifts",
        "sexual",
        "Minderjarige heeft plotseling dure kleding, een nieuwe telefoon of geld zonder verklaring",
    ),
    IndicatorSpec(
        "sexual_pupil_picked_up_by_adults",
        "sexual",
        "Leerling verzuimt vaak en wordt opgehaald door onbekende, oudere personen in auto's",
    ),
    IndicatorSpec(
        "sexual_visitors_at_odd_hours",
        "sexual",
        "Buren melden veel wisselende mannelijke bezoekers die op vreemde tijden een woning bezoeken",
    ),
    IndicatorSpec(
        "sexual_licence_straw_operator",
        "sexual",
        "Vergunningaanvraag voor een seksbedrijf met een stroman, wisselende exploitant of vage financiering",
    ),
    # --- Arbeidsuitbuiting -------------------------------------------------
    IndicatorSpec(
        "labour_debt_to_employer",
        "labour",
        "Moet eerst een schuld bij de werkgever afbetalen voordat er eigen loon overblijft",
    ),
    IndicatorSpec(
        "labour_deductions_from_wage",
        "labour",
        "Kosten voor reis, huisvesting, vervoer of werkkleding worden hoog ingehouden op het loon",
    ),
    IndicatorSpec(
        "labour_excessive_hours",
        "labour",
        "Werkt structureel extreem lange dagen, zeven dagen per week, zonder vrije dagen",
    ),
    IndicatorSpec(
        "labour_wage_far_below_minimum",
        "labour",
        "Verdient ver onder het minimumloon of krijgt een vast bedrag ongeacht het aantal uren",
    ),
    IndicatorSpec(
        "labour_no_contract_or_payslip",
        "labour",
        "Heeft geen arbeidscontract of loonstrook, of begrijpt niet wat erin staat",
    ),
    IndicatorSpec(
        "labour_wage_paid_to_other",
        "labour",
        "Loon wordt gestort op de rekening van een ander of contant uitbetaald via een tussenpersoon",
    ),
    IndicatorSpec(
        "labour_substandard_housing",
        "labour",
        "Woont in overvolle huisvesting van de werkgever, zoals een schuur, container of bedrijfspand",
    ),
    IndicatorSpec(
        "labour_group_transport",
        "labour",
        "Wordt met busjes in groepen van en naar het werk gebracht door werkgever of bemiddelaar",
    ),
    IndicatorSpec(
        "labour_unsafe_conditions",
        "labour",
        "Werkt zonder beschermingsmiddelen of onder gevaarlijke omstandigheden",
    ),
    IndicatorSpec(
        "labour_injury_not_treated",
        "labour",
        "Een arbeidsongeval of ziekte wordt niet gemeld en medische zorg wordt geweigerd of uitgesteld",
    ),
    IndicatorSpec(
        "labour_live_in_domestic_worker",
        "labour",
        "Huishoudelijke hulp of au pair woont in, heeft geen eigen kamer en moet altijd klaarstaan",
    ),
    IndicatorSpec(
        "labour_lives_in_business_premises",
        "labour",
        "Werkt in bijvoorbeeld een nagelsalon, car wash of restaurant en slaapt in hetzelfde pand",
    ),
    IndicatorSpec(
        "labour_registration_by_agency",
        "labour",
        "Inschrijving in de BRP wordt geregeld door een uitzendbureau dat ook de post ophaalt",
    ),
    IndicatorSpec(
        "labour_company_changes_often",
        "labour",
        "Bedrijf of uitzendbureau wisselt vaak van naam, eigenaar of KvK-inschrijving",
    ),
    # --- Criminele uitbuiting ----------------------------------------------
    IndicatorSpec(
        "criminal_drug_running",
        "criminal",
        "Jongere vervoert of verkoopt drugs, vaak ver buiten de eigen woonplaats (drugsrunner)",
    ),
    IndicatorSpec(
        "criminal_confined_at_drug_site",
        "criminal",
        "Verblijft in een pand met een hennepkwekerij of drugslab en mag dat niet verlaten",
    ),
    IndicatorSpec(
        "criminal_debt_repaid_by_crime",
        "criminal",
        "Moet een (drugs)schuld afbetalen door strafbare feiten te plegen",
    ),
    IndicatorSpec(
        "criminal_money_mule",
        "criminal",
        "Stelt eigen bankrekening of bankpas beschikbaar aan anderen, al dan niet tegen betaling (geldezel)",
    ),
    IndicatorSpec(
        "criminal_straw_company_owner",
        "criminal",
        "Staat ingeschreven als eigenaar of bestuurder van bedrijven zonder daar iets van te weten",
    ),
    IndicatorSpec(
        "criminal_contracts_for_others",
        "criminal",
        "Sluit telefoonabonnementen, leningen of huurcontracten op eigen naam af voor een ander",
    ),
    IndicatorSpec(
        "criminal_benefits_under_pressure",
        "criminal",
        "Vraagt onder druk een uitkering of toeslag aan terwijl een ander het geld ontvangt",
    ),
    IndicatorSpec(
        "criminal_organised_shoplifting",
        "criminal",
        "Pleegt winkeldiefstal in georganiseerde groepjes en wordt daarvoor gebracht en gehaald",
    ),
    IndicatorSpec(
        "criminal_organised_begging",
        "criminal",
        "Bedelt op vaste plekken, wordt gebracht en gehaald en moet de opbrengst afstaan",
    ),
    IndicatorSpec(
        "criminal_begging_with_vulnerable",
        "criminal",
        "Bedelt met kinderen of mensen met een beperking die daarvoor ingezet lijken te worden",
    ),
    IndicatorSpec(
        "criminal_minor_phones_and_cash",
        "criminal",
        "Minderjarige heeft meerdere telefoons, veel contant geld of dure spullen zonder verklaring",
    ),
    IndicatorSpec(
        "criminal_pupil_unexplained_travel",
        "criminal",
        "Leerling verzuimt en reist onverklaard naar andere steden, soms dagen achter elkaar",
    ),
    IndicatorSpec(
        "criminal_repeat_petty_offences",
        "criminal",
        "Wordt steeds aangetroffen bij kleine delicten maar heeft zelf geen geld of bezittingen",
    ),
    IndicatorSpec(
        "criminal_sham_civil_acts",
        "criminal",
        "Werkt onder druk mee aan een schijnhuwelijk, erkenning van een kind of valse inschrijving",
    ),
    # --- Gedwongen orgaanverwijdering --------------------------------------
    IndicatorSpec(
        "organ_removal_offered_money",
        "organ_removal",
        "Vertelt dat er geld is aangeboden voor een nier, een deel van de lever of een ander orgaan",
    ),
    IndicatorSpec(
        "organ_removal_debt_repaid_with_organ",
        "organ_removal",
        "Moet een schuld aflossen door een orgaan af te staan, of wordt daarmee bedreigd",
    ),
    IndicatorSpec(
        "organ_removal_recruited_as_donor",
        "organ_removal",
        "Is via sociale media of een kennis benaderd om tegen betaling donor te worden",
    ),
    IndicatorSpec(
        "organ_removal_unexplained_medical_tests",
        "organ_removal",
        "Is meegenomen voor bloedonderzoek of een medische keuring zonder te weten waarvoor",
    ),
    IndicatorSpec(
        "organ_removal_posing_as_relative",
        "organ_removal",
        "Moet zich voordoen als familielid van een patiënt die op een donororgaan wacht",
    ),
    IndicatorSpec(
        "organ_removal_escorted_to_hospital",
        "organ_removal",
        "Wordt naar ziekenhuisafspraken begeleid door een ander en mag niet zelf met de arts praten",
    ),
    IndicatorSpec(
        "organ_removal_urgent_travel_document",
        "organ_removal",
        "Vraagt met spoed een paspoort aan voor een medische reis die door een ander wordt betaald",
    ),
    IndicatorSpec(
        "organ_removal_operation_abroad",
        "organ_removal",
        "Vertelt over een operatie in het buitenland die door een ander is geregeld en betaald",
    ),
    IndicatorSpec(
        "organ_removal_recent_scar",
        "organ_removal",
        "Heeft een recent operatielitteken aan zij of buik zonder duidelijke medische reden",
    ),
    IndicatorSpec(
        "organ_removal_no_medical_records",
        "organ_removal",
        "Heeft geen medische papieren of ontslagbrief van een recente ingreep in het buitenland",
    ),
    IndicatorSpec(
        "organ_removal_health_deteriorated",
        "organ_removal",
        "Gezondheid is na een operatie duidelijk verslechterd en nazorg ontbreekt",
    ),
    IndicatorSpec(
        "organ_removal_returns_weakened",
        "organ_removal",
        "Meldt zich na onverklaarde afwezigheid verzwakt terug bij uitkering, inburgering of school",
    ),
    IndicatorSpec(
        "organ_removal_payment_withheld",
        "organ_removal",
        "Heeft een orgaan afgestaan maar de beloofde betaling niet of maar deels ontvangen",
    ),
)

FORMS_OF_EXPLOITATION: dict[str, str] = {
    "sexual": "Seksuele uitbuiting",
    "labour": "Arbeidsuitbuiting",
    "criminal": "Criminele uitbuiting",
    "organ_removal": "Gedwongen orgaanverwijdering",
}

INDICATOR_GROUP_LABELS: dict[str, str] = {
    "general": "Algemene signalen",
    **FORMS_OF_EXPLOITATION,
}

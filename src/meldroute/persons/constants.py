"""Vocabularies for persons on a case, mapped to the IOM Human Trafficking Case Data Standard (HTCDS v2) and
CoMensha's categories (SPEC §4 "Data fields"), and for consent."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class PersonRole(models.TextChoices):
    VICTIM = "victim", _("Slachtoffer")
    SUSPECT = "suspect", _("Verdachte")
    OTHER = "other", _("Andere betrokkene")


# The word a pseudonym starts with: "Slachtoffer CS-GM0001-2026-017-A".
PSEUDONYM_WORD = {
    PersonRole.VICTIM: _("Slachtoffer"),
    PersonRole.SUSPECT: _("Verdachte"),
    PersonRole.OTHER: _("Betrokkene"),
}


class VictimStatus(models.TextChoices):
    """The levels CoMensha and Veilig Thuis use; who decided is recorded with it."""

    POTENTIAL = "potential", _("Potentieel slachtoffer")
    SUSPECTED = "suspected", _("Vermoedelijk slachtoffer")
    ACTUAL = "actual", _("Daadwerkelijk slachtoffer")


class Gender(models.TextChoices):
    """HTCDS gender."""

    FEMALE = "female", _("Vrouw")
    MALE = "male", _("Man")
    TRANSGENDER = "transgender", _("Transgender")
    OTHER = "other", _("Anders")
    UNKNOWN = "unknown", _("Onbekend")


class AgeBand(models.TextChoices):
    """Age at the start of the exploitation (HTCDS age band, CoMensha's grouping)."""

    MINOR = "minor", _("Minderjarig (0–17)")
    AGE_18_22 = "18-22", _("18–22 jaar")
    AGE_23_29 = "23-29", _("23–29 jaar")
    AGE_30_PLUS = "30+", _("30 jaar of ouder")
    UNKNOWN = "unknown", _("Onbekend")


def age_band_for(age: int | None) -> str:
    if age is None:
        return AgeBand.UNKNOWN
    if age < 18:
        return AgeBand.MINOR
    if age <= 22:
        return AgeBand.AGE_18_22
    if age <= 29:
        return AgeBand.AGE_23_29
    return AgeBand.AGE_30_PLUS


class Citizenship(models.TextChoices):
    """ISO 3166-1 alpha-2: the countries of origin CoMensha reports most, plus XX (stateless) and ZZ (unknown)."""

    NL = "NL", _("Nederland")
    BE = "BE", _("België")
    DE = "DE", _("Duitsland")
    FR = "FR", _("Frankrijk")
    ES = "ES", _("Spanje")
    IT = "IT", _("Italië")
    PT = "PT", _("Portugal")
    PL = "PL", _("Polen")
    RO = "RO", _("Roemenië")
    BG = "BG", _("Bulgarije")
    HU = "HU", _("Hongarije")
    LT = "LT", _("Litouwen")
    LV = "LV", _("Letland")
    SK = "SK", _("Slowakije")
    CZ = "CZ", _("Tsjechië")
    GR = "GR", _("Griekenland")
    UA = "UA", _("Oekraïne")
    MD = "MD", _("Moldavië")
    AL = "AL", _("Albanië")
    TR = "TR", _("Turkije")
    MA = "MA", _("Marokko")
    NG = "NG", _("Nigeria")
    GH = "GH", _("Ghana")
    SL = "SL", _("Sierra Leone")
    GN = "GN", _("Guinee")
    UG = "UG", _("Oeganda")
    ER = "ER", _("Eritrea")
    SY = "SY", _("Syrië")
    AF = "AF", _("Afghanistan")
    IN = "IN", _("India")
    CN = "CN", _("China")
    VN = "VN", _("Vietnam")
    TH = "TH", _("Thailand")
    PH = "PH", _("Filipijnen")
    BR = "BR", _("Brazilië")
    CO = "CO", _("Colombia")
    VE = "VE", _("Venezuela")
    DO = "DO", _("Dominicaanse Republiek")
    SR = "SR", _("Suriname")
    GB = "GB", _("Verenigd Koninkrijk")
    XX = "XX", _("Staatloos")
    ZZ = "ZZ", _("Onbekend")


class SexSector(models.TextChoices):
    """Sex-industry sector (CoMensha)."""

    WINDOW = "window", _("Raamprostitutie")
    CLUB = "club", _("Club / privéhuis")
    HOME = "home", _("Thuisprostitutie")
    ESCORT = "escort", _("Escort")
    HOTEL = "hotel", _("Hotel")
    STREET = "street", _("Straat")
    ONLINE = "online", _("Online")
    UNKNOWN = "unknown", _("Onbekend")


class RecruiterRelation(models.TextChoices):
    """HTCDS: the recruiter's relation to the victim."""

    INTIMATE_PARTNER = "intimate_partner", _("(Ex-)partner / loverboy")
    FAMILY = "family", _("Familielid")
    FRIEND = "friend", _("Vriend(in)")
    ACQUAINTANCE = "acquaintance", _("Kennis of buurtgenoot")
    EMPLOYER = "employer", _("Werkgever")
    RECRUITMENT_AGENCY = "recruitment_agency", _("Uitzend- of wervingsbureau")
    STRANGER = "stranger", _("Onbekende")
    OTHER = "other", _("Anders")
    UNKNOWN = "unknown", _("Onbekend")


class ConsentKind(models.TextChoices):
    CARE = "care", _("Hulpverlening en opvang")
    SHARING = "sharing", _("Delen met een ketenpartner")
    STATISTICS = "statistics", _("Anonieme registratie voor statistiek (CoMensha)")


class ConsentGivenBy(models.TextChoices):
    SELF = "self", _("Betrokkene zelf")
    PARENT = "parent", _("Ouder met gezag")
    GUARDIAN = "guardian", _("Voogd (bijvoorbeeld Nidos)")


# Under this age a parent or guardian decides (WGBO / AVG uitvoeringswet art. 5: 16 years).
CONSENT_AGE = 16


"""Reading the registers a municipality delivers: CSV (as the KvK, the RNI and the municipality's own systems export
them) and the CBS wijk- en buurtkaart as GeoJSON. Pure functions, no database: every line is checked, every problem
is a Dutch message naming the line, and a file with any problem is refused as a whole (services.import_register).

Only the columns Meldroute needs are read: an RNI extract with names or birth dates in other columns is counted per
address and the rest is never stored.
"""

from __future__ import annotations

import csv
import io
import json
import math
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Generic, TypeVar

from django.utils.translation import gettext as _

from .geometry import MultiPolygon, parse_geometry

T = TypeVar("T")

POSTCODE_RE = re.compile(r"^\s*([1-9]\d{3})\s*([A-Za-z]{2})?\s*$")
HOUSE_NUMBER_RE = re.compile(r"^\s*(\d{1,5})\s*[-\s]?\s*([A-Za-z0-9]{0,4})\s*$")
MAX_ROWS = 200_000


@dataclass
class Parsed(Generic[T]):
    rows: list[T] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    skipped: int = 0  # rows of another municipality in a national file (the CBS map)

    def error(self, line: int | None, message: str) -> None:
        self.errors.append(_("Regel %(line)s: %(message)s") % {"line": line, "message": message}
                           if line is not None else message)


@dataclass(frozen=True)
class BusinessRow:
    kvk_number: str
    establishment_number: str
    name: str
    street: str
    house_number: str
    postcode: str
    city: str
    sbi_codes: tuple[str, ...]
    x: float | None = None
    y: float | None = None


@dataclass(frozen=True)
class VacancyRow:
    employer: str
    kvk_number: str
    title: str
    postcode: str
    house_number: str
    count: int
    sbi_codes: tuple[str, ...]


@dataclass(frozen=True)
class RniRow:
    postcode: str
    house_number: str
    registrations: int


@dataclass(frozen=True)
class SexBusinessRow:
    name: str
    licence_number: str
    street: str
    house_number: str
    postcode: str
    valid_until: date | None


@dataclass(frozen=True)
class PostcodeRow:
    postcode: str
    area_code: str


@dataclass(frozen=True)
class AreaRow:
    code: str
    name: str
    kind: str
    geometry: MultiPolygon


# --------------------------------------------------------------------------- values


def normalise_header(value: str) -> str:
    return re.sub(r"[^a-z0-9]", "", (value or "").strip().lstrip("\ufeff").casefold())


def normalise_postcode(value: str, *, allow_pc4: bool = False) -> str | None:
    """'1234 ab' → '1234AB'; a four-digit area only where allowed; None when it is no Dutch postcode."""
    match = POSTCODE_RE.match(value or "")
    if not match or (match.group(2) is None and not allow_pc4):
        return None
    return match.group(1) + (match.group(2) or "").upper()


def normalise_house_number(number: str, suffix: str = "") -> str | None:
    """'12', 'a' → '12A'; '12-2' → '122'? no: '12-2' → '12-2' kept apart from '122'. None when no number."""
    match = HOUSE_NUMBER_RE.match(f"{number or ''}")
    if not match:
        return None
    addition = (match.group(2) or "") + re.sub(r"[^A-Za-z0-9]", "", suffix or "")
    return f"{int(match.group(1))}{'-' + addition.upper() if addition else ''}"


def address_key(postcode: str, house_number: str) -> str:
    """One address, as registers written differently still agree on it: postcode and number with addition."""
    return f"{postcode}|{house_number}"


def parse_sbi_codes(value: str) -> tuple[list[str], list[str]]:
    """'4120, 68.20' → (['4120', '6820'], []); returns the codes and what could not be read."""
    codes, bad = [], []
    for part in re.split(r"[,;/|\s]+", value or ""):
        if not part:
            continue
        digits = part.replace(".", "")
        if re.fullmatch(r"\d{2,6}", digits):
            codes.append(digits)
        else:
            bad.append(part)
    return codes, bad


def _int(value: str) -> int | None:
    value = (value or "").strip()
    return int(value) if re.fullmatch(r"\d{1,6}", value) else None


def _coordinate(value: str) -> float | None:
    value = (value or "").strip().replace(",", ".")
    try:
        number = float(value) if value else None
    except ValueError:
        return None
    return number if number is None or math.isfinite(number) else None


def _date(value: str) -> date | None:
    for pattern in ("%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y"):
        try:
            return datetime.strptime(value.strip(), pattern).date()
        except ValueError:
            continue
    return None


# --------------------------------------------------------------------------- CSV


def decode(content: bytes) -> str:
    """UTF-8 (with or without BOM) as most exports; Windows-1252 as older KvK and RNI extracts."""
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        return content.decode("cp1252", errors="replace")


def read_csv(content: bytes, parsed: Parsed[Any]) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """The header (normalised) and the data lines with their line numbers; semicolon, comma or tab separated."""
    text = decode(content)
    first = text.split("\n", 1)[0]
    delimiter = max((";", ",", "\t"), key=first.count)
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        header = next(reader)
    except StopIteration:
        parsed.error(None, _("Het bestand is leeg."))
        return [], []
    except csv.Error:
        parsed.error(None, _("Het bestand is geen leesbaar CSV-bestand."))
        return [], []
    lines = []
    try:
        for row in reader:
            if not any(cell.strip() for cell in row):
                continue
            lines.append((reader.line_num, row))
            if len(lines) > MAX_ROWS:
                parsed.error(None, _("Het bestand heeft meer dan %(n)s regels.") % {"n": MAX_ROWS})
                return [], []
    except csv.Error:
        parsed.error(reader.line_num, _("deze regel is geen leesbare CSV (aanhalingstekens?)."))
        return [], []
    if not lines:
        parsed.error(None, _("Het bestand bevat geen regels onder de kopregel."))
    return [normalise_header(cell) for cell in header], lines


class Columns:
    """Finds the columns by the names the registers use; a missing required column is one clear error."""

    def __init__(self, header: list[str], parsed: Parsed[Any]):
        self.header = header
        self.parsed = parsed

    def find(self, label: str, aliases: Iterable[str], *, required: bool = True) -> int | None:
        for alias in aliases:
            if alias in self.header:
                return self.header.index(alias)
        if required:
            self.parsed.error(None, _("De kolom ‘%(label)s’ ontbreekt in de kopregel.") % {"label": label})
        return None

    def matching(self, predicate: Callable[[str], bool]) -> list[int]:
        return [index for index, name in enumerate(self.header) if predicate(name)]


def _cell(row: list[str], index: int | None) -> str:
    return row[index].strip() if index is not None and index < len(row) else ""


KVK = ("kvknummer", "kvk", "kvknr", "kamervankoophandelnummer")
POSTCODE = ("postcode", "bezoekadrespostcode", "vestigingsadrespostcode", "pc6", "adrespostcode")
NUMBER = ("huisnummer", "bezoekadreshuisnummer", "vestigingsadreshuisnummer", "nummer", "adreshuisnummer")
SUFFIX = ("huisnummertoevoeging", "toevoeging", "huisletter", "bezoekadreshuisnummertoevoeging")
STREET = ("straat", "straatnaam", "bezoekadresstraat", "vestigingsadresstraat", "openbareruimte")


def _is_sbi_column(name: str) -> bool:
    return "sbi" in name and not any(word in name for word in ("omschrijving", "beschrijving", "tekst", "naam"))


def _address(row: list[str], line: int, columns: dict[str, int | None], parsed: Parsed[Any],
             *, number_required: bool = True) -> tuple[str, str] | None:
    postcode = normalise_postcode(_cell(row, columns["postcode"]))
    if postcode is None:
        parsed.error(line, _("‘%(v)s’ is geen geldige postcode (zoals 1234 AB).")
                     % {"v": _cell(row, columns["postcode"])})
        return None
    raw_number = _cell(row, columns["number"])
    if not raw_number and not number_required:
        return postcode, ""
    number = normalise_house_number(raw_number, _cell(row, columns.get("suffix")))
    if number is None:
        parsed.error(line, _("‘%(v)s’ is geen geldig huisnummer.") % {"v": raw_number})
        return None
    return postcode, number


def parse_kvk(content: bytes) -> Parsed[BusinessRow]:
    """A KvK extract (Handelsregister selectie): one line per establishment, SBI codes in one or more columns."""
    parsed: Parsed[BusinessRow] = Parsed()
    header, lines = read_csv(content, parsed)
    if parsed.errors:
        return parsed
    cols = Columns(header, parsed)
    columns = {
        "kvk": cols.find("KvK-nummer", KVK),
        "establishment": cols.find("Vestigingsnummer", ("vestigingsnummer", "vestigingsnr"), required=False),
        "name": cols.find("Handelsnaam", ("handelsnaam", "eerstehandelsnaam", "naam", "statutairenaam")),
        "street": cols.find("Straat", STREET, required=False),
        "number": cols.find("Huisnummer", NUMBER),
        "suffix": cols.find("Toevoeging", SUFFIX, required=False),
        "postcode": cols.find("Postcode", POSTCODE),
        "city": cols.find("Plaats", ("plaats", "woonplaats", "bezoekadresplaats", "vestigingsadresplaats"),
                          required=False),
        "x": cols.find("X", ("x", "xcoordinaat", "rdx"), required=False),
        "y": cols.find("Y", ("y", "ycoordinaat", "rdy"), required=False),
    }
    sbi_columns = cols.matching(_is_sbi_column)
    if not sbi_columns:
        parsed.error(None, _("Er is geen kolom met SBI-codes (zoals ‘SBI-code’ of ‘SBI hoofdactiviteit’)."))
    if parsed.errors:
        return parsed
    seen: dict[str, int] = {}
    for line, row in lines:
        before = len(parsed.errors)
        kvk = re.sub(r"\s", "", _cell(row, columns["kvk"]))
        if not re.fullmatch(r"\d{8}", kvk):
            parsed.error(line, _("het KvK-nummer ‘%(v)s’ moet uit 8 cijfers bestaan.") % {"v": kvk})
        establishment = re.sub(r"\s", "", _cell(row, columns["establishment"]))
        if establishment and not re.fullmatch(r"\d{12}", establishment):
            parsed.error(line, _("het vestigingsnummer ‘%(v)s’ moet uit 12 cijfers bestaan.") % {"v": establishment})
        name = _cell(row, columns["name"])
        if not name:
            parsed.error(line, _("de handelsnaam ontbreekt."))
        address = _address(row, line, columns, parsed)
        codes: list[str] = []
        for index in sbi_columns:
            found, bad = parse_sbi_codes(_cell(row, index))
            codes += [code for code in found if code not in codes]
            for value in bad:
                parsed.error(line, _("‘%(v)s’ is geen SBI-code (2 tot 6 cijfers, zoals 5610 of 56.10).") % {"v": value})
        x, y = _coordinate(_cell(row, columns["x"])), _coordinate(_cell(row, columns["y"]))
        for raw, coordinate in ((_cell(row, columns["x"]), x), (_cell(row, columns["y"]), y)):
            if raw and coordinate is None:
                parsed.error(line, _("‘%(v)s’ is geen coördinaat (een getal, zoals 155000 of 52,1).") % {"v": raw})
        if len(parsed.errors) > before or address is None:
            continue
        key = establishment or f"{kvk}|{address_key(*address)}"
        if key in seen:
            parsed.error(line, _("deze vestiging staat ook al op regel %(n)s.") % {"n": seen[key]})
            continue
        seen[key] = line
        parsed.rows.append(BusinessRow(kvk_number=kvk, establishment_number=establishment, name=name[:200],
                                       street=_cell(row, columns["street"])[:200], house_number=address[1],
                                       postcode=address[0], city=_cell(row, columns["city"])[:100],
                                       sbi_codes=tuple(codes), x=x, y=y))
    return parsed


def parse_vacancies(content: bytes) -> Parsed[VacancyRow]:
    """Vacancies (from the municipality's werkgeversservicepunt or a job site): employer, address, number of jobs."""
    parsed: Parsed[VacancyRow] = Parsed()
    header, lines = read_csv(content, parsed)
    if parsed.errors:
        return parsed
    cols = Columns(header, parsed)
    columns = {
        "employer": cols.find("Werkgever", ("werkgever", "bedrijf", "bedrijfsnaam", "handelsnaam", "naam")),
        "kvk": cols.find("KvK-nummer", KVK, required=False),
        "title": cols.find("Functie", ("functie", "titel", "vacature", "vacaturetitel"), required=False),
        "postcode": cols.find("Postcode", POSTCODE),
        "number": cols.find("Huisnummer", NUMBER, required=False),
        "suffix": cols.find("Toevoeging", SUFFIX, required=False),
        "count": cols.find("Aantal", ("aantal", "aantalvacatures", "aantalplaatsen"), required=False),
    }
    sbi_columns = cols.matching(_is_sbi_column)
    if parsed.errors:
        return parsed
    for line, row in lines:
        before = len(parsed.errors)
        employer = _cell(row, columns["employer"])
        if not employer:
            parsed.error(line, _("de werkgever ontbreekt."))
        address = _address(row, line, columns, parsed, number_required=False)
        raw_count = _cell(row, columns["count"])
        count = _int(raw_count) if raw_count else 1
        if count is None or count < 1:
            parsed.error(line, _("het aantal ‘%(v)s’ moet een heel getal van 1 of meer zijn.") % {"v": raw_count})
        codes: list[str] = []
        for index in sbi_columns:
            found, bad = parse_sbi_codes(_cell(row, index))
            codes += found
            for value in bad:
                parsed.error(line, _("‘%(v)s’ is geen SBI-code (2 tot 6 cijfers, zoals 5610 of 56.10).") % {"v": value})
        if len(parsed.errors) > before or address is None or count is None:
            continue
        parsed.rows.append(VacancyRow(employer=employer[:200], kvk_number=_cell(row, columns["kvk"])[:8],
                                      title=_cell(row, columns["title"])[:200], postcode=address[0],
                                      house_number=address[1], count=count, sbi_codes=tuple(codes)))
    return parsed


def parse_rni(content: bytes) -> Parsed[RniRow]:
    """RNI registrations per address: with a column ‘Aantal’, one line per address; without, one line per
    registration (counted here; no other column of such a line is kept)."""
    parsed: Parsed[RniRow] = Parsed()
    header, lines = read_csv(content, parsed)
    if parsed.errors:
        return parsed
    cols = Columns(header, parsed)
    columns = {
        "postcode": cols.find("Postcode", POSTCODE),
        "number": cols.find("Huisnummer", NUMBER),
        "suffix": cols.find("Toevoeging", SUFFIX, required=False),
        "count": cols.find("Aantal", ("aantal", "aantalinschrijvingen", "inschrijvingen", "aantalpersonen"),
                           required=False),
    }
    if parsed.errors:
        return parsed
    totals: dict[tuple[str, str], int] = {}
    first_line: dict[tuple[str, str], int] = {}
    for line, row in lines:
        before = len(parsed.errors)
        address = _address(row, line, columns, parsed)
        count: int | None = 1
        if columns["count"] is not None:
            count = _int(_cell(row, columns["count"]))
            if count is None:
                parsed.error(line, _("het aantal ‘%(v)s’ moet een heel getal zijn.")
                             % {"v": _cell(row, columns["count"])})
        if len(parsed.errors) > before or address is None or count is None:
            continue
        if columns["count"] is not None and address in first_line:
            parsed.error(line, _("dit adres staat ook al op regel %(n)s.") % {"n": first_line[address]})
            continue
        first_line.setdefault(address, line)
        totals[address] = totals.get(address, 0) + count
    parsed.rows = [RniRow(postcode=pc, house_number=nr, registrations=n) for (pc, nr), n in totals.items() if n > 0]
    return parsed


def parse_sex_businesses(content: bytes) -> Parsed[SexBusinessRow]:
    """The municipality's register of licensed sex businesses (APV/Wet regulering sekswerk)."""
    parsed: Parsed[SexBusinessRow] = Parsed()
    header, lines = read_csv(content, parsed)
    if parsed.errors:
        return parsed
    cols = Columns(header, parsed)
    columns = {
        "name": cols.find("Naam", ("naam", "handelsnaam", "bedrijfsnaam", "inrichting")),
        "licence": cols.find("Vergunningnummer", ("vergunningnummer", "vergunningsnummer", "vergunning", "zaaknummer")),
        "street": cols.find("Straat", STREET, required=False),
        "number": cols.find("Huisnummer", NUMBER),
        "suffix": cols.find("Toevoeging", SUFFIX, required=False),
        "postcode": cols.find("Postcode", POSTCODE),
        "until": cols.find("Geldig tot", ("geldigtot", "geldigtotenmet", "einddatum", "vervaldatum"), required=False),
    }
    if parsed.errors:
        return parsed
    seen: dict[str, int] = {}
    for line, row in lines:
        before = len(parsed.errors)
        name, licence = _cell(row, columns["name"]), _cell(row, columns["licence"])
        if not name:
            parsed.error(line, _("de naam ontbreekt."))
        if not licence:
            parsed.error(line, _("het vergunningnummer ontbreekt."))
        elif licence in seen:
            parsed.error(line, _("vergunning ‘%(v)s’ staat ook al op regel %(n)s.")
                         % {"v": licence, "n": seen[licence]})
        address = _address(row, line, columns, parsed)
        raw_until = _cell(row, columns["until"])
        until = _date(raw_until) if raw_until else None
        if raw_until and until is None:
            parsed.error(line, _("‘%(v)s’ is geen datum (zoals 31-12-2027).") % {"v": raw_until})
        if len(parsed.errors) > before or address is None:
            continue
        seen[licence] = line
        parsed.rows.append(SexBusinessRow(name=name[:200], licence_number=licence[:64],
                                          street=_cell(row, columns["street"])[:200], house_number=address[1],
                                          postcode=address[0], valid_until=until))
    return parsed


def parse_postcodes(content: bytes, area_codes: set[str]) -> Parsed[PostcodeRow]:
    """Postcode → wijk or buurt (as the CBS ‘postcode-huisnummer-buurt’ table): six-position postcodes, or
    four-digit postcode areas; each area must be on the imported map."""
    parsed: Parsed[PostcodeRow] = Parsed()
    header, lines = read_csv(content, parsed)
    if parsed.errors:
        return parsed
    cols = Columns(header, parsed)
    postcode_column = cols.find("Postcode", ("postcode", "pc6", "pc4", "postcodegebied"))
    area_column = None
    for name in header:
        if name.startswith(("wijkcode", "buurtcode", "gebiedscode", "wijk", "buurt", "code")):
            area_column = header.index(name)
            break
    if area_column is None:
        parsed.error(None, _("De kolom ‘Wijkcode’ of ‘Buurtcode’ ontbreekt in de kopregel."))
    if parsed.errors:
        return parsed
    seen: dict[str, int] = {}
    for line, row in lines:
        postcode = normalise_postcode(_cell(row, postcode_column), allow_pc4=True)
        code = _cell(row, area_column).upper()
        if postcode is None:
            parsed.error(line, _("‘%(v)s’ is geen geldige postcode (1234 AB of 1234).")
                         % {"v": _cell(row, postcode_column)})
            continue
        if code not in area_codes:
            parsed.error(line, _("de wijk of buurt ‘%(v)s’ staat niet op de geïmporteerde kaart.") % {"v": code})
            continue
        if postcode in seen:
            parsed.error(line, _("postcode %(pc)s staat ook al op regel %(n)s.")
                         % {"pc": postcode, "n": seen[postcode]})
            continue
        seen[postcode] = line
        parsed.rows.append(PostcodeRow(postcode=postcode, area_code=code))
    return parsed


CODE_KEYS = ("wijkcode", "buurtcode", "statcode", "code", "wk_code", "bu_code")
NAME_KEYS = ("wijknaam", "buurtnaam", "statnaam", "naam", "name", "wk_naam", "bu_naam")
MUNICIPALITY_KEYS = ("gemeentecode", "gm_code")


def parse_areas(content: bytes, municipality_code: str) -> Parsed[AreaRow]:
    """The CBS wijk- en buurtkaart as GeoJSON (RD New or WGS84): the features of this municipality (a national file's
    others are skipped), each a wijk or buurt with its code, name and (multi)polygon."""
    parsed: Parsed[AreaRow] = Parsed()
    try:
        data = json.loads(decode(content))
    except (json.JSONDecodeError, RecursionError):
        parsed.error(None, _("Het bestand is geen geldige GeoJSON (JSON kon niet gelezen worden)."))
        return parsed
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection" or not isinstance(
            data.get("features"), list):
        parsed.error(None, _("Het bestand is geen GeoJSON FeatureCollection."))
        return parsed
    seen: dict[str, int] = {}
    for number, feature in enumerate(data["features"], start=1):
        properties = feature.get("properties") if isinstance(feature, dict) else None
        if not isinstance(properties, dict):
            parsed.error(None, _("Gebied %(n)s: heeft geen eigenschappen (properties).") % {"n": number})
            continue
        lowered = {str(key).casefold(): value for key, value in properties.items()}
        municipality = next((str(lowered[k]) for k in MUNICIPALITY_KEYS if lowered.get(k)), "")
        if municipality and municipality.upper() != municipality_code.upper():
            parsed.skipped += 1
            continue
        code = next((str(lowered[k]).strip().upper() for k in CODE_KEYS if lowered.get(k)), "")
        name = next((str(lowered[k]).strip() for k in NAME_KEYS if lowered.get(k)), "")
        label = code or str(number)
        if not code:
            parsed.error(None, _("Gebied %(n)s: de wijk- of buurtcode ontbreekt.") % {"n": number})
        if not name:
            parsed.error(None, _("Gebied %(c)s: de naam ontbreekt.") % {"c": label})
        geometry = parse_geometry(feature.get("geometry"))
        if geometry is None:
            parsed.error(None, _("Gebied %(c)s: de geometrie is geen geldige (Multi)Polygon.") % {"c": label})
        if code in seen:
            parsed.error(None, _("Gebied %(c)s: deze code komt twee keer voor.") % {"c": code})
        if not code or not name or geometry is None or code in seen:
            continue
        seen[code] = number
        kind = "buurt" if code.startswith("BU") else "wijk" if code.startswith("WK") else "gebied"
        parsed.rows.append(AreaRow(code=code[:16], name=name[:120], kind=kind, geometry=geometry))
    if not parsed.rows and not parsed.errors:
        parsed.error(None, _("Het bestand bevat geen wijken of buurten van deze gemeente (gemeentecode %(c)s).")
                     % {"c": municipality_code})
    return parsed

"""Reading a plan's actions as a user brings them: pasted from the plan (tab-separated, as seed 003's four
"Actiepunten" tables), a CSV, or an XLSX sheet. Each line is checked; a bad line gets a Dutch error with its line
number, and nothing is imported while any line is bad (services.import_actions).

The expected columns are the plan's: number, action, who, when, means (the theme is the heading line above a table,
"Actiepunten Bewustwording en signalering"), or with a header row naming them: nummer, thema, actie, wie, wanneer,
middelen, status, opmerkingen.
"""

from __future__ import annotations

import csv
import html
import io
import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from meldroute.core.exceptions import DomainError

from .constants import ActionStatus
from .whenparse import When, parse_when

MAX_ROWS = 2_000
MAX_BYTES = 2 * 1024 * 1024
HEADERS = {"nummer": "number", "nr": "number", "thema": "theme", "actie": "action", "actiepunt": "action",
           "wie": "who", "wanneer": "when", "middelen": "means", "middel": "means", "status": "status",
           "opmerkingen": "notes", "opmerking": "notes"}
PLAIN_COLUMNS = ("number", "action", "who", "when", "means")
STATUS_WORDS = {str(label).lower(): value for value, label in ActionStatus.choices} | {
    value: value for value in ActionStatus.values} | {"gereed": ActionStatus.DONE, "afgerond": ActionStatus.DONE,
                                                       "loopt": ActionStatus.IN_PROGRESS, "open": ActionStatus.OPEN}


@dataclass
class ParsedRow:
    line: int
    theme: str
    number: str
    action: str
    who: str
    when: When
    means: str = ""
    status: str = ""
    notes: str = ""


@dataclass
class ParseResult:
    rows: list[ParsedRow] = field(default_factory=list)
    errors: list[tuple[int, str]] = field(default_factory=list)  # (line number, Dutch message)

    @property
    def ok(self) -> bool:
        return bool(self.rows) and not self.errors


def clean(text: str) -> str:
    """A cell as a person reads it: the plans' HTML (links, <sup>) removed, entities decoded, spaces collapsed."""
    text = re.sub(r"<[^>]*>", "", text or "")
    return re.sub(r"\s+", " ", html.unescape(text)).strip()


def read_upload(name: str, content: bytes) -> list[list[str]]:
    """The cells of an uploaded CSV or XLSX, or a DomainError(field="file")."""
    if len(content) > MAX_BYTES:
        raise DomainError(_("Het bestand is groter dan 2 MB."), field="file")
    lower = name.lower()
    if lower.endswith(".xlsx"):
        return _read_xlsx(content)
    if lower.endswith((".csv", ".txt", ".tsv")):
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = content.decode("cp1252", errors="replace")
        return split_text(text)
    raise DomainError(_("Kies een CSV- of XLSX-bestand."), field="file")


def _read_xlsx(content: bytes) -> list[list[str]]:
    from openpyxl import load_workbook  # only when an XLSX comes in

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a broken file
        raise DomainError(_("Dit XLSX-bestand kan niet worden gelezen."), field="file") from error
    sheet = workbook.worksheets[0]
    rows = []
    for values in sheet.iter_rows(values_only=True):
        rows.append(["" if v is None else (v.strftime("%d-%m-%Y") if hasattr(v, "strftime") else str(v))
                     for v in values])
        if len(rows) > MAX_ROWS:
            break
    workbook.close()
    return rows


def split_text(text: str) -> list[list[str]]:
    """Pasted or CSV text into cells: tab-separated when any line has a tab, else CSV with ; or , (Dutch
    spreadsheets write ;)."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n")
    if "\t" in lines:
        return [line.split("\t") for line in lines.split("\n")]
    sample = lines[:4096]
    delimiter = ";" if sample.count(";") >= sample.count(",") else ","
    return [row for row in csv.reader(io.StringIO(lines), delimiter=delimiter)]


def _is_blank(cells: list[str]) -> bool:
    return not any(clean(c) for c in cells)


def parse_rows(cells: list[list[str]], default_theme: str = "") -> ParseResult:
    """Every line checked; themes from the "Actiepunten …" heading lines, or from a thema column."""
    result = ParseResult()
    theme = clean(default_theme)
    columns: tuple[str, ...] = PLAIN_COLUMNS
    seen: set[tuple[str, str]] = set()
    if len(cells) > MAX_ROWS:
        result.errors.append((MAX_ROWS + 1, _("Meer dan %(n)s regels: splits het bestand.") % {"n": MAX_ROWS}))
        return result
    for index, raw in enumerate(cells, start=1):
        row = [clean(c) for c in raw]
        if _is_blank(row):
            continue
        filled = [c for c in row if c]
        first = row[0].lower() if row else ""
        if len(filled) == 1 and filled[0].lower().startswith("actiepunten"):
            theme = filled[0][len("actiepunten"):].strip(" :-")
            continue
        if first in HEADERS and sum(c.lower() in HEADERS for c in row if c) >= 3:
            columns = tuple(HEADERS.get(c.lower(), "") for c in row)
            continue
        values = {name: (row[i] if i < len(row) else "") for i, name in enumerate(columns) if name}
        parsed = _parse_row(index, values, theme, result)
        if parsed is None:
            continue
        key = (parsed.theme.lower(), parsed.number)
        if key in seen:
            result.errors.append((index, _("Nummer %(n)s staat twee keer in het thema '%(t)s'.") % {
                "n": parsed.number, "t": parsed.theme}))
            continue
        seen.add(key)
        result.rows.append(parsed)
    if not result.rows and not result.errors:
        result.errors.append((0, _("Geen actiepunten gevonden. Plak de tabel met de kolommen nummer, actie, wie, "
                                   "wanneer en middelen.")))
    return result


def _parse_row(line: int, values: dict[str, str], theme: str, result: ParseResult) -> ParsedRow | None:
    errors: list[str] = []
    number = values.get("number", "").rstrip(".")
    theme = values.get("theme") or theme
    if not re.fullmatch(r"[0-9A-Za-z][0-9A-Za-z.\-]{0,15}", number):
        errors.append(_("het nummer ontbreekt of is ongeldig ('%(v)s')") % {"v": number[:20]})
    if not theme:
        errors.append(_("geen thema: zet een regel 'Actiepunten <thema>' boven de tabel of vul de kolom thema"))
    action = values.get("action", "")
    if not action:
        errors.append(_("de actie is leeg"))
    elif len(action) > 2_000:
        errors.append(_("de actie is langer dan 2000 tekens"))
    who = values.get("who", "")
    if not who:
        errors.append(_("'wie' is leeg"))
    when: When | None = None
    try:
        when = parse_when(values.get("when", ""))
    except DomainError as error:
        errors.append(error.message[0].lower() + error.message[1:])
    status = ""
    if values.get("status"):
        status = STATUS_WORDS.get(values["status"].lower(), "")
        if not status:
            errors.append(_("onbekende status '%(s)s'") % {"s": values["status"][:40]})
    if errors or when is None:
        message = "; ".join(errors)
        result.errors.append((line, message[:1].upper() + message[1:] + "."))
        return None
    return ParsedRow(line, theme[:200], number, action, who[:300], when, values.get("means", "")[:300], status,
                     values.get("notes", "")[:2_000])


def to_text(rows: list[ParsedRow]) -> str:
    """The parsed rows as tab-separated text with a header: what the preview carries to the confirming post."""
    lines = ["nummer\tthema\tactie\twie\twanneer\tmiddelen\tstatus\topmerkingen"]
    for r in rows:
        lines.append("\t".join(c.replace("\t", " ").replace("\n", " ") for c in (
            r.number, r.theme, r.action, r.who, r.when.text, r.means, r.status, r.notes)))
    return "\n".join(lines)

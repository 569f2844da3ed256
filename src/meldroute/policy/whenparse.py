"""Reading an action's "when" as the plans write it: a deadline, a recurrence, a period, or "doorlopend".

"Uiterlijk 01-05-2022" and "01-07-2022" are deadlines; "Doorlopend, maar minimaal 2x per jaar", "3 x per jaar" and
"Jaarlijks" are recurrences (continuous work with a minimum number of times a year); "2e helft 2022", "Q3 2022",
"2022-2023" and "eind 2022" are periods whose end is the deadline. Anything else is refused with a Dutch message,
so an import never guesses.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext as _

from meldroute.core.exceptions import DomainError

MONTHS = {"januari": 1, "februari": 2, "maart": 3, "april": 4, "mei": 5, "juni": 6, "juli": 7, "augustus": 8,
          "september": 9, "oktober": 10, "november": 11, "december": 12}
WORD_RECURRENCES = {"jaarlijks": 1, "halfjaarlijks": 2, "elk half jaar": 2, "ieder half jaar": 2,
                    "per kwartaal": 4, "elk kwartaal": 4, "ieder kwartaal": 4, "maandelijks": 12, "elke maand": 12}
MIN_YEAR, MAX_YEAR = 2000, 2100


@dataclass(frozen=True)
class When:
    """What a "when" says. `deadline` is the last day (for a period: its end); `per_year` a minimum number of times
    a year; `continuous` for "doorlopend"."""

    text: str
    deadline: date | None = None
    period_start: date | None = None
    period_end: date | None = None
    per_year: int | None = None
    continuous: bool = False


def _normalise(text: str) -> str:
    text = re.sub(r"<[^>]*>", "", text)  # the plans' tables carry <sup>e</sup> and links
    text = text.replace("\u00a0", " ").strip().lower()
    text = re.sub(r"\s+", " ", text)
    text = re.sub(r"(\d) ?e\b", r"\1e", text)  # "2 e helft" (after removing <sup>) reads as "2e helft"
    return text.rstrip(".").strip()


def _year(text: str) -> int:
    year = int(text)
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise ValueError(year)
    return year


def _period(start: date, end: date, text: str) -> When:
    return When(text=text, deadline=end, period_start=start, period_end=end)


def _last_day(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def parse_when(raw: str) -> When:
    """The meaning of `raw`, or DomainError(field="when") with a Dutch message."""
    text = (raw or "").strip()
    norm = _normalise(text)
    if not norm:
        raise DomainError(_("Vul in wanneer de actie klaar moet zijn."), field="when")
    try:
        parsed = _parse(norm, text)
    except (ValueError, OverflowError):
        parsed = None
    if parsed is None:
        raise DomainError(_("'%(w)s' is geen termijn die Meldroute begrijpt. Schrijf bijvoorbeeld 'Uiterlijk "
                            "01-05-2022', 'Doorlopend, maar minimaal 2x per jaar', '2e helft 2022' of "
                            "'Jaarlijks'.") % {"w": text[:80]}, field="when")
    return parsed


def _parse(norm: str, text: str) -> When | None:
    continuous = norm.startswith("doorlopend")
    if continuous:
        rest = norm.removeprefix("doorlopend").strip(" ,;")
        rest = re.sub(r"^(maar|en)\s+", "", rest)
        rest = re.sub(r"^(minimaal|minstens|ten minste)\s+", "", rest)
        if not rest:
            return When(text=text, continuous=True)
        per_year = _recurrence(rest)
        return None if per_year is None else When(text=text, continuous=True, per_year=per_year)
    per_year = _recurrence(re.sub(r"^(minimaal|minstens|ten minste)\s+", "", norm))
    if per_year is not None:
        return When(text=text, per_year=per_year)
    norm = re.sub(r"\s+(gereed|klaar|afgerond)$", "", norm)
    norm = re.sub(r"^(uiterlijk|voor|vóór|per|gereed|klaar|op)\s+", "", norm)
    if m := re.fullmatch(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})", norm):
        return When(text=text, deadline=date(_year(m[3]), int(m[2]), int(m[1])))
    if m := re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", norm):
        return When(text=text, deadline=date(_year(m[1]), int(m[2]), int(m[3])))
    if m := re.fullmatch(r"(\d{1,2}) (" + "|".join(MONTHS) + r") (\d{4})", norm):
        return When(text=text, deadline=date(_year(m[3]), MONTHS[m[2]], int(m[1])))
    if m := re.fullmatch(r"(1|2|eerste|tweede)e? helft (\d{4})", norm) or re.fullmatch(
            r"(eerste|tweede) helft (\d{4})", norm):
        year, half = _year(m[2]), 1 if m[1] in ("1", "eerste") else 2
        return _period(date(year, 1 if half == 1 else 7, 1), date(year, 6, 30) if half == 1 else date(year, 12, 31),
                       text)
    if m := re.fullmatch(r"q([1-4]) (\d{4})", norm) or re.fullmatch(r"([1-4])e kwartaal (\d{4})", norm):
        year, quarter = _year(m[2]), int(m[1])
        return _period(date(year, 3 * quarter - 2, 1), _last_day(year, 3 * quarter), text)
    if m := re.fullmatch(r"(" + "|".join(MONTHS) + r") (\d{4})", norm):
        year, month = _year(m[2]), MONTHS[m[1]]
        return _period(date(year, month, 1), _last_day(year, month), text)
    if m := re.fullmatch(r"(?:eind|einde) (\d{4})", norm):
        return When(text=text, deadline=date(_year(m[1]), 12, 31))
    if m := re.fullmatch(r"(\d{4}) ?[-–/] ?(\d{4})", norm):
        first, last = _year(m[1]), _year(m[2])
        return _period(date(first, 1, 1), date(last, 12, 31), text) if first <= last else None
    if m := re.fullmatch(r"(\d{4})", norm):
        year = _year(m[1])
        return _period(date(year, 1, 1), date(year, 12, 31), text)
    return None


def _recurrence(norm: str) -> int | None:
    if norm in WORD_RECURRENCES:
        return WORD_RECURRENCES[norm]
    if m := re.fullmatch(r"(\d{1,2}) ?(?:x|keer|maal) (?:per|in het|per kalender) ?jaar", norm):
        count = int(m[1])
        return count if 1 <= count <= 52 else None
    return None

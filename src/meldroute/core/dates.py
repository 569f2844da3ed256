"""Dates in the texts Meldroute writes (notes, notifications, mails, messages) in the interface's one style:
"5 december 2026", "5 december 2026 14:30" — never 05-12-2026 beside it (issue 14)."""

from datetime import date, datetime

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import override

from .language import RECORD_LANGUAGE


def long_date(value: date | datetime, *, with_time: bool = False) -> str:
    """A date (or a moment, in local time) as the templates' "j F Y" (with " H:i"), in the language of record
    whatever the request's language (core.language): the text is stored and read by others."""
    if isinstance(value, datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
    elif with_time:
        raise ValueError("a date has no time")
    with override(RECORD_LANGUAGE):
        return date_format(value, "j F Y H:i" if with_time else "j F Y")


def readable_iso(value: str) -> str:
    """A register's ISO date ("2001-01-10") in the same style ("10 januari 2001"); anything else as it came."""
    try:
        return long_date(date.fromisoformat(value))
    except (TypeError, ValueError):
        return value

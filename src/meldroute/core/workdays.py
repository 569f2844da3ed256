"""Deadlines in Dutch working days (weekends and national holidays excluded)."""

from datetime import date, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays

NL_TIMEZONE = ZoneInfo("Europe/Amsterdam")


@lru_cache(maxsize=64)
def _holidays(year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("NL", years=year).keys())


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in _holidays(day.year)


def add_working_days(moment: datetime, days: int) -> datetime:
    """The same time of day, `days` working days later."""
    # Count in Dutch time: a UTC moment just after midnight is already the next day here, and wall-clock
    # arithmetic keeps "the same time of day" across daylight-saving changes.
    current = moment.astimezone(NL_TIMEZONE) if moment.tzinfo is not None else moment
    remaining = days
    while remaining > 0:
        current += timedelta(days=1)
        if is_working_day(current.date()):
            remaining -= 1
    return current

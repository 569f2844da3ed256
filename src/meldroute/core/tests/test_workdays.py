"""Deadlines in Dutch working days: weekends and national holidays do not count, Dutch time decides the day."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from meldroute.core.workdays import add_working_days, is_working_day

pytestmark = pytest.mark.clock  # reads the clock: run again at awkward moments (scripts/test.sh)

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def nl(year, month, day, hour=10, minute=0):
    return datetime(year, month, day, hour, minute, tzinfo=AMSTERDAM)


@pytest.mark.parametrize(("day", "working"), [
    (date(2026, 4, 28), True),    # an ordinary Tuesday
    (date(2026, 4, 25), False),   # Saturday
    (date(2026, 4, 26), False),   # Sunday
    (date(2026, 4, 27), False),   # Koningsdag, a Monday in 2026
    (date(2025, 12, 25), False),  # eerste Kerstdag
    (date(2025, 12, 26), False),  # tweede Kerstdag
    (date(2026, 1, 1), False),    # Nieuwjaarsdag
    (date(2026, 5, 25), False),   # tweede Pinksterdag
])
def test_weekends_and_dutch_holidays_are_not_working_days(day, working):
    assert is_working_day(day) is working


def test_adding_working_days_skips_the_weekend():
    assert add_working_days(nl(2026, 3, 13), 1) == nl(2026, 3, 16)  # Friday -> Monday


def test_adding_working_days_skips_koningsdag():
    # Friday 24 April 2026 + 1: Saturday, Sunday and Koningsdag (Monday 27 April) do not count.
    assert add_working_days(nl(2026, 4, 24), 1) == nl(2026, 4, 28)


def test_adding_working_days_skips_both_christmas_days():
    # Wednesday 24 December 2025 + 1: Christmas (Thu, Fri) and the weekend do not count.
    assert add_working_days(nl(2025, 12, 24), 1) == nl(2025, 12, 29)


def test_five_working_days_over_koningsdag_take_ten_calendar_days():
    assert add_working_days(nl(2026, 4, 24), 5) == nl(2026, 5, 4)


def test_adding_working_days_keeps_the_time_of_day():
    result = add_working_days(nl(2026, 6, 2, 14, 37), 3)
    assert result == nl(2026, 6, 5, 14, 37)


def test_adding_zero_working_days_returns_the_same_moment():
    moment = nl(2026, 4, 27, 9, 15)
    assert add_working_days(moment, 0) == moment


def test_days_are_counted_on_the_dutch_calendar_not_in_utc():
    # 22:30 UTC on Sunday 26 April 2026 is already 00:30 on Koningsdag in the Netherlands,
    # so the next working day is Tuesday 28 April — not Wednesday.
    moment = datetime(2026, 4, 26, 22, 30, tzinfo=UTC)
    assert add_working_days(moment, 1) == nl(2026, 4, 28, 0, 30)


def test_a_utc_moment_keeps_its_dutch_time_of_day_across_the_change_to_winter_time():
    # Services pass timezone.now() (UTC). 10:00 on Friday 23 October 2026 is 10:00 on Monday 26 October,
    # even though the clocks went back an hour on Sunday 25 October.
    moment = nl(2026, 10, 23).astimezone(UTC)
    assert add_working_days(moment, 1) == nl(2026, 10, 26)

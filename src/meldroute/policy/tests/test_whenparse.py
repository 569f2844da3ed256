"""The "when" of an action as the plans write it: deadlines, recurrences, periods; anything else refused in Dutch."""

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from meldroute.core.exceptions import DomainError
from meldroute.policy.whenparse import parse_when


@pytest.mark.parametrize(("text", "deadline", "per_year", "continuous", "period"), [
    ("Uiterlijk 01-05-2022", date(2022, 5, 1), None, False, None),
    ("01-07-2022", date(2022, 7, 1), None, False, None),
    ("Doorlopend", None, None, True, None),
    ("doorlopend", None, None, True, None),
    ("Doorlopend, maar minimaal 2x per jaar", None, 2, True, None),
    ("Jaarlijks", None, 1, False, None),
    ("3 x per jaar", None, 3, False, None),
    ("2e helft 2022", date(2022, 12, 31), None, False, (date(2022, 7, 1), date(2022, 12, 31))),
    ("2 <sup>e</sup> helft 2022 gereed", date(2022, 12, 31), None, False, (date(2022, 7, 1), date(2022, 12, 31))),
    ("1e helft 2023", date(2023, 6, 30), None, False, (date(2023, 1, 1), date(2023, 6, 30))),
    ("2022-2023", date(2023, 12, 31), None, False, (date(2022, 1, 1), date(2023, 12, 31))),
    ("Q3 2024", date(2024, 9, 30), None, False, (date(2024, 7, 1), date(2024, 9, 30))),
    ("Eind 2024", date(2024, 12, 31), None, False, None),
    ("Uiterlijk 15 maart 2025", date(2025, 3, 15), None, False, None),
])
def test_the_plans_when_values_are_understood(text, deadline, per_year, continuous, period):
    when = parse_when(text)
    assert (when.deadline, when.per_year, when.continuous) == (deadline, per_year, continuous)
    assert ((when.period_start, when.period_end) if period else (None, None)) == (period or (None, None))
    assert when.text == text


@pytest.mark.parametrize("text", ["", "   ", "binnenkort", "31-02-2022", "3e helft 2022", "0x per jaar",
                                  "Uiterlijk 01-13-2022", "2023-2022"])
def test_an_unknown_when_is_refused_with_a_dutch_message_at_the_field(text):
    with pytest.raises(DomainError) as error:
        parse_when(text)
    assert error.value.field == "when"
    assert "termijn" in error.value.message or "Vul in" in error.value.message


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 31)),
       st.sampled_from(["Uiterlijk ", "", "uiterlijk "]))
def test_any_written_date_is_its_deadline(day, prefix):
    assert parse_when(f"{prefix}{day:%d-%m-%Y}").deadline == day


@given(st.integers(min_value=1, max_value=52), st.sampled_from(["{n}x per jaar", "{n} x per jaar",
                                                                 "Doorlopend, maar minimaal {n}x per jaar",
                                                                 "{n} keer per jaar"]))
def test_any_recurrence_is_read_as_times_a_year(n, pattern):
    assert parse_when(pattern.format(n=n)).per_year == n


@given(st.integers(min_value=2000, max_value=2100), st.sampled_from([1, 2]))
def test_a_half_year_is_a_period_ending_at_its_deadline(year, half):
    when = parse_when(f"{half}e helft {year}")
    assert when.period_start == date(year, 1 if half == 1 else 7, 1)
    assert when.deadline == when.period_end == (date(year, 6, 30) if half == 1 else date(year, 12, 31))


@given(st.text(max_size=60))
def test_any_text_is_understood_or_refused_never_a_crash(text):
    try:
        when = parse_when(text)
    except DomainError as error:
        assert error.field == "when"
    else:
        assert when.deadline or when.per_year or when.continuous

"""The `moment` filter writes exactly what `date:"j F Y H:i"` writes, for any moment, in both languages."""

from datetime import UTC, datetime, timedelta

from django.template import Context, Template
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

BOTH = Template('{% load mr_dates %}{{ v|moment }}|{{ v|date:"j F Y H:i" }}')


def _render(value, language):
    with translation.override(language):
        ours, djangos = BOTH.render(Context({"v": value})).split("|")
    return ours, djangos


@settings(max_examples=300, deadline=None)
@given(st.datetimes(min_value=datetime(1990, 1, 1), max_value=datetime(2060, 12, 31), timezones=st.just(UTC)),
       st.sampled_from(["nl", "en"]))
def test_moment_equals_the_date_filter(value, language):
    ours, djangos = _render(value, language)
    assert ours == djangos


def test_moment_in_local_time_across_the_summer_time_switch():
    switch = datetime(2027, 3, 28, 0, 30, tzinfo=UTC)  # 01:30 winter time, then 03:30 summer time an hour later
    assert _render(switch, "nl") == ("28 maart 2027 01:30", "28 maart 2027 01:30")
    assert _render(switch + timedelta(hours=1), "nl")[0] == "28 maart 2027 03:30"


def test_moment_of_nothing_is_empty_as_with_the_date_filter():
    assert _render(None, "nl") == ("", "")
    assert _render("", "nl") == ("", "")

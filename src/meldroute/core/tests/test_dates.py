"""The one date style of the texts Meldroute writes (issue 14): "5 december 2026", in Dutch whatever the language."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.utils.translation import override

from meldroute.core.dates import long_date, readable_iso


def test_dates_and_moments_read_as_the_templates_write_them():
    assert long_date(date(2026, 12, 5)) == "5 december 2026"
    moment = datetime(2026, 3, 29, 1, 30, tzinfo=ZoneInfo("UTC"))  # 03:30 in Amsterdam, the night of summer time
    assert long_date(moment, with_time=True) == "29 maart 2026 03:30"
    with override("en"):
        assert long_date(date(2026, 5, 1)) == "1 mei 2026"
    with pytest.raises(ValueError):
        long_date(date(2026, 5, 1), with_time=True)


def test_a_registers_iso_date_reads_the_same_way_and_anything_else_stays():
    assert readable_iso("2001-01-10") == "10 januari 2001"
    assert readable_iso("2001-00-00") == "2001-00-00" and readable_iso("") == ""

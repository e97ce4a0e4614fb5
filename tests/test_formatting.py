"""Dates and numbers through Babel, per locale, with no global state."""

from __future__ import annotations

import datetime as dt
import locale

import pytest

from helpcenter.formatting import display_date, display_number


@pytest.mark.parametrize(
    ("value", "loc", "expected"),
    [
        (dt.date(2023, 9, 28), "en_GB", "28 Sept 2023"),
        (dt.date(2023, 9, 2), "en_GB", "2 Sept 2023"),
        (dt.date(2026, 3, 25), "en_GB", "25 Mar 2026"),
        (dt.date(2023, 9, 28), "en_US", "Sep 28, 2023"),
        (dt.datetime(2026, 4, 24, 23, 30, tzinfo=dt.timezone(dt.timedelta(hours=-5))), "en_GB", "24 Apr 2026"),
    ],
)
def test_dates(value: dt.date, loc: str, expected: str) -> None:
    assert display_date(value, loc) == expected


def test_numbers_and_no_process_locale_change() -> None:
    before = locale.setlocale(locale.LC_ALL)
    assert display_number(19266, "en_GB") == "19,266"
    assert display_number(1234567, "de_DE") == "1.234.567"
    assert locale.setlocale(locale.LC_ALL) == before

"""Dates and numbers in the site's locale, through Babel. No global locale state.

Babel formats are memoised: a site repeats the same few thousand dates many times over.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

from babel import Locale
from babel.dates import format_date
from babel.numbers import format_decimal


@lru_cache(maxsize=8)
def _locale(name: str) -> Locale:
    return Locale.parse(name)


@lru_cache(maxsize=8192)
def display_date(value: dt.date, locale: str) -> str:
    """``28 Sept 2023`` in en_GB, ``Sep 28, 2023`` in en_US (CLDR's medium format)."""
    if isinstance(value, dt.datetime):
        value = value.date()  # the calendar date the editor wrote, in its own offset
    return format_date(value, format="medium", locale=_locale(locale))


@lru_cache(maxsize=8192)
def display_number(value: int, locale: str) -> str:
    """``19,266`` in en_GB."""
    return format_decimal(value, locale=_locale(locale))


def iso_date(value: dt.date) -> str:
    """For <time datetime="…">: the date, or the full date-time with its offset."""
    return value.isoformat()


def timestamp(value: dt.date) -> int:
    """Seconds since the epoch (dates as midnight UTC): the sort key for 'newest'."""
    if isinstance(value, dt.datetime):
        return int(value.timestamp())
    return int(dt.datetime(value.year, value.month, value.day, tzinfo=dt.timezone.utc).timestamp())

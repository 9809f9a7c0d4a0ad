"""Comparison of dates of birth that may be missing, partial or have day and month swapped.

Dates arrive as ``datetime.date``, ISO text (1990-05-03, 1990-05, 1990), Ukrainian text
(03.05.1990, 05.1990, also with / or -) or None. ``compare_dates`` returns a ``DateMatch`` level
that the scorer weights; it never raises on bad input, which counts as missing.
"""

from __future__ import annotations

import datetime
import enum
import re
from typing import NamedTuple


class DateMatch(enum.Enum):
    """How well two dates agree, best first.

    EXACT: same year, month and day. DAY_MONTH_SWAPPED: same year with day and month exchanged
    (03.05 against 05.03). YEAR_ONLY: the years agree and nothing more can be said (one side is
    year-only, or the month matches but a day is missing) or the months/days disagree. YEAR_NEAR:
    years one apart. MISSING: a year is unknown on either side. DIFFERENT: anything else.
    """

    EXACT = "exact"
    DAY_MONTH_SWAPPED = "day_month_swapped"
    YEAR_ONLY = "year_only"
    YEAR_NEAR = "year_near"
    MISSING = "missing"
    DIFFERENT = "different"


class PartialDate(NamedTuple):
    """A date whose month or day may be unknown (None)."""

    year: int | None
    month: int | None = None
    day: int | None = None


_ISO = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$")
_DOTTED = re.compile(r"^(?:(?:(\d{1,2})[./-])?(\d{1,2})[./-])?(\d{4})$")
MISSING_DATE = PartialDate(None)


def _checked(year: int, month: int | None, day: int | None) -> PartialDate:
    if not 1800 <= year <= 2200:
        return MISSING_DATE
    if month is not None and not 1 <= month <= 12:
        return PartialDate(year)
    if month is not None and day is not None:
        try:
            datetime.date(year, month, day)
        except ValueError:
            return PartialDate(year, month)
    return PartialDate(year, month, day)


def parse_date(value: datetime.date | PartialDate | str | None) -> PartialDate:
    """A partial date from any accepted input; unparseable input is missing."""
    if value is None:
        return MISSING_DATE
    if isinstance(value, PartialDate):
        return value
    if isinstance(value, datetime.date):
        return PartialDate(value.year, value.month, value.day)
    text = value.strip()
    iso = _ISO.match(text)
    if iso:
        year, month, day = iso.groups()
    else:
        dotted = _DOTTED.match(text)
        if not dotted:
            return MISSING_DATE
        day, month, year = dotted.groups()
    return _checked(
        int(year),
        int(month) if month else None,
        int(day) if day else None,
    )


def compare_dates(
    first: datetime.date | PartialDate | str | None,
    second: datetime.date | PartialDate | str | None,
) -> DateMatch:
    """The agreement level of two dates of birth (see ``DateMatch``)."""
    one, two = parse_date(first), parse_date(second)
    if one.year is None or two.year is None:
        return DateMatch.MISSING
    if one.year != two.year:
        return DateMatch.YEAR_NEAR if abs(one.year - two.year) == 1 else DateMatch.DIFFERENT
    complete = None not in (one.month, one.day, two.month, two.day)
    if complete and (one.month, one.day) == (two.month, two.day):
        return DateMatch.EXACT
    if complete and (one.month, one.day) == (two.day, two.month):
        return DateMatch.DAY_MONTH_SWAPPED
    return DateMatch.YEAR_ONLY

"""Dates as the page's language writes them: 31.12.1990 in Ukrainian, 1990-12-31 in English
(`core/formats`); a partial date of birth as 12.1990 or 1990-12, or the year alone."""

from __future__ import annotations

import datetime as dt

from django.utils.formats import date_format, get_format

from opennrm.core.ages import PartialDate


def short_date(day: dt.date | None) -> str:
    """A date in the active language's short format, or "" when there is none."""
    return date_format(day, "SHORT_DATE_FORMAT") if day is not None else ""


def partial_date(value: PartialDate) -> str:
    """A date that may be year-only or year-and-month, in the active language's order."""
    if str(get_format("SHORT_DATE_FORMAT")).startswith("d"):
        return value.dotted()
    return value.isoformat()

"""The one-time financial assistance (Resolution No. 660): a dated table, never constants.

The amount is a number of subsistence minimums (прожитковий мінімум) for the person's social
and demographic group on the date of the claim: one minimum in the original text of
Resolution No. 660, three after the 2021-22 change (domain.md §5.9). The minimums come from the
annual Laws on the State Budget of Ukraine (article 7 of each law), UAH per person per month.

Every row is marked `verify=True`: the figures were written from the budget laws as known to the
author, not checked against the official texts. A deployment replaces the table with the Django
setting `OPENNRM_SUBSISTENCE_MINIMUMS` (a list of rows: `valid_from` "YYYY-MM-DD", `amounts`
{category: "UAH"}, `source`, `verify`) and the multipliers with `OPENNRM_PAYMENT_MULTIPLIERS`
(`valid_from`, `multiplier`, `source`, `verify`). See docs/status-procedure.md.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any, Final, TypeVar

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from opennrm.nrm.status.codes import PAYMENT_CATEGORY, R660

CATEGORIES: Final = PAYMENT_CATEGORY.values  # General, ChildUnder6, Child6To18, AbleBodied, ...


@dataclass(frozen=True)
class MinimumRow:
    valid_from: dt.date
    amounts: Mapping[str, Decimal]
    source: str
    verify: bool = True


@dataclass(frozen=True)
class MultiplierRow:
    valid_from: dt.date
    multiplier: int
    source: str
    verify: bool = True


def _row(day: str, amounts: tuple[int, int, int, int, int], law: str) -> MinimumRow:
    return MinimumRow(
        dt.date.fromisoformat(day),
        dict(zip(CATEGORIES, (Decimal(a) for a in amounts), strict=True)),
        f"Law of Ukraine “On the State Budget of Ukraine for {law}”, art. 7",
    )


# Columns: General, ChildUnder6, Child6To18, AbleBodied, LostAbilityToWork (UAH per month).
DEFAULT_MINIMUMS: Final[tuple[MinimumRow, ...]] = (
    _row("2013-01-01", (1108, 1032, 1279, 1147, 894), "2013” No. 5515-VI"),
    _row(
        "2013-12-01",
        (1176, 1095, 1357, 1218, 949),
        "2013” No. 5515-VI; unchanged by the Laws for 2014 (No. 719-VII) and 2015 (No. 80-VIII"
        ") until 31 Aug 2015",
    ),
    _row("2015-09-01", (1330, 1239, 1534, 1378, 1074), "2015” No. 80-VIII"),
    _row("2016-05-01", (1399, 1303, 1614, 1450, 1130), "2016” No. 928-VIII"),
    _row("2016-12-01", (1544, 1439, 1782, 1600, 1247), "2016” No. 928-VIII"),
    _row("2017-05-01", (1624, 1514, 1874, 1684, 1312), "2017” No. 1801-VIII"),
    _row("2017-12-01", (1700, 1584, 1960, 1762, 1373), "2017” No. 1801-VIII"),
    _row("2018-07-01", (1777, 1656, 2049, 1841, 1435), "2018” No. 2246-VIII"),
    _row("2018-12-01", (1853, 1726, 2137, 1921, 1497), "2018” No. 2246-VIII"),
    _row("2019-07-01", (1936, 1804, 2232, 2007, 1564), "2019” No. 2629-VIII"),
    _row("2019-12-01", (2027, 1889, 2338, 2102, 1638), "2019” No. 2629-VIII"),
    _row("2020-01-01", (2027, 1779, 2218, 2102, 1638), "2020” No. 294-IX"),
    _row("2020-07-01", (2118, 1859, 2318, 2197, 1712), "2020” No. 294-IX"),
    _row("2020-12-01", (2189, 1921, 2395, 2270, 1769), "2020” No. 294-IX"),
    _row("2021-07-01", (2294, 2013, 2510, 2379, 1854), "2021” No. 1082-IX"),
    _row("2021-12-01", (2393, 2100, 2618, 2481, 1934), "2021” No. 1082-IX"),
    _row("2022-07-01", (2508, 2201, 2744, 2600, 2027), "2022” No. 1928-IX"),
    _row(
        "2022-12-01",
        (2589, 2272, 2833, 2684, 2093),
        "2022” No. 1928-IX; unchanged by the Law for 2023 (No. 2710-IX",
    ),
    _row(
        "2024-01-01",
        (2920, 2563, 3196, 3028, 2361),
        "2024” No. 3460-IX; unchanged by the Law for 2025 (No. 4059-IX",
    ),
)

DEFAULT_MULTIPLIERS: Final[tuple[MultiplierRow, ...]] = (
    MultiplierRow(
        dt.date(2012, 7, 25),
        1,
        R660 + ", original text: one subsistence minimum (domain.md §5.9)",
    ),
    MultiplierRow(
        dt.date(2022, 1, 1),
        3,
        R660 + " as amended 2021-22: three subsistence minimums (domain.md §5.9); the date the "
        "change took effect is not confirmed",
    ),
)


def _date(value: Any, name: str) -> dt.date:
    try:
        return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))
    except ValueError:
        raise ImproperlyConfigured(f"{name}: valid_from must be YYYY-MM-DD") from None


def _configured_minimums() -> tuple[MinimumRow, ...]:
    raw = getattr(settings, "OPENNRM_SUBSISTENCE_MINIMUMS", None)
    if raw is None:
        return DEFAULT_MINIMUMS
    name = "OPENNRM_SUBSISTENCE_MINIMUMS"
    rows = []
    for item in raw:
        if not isinstance(item, dict) or not isinstance(item.get("amounts"), dict):
            raise ImproperlyConfigured(f"{name}: rows are dicts with valid_from and amounts")
        if set(item["amounts"]) != set(CATEGORIES):
            raise ImproperlyConfigured(f"{name}: each row gives every category {CATEGORIES}")
        try:
            amounts = {k: Decimal(str(v)) for k, v in item["amounts"].items()}
        except InvalidOperation:
            raise ImproperlyConfigured(f"{name}: amounts are numbers") from None
        if any(a <= 0 for a in amounts.values()):
            raise ImproperlyConfigured(f"{name}: amounts are positive")
        rows.append(
            MinimumRow(
                _date(item.get("valid_from"), name),
                amounts,
                str(item.get("source", "deployment setting " + name)),
                bool(item.get("verify", "source" not in item)),
            )
        )
    return tuple(sorted(rows, key=lambda r: r.valid_from))


def _configured_multipliers() -> tuple[MultiplierRow, ...]:
    raw = getattr(settings, "OPENNRM_PAYMENT_MULTIPLIERS", None)
    if raw is None:
        return DEFAULT_MULTIPLIERS
    name = "OPENNRM_PAYMENT_MULTIPLIERS"
    rows = []
    for item in raw:
        multiplier = item.get("multiplier") if isinstance(item, dict) else None
        if not isinstance(multiplier, int) or isinstance(multiplier, bool) or multiplier < 1:
            raise ImproperlyConfigured(f"{name}: rows are dicts with valid_from, multiplier >= 1")
        rows.append(
            MultiplierRow(
                _date(item.get("valid_from"), name),
                multiplier,
                str(item.get("source", "deployment setting " + name)),
                bool(item.get("verify", "source" not in item)),
            )
        )
    return tuple(sorted(rows, key=lambda r: r.valid_from))


def minimums() -> tuple[MinimumRow, ...]:
    return _configured_minimums()


def multipliers() -> tuple[MultiplierRow, ...]:
    return _configured_multipliers()


class NoRateKnown(LookupError):
    """The table has no row in force on the date: a deployment must add one."""


_Row = TypeVar("_Row", MinimumRow, MultiplierRow)


def _in_force(rows: tuple[_Row, ...], on: dt.date) -> _Row:
    found = [row for row in rows if row.valid_from <= on]
    if not found:
        raise NoRateKnown(on)
    return found[-1]


@dataclass(frozen=True)
class PaymentAmount:
    amount: Decimal
    minimum: Decimal
    multiplier: int
    category: str
    minimum_from: dt.date
    multiplier_from: dt.date
    source: str
    verify: bool


def payment_amount(category: str, on: dt.date) -> PaymentAmount:
    """The one-time payment for a category on a date (the claim's date), with the rows used."""
    if category not in CATEGORIES:
        raise KeyError(category)
    row = _in_force(minimums(), on)
    mult = _in_force(multipliers(), on)
    minimum = row.amounts[category]
    return PaymentAmount(
        amount=(minimum * mult.multiplier).quantize(Decimal("0.01")),
        minimum=minimum,
        multiplier=mult.multiplier,
        category=category,
        minimum_from=row.valid_from,
        multiplier_from=mult.valid_from,
        source=f"{row.source}; {mult.source}",
        verify=row.verify or mult.verify,
    )

"""The one-time financial assistance (Resolution No. 660): a dated table, never constants.

The amount is a number of subsistence minimums (прожитковий мінімум) for the person's social
and demographic group on the date of the claim: one minimum in the original text of
Resolution No. 660, three after the 2021-22 change (domain.md §5.9). The minimums come from the
annual Laws on the State Budget of Ukraine (article 7 of each law), UAH per person per month.

The minimums are data (`data/subsistence_minimums.csv`): each row with its budget law (number,
date, article) and, per amount, whether it is still to verify; the note says how the row was
checked (against published extracts of article 7, or not). A payment carries the verify marker
when its category's amount or the multiplier is unconfirmed. A deployment replaces the table
with the Django setting `OPENNRM_SUBSISTENCE_MINIMUMS` (a list of rows: `valid_from`
"YYYY-MM-DD", `amounts` {category: "UAH"}, `source`, `verify`) and the multipliers with
`OPENNRM_PAYMENT_MULTIPLIERS` (`valid_from`, `multiplier`, `source`, `verify`). See
docs/status-procedure.md.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from importlib import resources
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
    unconfirmed: frozenset[str] = frozenset(CATEGORIES)  # amounts still to verify
    law_date: dt.date | None = None
    note: str = ""

    @property
    def verify(self) -> bool:
        return bool(self.unconfirmed)


@dataclass(frozen=True)
class MultiplierRow:
    valid_from: dt.date
    multiplier: int
    source: str
    verify: bool = True


DATA_FILE: Final = "subsistence_minimums.csv"


def _law(number: str, day: dt.date, year: str, article: str) -> str:
    return (
        f"Law of Ukraine No. {number} of {day.isoformat()} “On the State Budget of Ukraine for "
        f"{year}”, art. {article}"
    )


def _read_minimums() -> tuple[MinimumRow, ...]:
    """`data/subsistence_minimums.csv`: one row per date from which the amounts are in force,
    with its budget law (number, date, year, article), the categories still to verify and a
    note saying how each row was checked."""
    text = resources.files("opennrm.nrm.status").joinpath("data", DATA_FILE).read_text("utf-8")
    rows = []
    for line in csv.DictReader(io.StringIO(text)):
        law_date = dt.date.fromisoformat(line["law_date"])
        unconfirmed = frozenset(c for c in line["verify"].split(";") if c)
        rows.append(
            MinimumRow(
                dt.date.fromisoformat(line["valid_from"]),
                {c: Decimal(line[c]) for c in CATEGORIES},
                _law(line["law_number"], law_date, line["budget_year"], line["article"]),
                unconfirmed,
                law_date,
                line["note"],
            )
        )
    return tuple(rows)


# Columns: General, ChildUnder6, Child6To18, AbleBodied, LostAbilityToWork (UAH per month).
DEFAULT_MINIMUMS: Final[tuple[MinimumRow, ...]] = _read_minimums()

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
                frozenset(CATEGORIES)
                if bool(item.get("verify", "source" not in item))
                else frozenset(),
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
        verify=category in row.unconfirmed or mult.verify,
    )

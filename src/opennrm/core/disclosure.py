"""Disclosure control in one place: every figure that leaves the system goes through `protect`.

A table is a list of category counts with a total (one breakdown, e.g. persons by form of
exploitation). Protection, in order:

1. **primary suppression**: a count from 1 to ``threshold - 1`` (default 11, CTDC's k) is
   withheld; zeros are shown (a structural zero says nothing about a person);
2. **secondary suppression**: the total minus the published cells would reveal what the
   withheld cells hold together, so further cells (smallest first) are withheld until the
   withheld cells hold at least ``threshold`` persons together; if that cannot be reached, the
   total is withheld too;
3. **rounding**: published counts, and the total, are rounded to the nearest ``base``
   (default 5), so differences between published tables cannot recover a small count exactly;
   a count at the threshold or above never shows below it (11 and 12 show as 15).

Inside the system an authorised statistician sees exact counts (``Audience.INTERNAL``); the
caller decides the audience, this module decides nothing else.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass

DEFAULT_THRESHOLD = 11
DEFAULT_ROUNDING = 5


class Audience(enum.Enum):
    INTERNAL = "internal"  # exact counts, inside the system, for authorised roles
    EXTERNAL = "external"  # reports, exports, the API, public pages


@dataclass(frozen=True)
class Cell:
    code: str
    count: int | None  # None: withheld

    @property
    def suppressed(self) -> bool:
        return self.count is None


@dataclass(frozen=True)
class Protected:
    cells: tuple[Cell, ...]
    total: int | None
    suppressed: int  # cells withheld (primary and secondary)
    rounded_to: int  # 1 when exact


def configured_threshold() -> int:
    """``OPENNRM_STATS_THRESHOLD`` (default 11)."""
    from django.conf import settings

    if settings.configured:
        return int(getattr(settings, "OPENNRM_STATS_THRESHOLD", DEFAULT_THRESHOLD))
    return DEFAULT_THRESHOLD


def round_count(value: int, base: int = DEFAULT_ROUNDING, threshold: int = 0) -> int:
    """To the nearest ``base``; a count at or above the threshold never shows below it
    (11 and 12 round to 15, not 10)."""
    if base <= 1:
        return value
    rounded = int((value + base / 2) // base * base)
    if 0 < rounded < threshold <= value:
        rounded = -(-threshold // base) * base
    return rounded


def protect(
    counts: Sequence[tuple[str, int]],
    total: int,
    *,
    audience: Audience,
    threshold: int | None = None,
    rounding: int = DEFAULT_ROUNDING,
) -> Protected:
    """Protect one table of ``(code, count)`` cells and its ``total``.

    ``total`` is given separately because categories may overlap (a person exploited in two
    forms counts in both) or leave persons out (unknown): it is not always the sum.
    """
    if audience is Audience.INTERNAL:
        return Protected(tuple(Cell(c, n) for c, n in counts), total, 0, 1)
    if threshold is None:
        threshold = configured_threshold()
    exact = dict(counts)
    withheld = {code for code, n in counts if 0 < n < threshold}
    total_withheld = 0 < total < threshold
    if withheld and not total_withheld:
        others = sorted((n, code) for code, n in counts if code not in withheld and n > 0)
        while sum(exact[code] for code in withheld) < threshold or len(withheld) < 2:
            if not others:
                total_withheld = True
                break
            withheld.add(others.pop(0)[1])
    cells = tuple(
        Cell(code, None if code in withheld else round_count(n, rounding, threshold))
        for code, n in counts
    )
    return Protected(
        cells,
        None if total_withheld else round_count(total, rounding, threshold),
        len(withheld),
        max(rounding, 1),
    )

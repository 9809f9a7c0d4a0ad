"""Age at identification and the CTDC 2024 age bands (written with "--")."""

from __future__ import annotations

import datetime as dt

CTDC_AGE_BANDS: tuple[tuple[int, int | None, str], ...] = (
    (0, 8, "0--8"),
    (9, 17, "09--17"),
    (18, 20, "18--20"),
    (21, 23, "21--23"),
    (24, 26, "24--26"),
    (27, 29, "27--29"),
    (30, 38, "30--38"),
    (39, 47, "39--47"),
    (48, None, "48+"),
)


# Birth dates are accepted from this year on, and never after today (`birth_date_problem`).
EARLIEST_YEAR = 1900
LATEST_YEAR = 2100

BIRTH_IN_FUTURE = "future"
BIRTH_BEFORE_1900 = "before_1900"
BIRTH_AFTER_IDENTIFICATION = "after_identification"


class YearOutOfRange(ValueError):
    """A date's year is before `EARLIEST_YEAR` or after `LATEST_YEAR`."""

    def __init__(self, year: int) -> None:
        super().__init__("year out of range")
        self.year = year


def birth_date_problem(
    birth: PartialDate, *, today: dt.date, identified_on: dt.date | None = None
) -> str:
    """What is wrong with a birth date, as a code (`BIRTH_*`), or "" when it is plausible:
    in the future, before 1900, or after the date the person was identified."""
    earliest = birth.earliest()
    if earliest is None:
        return ""
    if earliest.year < EARLIEST_YEAR:
        return BIRTH_BEFORE_1900
    if earliest > today:
        return BIRTH_IN_FUTURE
    if identified_on is not None and earliest > identified_on:
        return BIRTH_AFTER_IDENTIFICATION
    return ""


def age_on(birth: PartialDate, on: dt.date) -> int | None:
    """Whole years between a (possibly year-only) birth date and a date; None when unknown.

    With only the year known, the age is counted from 1 July of that year (the midpoint).
    """
    if birth.year is None:
        return None
    month = birth.month or 7
    day = birth.day or 1
    age = on.year - birth.year - ((on.month, on.day) < (month, day))
    return max(age, 0)


def ctdc_age_band(age: int | None) -> str:
    """The CTDC 2024 band for an age, or "" when the age is unknown."""
    if age is None:
        return ""
    for low, high, label in CTDC_AGE_BANDS:
        if age >= low and (high is None or age <= high):
            return label
    return ""


class PartialDate:
    """A date of which only the year, or the year and month, may be known (ISO 8601 text)."""

    __slots__ = ("day", "month", "year")

    def __init__(self, year: int | None, month: int | None = None, day: int | None = None):
        if day is not None and month is None:
            raise ValueError("a day needs a month")
        if year is not None and month is not None:
            dt.date(year, month, day or 1)  # raises ValueError on an impossible date
        self.year = year
        self.month = month
        self.day = day

    @classmethod
    def parse(cls, text: str) -> PartialDate:
        """Parse `YYYY`, `YYYY-MM`, `YYYY-MM-DD`, the Ukrainian `DD.MM.YYYY` and `MM.YYYY`, or
        an empty string; raise ValueError otherwise (`YearOutOfRange` for a year before
        `EARLIEST_YEAR` or after `LATEST_YEAR`)."""
        text = text.strip()
        if not text:
            return cls(None)
        if "." in text:
            dotted = text.split(".")
            if len(dotted) > 3 or not all(p.isdigit() and len(p) <= 2 for p in dotted[:-1]):
                raise ValueError("expected DD.MM.YYYY or MM.YYYY")
            text = "-".join(reversed(dotted))
        parts = text.split("-")
        if len(parts) > 3 or not all(p.isdigit() for p in parts) or len(parts[0]) != 4:
            raise ValueError("expected YYYY, YYYY-MM or YYYY-MM-DD")
        numbers = [int(p) for p in parts]
        year = numbers[0]
        if not EARLIEST_YEAR <= year <= LATEST_YEAR:
            raise YearOutOfRange(year)
        return cls(year, *numbers[1:])

    def earliest(self) -> dt.date | None:
        """The first day the (partial) date may stand for; None when unknown."""
        if self.year is None:
            return None
        return dt.date(self.year, self.month or 1, self.day or 1)

    def dotted(self) -> str:
        """The date as Ukrainian writes it, as far as known: 23.11.1971, 11.1971, 1971 or ""."""
        parts = (self.day, self.month, self.year) if self.year is not None else ()
        return ".".join(f"{p:02d}" for p in parts if p is not None)

    def isoformat(self) -> str:
        if self.year is None:
            return ""
        text = f"{self.year:04d}"
        if self.month is not None:
            text += f"-{self.month:02d}"
        if self.day is not None:
            text += f"-{self.day:02d}"
        return text

    def __eq__(self, other: object) -> bool:
        return isinstance(other, PartialDate) and self.isoformat() == other.isoformat()

    def __hash__(self) -> int:
        return hash(self.isoformat())

    def __repr__(self) -> str:
        return f"PartialDate({self.isoformat()!r})"

    def __bool__(self) -> bool:
        return self.year is not None


def add_years(day: dt.date, years: int) -> dt.date:
    """The same day `years` later; 29 February becomes 28 February in a common year."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)

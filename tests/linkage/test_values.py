"""Value normalisation: dates of birth, telephone numbers and document numbers."""

from __future__ import annotations

import datetime

import pytest

from opennrm.linkage.engine.dates import DateMatch, PartialDate, compare_dates, parse_date
from opennrm.linkage.engine.documents import document_key
from opennrm.linkage.engine.phones import to_e164


@pytest.mark.parametrize(
    ("first", "second", "level"),
    [
        ("1990-05-03", "03.05.1990", DateMatch.EXACT),
        (datetime.date(1990, 5, 3), "1990-05-03", DateMatch.EXACT),
        ("1990-05-03", "1990-03-05", DateMatch.DAY_MONTH_SWAPPED),
        ("1990", "03.05.1990", DateMatch.YEAR_ONLY),
        ("05.1990", "1990-05-03", DateMatch.YEAR_ONLY),
        ("1990-05-03", "1990-05-04", DateMatch.YEAR_ONLY),
        ("1990-05-03", "1991-05-03", DateMatch.YEAR_NEAR),
        ("1989", "1990-05-03", DateMatch.YEAR_NEAR),
        (None, "1990", DateMatch.MISSING),
        ("unknown", "1990-05-03", DateMatch.MISSING),
        ("1990-05-03", "1995-05-03", DateMatch.DIFFERENT),
        ("1990-05-05", "1990-05-05", DateMatch.EXACT),
    ],
)
def test_compare_dates(first: str | None, second: str, level: DateMatch) -> None:
    assert compare_dates(first, second) is level
    assert compare_dates(second, first) is level


@pytest.mark.parametrize(
    ("text", "parsed"),
    [
        ("1990-05-03", PartialDate(1990, 5, 3)),
        ("3/5/1990", PartialDate(1990, 5, 3)),
        ("1990", PartialDate(1990)),
        ("31.02.1990", PartialDate(1990, 2)),
        ("13.1990", PartialDate(1990)),
        ("0990", PartialDate(None)),
        ("", PartialDate(None)),
    ],
)
def test_parse_date(text: str, parsed: PartialDate) -> None:
    assert parse_date(text) == parsed


@pytest.mark.parametrize(
    ("text", "e164"),
    [
        ("067 123 45 67", "+380671234567"),
        ("+38 (050) 123-45-67", "+380501234567"),
        ("80501234567", "+380501234567"),
        ("8 (067) 123-45-67", "+380671234567"),
        ("380671234567", "+380671234567"),
        ("00380671234567", "+380671234567"),
        ("+380 067 123 45 67", "+380671234567"),
        ("+48 601 234 567", "+48601234567"),
        ("12345", None),
        ("0671234567 ext 2", None),
        ("671234567", None),
        ("+380 123", None),
        ("", None),
        (None, None),
    ],
)
def test_to_e164(text: str | None, e164: str | None) -> None:
    assert to_e164(text) == e164


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("ФА 123456", "FA123456"),
        ("fa-123456", "FA123456"),
        ("АВ 123456", "AB123456"),  # Cyrillic А and В
        ("км–123 456", "KM123456"),
        ("СО123456", "CO123456"),
        ("ІН 000001", "IH000001"),
        ("123 456 789", "123456789"),
        (" - ", None),
        (None, None),
    ],
)
def test_document_key(text: str | None, key: str | None) -> None:
    assert document_key(text) == key

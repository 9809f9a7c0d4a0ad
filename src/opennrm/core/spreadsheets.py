"""Spreadsheets the system writes never carry a formula: a cell typed as text stays text.

openpyxl stores text beginning with "=" as a formula, so a name, an item or a funder typed as
"=HYPERLINK(...)" would run in the donor's spreadsheet (formula injection). Call
`without_formulas(book)` on every workbook before it is saved.
"""

from __future__ import annotations

from typing import Any


def without_formulas(book: Any) -> Any:
    """Turn every formula cell of every sheet back into the text it was (returns the book)."""
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    cell.data_type = "s"
    return book


# Numbers are written as numbers with a number format, never as formatted text ("1 180"):
# a donor sums and sorts them.
COUNT_FORMAT = "#,##0"
DECIMAL_FORMAT = "#,##0.0"
SHARE_FORMAT = "0%"


def number(value: Any) -> Any:
    """A figure the report holds as text ("1180", "1 180", "+3.5") as a number; other text
    (a dash for a withheld figure, a label) unchanged."""
    if not isinstance(value, str):
        return value
    text = value.replace("\u202f", "").replace("\u00a0", "").replace(" ", "").strip()
    if not text or not any(ch.isdigit() for ch in text):
        return value
    try:
        return int(text)
    except ValueError:
        pass
    try:
        return float(text)
    except ValueError:
        return value


def format_numbers(book: Any) -> Any:
    """Give every number cell without a format of its own the count or decimal format."""
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, bool) or cell.number_format != "General":
                    continue
                if isinstance(cell.value, int):
                    cell.number_format = COUNT_FORMAT
                elif isinstance(cell.value, float):
                    cell.number_format = DECIMAL_FORMAT
    return book

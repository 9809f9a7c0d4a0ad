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

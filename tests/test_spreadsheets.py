"""No spreadsheet the system writes runs a formula typed into a field (formula injection)."""

from __future__ import annotations

import io

from openpyxl import Workbook, load_workbook

from opennrm.core.spreadsheets import without_formulas


def test_text_typed_as_a_formula_is_written_as_text() -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(['=HYPERLINK("http://evil.example","click")', "Кулик", 3])
    other = book.create_sheet("second")
    other.append(["=1+1"])
    out = io.BytesIO()
    without_formulas(book).save(out)
    read = load_workbook(io.BytesIO(out.getvalue()))
    first = read.worksheets[0]
    assert first["A1"].data_type == "s"
    assert first["A1"].value == '=HYPERLINK("http://evil.example","click")'
    assert (first["B1"].value, first["C1"].value) == ("Кулик", 3)
    assert read["second"]["A1"].data_type == "s"

"""Helpers of the list pages: query strings of GET filters, sortable headers, file downloads.

A list keeps its state in the address (filters, sort, page) so that Back, Forward and
bookmarks work; names never go there (the case search keeps its name terms server-side).
A download writes the rows the page shows (the same presenters): CSV through defusedcsv (a
cell cannot start a formula), XLSX through `core.spreadsheets.without_formulas`, numbers and
dates as numbers and dates.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from defusedcsv import csv
from django.http import HttpResponse
from openpyxl import Workbook

from opennrm.core.spreadsheets import without_formulas

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMATS = ("csv", "xlsx")


def query_string(params: Mapping[str, Any], **changes: Any) -> str:
    """The list's parameters as a query string, with `changes` applied (None drops one);
    empty values are left out."""
    merged = {**params, **changes}
    return urlencode([(k, str(v)) for k, v in merged.items() if v not in (None, "")])


@dataclass(frozen=True)
class SortHeader:
    """A column header: its label, the link that sorts by it and the `aria-sort` it carries."""

    label: str
    key: str
    url: str
    aria_sort: str  # "ascending", "descending" or "none"


def sort_headers(
    columns: Sequence[tuple[str, Any]], current: str, params: Mapping[str, Any]
) -> dict[str, SortHeader]:
    """Headers for the sortable `columns` (key, label): clicking the sorted column reverses it;
    the page goes back to the first."""
    headers = {}
    for key, label in columns:
        if current == key:
            state, target = "ascending", f"-{key}"
        elif current == f"-{key}":
            state, target = "descending", key
        else:
            state, target = "none", key
        url = "?" + query_string(params, sort=target, page=None)
        headers[key] = SortHeader(str(label), key, url, state)
    return headers


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    return value


def table_response(
    fmt: str, filename: str, header: Sequence[str], rows: Iterable[Sequence[Any]]
) -> HttpResponse:
    """The table as a CSV or XLSX download (`fmt` one of FORMATS)."""
    if fmt == "xlsx":
        book = Workbook()
        sheet = book.active
        assert sheet is not None
        sheet.append(list(header))
        for row in rows:
            sheet.append([_cell(v) for v in row])
            for cell in sheet[sheet.max_row]:
                if isinstance(cell.value, dt.date):
                    cell.number_format = "yyyy-mm-dd"
        out = io.BytesIO()
        without_formulas(book).save(out)
        response = HttpResponse(out.getvalue(), content_type=XLSX)
    else:
        text = io.StringIO()
        writer = csv.writer(text)
        writer.writerow(header)
        for row in rows:
            writer.writerow([v.isoformat() if isinstance(v, dt.date) else _cell(v) for v in row])
        response = HttpResponse(text.getvalue().encode("utf-8-sig"), content_type="text/csv")
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response

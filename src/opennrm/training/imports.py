"""Reading a participant list (CSV or XLSX) into participant inputs, with the problems of each
row by field; `services.import_participants` then writes all rows or none.

Columns (a header row, names as below, in any order; unknown columns are refused):
`family_name`, `first_name`, `middle_name`, `sex` (F or M, or the HTCDS codes), `profession`
(a code of the `profession` list), `agency` (the agency's name; linked when it is an agency in
the system), `oblast` (ISO 3166-2:UA, e.g. UA-14), `days_attended` (blank: every day; else
dates YYYY-MM-DD separated by ";"), `pre_score`, `post_score` (0-100), `feedback_rating` (1-5).
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import io
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from opennrm.tenancy.models import Agency
from opennrm.training.services import Errors, ParticipantInput

COLUMNS = (
    "family_name",
    "first_name",
    "middle_name",
    "sex",
    "profession",
    "agency",
    "oblast",
    "days_attended",
    "pre_score",
    "post_score",
    "feedback_rating",
)
REQUIRED = ("family_name", "first_name", "profession", "agency", "oblast")
SEX = {
    "f": "Feminine",
    "ж": "Feminine",
    "feminine": "Feminine",
    "m": "Masculine",
    "ч": "Masculine",
    "masculine": "Masculine",
    "": "NonSpecifiedUnknown",
    "nonspecifiedunknown": "NonSpecifiedUnknown",
}
XLSX_MAGIC = b"PK\x03\x04"


class FileProblem(Exception):
    """The file as a whole cannot be read (type, size, header)."""


def _rows_of_xlsx(content: bytes) -> list[list[str]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise FileProblem(_("The file is not a readable XLSX workbook.")) from exc
    sheet = book.worksheets[0]
    rows: list[list[str]] = []
    for values in sheet.iter_rows(values_only=True):
        cells: list[str] = []
        for value in values:
            if isinstance(value, dt.datetime):
                value = value.date()
            if isinstance(value, float) and value.is_integer():
                value = int(value)
            cells.append("" if value is None else str(value).strip())
        rows.append(cells)
    return rows


def _rows_of_csv(content: bytes) -> list[list[str]]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise FileProblem(_("The CSV file is not in UTF-8.")) from exc
    dialect: Any = csv.excel
    with contextlib.suppress(csv.Error):
        dialect = csv.Sniffer().sniff(text.splitlines()[0] if text else "", delimiters=",;\t")
    return [[cell.strip() for cell in row] for row in csv.reader(io.StringIO(text), dialect)]


def read_table(name: str, content: bytes) -> list[dict[str, str]]:
    """The rows of a CSV or XLSX file as dicts by column, checked by content and size."""
    if len(content) > settings.OPENNRM_TRAINING_FILE_MAX_BYTES:
        raise FileProblem(_("The file is too large."))
    if content.startswith(XLSX_MAGIC):
        rows = _rows_of_xlsx(content)
    elif b"\x00" in content[:4096] or content.startswith(b"%PDF"):
        raise FileProblem(_("Upload a CSV or XLSX file."))
    else:
        rows = _rows_of_csv(content)
    rows = [row for row in rows if any(cell for cell in row)]
    if not rows:
        raise FileProblem(_("The file holds no participants."))
    header = [cell.strip().lower() for cell in rows[0]]
    unknown = [h for h in header if h and h not in COLUMNS]
    if unknown:
        raise FileProblem(_("Unknown columns: %(columns)s.") % {"columns": ", ".join(unknown)})
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise FileProblem(_("Missing columns: %(columns)s.") % {"columns": ", ".join(missing)})
    return [
        {h: (row[i] if i < len(row) else "") for i, h in enumerate(header) if h} for row in rows[1:]
    ]


def _int(errors: Errors, name: str, text: str) -> int | None:
    if not text:
        return None
    try:
        return int(text)
    except ValueError:
        errors.setdefault(name, []).append(_("Enter a whole number."))
        return None


def _days(errors: Errors, text: str) -> list[dt.date] | None:
    if not text:
        return None
    days: list[dt.date] = []
    for part in text.replace(",", ";").split(";"):
        part = part.strip()
        if not part:
            continue
        try:
            days.append(dt.date.fromisoformat(part[:10]))
        except ValueError:
            errors.setdefault("days_attended", []).append(
                _("“%(value)s” is not a date (YYYY-MM-DD).") % {"value": part}
            )
    return days


def participant_rows(table: list[dict[str, str]]) -> tuple[list[ParticipantInput], list[Errors]]:
    agencies = {a.name.casefold(): a for a in Agency.objects.filter(is_active=True)}
    inputs: list[ParticipantInput] = []
    problems: list[Errors] = []
    for row in table:
        errors: Errors = {}
        sex = SEX.get(row.get("sex", "").strip().casefold())
        if sex is None:
            errors["sex"] = [_("Write F or M (or leave it blank).")]
        agency_text = row.get("agency", "").strip()
        agency = agencies.get(agency_text.casefold())
        inputs.append(
            ParticipantInput(
                family_name=row.get("family_name", ""),
                first_name=row.get("first_name", ""),
                middle_name=row.get("middle_name", ""),
                gender=sex or "NonSpecifiedUnknown",
                profession=row.get("profession", "").strip(),
                agency=agency,
                agency_name="" if agency else agency_text,
                oblast=row.get("oblast", "").strip().upper(),
                days_attended=_days(errors, row.get("days_attended", "")),
                pre_score=_int(errors, "pre_score", row.get("pre_score", "")),
                post_score=_int(errors, "post_score", row.get("post_score", "")),
                feedback_rating=_int(errors, "feedback_rating", row.get("feedback_rating", "")),
            )
        )
        problems.append(errors)
    return inputs, problems

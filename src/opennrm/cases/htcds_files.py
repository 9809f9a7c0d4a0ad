"""HTCDS files as partners keep them: the standard's Excel toolkit, CSV, JSON, and the exports
of KoboToolbox or ODK Central for submissions made with the standard's XLSForm.

The format is told by the content: a ZIP file is an Excel workbook (.xlsx), text starting with
`[` or `{` is JSON (a list of records, or Kobo's `{"results": [...]}`), anything else CSV
(`,`, `;` or tab separated). Columns are read by field name from the first row (the toolkit's
hidden row 1); the toolkit's label row 2, when there, is skipped and data start on row 3 (else
on row 2). Both spellings of `vic_TraffickingStatusDecisionMakingOrg` and the XLSForm's own
names are accepted (`htcds.ALIASES`); a column the toolkit left without a name is read by its
label. Form exports: group prefixes (`group_x/field`) are stripped, the submission's metadata
(`_id`, `meta/instanceID`, `start`, `SubmissionDate`, ...; `FORM_METADATA`) is ignored, a
select_multiple's one-column-per-choice columns (`field/choice` = 1) are read when the
space-separated column is missing. An import is all or nothing; each bad cell is named by its
sheet cell ("F7: 'Forced labor' is not a value of vic_TypeOfExploitation.").

Field names, labels and the template's layout come from the Human Trafficking Case Data
Standard v2.0 (IOM, UNMigration/HTCDS, CC BY 4.0; no endorsement by IOM is implied).
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import io
import json
import re
import zipfile
from collections.abc import Collection
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.utils import get_column_letter

from opennrm.cases import htcds
from opennrm.core.spreadsheets import without_formulas
from opennrm.tenancy.actor import Actor

# The Excel toolkit's columns in its order (row 1 of "HTCDS Excel Spreadsheet v2.0.xlsx", its
# unnamed column AJ named by its label); the export writes these first, then the other fields.
TEMPLATE_COLUMNS = (
    "cas_CaseOwner",
    "prs_Salutation",
    "prs_FirstName",
    "prs_SecondName",
    "con_Consent",
    "prs_Birthdate",
    "prs_Gender",
    "prs_Citizenship",
    "prs_Title",
    "prs_Email",
    "prs_HomePhone",
    "prs_MobilePhone",
    "prs_MailingCity",
    "prs_MailingCountry",
    "prs_MailingState",
    "prs_MailingStreet",
    "prs_MailingPostalCode",
    "vic_TraffickingStatus",
    "vic_TraffickinStatusDecisionMakingOrg",
    "vic_MethodOfRecruitment",
    "vic_LocationOfRecruitment",
    "vic_MethodsOfControl",
    "vic_TypeOfExploitation",
    "vic_ForcedLabourIndustry",
    "vic_TypeOfSexExploitation",
    "vic_LocationOfExploitation",
    "cas_Status",
    "cas_ReferringOrganisation",
    "cas_IncomingReferralDate",
    "cas_ReferringPrimaryCaseWorker",
    "cas_ReasonForIncomingReferral",
    "cas_IncomingReferralDetails",
    "cas_ReferredOrganisation",
    "cas_ReferredPrimaryCaseWorker",
    "cas_ReasonForOutgoingReferral",
    "cas_OutgoingReferralDate",
    "cas_OutgoingReferralDetails",
    "cas_ReasonForCaseClosure",
)
# Fields whose value is a list of objects: a JSON text in a cell.
NESTED = ("x_ua_Documents", "hte_Events", "spl_SupportPlans")
# What KoboToolbox and ODK Central add to each submission: not case data, ignored.
FORM_METADATA = frozenset(
    {
        "start",
        "end",
        "today",
        "deviceid",
        "username",
        "simserial",
        "subscriberid",
        "phonenumber",
        "audit",
        "__version__",
        "instanceID",
        "instanceName",
        "rootUuid",
        "deprecatedID",
        "SubmissionDate",
        "KEY",
        "SubmitterID",
        "SubmitterName",
        "AttachmentsPresent",
        "AttachmentsExpected",
        "Status",
        "ReviewState",
        "DeviceID",
        "Edits",
        "FormVersion",
    }
)
METADATA_GROUPS = ("meta", "formhub")


class HtcdsFileError(Exception):
    """The file cannot be imported; `messages` name each bad cell (or the file's problem)."""

    def __init__(self, messages: list[str]):
        super().__init__(f"{len(messages)} problem(s)")
        self.messages = messages


@dataclass
class SourceRow:
    """One record read from a file, with where each of its fields was found."""

    record: dict[str, Any]
    where: str  # "row 7" or "record 3"
    cells: dict[str, str] = field(default_factory=dict)  # canonical field name -> "F7"


@dataclass(frozen=True)
class FileResult:
    format: str
    rows: list[SourceRow]
    imported: list[htcds.Imported]


def _labels_of_fields() -> dict[str, str]:
    """The standard's label of each HTCDS field (the toolkit's row 2)."""
    text = resources.files("opennrm.core").joinpath("data", "htcds_field_standards_2.0.csv")
    rows = csv.DictReader(text.read_text(encoding="utf-8").splitlines())
    return {
        row["field"]: row["label"]
        for row in rows
        if row["field"].startswith(("prs_", "vic_", "cas_", "con_", "cco_"))
    }


def _field_labels() -> dict[str, str]:
    """Every HTCDS field by its normalised label."""
    return {htcds._normal(label): name for name, label in _labels_of_fields().items()}


def _canonical(name: str) -> str:
    return htcds.ALIASES.get(name, name)


def _column_name(header: str) -> tuple[str, str] | None:
    """What a header names: ("field", name), ("choice", "field/choice") or None (metadata).
    Group prefixes are stripped (`group_x/field`, ODK's `group-field` is left as is)."""
    header = header.strip()
    if not header or header.startswith("_"):
        return None
    parts = [p for p in header.split("/") if p]
    if not parts or parts[0] in METADATA_GROUPS or header.startswith("meta-"):
        return None
    last = parts[-1]
    if last in FORM_METADATA:
        return None
    if len(parts) > 1 and _canonical(parts[-2]) in htcds.CASE_MULTI:
        return ("choice", f"{_canonical(parts[-2])}/{last}")
    return ("field", _canonical(last))


def _normalise(raw: dict[str, Any], where: str, cells: dict[str, str]) -> SourceRow:
    """A record from a flat source: group prefixes stripped, metadata dropped, choice columns
    folded into their field, JSON text in nested cells parsed."""
    record: dict[str, Any] = {}
    choices: dict[str, list[str]] = {}
    located: dict[str, str] = {}
    for header, value in raw.items():
        named = _column_name(str(header))
        if named is None:
            continue
        kind, name = named
        if kind == "choice":
            field_name, choice = name.split("/", 1)
            if str(value).strip().lower() in {"1", "true", "1.0"}:
                choices.setdefault(field_name, []).append(choice)
            located.setdefault(field_name, cells.get(header, ""))
            continue
        if isinstance(value, str):
            value = value.strip()
            if (name in NESTED or name in htcds.SECTIONS) and value.startswith("["):
                with contextlib.suppress(ValueError):  # else the importer names the field
                    value = json.loads(value)
        if value in (None, ""):
            continue
        record[name] = value
        located[name] = cells.get(header, "")
    for field_name, chosen in choices.items():
        record.setdefault(field_name, chosen)
    return SourceRow(record, where, {k: v for k, v in located.items() if v})


def _sniff(data: bytes) -> str:
    if data[:4] == b"PK\x03\x04":
        return "xlsx"
    head = data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    return "json" if head in (b"[", b"{") else "csv"


def _cell_value(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.date() if value.time() == dt.time() else value
    return value


def _table_rows(grid: list[list[Any]]) -> list[SourceRow]:
    """Rows of a table (row 1: field names; row 2: the toolkit's labels, if there)."""
    if not grid:
        raise HtcdsFileError([_("The file is empty.")])
    labels = _field_labels()
    width = max(len(r) for r in grid)
    grid = [list(r) + [None] * (width - len(r)) for r in grid]
    names = [str(v).strip() if v not in (None, "") else "" for v in grid[0]]
    second = grid[1] if len(grid) > 1 else [None] * width
    # Row 2 holds labels when each of its cells is a field's label or repeats its column's
    # name (an extension without a label), and at least one is a label.
    label_row = any(isinstance(v, str) and htcds._normal(v) in labels for v in second) and all(
        v in (None, "")
        or (isinstance(v, str) and (htcds._normal(v) in labels or v.strip() == names[index]))
        for index, v in enumerate(second)
    )
    if label_row:
        for index, name in enumerate(names):
            label = second[index]
            if not name and isinstance(label, str):
                names[index] = labels.get(htcds._normal(label), "")
        first_data = 2
    else:
        first_data = 1
    if not any(names):
        raise HtcdsFileError([_("Row 1 holds no field names.")])
    rows: list[SourceRow] = []
    for offset, values in enumerate(grid[first_data:]):
        number = first_data + offset + 1
        raw: dict[str, Any] = {}
        cells: dict[str, str] = {}
        for index, name in enumerate(names):
            if not name:
                continue
            raw[name] = _cell_value(values[index])
            cells[name] = f"{get_column_letter(index + 1)}{number}"
        row = _normalise(raw, _("row %(n)d") % {"n": number}, cells)
        if row.record:
            rows.append(row)
    return rows


def _read_xlsx(data: bytes) -> list[SourceRow]:
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise HtcdsFileError([_("The file is not an Excel workbook (.xlsx).")]) from exc
    known = htcds.known_fields()
    sheets = list(book.worksheets)
    for sheet in sheets:
        grid = [list(r) for r in sheet.iter_rows(values_only=True)]
        while grid and all(v in (None, "") for v in grid[-1]):
            grid.pop()
        if grid and any(isinstance(v, str) and _column_name(v) for v in grid[0]):
            names = {_column_name(v) for v in grid[0] if isinstance(v, str)}
            if any(n is not None and n[1] in known for n in names):
                return _table_rows(grid)
    raise HtcdsFileError([_("No sheet has HTCDS field names in row 1.")])


def _read_csv(data: bytes) -> list[SourceRow]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise HtcdsFileError([_("A CSV file must be UTF-8 text.")]) from exc
    first = text.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=first.count)
    grid = [list(r) for r in csv.reader(io.StringIO(text), delimiter=delimiter)]
    grid = [r for r in grid if any(v.strip() for v in r)]
    return _table_rows(grid)


def _read_json(data: bytes) -> list[SourceRow]:
    try:
        loaded = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise HtcdsFileError([_("The file is not valid JSON.")]) from exc
    if isinstance(loaded, dict) and isinstance(loaded.get("results"), list):
        loaded = loaded["results"]  # KoboToolbox's API and JSON export
    if not isinstance(loaded, list) or not all(isinstance(r, dict) for r in loaded):
        raise HtcdsFileError([_("Expected a JSON list of records.")])
    return [
        _normalise(item, _("record %(n)d") % {"n": index + 1}, {})
        for index, item in enumerate(loaded)
    ]


def read_file(data: bytes) -> tuple[str, list[SourceRow]]:
    """The format and the records of a file."""
    kind = _sniff(data)
    reader = {"xlsx": _read_xlsx, "json": _read_json, "csv": _read_csv}[kind]
    rows = reader(data)
    if not rows:
        raise HtcdsFileError([_("The file holds no records.")])
    return kind, rows


def _where(row: SourceRow, name: str) -> str:
    base = name.split("[", 1)[0].split(".", 1)[0]
    cell = row.cells.get(name) or row.cells.get(base)
    if cell:
        return cell if name == base else f"{cell} ({name})"
    return f"{row.where}, {name}"


def import_file(
    *,
    actor: Actor,
    data: bytes,
    limit: int | None = None,
    writable: Collection[str] = frozenset(),
    progress: htcds.Progress | None = None,
    parallel: bool = False,
) -> FileResult:
    """Import every record of a file into the actor's agency, all or nothing (`writable`: the
    gated sections the actor's gate lets them write; `progress` and `parallel`: see
    `htcds.import_records`)."""
    kind, rows = read_file(data)
    if limit is not None and len(rows) > limit:
        raise HtcdsFileError([_("At most %(n)d records per file.") % {"n": limit}])
    try:
        imported = htcds.import_records(
            actor=actor,
            records=[r.record for r in rows],
            writable=writable,
            progress=progress,
            parallel=parallel,
        )
    except htcds.HtcdsImportError as exc:
        messages = [
            f"{_where(rows[problem.index], name)}: {message}"
            for problem in exc.problems
            for name, field_messages in problem.fields.items()
            for message in field_messages
        ]
        raise HtcdsFileError(messages) from exc
    return FileResult(kind, rows, imported)


def _cell_text(value: Any) -> Any:
    if isinstance(value, list):
        if value and all(isinstance(v, dict) for v in value):
            return json.dumps(value, ensure_ascii=False)
        return "; ".join(str(v) for v in value)
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    return "" if value is None else value


def flatten(record: dict[str, Any]) -> dict[str, Any]:
    """A (redacted) record as a row: the toolkit's locations from the events, lists joined by
    `; `, lists of objects as JSON text."""
    row = dict(record)
    events = record.get("hte_Events")
    if isinstance(events, list):
        for name, event_type in (
            ("vic_LocationOfRecruitment", "Recruitment"),
            ("vic_LocationOfExploitation", "Exploitation"),
        ):
            countries = [e["hte_Country"] for e in events if e.get("hte_Type") == event_type]
            row[name] = sorted(set(countries))
    if "vic_TraffickingStatusDecisionMakingOrg" in row:
        row["vic_TraffickinStatusDecisionMakingOrg"] = row.pop(
            "vic_TraffickingStatusDecisionMakingOrg"
        )
    return {name: _cell_text(value) for name, value in row.items()}


def export_workbook(records: list[dict[str, Any]]) -> bytes:
    """The records in the Excel toolkit's layout: row 1 field names (hidden, as in the
    template), row 2 labels, data from row 3, column A the row number."""
    rows = [flatten(r) for r in records]
    extra = sorted({name for row in rows for name in row} - set(TEMPLATE_COLUMNS))
    columns = [c for c in TEMPLATE_COLUMNS if any(c in row for row in rows) or not rows] + extra
    labels = _labels_of_fields()
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Sheet1"
    sheet.append([None, *columns])
    sheet.append([None, *[_label(labels, c) for c in columns]])
    sheet.row_dimensions[1].hidden = True
    for number, row in enumerate(rows, start=1):
        sheet.append([number, *[row.get(c, "") for c in columns]])
    sheet["A1"] = None
    out = io.BytesIO()
    without_formulas(book).save(out)  # the text typed, never run by a spreadsheet
    return out.getvalue()


def _label(labels: dict[str, str], name: str) -> str:
    return re.sub(r"\s+", " ", labels.get(_canonical(name), name)).strip()

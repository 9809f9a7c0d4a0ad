"""The donor report of capacity building, in Ukrainian or English: a page, an XLSX and a PDF.

By month or quarter, by project and by funder: trainings held, people trained (each person once
per row), law enforcers trained, knowledge gain (post-test minus pre-test), equipment delivered;
people trained by profession x oblast x sex; the equipment list; and what followed the trainings
(`training_followed.py`).

Counts of trained staff are exact (staff, not victims, docs/training.md). The "what followed"
figures count cases and referrals, so they are protected like every figure on victims that leaves
the system (`core.disclosure`, external audience): small cells withheld, counts rounded.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from opennrm.cases.models import Case
from opennrm.core.codes import GENDER, PROFESSION, code_list
from opennrm.core.disclosure import Audience, protect
from opennrm.core.spreadsheets import format_numbers, number, without_formulas
from opennrm.reports.training_family import followed_tables
from opennrm.reports.training_followed import add_months, what_followed
from opennrm.training import queries
from opennrm.training.queries import Scope

AUDIENCE = Audience.EXTERNAL


@dataclass(frozen=True)
class Line:
    """One row of the by-period, by-project and by-funder tables."""

    label: str
    events: int
    participants: int
    law_enforcers: int
    tested: int
    gain: str
    equipment_items: int


@dataclass(frozen=True)
class Cell:
    label: str
    value: str


@dataclass(frozen=True)
class FollowedTable:
    title: str
    rows: list[Cell]
    note: str


@dataclass
class DonorReport:
    title: str
    period: str
    filters: list[Cell]
    generated: str
    total: Line
    by_period: list[Line]
    by_project: list[Line]
    by_funder: list[Line]
    professions: list[tuple[str, bool, int]]
    matrix: list[tuple[str, str, str, int]]
    knowledge: list[Cell]
    equipment: list[list[str]]
    law_enforcer_note: str
    followed: list[FollowedTable] = field(default_factory=list)
    protection_note: str = ""


def periods(start: dt.date, end: dt.date, by: str) -> list[tuple[str, dt.date, dt.date]]:
    """Months or quarters from `start` to `end`, each clipped to the period."""
    step = 3 if by == "quarter" else 1
    first = dt.date(start.year, (start.month - 1) // step * step + 1, 1)
    out = []
    while first <= end:
        following = add_months(first, step)
        last = following - dt.timedelta(days=1)
        if by == "quarter":
            label = f"{first.year} Q{(first.month - 1) // 3 + 1}"
        else:
            label = formats.date_format(first, "YEAR_MONTH_FORMAT")
        out.append((label, max(first, start), min(last, end)))
        first = following
    return out


def _gain(summary: queries.Summary) -> str:
    gain = summary.mean_gain
    return "—" if gain is None else f"{gain:+.1f}"


def _line(label: str, scope: Scope, start: dt.date, end: dt.date) -> Line:
    s = queries.summary(scope.trainings, scope.equipment, start, end)
    return Line(
        label, s.events, s.participants, s.law_enforcers, s.tested, _gain(s), s.equipment_items
    )


def _followed(
    scope: Scope, cases: QuerySet[Case], start: dt.date, end: dt.date
) -> list[FollowedTable]:
    held = queries.held_in(scope.trainings, start, end)
    out = []
    for table in followed_tables(what_followed(held, cases, scope.trainings)):
        protected = protect([(r.code, r.count) for r in table.rows], table.total, audience=AUDIENCE)
        out.append(
            FollowedTable(
                str(table.title),
                [
                    Cell(str(row.label), "—" if cell.count is None else str(cell.count))
                    for row, cell in zip(table.rows, protected.cells, strict=True)
                ],
                str(table.note),
            )
        )
    return out


def donor_report(
    scope: Scope,
    cases: QuerySet[Case],
    *,
    start: dt.date,
    end: dt.date,
    project_code: str = "",
    funder: str = "",
    by: str = "month",
) -> DonorReport:
    chosen = scope.of(project_code=project_code, funder=funder)
    whole = queries.summary(chosen.trainings, chosen.equipment, start, end)
    projects, funders = queries.projects_and_funders(chosen)
    professions = code_list(PROFESSION)
    oblasts = code_list("oblast")
    genders = code_list(GENDER)
    enforcing = queries.law_enforcer_professions()
    given = chosen.equipment.filter(given_on__range=(start, end)).select_related("recipient")
    return DonorReport(
        title=_("Capacity building: donor report"),
        period=_("%(start)s to %(end)s")
        % {
            "start": formats.date_format(start, "d.m.Y"),
            "end": formats.date_format(end, "d.m.Y"),
        },
        filters=[
            Cell(_("Project"), project_code or _("all projects")),
            Cell(_("Funder"), funder or _("all funders")),
        ],
        generated=formats.date_format(timezone.localtime(), "d.m.Y, H:i"),
        total=_line(_("Total"), chosen, start, end),
        by_period=[_line(label, chosen, a, b) for label, a, b in periods(start, end, by)],
        by_project=[_line(p, chosen.of(project_code=p), start, end) for p in projects],
        by_funder=[_line(f, chosen.of(funder=f), start, end) for f in funders],
        professions=[
            (str(c.label), c.code in enforcing, whole.by_profession[c.code]) for c in professions
        ],
        matrix=[
            (str(professions.label(p)), str(oblasts.label(o)), str(genders.label(g)), count)
            for (p, o, g), count in sorted(whole.by_profession_oblast_sex.items())
        ],
        knowledge=[
            Cell(_("participations with both tests"), str(whole.tested)),
            Cell(_("mean pre-test score"), "—" if whole.mean_pre is None else str(whole.mean_pre)),
            Cell(
                _("mean post-test score"), "—" if whole.mean_post is None else str(whole.mean_post)
            ),
            Cell(_("knowledge gain (points)"), _gain(whole)),
        ],
        equipment=[
            [
                formats.date_format(e.given_on, "d.m.Y"),
                e.item,
                e.recipient.name,
                str(e.quantity),
                f"{e.value} {e.currency}",
                e.funder,
                e.project_code,
            ]
            for e in given
        ],
        law_enforcer_note=_("Law enforcers: %(list)s.")
        % {"list": ", ".join(str(professions.label(p)) for p in sorted(enforcing))},
        followed=_followed(chosen, cases, start, end),
        protection_note=_(
            "People are counted once per row however many trainings they attended. The counts "
            "of trained staff are exact; the identifications and referrals that followed are "
            "counts of victims' cases: rounded, and a dash marks a figure withheld."
        ),
    )


def line_head() -> list[str]:
    return [
        "",
        _("Trainings"),
        _("People trained"),
        _("Law enforcers"),
        _("Tested"),
        _("Knowledge gain"),
        _("Equipment items"),
    ]


def _cells(line: Line) -> list[object]:
    return [
        line.label,
        line.events,
        line.participants,
        line.law_enforcers,
        line.tested,
        line.gain,
        line.equipment_items,
    ]


def _numbers(cells: list[object]) -> list[object]:
    """A line for the spreadsheet: its label as text (a year stays "2016"), figures as numbers."""
    return [cells[0], *(number(value) for value in cells[1:])]


def to_xlsx(report: DonorReport) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = _("Summary")[:31]
    sheet.append([report.title])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append([report.period])
    for cell in report.filters:
        sheet.append([cell.label, cell.value])
    sheet.append([])
    sheet.append(line_head())
    sheet.append(_numbers(_cells(report.total)))
    sheet.append([])
    for cell in report.knowledge:
        sheet.append([cell.label, number(cell.value)])
    sheet.append([])
    sheet.append([report.law_enforcer_note])
    sheet.append([report.protection_note])
    sheet.column_dimensions["A"].width = 40

    def lines(title: str, rows: list[Line]) -> None:
        ws = book.create_sheet(title[:31])
        ws.append(line_head())
        for line in rows:
            ws.append(_numbers(_cells(line)))
        ws.column_dimensions["A"].width = 28

    lines(_("By period"), report.by_period)
    lines(_("By project"), report.by_project)
    lines(_("By funder"), report.by_funder)
    ws = book.create_sheet(_("Professions")[:31])
    ws.append([_("Profession"), _("Law enforcer"), _("People trained")])
    for label, enforcing, count in report.professions:
        ws.append([label, _("yes") if enforcing else _("no"), count])
    ws.column_dimensions["A"].width = 40
    ws = book.create_sheet(_("Profession, oblast, sex")[:31])
    ws.append([_("Profession"), _("Oblast"), _("Sex"), _("People trained")])
    for row in report.matrix:
        ws.append(list(row))
    ws.column_dimensions["A"].width = 30
    ws.column_dimensions["B"].width = 30
    ws = book.create_sheet(_("Equipment")[:31])
    ws.append(
        [_("Date"), _("Item"), _("Recipient"), _("Quantity"), _("Cost"), _("Funder"), _("Project")]
    )
    for items in report.equipment:
        ws.append(list(items))
    ws.column_dimensions["B"].width = 35
    ws.column_dimensions["C"].width = 40
    ws = book.create_sheet(_("What followed")[:31])
    for table in report.followed:
        ws.append([table.title])
        for cell in table.rows:
            ws.append([cell.label, number(cell.value)])
        ws.append([table.note])
        ws.append([])
    ws.column_dimensions["A"].width = 45
    out = io.BytesIO()
    format_numbers(without_formulas(book)).save(out)
    return out.getvalue()


def to_pdf(report: DonorReport) -> bytes:
    from weasyprint import HTML

    html = render_to_string("reports/training_report.html", {"report": report})
    return bytes(HTML(string=html).write_pdf())

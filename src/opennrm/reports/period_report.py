"""The period report, in Ukrainian or English, as XLSX and PDF.

Everything in it leaves the system, so every figure is protected (`core.disclosure`, external
audience): small cells withheld, counts rounded, percentages computed from the published
counts. Contents: the IOM-style summary paragraph with its figures, every indicator table with
its chart (the PDF shows the dashboard's SVG charts), and the figures a US TIP Report and a
GRETA questionnaire ask for.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

from django.template.loader import render_to_string
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from opennrm.core.codes import COUNTRY, UKRAINE, code_list
from opennrm.core.disclosure import Audience, configured_threshold, protect
from opennrm.core.spreadsheets import COUNT_FORMAT, SHARE_FORMAT, without_formulas
from opennrm.reports.charts import chart
from opennrm.reports.indicators import Indicators, Table

AUDIENCE = Audience.EXTERNAL


@dataclass(frozen=True)
class Figure:
    label: str
    count: int | None  # None: withheld (disclosure control)

    @property
    def value(self) -> str:
        return _show(self.count)


@dataclass(frozen=True)
class ReportContent:
    title: str
    period: str
    scope: str
    summary: str
    persons: str
    charts: list[dict[str, Any]]
    tip_greta: list[Figure]
    prosecution: list[Figure]
    generated: str
    protection_note: str


def _published(table: Table) -> dict[str, int | None]:
    protected = protect([(r.code, r.count) for r in table.rows], table.total, audience=AUDIENCE)
    values: dict[str, int | None] = {cell.code: cell.count for cell in protected.cells}
    values["__total__"] = protected.total
    return values


def _percent(part: int | None, whole: int | None) -> int | None:
    if part is None or not whole:
        return None
    return round(100 * part / whole)


def _show(value: int | None) -> str:
    return "—" if value is None else str(value)


def summary(indicators: Indicators) -> str:
    """ "From January to September 2016, 780 victims of trafficking were identified, exploited
    mainly in Russia, Poland and inside Ukraine; 60% are men; forced labour is 93% of cases."
    Clauses whose figures are withheld are left out."""
    filters = indicators.filters
    persons = (
        protect([("persons", indicators.persons)], indicators.persons, audience=AUDIENCE)
        .cells[0]
        .count
    )
    start = formats.date_format(filters.start, "j F Y")
    end = formats.date_format(filters.end, "j F Y")
    if not persons:
        return _(
            "From %(start)s to %(end)s, fewer than %(threshold)s victims of trafficking were "
            "identified."
        ) % {
            "start": start,
            "end": end,
            "threshold": configured_threshold(),
        }
    parts = [
        _("From %(start)s to %(end)s, %(persons)s victims of trafficking were identified")
        % {"start": start, "end": end, "persons": persons}
    ]
    countries = indicators.table("country")
    published = _published(countries)
    top = [row for row in countries.rows if published.get(row.code)][:3]
    if top:
        names = [
            _("inside Ukraine") if row.code == UKRAINE else code_list(COUNTRY).label(row.code)
            for row in top
        ]
        listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + _(" and ") + names[-1]
        parts[0] += _(", exploited mainly in %(countries)s") % {"countries": listed}
    sex = _published(indicators.table("sex_age"))
    men = _percent(sex.get("men"), sex.get("__total__"))
    if men is not None:
        parts.append(_("%(men)s%% are men") % {"men": men})
    forms = indicators.table("exploitation")
    labour = _percent(_published(forms).get("LabourExploitation"), _published(forms)["__total__"])
    if labour is not None:
        parts.append(_("forced labour is %(labour)s%% of cases") % {"labour": labour})
    return "; ".join(parts) + "."


def tip_greta(indicators: Indicators) -> list[Figure]:
    """The figures a US TIP Report and a GRETA questionnaire ask for (protected)."""
    sex = _published(indicators.table("sex_age"))
    forms = _published(indicators.table("exploitation"))
    citizenship = _published(indicators.table("citizenship"))
    assistance = indicators.table("assistance")
    decisions = _published(indicators.table("status_decisions"))
    persons = (
        protect([("p", indicators.persons)], indicators.persons, audience=AUDIENCE).cells[0].count
    )

    def add(*values: int | None) -> int | None:
        return None if any(v is None for v in values) else sum(v or 0 for v in values)

    return [
        Figure(_("Victims identified (persons)"), persons),
        Figure(_("women"), sex.get("women")),
        Figure(_("men"), sex.get("men")),
        Figure(_("children (girls and boys)"), add(sex.get("girls"), sex.get("boys"))),
        Figure(_("labour exploitation"), forms.get("LabourExploitation")),
        Figure(_("sexual exploitation"), forms.get("SexualExploitation")),
        Figure(_("Ukrainian citizens"), citizenship.get("UA")),
        Figure(_("foreign citizens"), citizenship.get("foreign")),
        Figure(
            _("assistance services delivered"),
            protect([("s", assistance.total)], assistance.total, audience=AUDIENCE).cells[0].count,
        ),
        Figure(_("victim status granted"), decisions.get("granted")),
        Figure(_("victim status refused"), decisions.get("refused")),
    ]


def prosecution(indicators: Indicators) -> list[Figure]:
    """The TIP Report's prosecution chapter: investigations, prosecutions, convictions and
    sentences in the period (protected like every published figure)."""
    chain = _published(indicators.table("proceedings"))
    sentences = _published(indicators.table("sentences"))
    return [
        Figure(_("Investigations opened (proceedings registered)"), chain["registered"]),
        Figure(_("Prosecutions (indictments sent to court)"), chain["indicted"]),
        Figure(_("Proceedings closed without indictment"), chain["closed"]),
        Figure(_("Persons convicted"), chain["convicted"]),
        Figure(_("Persons acquitted"), chain["acquitted"]),
        Figure(_("sentenced to imprisonment"), sentences.get("Imprisonment")),
        Figure(_("released on probation"), sentences.get("Probation")),
    ]


def content(indicators: Indicators, *, national: bool) -> ReportContent:
    filters = indicators.filters
    return ReportContent(
        title=_("Identified victims of trafficking: period report"),
        period=_("%(start)s to %(end)s")
        % {
            "start": formats.date_format(filters.start, "j F Y"),
            "end": formats.date_format(filters.end, "j F Y"),
        },
        scope=_("all agencies of the National Referral Mechanism")
        if national
        else _("the cases of one agency"),
        summary=summary(indicators),
        persons=_show(
            protect([("p", indicators.persons)], indicators.persons, audience=AUDIENCE)
            .cells[0]
            .count
        ),
        charts=[chart(table, AUDIENCE) for table in indicators.tables],
        tip_greta=tip_greta(indicators),
        prosecution=prosecution(indicators),
        generated=formats.date_format(timezone.localtime(), "j F Y, H:i"),
        protection_note=_(
            "Persons, not registrations: record linkage counts a person registered by several "
            "agencies once. Counts are rounded to the nearest 5; a dash marks a figure withheld "
            "because it is below %(threshold)s or would reveal one that is."
        )
        % {"threshold": configured_threshold()},
    )


def _number(count: int | None) -> int | str:
    """A count as a number for the spreadsheet; a withheld one as the dash the page shows."""
    return "—" if count is None else count


def _format_row(ws: Any) -> None:
    """Number formats on the last row: counts with a thousands separator, shares as percent."""
    for cell in ws[ws.max_row]:
        if isinstance(cell.value, bool) or not isinstance(cell.value, int | float):
            continue
        cell.number_format = SHARE_FORMAT if isinstance(cell.value, float) else COUNT_FORMAT


def to_xlsx(report: ReportContent) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = _("Summary")[:31]
    sheet["A1"] = report.title
    sheet["A1"].font = Font(bold=True, size=14)
    sheet["A2"] = report.period
    sheet["A3"] = report.scope
    sheet["A5"] = report.summary
    sheet["A5"].alignment = Alignment(wrap_text=True, vertical="top")
    sheet.row_dimensions[5].height = 60
    sheet["A7"] = report.protection_note
    sheet["A7"].alignment = Alignment(wrap_text=True, vertical="top")
    sheet.row_dimensions[7].height = 45
    sheet.column_dimensions["A"].width = 100
    tip = book.create_sheet("TIP-GRETA")
    tip.append([_("Figure"), _("Value")])
    for figure in report.tip_greta:
        tip.append([figure.label, _number(figure.count)])
        _format_row(tip)
    tip.column_dimensions["A"].width = 45
    chapter = book.create_sheet("Prosecution")
    chapter.append([_("Figure"), _("Value")])
    for figure in report.prosecution:
        chapter.append([figure.label, _number(figure.count)])
        _format_row(chapter)
    chapter.column_dimensions["A"].width = 50
    for view in report.charts:
        ws = book.create_sheet(view["key"][:31])
        ws.append([view["title"]])
        ws["A1"].font = Font(bold=True)
        ws.append([_("Code"), _("Category"), str(view["unit"]), "%"])
        total = view["total_count"]
        for row in view["rows"]:
            share = row.count / total if row.count is not None and total else None
            ws.append([row.code, row.label, _number(row.count), share])
            _format_row(ws)
        ws.append(["", _("Total"), _number(total), None])
        _format_row(ws)
        ws.column_dimensions["B"].width = 50
    out = io.BytesIO()
    without_formulas(book).save(out)
    return out.getvalue()


def to_pdf(report: ReportContent) -> bytes:
    from weasyprint import HTML

    html = render_to_string("reports/period_report.html", {"report": report})
    return bytes(HTML(string=html).write_pdf())

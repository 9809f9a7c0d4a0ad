"""Display data for the screening templates: texts in the active language, decrypted subjects."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.forms import BoundField
from django.utils.translation import gettext as _

from opennrm.access.screening import SubjectScope
from opennrm.nrm.screening import indicators
from opennrm.nrm.screening.indicators import IndicatorList, IndicatorSet
from opennrm.nrm.screening.labels import (
    NOT_A_FINDING,
    STRENGTH_LABELS,
    language,
    list_label,
    outcome_label,
)
from opennrm.nrm.screening.models import Screening
from opennrm.nrm.screening.subject import open_subject
from opennrm.web.screening.forms import AnswersForm, field_name


def _set_of(screening: Screening) -> IndicatorSet | None:
    try:
        return indicators.indicator_set(screening.data_version)
    except KeyError:
        return None


def subject_of(screening: Screening, scope: SubjectScope) -> str:
    if not scope.sees(screening):
        return _("(identity not shared with your agency)")
    return open_subject(screening) or _("(no description given)")


@dataclass(frozen=True)
class ScreeningRow:
    screening: Screening
    subject: str
    list_label: str
    outcome: str
    positive: str


def screening_rows(screenings: Iterable[Screening], scope: SubjectScope) -> list[ScreeningRow]:
    rows = []
    for s in screenings:
        iset = _set_of(s)
        dims = [str(d["number"]) for d in s.result.get("dimensions", []) if d.get("positive")]
        rows.append(
            ScreeningRow(
                screening=s,
                subject=subject_of(s, scope),
                list_label=list_label(iset, s.list_key) if iset else s.list_key,
                outcome=outcome_label(s.outcome),
                positive=", ".join(dims),
            )
        )
    return rows


@dataclass(frozen=True)
class AnswerRow:
    field: BoundField
    text: str
    strength: str


@dataclass(frozen=True)
class AnswerSection:
    number: int
    label: str
    rows: list[AnswerRow]


def answer_sections(form: AnswersForm, iset: IndicatorSet) -> list[AnswerSection]:
    """The form's fields grouped by dimension, each with its text and strength."""
    lang = language()
    lst: IndicatorList = form.indicator_list
    return [
        AnswerSection(
            number=dim.number,
            label=indicators.pick(dim.label, lang),
            rows=[
                AnswerRow(
                    field=form[field_name(i.id)],
                    text=indicators.pick(i.text, lang),
                    strength=str(STRENGTH_LABELS[i.strength]),
                )
                for i in lst.of_dimension(dim.code)
            ],
        )
        for dim in iset.dimensions
    ]


def _counts_text(d: dict[str, Any]) -> str:
    present = d.get("present", {})
    return _(
        "present: %(s)d strong, %(m)d medium, %(w)d weak; absent: %(a)d; "
        "unknown or not answered: %(o)d of %(t)d"
    ) % {
        "s": present.get(indicators.STRONG, 0),
        "m": present.get(indicators.MEDIUM, 0),
        "w": present.get(indicators.WEAK, 0),
        "a": d.get("absent", 0),
        "o": d.get("open", 0),
        "t": d.get("total", 0),
    }


def result_view(screening: Screening, scope: SubjectScope) -> dict[str, Any]:
    """Everything the result page shows about one screening."""
    iset = _set_of(screening)
    lang = language()
    result = screening.result
    view: dict[str, Any] = {
        "subject": subject_of(screening, scope),
        "outcome": screening.outcome,
        "outcome_label": outcome_label(screening.outcome),
        "not_a_finding": NOT_A_FINDING,
        "version": screening.data_version,
        "answered": result.get("answered", 0),
        "total": result.get("total", 0),
        "list_label": screening.list_key,
        "dimensions": [],
        "requirements": [],
        "missing": [],
        "present": [],
        "source": {},
    }
    if iset is None:
        return view
    lst = iset.list(screening.list_key)
    by_id = lst.by_id()
    view["list_label"] = indicators.pick(lst.label, lang)
    view["source"] = iset.source
    view["transcription"] = lst.transcription
    for d in result.get("dimensions", []):
        dim = iset.dimension(d["code"])
        if d.get("positive"):
            state = _("positive")
        elif d.get("could_become_positive"):
            state = _("not positive so far: some indicators not answered")
        else:
            state = _("not positive")
        view["dimensions"].append(
            {
                "number": dim.number,
                "label": indicators.pick(dim.label, lang),
                "positive": bool(d.get("positive")),
                "open": bool(d.get("could_become_positive")),
                "state": state,
                "counts": _counts_text(d),
            }
        )
    for req in lst.combination.requirements:
        view["requirements"].append(
            {
                "label": indicators.pick(req.label, lang),
                "met": bool(result.get("requirements", {}).get(req.key)),
            }
        )
    view["missing"] = _grouped(iset, lst, [by_id[i] for i in result.get("missing", [])])
    view["present"] = _grouped(
        iset,
        lst,
        [i for i in lst.indicators if screening.answers.get(i.id) == indicators.PRESENT],
    )
    return view


def _grouped(
    iset: IndicatorSet, lst: IndicatorList, items: list[indicators.Indicator]
) -> list[dict[str, Any]]:
    lang = language()
    groups = []
    for dim in iset.dimensions:
        rows = [
            {"text": indicators.pick(i.text, lang), "strength": str(STRENGTH_LABELS[i.strength])}
            for i in items
            if i.dimension == dim.code
        ]
        if rows:
            groups.append(
                {"number": dim.number, "label": indicators.pick(dim.label, lang), "rows": rows}
            )
    return groups

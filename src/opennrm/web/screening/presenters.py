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
    ACT_SECTION,
    NOT_A_FINDING,
    STRENGTH_LABELS,
    VERIFY_NOTICE,
    language,
    list_label,
    lists_label,
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


def dimension_name(iset: IndicatorSet | None, number: int) -> str:
    """A dimension by its name in the interface's language ("Deceptive recruitment"), its
    number where the set is unknown."""
    for dim in iset.dimensions if iset else ():
        if dim.number == number:
            return indicators.pick(dim.label, language()).split(" (")[0]
    return str(number)


def screening_rows(screenings: Iterable[Screening], scope: SubjectScope) -> list[ScreeningRow]:
    rows = []
    for s in screenings:
        iset = _set_of(s)
        dims = [dimension_name(iset, n) for n in indicators.positive_dimensions(s.result)]
        rows.append(
            ScreeningRow(
                screening=s,
                subject=subject_of(s, scope),
                list_label=lists_label(iset, s.list_keys) if iset else " + ".join(s.list_keys),
                outcome=outcome_label(s.outcome),
                positive="; ".join(dims),
            )
        )
    return rows


@dataclass(frozen=True)
class AnswerRow:
    field: BoundField
    text: str
    strength: str  # "" for the act items, which have no strength


@dataclass(frozen=True)
class AnswerSection:
    number: int  # 0: the act (child lists), asked before the dimensions
    label: str
    rows: list[AnswerRow]
    anchor: str
    # On the first section of each list: its name, and the "verify" notice when reconstructed.
    list_heading: str = ""
    verify: str = ""


def answer_sections(form: AnswersForm, iset: IndicatorSet) -> list[AnswerSection]:
    """The form's fields grouped by list and dimension, each with its text and strength; the
    act items of the child rule first, once."""
    lang = language()
    lists: list[IndicatorList] = form.indicator_lists
    mixed = len(lists) > 1
    sections: list[AnswerSection] = []
    acts = {a.id: a for lst in lists for a in lst.act_items}
    if acts:
        sections.append(
            AnswerSection(
                number=0,
                label=str(ACT_SECTION),
                rows=[
                    AnswerRow(form[field_name(a.id)], indicators.pick(a.text, lang), "")
                    for a in acts.values()
                ],
                anchor="act",
            )
        )
    for lst in lists:
        for n, dim in enumerate(iset.dimensions):
            sections.append(
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
                    anchor=f"{lst.key}-dimension-{dim.number}"
                    if mixed
                    else f"dimension-{dim.number}",
                    list_heading=list_label(iset, lst.key) if n == 0 and mixed else "",
                    verify=str(VERIFY_NOTICE) if n == 0 and lst.needs_verify else "",
                )
            )
    return sections


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


def _list_view(
    iset: IndicatorSet, lst: IndicatorList, result: dict[str, Any], answers: dict[str, str]
) -> dict[str, Any]:
    """One list's part of the result page."""
    lang = language()
    view: dict[str, Any] = {
        "key": lst.key,
        "label": list_label(iset, lst.key),
        "verify": str(VERIFY_NOTICE) if lst.needs_verify else "",
        "note": lst.note if lst.needs_verify else "",
        "outcome": result.get("outcome", ""),
        "outcome_label": outcome_label(str(result.get("outcome", ""))),
        "answered": result.get("answered", 0),
        "total": result.get("total", 0),
        "dimensions": [],
        "requirements": [],
    }
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
    acts = {a.id: a for a in lst.act_items}
    by_id = lst.by_id()
    missing = [str(i) for i in result.get("missing", [])]
    view["missing"] = _acts(lang, [acts[i] for i in missing if i in acts]) + _grouped(
        iset, lst, [by_id[i] for i in missing if i in by_id]
    )
    view["present"] = _acts(
        lang, [a for a in acts.values() if answers.get(a.id) == indicators.PRESENT]
    ) + _grouped(iset, lst, [i for i in lst.indicators if answers.get(i.id) == indicators.PRESENT])
    return view


def _acts(lang: str, items: list[indicators.ActItem]) -> list[dict[str, Any]]:
    if not items:
        return []
    rows = [{"text": indicators.pick(a.text, lang), "strength": ""} for a in items]
    return [{"number": 0, "label": str(ACT_SECTION), "rows": rows}]


def result_view(screening: Screening, scope: SubjectScope) -> dict[str, Any]:
    """Everything the result page shows about one screening (one part per list)."""
    iset = _set_of(screening)
    result = screening.result
    view: dict[str, Any] = {
        "subject": subject_of(screening, scope),
        "outcome": screening.outcome,
        "outcome_label": outcome_label(screening.outcome),
        "not_a_finding": NOT_A_FINDING,
        "version": screening.data_version,
        "list_label": " + ".join(screening.list_keys),
        "mixed": len(screening.list_keys) > 1,
        "lists": [],
        "source": {},
    }
    if iset is None:
        return view
    view["list_label"] = lists_label(iset, screening.list_keys)
    view["source"] = iset.source
    stored = {str(a.get("list")): a for a in indicators.stored_assessments(result)}
    for key in screening.list_keys:
        if key in iset.lists:
            view["lists"].append(
                _list_view(iset, iset.list(key), stored.get(key, {}), screening.answers)
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

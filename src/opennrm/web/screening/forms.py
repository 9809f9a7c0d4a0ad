"""HTML forms for screening: parse and validate input, then hand plain values to the services."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from opennrm.core import codes
from opennrm.core.codes import code_list
from opennrm.nrm.screening import indicators, queries
from opennrm.nrm.screening.indicators import IndicatorList
from opennrm.nrm.screening.labels import (
    ANSWER_LABELS,
    MIXED_SEPARATOR,
    OUTCOME_LABELS,
    language,
    list_choices,
)
from opennrm.nrm.screening.subject import MAX_SUBJECT


def _blank(choices: list[tuple[str, Any]]) -> list[tuple[str, Any]]:
    return [("", "—"), *choices]


def _lists() -> list[tuple[str, str]]:
    return list_choices(indicators.current_set())


def _lists_and_pairs() -> list[tuple[str, str]]:
    return list_choices(indicators.current_set(), mixed=True)


class ScreeningFilterForm(forms.Form):
    """Filters of the screening list (codes only, so they may travel in the URL)."""

    list_key = forms.ChoiceField(
        label=_("Indicator list"), required=False, choices=lambda: _blank(_lists())
    )
    outcome = forms.ChoiceField(
        label=_("Result"),
        required=False,
        choices=lambda: _blank([(k, str(v)) for k, v in OUTCOME_LABELS.items()]),
    )
    attached = forms.ChoiceField(
        label=_("Case"),
        required=False,
        choices=[
            ("", "—"),
            (queries.ATTACHED, _("Attached to a case")),
            (queries.UNATTACHED, _("Not attached to a case")),
        ],
    )

    def filters(self) -> queries.ScreeningFilters:
        data = self.cleaned_data if self.is_valid() else {}
        return queries.ScreeningFilters(
            list_key=data.get("list_key", ""),
            outcome=data.get("outcome", ""),
            attached=data.get("attached", ""),
        )


class NewScreeningForm(forms.Form):
    """Start a screening: the list, and only as much identity as first contact needs."""

    list_key = forms.ChoiceField(
        label=_("Indicator list"),
        choices=_lists_and_pairs,
        widget=forms.RadioSelect,
        help_text=_(
            "Choose by the person's age (under 18: a child list) and the exploitation; when "
            "both labour and sexual exploitation may have happened, choose the mixed screening."
        ),
    )
    subject = forms.CharField(
        label=_("Who was screened (optional)"),
        required=False,
        max_length=MAX_SUBJECT,
        help_text=_(
            "A first name or a short description, only what is needed to find the person "
            "again. It is stored encrypted. No full registration is needed to screen."
        ),
    )
    gender = forms.ChoiceField(
        label=_("Gender"),
        required=False,
        choices=code_list(codes.GENDER).choices,
        initial="NonSpecifiedUnknown",
    )
    case = forms.UUIDField(required=False, widget=forms.HiddenInput)

    def list_keys(self) -> list[str]:
        """The chosen list, or the two lists of a mixed screening."""
        return str(self.cleaned_data["list_key"]).split(MIXED_SEPARATOR)


def field_name(indicator_id: str) -> str:
    """The form field of an indicator (ids hold dots, which HTML ids keep but CSS dislikes)."""
    return "ind_" + indicator_id.replace(".", "__")


class AnswersForm(forms.Form):
    """Every indicator of the screening's lists (and the act items of the child rule): present,
    absent or unknown. None is required."""

    def __init__(self, *args: Any, indicator_lists: Sequence[IndicatorList], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.indicator_lists = list(indicator_lists)
        choices = [(value, ANSWER_LABELS[value]) for value in indicators.ANSWERS]
        for ident, text in self._items():
            self.fields[field_name(ident)] = forms.ChoiceField(
                label=indicators.pick(text, language()),
                choices=choices,
                required=False,
                widget=forms.RadioSelect,
            )

    def _items(self) -> list[tuple[str, dict[str, str]]]:
        """(id, texts) of every question, each once (lists of one age group share the act)."""
        seen: dict[str, dict[str, str]] = {}
        for lst in self.indicator_lists:
            for act in lst.act_items:
                seen.setdefault(act.id, act.text)
            for indicator in lst.indicators:
                seen.setdefault(indicator.id, indicator.text)
        return list(seen.items())

    @classmethod
    def initial_for(cls, answers: dict[str, str]) -> dict[str, str]:
        return {field_name(key): value for key, value in answers.items()}

    def answers(self) -> dict[str, str]:
        """The answers given; indicators left blank stay unanswered (they count as unknown)."""
        return {
            ident: value
            for ident, _text in self._items()
            if (value := self.cleaned_data.get(field_name(ident)))
        }


class AttachForm(forms.Form):
    reference = forms.CharField(
        label=_("Case reference"),
        max_length=40,
        help_text=_("The 8-character reference shown on the case page, or the case's full id."),
    )

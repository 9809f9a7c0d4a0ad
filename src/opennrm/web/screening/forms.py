"""HTML forms for screening: parse and validate input, then hand plain values to the services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from opennrm.core import codes
from opennrm.core.codes import code_list
from opennrm.nrm.screening import indicators, queries
from opennrm.nrm.screening.indicators import IndicatorList
from opennrm.nrm.screening.labels import ANSWER_LABELS, OUTCOME_LABELS, language, list_choices
from opennrm.nrm.screening.subject import MAX_SUBJECT


def _blank(choices: list[tuple[str, Any]]) -> list[tuple[str, Any]]:
    return [("", "—"), *choices]


def _lists() -> list[tuple[str, str]]:
    return list_choices(indicators.current_set())


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
        choices=_lists,
        widget=forms.RadioSelect,
        help_text=_("Choose by the person's age (under 18: a child list) and the exploitation."),
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


def field_name(indicator_id: str) -> str:
    """The form field of an indicator (ids hold dots, which HTML ids keep but CSS dislikes)."""
    return "ind_" + indicator_id.replace(".", "__")


class AnswersForm(forms.Form):
    """Every indicator of one list: present, absent or unknown. None is required."""

    def __init__(self, *args: Any, indicator_list: IndicatorList, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.indicator_list = indicator_list
        choices = [(value, ANSWER_LABELS[value]) for value in indicators.ANSWERS]
        for indicator in indicator_list.indicators:
            self.fields[field_name(indicator.id)] = forms.ChoiceField(
                label=indicators.pick(indicator.text, language()),
                choices=choices,
                required=False,
                widget=forms.RadioSelect,
            )

    @classmethod
    def initial_for(cls, answers: dict[str, str]) -> dict[str, str]:
        return {field_name(key): value for key, value in answers.items()}

    def answers(self) -> dict[str, str]:
        """The answers given; indicators left blank stay unanswered (they count as unknown)."""
        return {
            i.id: value
            for i in self.indicator_list.indicators
            if (value := self.cleaned_data.get(field_name(i.id)))
        }


class AttachForm(forms.Form):
    reference = forms.CharField(
        label=_("Case reference"),
        max_length=40,
        help_text=_("The 8-character reference shown on the case page, or the case's full id."),
    )

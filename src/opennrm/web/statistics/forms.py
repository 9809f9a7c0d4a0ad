"""The dashboard's filters: period, oblast of identification, identifying agency kind."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

from opennrm.core.codes import AGENCY_KIND, code_list


class StatisticsFilterForm(forms.Form):
    start = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("To"), widget=forms.DateInput(attrs={"type": "date"}))
    oblast = forms.ChoiceField(label=_("Oblast of identification"), required=False)
    agency_kind = forms.ChoiceField(label=_("Identifying agency"), required=False)

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        oblast_field = self.fields["oblast"]
        kind_field = self.fields["agency_kind"]
        assert isinstance(oblast_field, forms.ChoiceField)
        assert isinstance(kind_field, forms.ChoiceField)
        oblast_field.choices = [("", _("all oblasts"))] + [
            (c.code, c.label) for c in code_list("oblast").codes
        ]
        kind_field.choices = [("", _("all agencies"))] + [
            (c.code, c.label) for c in code_list(AGENCY_KIND).codes
        ]

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if isinstance(start, dt.date) and isinstance(end, dt.date) and start > end:
            self.add_error("end", _("The period must not end before it starts."))
        return data

"""Forms for referrals."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from opennrm.core import codes
from opennrm.core.codes import code_list
from opennrm.nrm.referrals.workflow import STATE_LABELS
from opennrm.tenancy.models import Agency


class ReferralForm(forms.Form):
    to_agency: forms.ModelChoiceField[Agency] = forms.ModelChoiceField(
        label=_("Refer to"), queryset=Agency.objects.none()
    )
    purpose = forms.ChoiceField(label=_("Purpose"), choices=code_list(codes.PURPOSE).choices)
    data_categories = forms.MultipleChoiceField(
        label=_("Data shared"),
        choices=code_list(codes.DATA_CATEGORY).choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Only what the recipient needs for this purpose."),
    )
    transfer = forms.BooleanField(
        label=_("Transfer the case (the recipient becomes its owner)"), required=False
    )
    note = forms.CharField(
        label=_("Note to the recipient"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("No names or personal details: the recipient sees the case once accepted."),
    )
    override_reason = forms.CharField(
        label=_("Reason to refer without a recorded legal basis"),
        required=False,
        max_length=300,
        help_text=_("Only when the person cannot consent and help is urgent. Audited."),
    )

    def __init__(
        self, *args: Any, agencies: QuerySet[Agency], may_override: bool, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["to_agency"].queryset = agencies  # type: ignore[attr-defined]
        if not may_override:
            del self.fields["override_reason"]


class DeclineForm(forms.Form):
    reason = forms.CharField(label=_("Reason for declining"), max_length=300)


def _blank(choices: list[tuple[str, Any]]) -> list[tuple[str, Any]]:
    return [("", "—"), *choices]


class ReferralFilterForm(forms.Form):
    direction = forms.ChoiceField(
        label=_("Direction"),
        required=False,
        choices=[("incoming", _("Referred to us")), ("outgoing", _("Referred by us"))],
    )
    state = forms.ChoiceField(
        label=_("State"),
        required=False,
        choices=_blank([(k, v) for k, v in STATE_LABELS.items()]),
    )

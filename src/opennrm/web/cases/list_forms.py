"""Forms of the case list: bulk changes and saved searches."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from opennrm.accounts.models import User
from opennrm.core import codes
from opennrm.core.codes import code_list

CLOSE, REASSIGN = "close", "reassign"


class BulkForm(forms.Form):
    """The cases ticked in the list and what to do with them; `confirm` after the summary."""

    case = forms.TypedMultipleChoiceField(required=True, choices=(), coerce=str)
    action = forms.ChoiceField(
        label=_("With the selected cases"),
        # The empty choice first: nothing is chosen for the person (the select says "— choose —").
        choices=[("", "—"), (CLOSE, _("Close")), (REASSIGN, _("Give to another caseworker"))],
        error_messages={"required": _("Choose what to do with the selected cases.")},
    )
    closure_reason = forms.ChoiceField(
        label=_("Reason for closure"),
        required=False,
        choices=lambda: [("", "—"), *code_list(codes.CLOSURE_REASON).choices()],
    )
    caseworker: forms.ModelChoiceField[User] = forms.ModelChoiceField(
        label=_("Caseworker"), queryset=User.objects.none(), required=False
    )
    confirm = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, caseworkers: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["caseworker"].queryset = caseworkers  # type: ignore[attr-defined]
        self.fields["caseworker"].label_from_instance = lambda u: u.get_username()  # type: ignore[attr-defined]
        ticked = self.data.getlist("case") if hasattr(self.data, "getlist") else []
        self.fields["case"].choices = [(v, v) for v in ticked]  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("action") == CLOSE and not data.get("closure_reason"):
            self.add_error("closure_reason", _("Choose the reason for closing."))
        if data.get("action") == REASSIGN and not data.get("caseworker"):
            self.add_error("caseworker", _("Choose the caseworker."))
        return data


class SaveSearchForm(forms.Form):
    name = forms.CharField(label=_("Name of the search"), max_length=100)

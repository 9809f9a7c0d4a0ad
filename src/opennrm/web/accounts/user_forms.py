"""Forms of the agency admin: add a user, change a user's roles."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.utils.translation import gettext_lazy as _

from opennrm.access import users as users_gate
from opennrm.tenancy.models import Agency


class RolesForm(forms.Form):
    roles = forms.MultipleChoiceField(
        label=_("Roles"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one role.")},
        help_text=_(
            "Only the roles an agency admin may give. Agency admins, system administrators and "
            "the national roles are added by the system operator."
        ),
    )

    def __init__(self, *args: Any, agency: Agency, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Only what the gate lets this agency's admin give (access.users.grantable_roles).
        self.fields["roles"].choices = users_gate.grantable_choices(agency)  # type: ignore[attr-defined]


class InviteForm(RolesForm):
    username = forms.CharField(
        label=_("Username"),
        max_length=150,
        validators=[UnicodeUsernameValidator()],
        help_text=_("Letters, digits and @ . + - _ only, for example o.petrenko."),
    )
    email = forms.EmailField(label=_("Work e-mail"), required=False, max_length=254)

    field_order = ["username", "email", "roles"]

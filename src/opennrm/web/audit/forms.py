"""The audit log's filters (GET): user, action, object, date range."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.core.validators import RegexValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from opennrm.accounts.models import User

_CODE = RegexValidator(r"^[A-Za-z0-9_.:\-]*$", _("Letters, digits, dots and dashes only."))


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class AuditFilterForm(forms.Form):
    user: forms.ModelChoiceField[User] = forms.ModelChoiceField(
        label=_("User"), queryset=User.objects.order_by("username"), required=False
    )
    action = forms.CharField(
        label=_("Action"),
        required=False,
        max_length=64,
        validators=[_CODE],
        help_text=_("Exact, or a beginning ending in a dot: case."),
    )
    object_type = forms.CharField(
        label=_("Object type"), required=False, max_length=32, validators=[_CODE]
    )
    object_id = forms.CharField(
        label=_("Object id"), required=False, max_length=64, validators=[_CODE]
    )
    since = forms.DateField(label=_("From"), required=False, widget=DateInput())
    until = forms.DateField(label=_("To"), required=False, widget=DateInput())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["user"].label_from_instance = lambda u: u.get_username()  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("since") and data.get("until") and data["until"] < data["since"]:
            self.add_error("until", _("The end date is before the start date."))
        return data

    def filters(self) -> dict[str, Any]:
        """Keyword arguments of `audit.queries.filter_events`: days in local time, `To`
        included."""
        d = self.cleaned_data if self.is_valid() else {}

        def start_of(day: dt.date) -> dt.datetime:
            return timezone.make_aware(dt.datetime.combine(day, dt.time.min))

        return {
            "actor_ids": [d["user"].pk] if d.get("user") else None,
            "action": d.get("action", ""),
            "object_type": d.get("object_type", ""),
            "object_id": d.get("object_id", ""),
            "since": start_of(d["since"]) if d.get("since") else None,
            "until": start_of(d["until"] + dt.timedelta(days=1)) if d.get("until") else None,
        }

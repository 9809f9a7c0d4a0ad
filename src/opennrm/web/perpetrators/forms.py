"""HTML forms of the perpetrators register, the identifier search and MLA requests.

Field names are those of the services' errors where they can be (`roles`, `gender`,
`direction`...), so a service's ValidationError lands next to its field; an identifier's
refusal ("Identifier 2 (phone): ...") is shown with the identifier rows.
"""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from opennrm.core import codes
from opennrm.core.codes import code_list
from opennrm.justice.models import Proceeding
from opennrm.justice.perpetrator_services import IdentifierInput, MlaInput
from opennrm.justice.perpetrator_vault import PerpetratorIdentity
from opennrm.tenancy.models import Agency
from opennrm.web.cases.forms import DateInput
from opennrm.web.forms import year_or_date

IDENTIFIER_ROWS = 4


def _choice(list_name: str, label: Any, *, required: bool = True) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label, choices=[("", "—"), *code_list(list_name).choices()], required=required
    )


def _many(list_name: str, label: Any, *, required: bool = False) -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label=label,
        choices=code_list(list_name).choices(),
        widget=forms.CheckboxSelectMultiple,
        required=required,
    )


class IdentifierRowsMixin(forms.Form):
    """`IDENTIFIER_ROWS` rows of a kind and a value (`identifier_kind_1`, `identifier_value_1`...);
    an empty row is skipped."""

    identifiers = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for n in range(1, IDENTIFIER_ROWS + 1):
            self.fields[f"identifier_kind_{n}"] = _choice(
                codes.IDENTIFIER_KIND, _("Kind of identifier %(n)s") % {"n": n}, required=False
            )
            self.fields[f"identifier_value_{n}"] = forms.CharField(
                label=_("Identifier %(n)s") % {"n": n},
                max_length=200,
                required=False,
                strip=False,
            )

    def identifier_rows(self) -> list[tuple[forms.BoundField, forms.BoundField]]:
        return [
            (self[f"identifier_kind_{n}"], self[f"identifier_value_{n}"])
            for n in range(1, IDENTIFIER_ROWS + 1)
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for n in range(1, IDENTIFIER_ROWS + 1):
            kind, value = data.get(f"identifier_kind_{n}"), data.get(f"identifier_value_{n}")
            if value and value.strip() and not kind:
                self.add_error(f"identifier_kind_{n}", _("Choose the kind of this identifier."))
        return data

    def identifier_inputs(self) -> list[IdentifierInput]:
        d = self.cleaned_data
        return [
            IdentifierInput(d[f"identifier_kind_{n}"], d[f"identifier_value_{n}"])
            for n in range(1, IDENTIFIER_ROWS + 1)
            if d.get(f"identifier_kind_{n}") and (d.get(f"identifier_value_{n}") or "").strip()
        ]


class PerpetratorForm(IdentifierRowsMixin):
    family_name = forms.CharField(label=_("Family name"), max_length=100, required=False)
    first_name = forms.CharField(label=_("First name"), max_length=100, required=False)
    middle_name = forms.CharField(label=_("Patronymic"), max_length=100, required=False)
    birth_date = forms.CharField(
        label=_("Date or year of birth"),
        max_length=10,
        required=False,
        help_text=_("DD.MM.YYYY, YYYY-MM-DD or the year."),
    )
    aliases = forms.CharField(
        label=_("Aliases"), max_length=300, required=False, help_text=_("Separated by commas.")
    )
    description = forms.CharField(
        label=_("Description"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("How the victims describe the person when the name is not known."),
    )
    identity = forms.CharField(required=False, widget=forms.HiddenInput)
    gender = forms.ChoiceField(
        label=_("Gender"), choices=code_list(codes.GENDER).choices(), initial="NonSpecifiedUnknown"
    )
    citizenship = _choice(codes.COUNTRY, _("Citizenship"), required=False)
    roles = _many(codes.CRIME_ROLE, _("Roles in the crime"), required=True)
    modus_operandi = _many(codes.MODUS_OPERANDI, _("Modus operandi"))
    organised_group = forms.BooleanField(label=_("Member of an organised group"), required=False)
    relation_to_victim = _choice(codes.RELATIONSHIP, _("Relation to the victim"), required=False)
    proceedings: forms.ModelMultipleChoiceField[Proceeding] = forms.ModelMultipleChoiceField(
        label=_("Proceedings"),
        queryset=Proceeding.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Proceedings of your unit or your office in which this person is a suspect."),
    )
    case_references = forms.CharField(
        label=_("Cases whose victim named this person"),
        max_length=400,
        required=False,
        help_text=_(
            "8-character references of cases your agency owns or received for criminal "
            "proceedings, separated by commas."
        ),
    )

    PERSON_FIELDS = (
        "family_name",
        "first_name",
        "middle_name",
        "birth_date",
        "aliases",
        "description",
        "gender",
        "citizenship",
        "roles",
        "modus_operandi",
        "organised_group",
        "relation_to_victim",
    )

    def __init__(self, *args: Any, proceedings: QuerySet[Proceeding], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["proceedings"]
        field.queryset = proceedings  # type: ignore[attr-defined]
        field.label_from_instance = lambda p: p.erdr_number  # type: ignore[attr-defined]

    def clean_birth_date(self) -> str:
        return year_or_date(self.cleaned_data["birth_date"])

    def clean_case_references(self) -> list[str]:
        refs = [r.strip().lower() for r in self.cleaned_data["case_references"].split(",")]
        refs = [r for r in refs if r]
        if any(not re.fullmatch(r"[0-9a-f]{8}", r) for r in refs):
            raise forms.ValidationError(_("A case reference has 8 characters, 0-9 and A-F."))
        return refs

    def identity_input(self) -> PerpetratorIdentity:
        d = self.cleaned_data
        return PerpetratorIdentity(
            first_name=d["first_name"].strip(),
            family_name=d["family_name"].strip(),
            middle_name=d["middle_name"].strip(),
            birth_date=d["birth_date"],
            aliases=[a.strip() for a in d["aliases"].split(",") if a.strip()],
            description=d["description"].strip(),
        )


class IdentifiersForm(IdentifierRowsMixin):
    """More identifiers for a perpetrator already recorded."""


class SearchForm(forms.Form):
    kind = _choice(codes.IDENTIFIER_KIND, _("Kind of identifier"))
    value = forms.CharField(label=_("Identifier"), max_length=200, strip=False)


class LinkForm(forms.Form):
    proceeding: forms.ModelChoiceField[Proceeding] = forms.ModelChoiceField(
        label=_("Proceeding"), queryset=Proceeding.objects.none(), empty_label="—"
    )

    def __init__(self, *args: Any, proceedings: QuerySet[Proceeding], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["proceeding"]
        field.queryset = proceedings  # type: ignore[attr-defined]
        field.label_from_instance = lambda p: p.erdr_number  # type: ignore[attr-defined]


def _date(label: Any, *, required: bool = False) -> forms.DateField:
    return forms.DateField(label=label, widget=DateInput(), required=required)


class MlaForm(forms.Form):
    direction = _choice(codes.MLA_DIRECTION, _("Direction"))
    request_type = _choice(codes.MLA_TYPE, _("Type of request"))
    country = _choice(codes.COUNTRY, _("Country"))
    partner_agency: forms.ModelChoiceField[Agency] = forms.ModelChoiceField(
        label=_("Foreign authority"),
        queryset=Agency.objects.none(),
        required=False,
        empty_label="—",
        help_text=_("A partner agency in that country, where known."),
    )
    central_authority = _choice(codes.CENTRAL_AUTHORITY, _("Central authority"))
    proceeding: forms.ModelChoiceField[Proceeding] = forms.ModelChoiceField(
        label=_("Proceeding"), queryset=Proceeding.objects.none(), required=False, empty_label="—"
    )
    sent_on = _date(_("Sent on"))
    received_on = _date(_("Received on"))
    due_on = _date(
        _("Answer due on"),
    )
    answered_on = _date(_("Answered on"))

    def __init__(self, *args: Any, proceedings: QuerySet[Proceeding], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["due_on"].help_text = _(
            "Without a date, an outgoing request is due 90 days after it was sent: a working "
            "default of OpenNRM, not a legal term."
        )
        self.fields["partner_agency"].queryset = (  # type: ignore[attr-defined]
            Agency.objects.filter(is_active=True).exclude(country=codes.UKRAINE).order_by("name")
        )
        field = self.fields["proceeding"]
        field.queryset = proceedings  # type: ignore[attr-defined]
        field.label_from_instance = lambda p: p.erdr_number  # type: ignore[attr-defined]

    def mla_input(self) -> MlaInput:
        d = self.cleaned_data
        return MlaInput(
            direction=d["direction"],
            request_type=d["request_type"],
            country=d["country"],
            central_authority=d["central_authority"],
            proceeding=d["proceeding"],
            partner_agency=d["partner_agency"],
            sent_on=d["sent_on"],
            received_on=d["received_on"],
            due_on=d["due_on"],
            answered_on=d["answered_on"],
        )


class MlaAnswerForm(forms.Form):
    answered_on = _date(_("Answered on"), required=True)

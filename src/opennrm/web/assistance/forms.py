"""Forms for assistance: the provider directory, support plans, services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from opennrm.core import codes
from opennrm.core.codes import code_list
from opennrm.nrm.assistance.models import (
    ANY_CITIZENSHIP,
    FOREIGN_ONLY,
    UKRAINIAN_ONLY,
    ServiceProvider,
    SupportPlan,
)
from opennrm.nrm.assistance.objectives import MAX_OBJECTIVES
from opennrm.nrm.assistance.services import MAX_AGE
from opennrm.nrm.assistance.types import type_choices
from opennrm.tenancy.models import Agency
from opennrm.web.cases.forms import DateInput

CITIZENSHIP_CHOICES = [
    (ANY_CITIZENSHIP, _("Any citizenship")),
    (UKRAINIAN_ONLY, _("Citizens of Ukraine only")),
    (FOREIGN_ONLY, _("Foreigners and stateless persons only")),
]


def _blank(choices: list[tuple[str, Any]]) -> list[tuple[str, Any]]:
    return [("", "—"), *choices]


class ProviderFilterForm(forms.Form):
    type = forms.ChoiceField(label=_("Service"), required=False, choices=[])
    oblast = forms.ChoiceField(label=_("Oblast"), required=False, choices=[])
    case = forms.UUIDField(required=False, widget=forms.HiddenInput)
    eligible = forms.BooleanField(label=_("Only providers that take this person"), required=False)
    free_beds = forms.BooleanField(label=_("Only shelters with free beds"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["type"].choices = _blank(type_choices())  # type: ignore[attr-defined]
        self.fields["oblast"].choices = _blank(  # type: ignore[attr-defined]
            code_list(codes.OBLAST).choices()
        )


class ProviderForm(forms.Form):
    agency: forms.ModelChoiceField[Agency] = forms.ModelChoiceField(
        label=_("Agency"), queryset=Agency.objects.none()
    )
    name = forms.CharField(
        label=_("Site or service name"),
        required=False,
        max_length=200,
        help_text=_("When the agency has several sites, for example “Shelter in Kharkiv”."),
    )
    services = forms.MultipleChoiceField(
        label=_("Services offered"), choices=[], widget=forms.CheckboxSelectMultiple
    )
    oblast = forms.ChoiceField(label=_("Oblast"), choices=[])
    sexes = forms.MultipleChoiceField(
        label=_("Takes persons of gender"),
        choices=[],
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: any gender."),
    )
    min_age = forms.IntegerField(label=_("Minimum age"), required=False, min_value=0)
    max_age = forms.IntegerField(
        label=_("Maximum age"), required=False, min_value=0, max_value=MAX_AGE
    )
    citizenship = forms.ChoiceField(label=_("Citizenship"), choices=CITIZENSHIP_CHOICES)
    beds_total = forms.IntegerField(
        label=_("Beds in total"),
        required=False,
        min_value=0,
        help_text=_("Shelter placement only."),
    )
    beds_free = forms.IntegerField(
        label=_("Beds free now"),
        required=False,
        min_value=0,
        help_text=_("Keep it current: caseworkers choose shelters by it."),
    )
    is_active = forms.BooleanField(label=_("Listed in the directory"), required=False)

    def __init__(self, *args: Any, agencies: QuerySet[Agency], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies  # type: ignore[attr-defined]
        self.fields["services"].choices = type_choices()  # type: ignore[attr-defined]
        self.fields["oblast"].choices = _blank(  # type: ignore[attr-defined]
            code_list(codes.OBLAST).choices()
        )
        self.fields["sexes"].choices = code_list(codes.GENDER).choices()  # type: ignore[attr-defined]


def provider_initial(provider: ServiceProvider) -> dict[str, Any]:
    return {
        "agency": provider.agency_id,
        "name": provider.name,
        "services": provider.services,
        "oblast": provider.oblast,
        "sexes": provider.sexes,
        "min_age": provider.min_age,
        "max_age": provider.max_age,
        "citizenship": provider.citizenship,
        "beds_total": provider.beds_total,
        "beds_free": provider.beds_free,
        "is_active": provider.is_active,
    }


class PlanForm(forms.Form):
    objectives = forms.CharField(
        label=_("Objectives"),
        max_length=MAX_OBJECTIVES,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "Encrypted. Shown only to your agency and to agencies given psycho-social notes."
        ),
    )
    planned_end_date = forms.DateField(
        label=_("Planned end date"), required=False, widget=DateInput()
    )
    actual_end_date = forms.DateField(
        label=_("Actual end date"),
        required=False,
        widget=DateInput(),
        help_text=_("Give it when the plan is completed."),
    )

    def __init__(self, *args: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not editing:
            del self.fields["actual_end_date"]


class _ProviderChoice(forms.Form):
    provider: forms.ModelChoiceField[ServiceProvider] = forms.ModelChoiceField(
        label=_("Provider from the directory"),
        queryset=ServiceProvider.objects.none(),
        required=False,
    )
    provider_agency: forms.ModelChoiceField[Agency] = forms.ModelChoiceField(
        label=_("Or an agency not in the directory"),
        queryset=Agency.objects.none(),
        required=False,
    )

    def __init__(
        self,
        *args: Any,
        providers: QuerySet[ServiceProvider],
        agencies: QuerySet[Agency],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        provider_field = self.fields["provider"]
        provider_field.queryset = providers.select_related("agency")  # type: ignore[attr-defined]
        provider_field.label_from_instance = lambda p: p.display_name  # type: ignore[attr-defined]
        self.fields["provider_agency"].queryset = agencies  # type: ignore[attr-defined]


class ServiceForm(_ProviderChoice):
    type = forms.ChoiceField(label=_("Type of assistance"), choices=[])
    plan: forms.ModelChoiceField[SupportPlan] = forms.ModelChoiceField(
        label=_("Under the support plan"), queryset=SupportPlan.objects.none(), required=False
    )
    planned_on = forms.DateField(label=_("Planned start"), widget=DateInput())
    planned_end_on = forms.DateField(label=_("Planned end"), required=False, widget=DateInput())

    field_order = ["type", "plan", "provider", "provider_agency", "planned_on", "planned_end_on"]

    def __init__(self, *args: Any, plans: QuerySet[SupportPlan], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["type"].choices = _blank(type_choices())  # type: ignore[attr-defined]
        plan_field = self.fields["plan"]
        plan_field.queryset = plans  # type: ignore[attr-defined]
        plan_field.label_from_instance = lambda p: _plan_label(p)  # type: ignore[attr-defined]


def _plan_label(plan: SupportPlan) -> str:
    end = plan.planned_end_date.isoformat() if plan.planned_end_date else "—"
    return f"{plan.created_at.date().isoformat()} → {end}"


class DeliveryForm(_ProviderChoice):
    delivered_from = forms.DateField(label=_("Delivered from"), widget=DateInput())
    delivered_until = forms.DateField(
        label=_("Delivered until"),
        required=False,
        widget=DateInput(),
        help_text=_("Leave empty while it continues (for example a shelter stay)."),
    )

    field_order = ["delivered_from", "delivered_until", "provider", "provider_agency"]

"""HTML forms of the criminal-justice chain.

Field names are the keyword arguments of `justice.services`, so a service's ValidationError
lands on the field it names. Forms that share the proceeding page carry a prefix.
"""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from opennrm.core import codes
from opennrm.core.codes import code_list
from opennrm.justice import workflow as wf
from opennrm.justice.models import Participant, Suspect
from opennrm.justice.suspects import SuspectIdentity
from opennrm.tenancy.models import Agency
from opennrm.web.cases.forms import DateInput
from opennrm.web.forms import year_or_date

PROSECUTORS_OFFICE = "ProsecutorsOffice"
COURT = "Court"
REFERENCE = re.compile(r"^[0-9a-fA-F]{8}$")


def _date(label: Any, *, required: bool = True, today: bool = True) -> forms.DateField:
    return forms.DateField(
        label=label,
        widget=DateInput(),
        required=required,
        initial=timezone.localdate if today and required else None,
    )


def _choice(list_name: str, label: Any, *, required: bool = True) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label, choices=[("", "—"), *code_list(list_name).choices()], required=required
    )


def _some(list_name: str, *values: str) -> list[tuple[str, Any]]:
    """Choices of a code list limited to `values` (labels in the language of the request)."""
    return [("", "—"), *[c for c in code_list(list_name).choices() if c[0] in values]]


def agencies_of_kind(kind: str) -> QuerySet[Agency]:
    return Agency.objects.filter(is_active=True, kind=kind).order_by("name")


class ProceedingFilterForm(forms.Form):
    stage = forms.ChoiceField(
        label=_("Stage"),
        required=False,
        choices=[("", _("any")), *[(s, wf.STATE_LABELS[s]) for s in wf.STATES]],
    )
    article = _choice(codes.CC_ARTICLE, _("Legal qualification"), required=False)
    overdue = forms.BooleanField(label=_("Investigation term overdue"), required=False)


class RegisterProceedingForm(forms.Form):
    erdr_number = forms.CharField(
        label=_("ERDR number"),
        max_length=40,
        help_text=_("17 digits; digits 2-5 are the year of registration."),
    )
    registered_on = _date(_("Date of registration in the ERDR"))
    article = _choice(codes.CC_ARTICLE, _("Legal qualification"))
    prosecution_agency: forms.ModelChoiceField[Agency] = forms.ModelChoiceField(
        label=_("Prosecutor's office"),
        queryset=Agency.objects.none(),
        required=False,
        empty_label="—",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["prosecution_agency"].queryset = agencies_of_kind(PROSECUTORS_OFFICE)  # type: ignore[attr-defined]


class RequalifyForm(forms.Form):
    article = _choice(codes.CC_ARTICLE, _("New legal qualification"))
    since = _date(_("Since"))


class StepForm(forms.Form):
    on = _date(_("Date"))


class CloseForm(StepForm):
    closure_ground = _choice(
        codes.CLOSURE_GROUND, _("Ground for closing (Criminal Procedure Code art. 284)")
    )


class IndictmentForm(StepForm):
    court: forms.ModelChoiceField[Agency] = forms.ModelChoiceField(
        label=_("Court"), queryset=Agency.objects.none(), empty_label="—"
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["court"].queryset = agencies_of_kind(COURT)  # type: ignore[attr-defined]


# The form of each transition of the stage table (a date, and what the step needs besides).
ACTION_FORMS: dict[str, type[StepForm]] = {t.action: StepForm for t in wf.WORKFLOW.transitions} | {
    wf.CLOSE: CloseForm,
    wf.SEND_INDICTMENT: IndictmentForm,
}
# Steps that end the proceeding: the page asks to confirm them.
IRREVERSIBLE = frozenset({wf.CLOSE})


def action_form(action: str, data: Any = None) -> StepForm:
    return ACTION_FORMS[action](data, prefix=action)


TESTIFY_CHOICES = [("", _("not known")), ("true", _("yes")), ("false", _("no"))]


class ParticipantForm(forms.Form):
    case_reference = forms.CharField(
        label=_("Case reference"),
        max_length=36,
        help_text=_(
            "The 8-character reference of a case your agency owns or that was shared with it "
            "for criminal proceedings."
        ),
    )
    role = _choice(codes.PROCEDURAL_ROLE, _("Procedural role"))
    willing_to_testify = forms.TypedChoiceField(
        label=_("Willing to testify"),
        choices=TESTIFY_CHOICES,
        coerce=lambda v: v == "true",
        empty_value=None,
        required=False,
    )
    questioned_on = _date(_("Questioned on"), required=False)
    questioning_mode = _choice(codes.QUESTIONING_MODE, _("Questioned"), required=False)

    def clean_case_reference(self) -> str:
        value: str = self.cleaned_data["case_reference"].strip().replace("-", "")
        if not (REFERENCE.match(value) or re.fullmatch(r"[0-9a-fA-F]{32}", value)):
            raise forms.ValidationError(_("A case reference has 8 characters, 0-9 and A-F."))
        return value.lower()


class SuspectForm(forms.Form):
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
    role = _choice(codes.CRIME_ROLE, _("Role in the crime"))
    gender = forms.ChoiceField(
        label=_("Gender"), choices=code_list(codes.GENDER).choices(), initial="NonSpecifiedUnknown"
    )
    citizenship = _choice(codes.COUNTRY, _("Citizenship"), required=False)

    def clean_birth_date(self) -> str:
        return year_or_date(self.cleaned_data["birth_date"])

    @staticmethod
    def arguments(d: dict[str, Any]) -> dict[str, Any]:
        """The service's keyword arguments from the cleaned data (the identity sealed later)."""
        aliases = [a.strip() for a in d["aliases"].split(",") if a.strip()]
        return {
            "identity": SuspectIdentity(
                first_name=d["first_name"].strip(),
                family_name=d["family_name"].strip(),
                middle_name=d["middle_name"].strip(),
                birth_date=d["birth_date"],
                aliases=aliases,
            ),
            "role": d["role"],
            "gender": d["gender"],
            "citizenship": d["citizenship"],
        }


class HearingForm(forms.Form):
    on = _date(_("Date of the hearing"), today=False)


class HearingOutcomeForm(forms.Form):
    outcome = _choice(codes.HEARING_OUTCOME, _("Outcome"))


class JudgmentForm(forms.Form):
    suspect: forms.ModelChoiceField[Suspect] = forms.ModelChoiceField(
        label=_("Accused"), queryset=Suspect.objects.none(), empty_label="—"
    )
    decided_on = _date(_("Date of the judgment"))
    verdict = _choice(codes.VERDICT, _("Verdict"))
    sentence_type = _choice(codes.SENTENCE_TYPE, _("Sentence"), required=False)
    sentence_months = forms.IntegerField(
        label=_("Term (months)"), min_value=1, max_value=1200, required=False
    )
    confiscation = forms.BooleanField(label=_("Confiscation of property"), required=False)

    def __init__(
        self, *args: Any, suspects: QuerySet[Suspect], labels: dict[Any, str], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["suspect"]
        field.queryset = suspects  # type: ignore[attr-defined]
        field.label_from_instance = lambda s: labels.get(s.id, str(s))  # type: ignore[attr-defined]


class ParticipantChoiceForm(forms.Form):
    participant: forms.ModelChoiceField[Participant] = forms.ModelChoiceField(
        label=_("Participant"), queryset=Participant.objects.none(), empty_label="—"
    )

    def __init__(
        self,
        *args: Any,
        participants: QuerySet[Participant],
        labels: dict[Any, str],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["participant"]
        field.queryset = participants  # type: ignore[attr-defined]
        field.label_from_instance = lambda p: labels.get(p.id, str(p))  # type: ignore[attr-defined]


class ProtectionRequestForm(ParticipantChoiceForm):
    measure = _choice(codes.PROTECTION_MEASURE, _("Measure"))
    requested_on = _date(_("Requested on"))


class ProtectionDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=_some(codes.PROTECTION_DECISION, "Granted", "Refused"),
    )
    decided_on = _date(_("Decided on"))
    valid_from = _date(_("From"), required=False)
    valid_until = _date(_("Until"), required=False)


class CompensationForm(ParticipantChoiceForm):
    route = _choice(codes.COMPENSATION_ROUTE, _("Route"))
    claimed_uah = forms.DecimalField(
        label=_("Claimed (UAH)"), max_digits=12, decimal_places=2, min_value=0
    )
    awarded_uah = forms.DecimalField(
        label=_("Awarded (UAH)"), max_digits=12, decimal_places=2, required=False
    )
    paid_uah = forms.DecimalField(
        label=_("Paid (UAH)"), max_digits=12, decimal_places=2, required=False
    )


class NonPunishmentForm(ParticipantChoiceForm):
    liability = _choice(codes.LIABILITY_KIND, _("Kind of liability"))
    requested_on = _date(_("Request filed on"))


class NonPunishmentDecisionForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        choices=_some(codes.NON_PUNISHMENT_OUTCOME, "Released", "Refused"),
    )
    decided_on = _date(_("Decided on"))

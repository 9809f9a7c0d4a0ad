"""HTML forms of the status procedure, the one-time payment and the reflection period.

Field names are the keyword arguments of the services, so a service's ValidationError lands
on the field it names. Action forms carry the action as prefix: several share one page.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from opennrm.nrm.status import codes
from opennrm.nrm.status import workflow as wf
from opennrm.tenancy.models import Agency
from opennrm.web.cases.forms import DateInput


def _date(label: Any, *, today: bool = True, required: bool = True) -> forms.DateField:
    return forms.DateField(
        label=label,
        widget=DateInput(),
        required=required,
        initial=timezone.localdate if today else None,
    )


def _choice(values: codes.StatusCodes, label: Any) -> forms.ChoiceField:
    return forms.ChoiceField(label=label, choices=[("", "—"), *values.choices()])


def _documents() -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label=_("Documents received"),
        choices=codes.DOCUMENTS.choices(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "The application and a copy of an identity document are part of every file; "
            "mark what the person brought."
        ),
    )


class RegisterApplicationForm(forms.Form):
    journal_number = forms.CharField(label=_("Journal number"), max_length=40)
    applied_on = _date(_("Date of the application"))
    applicant = forms.ChoiceField(
        label=_("Who applies"), choices=codes.APPLICANT.choices(), initial="Self"
    )
    interpreter = forms.BooleanField(label=_("With an interpreter"), required=False)
    documents = _documents()


class DocumentsForm(forms.Form):
    documents = _documents()


class InterviewForm(forms.Form):
    interviewed_on = _date(_("Date of the interview"))
    consent_recorded = forms.BooleanField(
        label=_("The person's consent was recorded first in the questionnaire"),
        required=False,
    )
    nondisclosure_signed = forms.BooleanField(
        label=_("I signed the non-disclosure undertaking"), required=False
    )


class WaiverForm(forms.Form):
    waived_on = _date(_("Date"))
    reason = _choice(codes.WAIVER_REASON, _("Why no interview"))


class ForwardForm(forms.Form):
    to_agency: forms.ModelChoiceField[Agency] = forms.ModelChoiceField(
        label=_("Forward to"), queryset=Agency.objects.none(), empty_label="—"
    )
    forwarded_on = _date(_("Date forwarded"))

    def __init__(self, *args: Any, agencies: QuerySet[Agency], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["to_agency"].queryset = agencies  # type: ignore[attr-defined]


class GrantForm(forms.Form):
    decided_on = _date(_("Date of the decision"))
    certificate_number = forms.CharField(label=_("Certificate number"), max_length=40)
    certificate_issued_on = _date(_("Certificate issued on"))
    certificate_valid_until = _date(_("Certificate valid until"), today=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["certificate_valid_until"].help_text = _("At most two years after issue.")


class RefuseForm(forms.Form):
    decided_on = _date(_("Date of the decision"))
    reason = _choice(codes.REFUSAL_REASON, _("Reason"))


class ReturnForm(forms.Form):
    decided_on = _date(_("Date of the decision"))
    reason = _choice(codes.RETURN_REASON, _("What is missing"))


class ExtendForm(forms.Form):
    extended_on = _date(_("Date of the extension"))
    valid_until = _date(_("New validity until"), today=False)


class RevokeForm(forms.Form):
    revoked_on = _date(_("Date of revocation"))
    reason = _choice(codes.REVOCATION_REASON, _("Ground"))


class AppealForm(forms.Form):
    appealed_on = _date(_("Date the appeal was lodged"))


class CourtOutcomeForm(forms.Form):
    court_decided_on = _date(_("Date of the court's decision"))


class WithdrawForm(forms.Form):
    withdrawn_on = _date(_("Date withdrawn"))


class ClaimPaymentForm(forms.Form):
    claimed_on = _date(_("Date of the claim"))
    category = forms.ChoiceField(
        label=_("The person's category"),
        choices=[("", "—"), *codes.PAYMENT_CATEGORY.choices()],
        help_text=_("The amount is a number of subsistence minimums for this category."),
    )


class PayForm(forms.Form):
    paid_on = _date(_("Date paid"))


class ReflectionPeriodForm(forms.Form):
    starts_on = _date(_("Starts on"))
    days = forms.IntegerField(
        label=_("Length in days"),
        initial=30,
        min_value=1,
        max_value=365,
        help_text=_("At least 30 days (Council of Europe Convention, art. 13)."),
    )


class EndReflectionPeriodForm(forms.Form):
    ended_on = _date(_("Ended on"))
    reason = _choice(codes.REFLECTION_END_REASON, _("Reason"))


# The form of each transition of the table.
ACTION_FORMS: dict[str, type[forms.Form]] = {
    wf.RECORD_INTERVIEW: InterviewForm,
    wf.WAIVE_INTERVIEW: WaiverForm,
    wf.FORWARD_TO_OBLAST: ForwardForm,
    wf.FORWARD_TO_NATIONAL: ForwardForm,
    wf.GRANT: GrantForm,
    wf.REFUSE: RefuseForm,
    wf.RETURN_INCOMPLETE: ReturnForm,
    wf.EXTEND: ExtendForm,
    wf.REVOKE: RevokeForm,
    wf.LODGE_APPEAL: AppealForm,
    wf.COURT_ANNULS_REFUSAL: CourtOutcomeForm,
    wf.COURT_UPHOLDS_REFUSAL: CourtOutcomeForm,
    wf.WITHDRAW: WithdrawForm,
}
FORWARD_LEVEL = {wf.FORWARD_TO_OBLAST: wf.OBLAST, wf.FORWARD_TO_NATIONAL: wf.NATIONAL}


def action_form(action: str, data: Any = None, *, oblast: str | None = None) -> forms.Form:
    """The form of a transition; a forward to the oblast level offers the administrations of
    `oblast` only (the receiving office's own; the service refuses any other)."""
    form_class = ACTION_FORMS[action]
    if action in FORWARD_LEVEL:
        agencies = Agency.objects.filter(
            is_active=True, kind__in=wf.agency_kinds(FORWARD_LEVEL[action])
        )
        if action == wf.FORWARD_TO_OBLAST and oblast is not None:
            agencies = agencies.filter(oblast=oblast)
        return ForwardForm(data, prefix=action, agencies=agencies)
    return form_class(data, prefix=action)

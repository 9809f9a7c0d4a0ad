"""HTML forms: parse and validate input, then hand typed inputs to the services."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from opennrm.cases.models import Case
from opennrm.cases.queries import OPEN, CaseFilters
from opennrm.cases.services import (
    BIRTH_DATE_MESSAGES,
    CaseInput,
    EventInput,
    PersonInput,
    birth_date_parse_error,
)
from opennrm.cases.workflow import CASE as CASE_WORKFLOW
from opennrm.core import codes
from opennrm.core.ages import PartialDate, birth_date_problem
from opennrm.core.codes import code_list
from opennrm.people.identity import Identity, IdentityDocument
from opennrm.tenancy.models import Agency


def _blank(choices: list[tuple[str, Any]]) -> list[tuple[str, Any]]:
    return [("", "—"), *choices]


def _multi(list_name: str, label: Any) -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label=label,
        choices=code_list(list_name).choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


class FilterableCheckboxes(forms.CheckboxSelectMultiple):
    """A long list of checkboxes in a scrolling box with a filter field (`_field.html`,
    static/opennrm/choice-filter.js); without JavaScript, the whole list."""

    filterable = True


class DateInput(forms.DateInput):
    """A native date picker: the browser shows the date in its own language and sends ISO
    (yyyy-mm-dd) whatever it shows, so the value is rendered in ISO too."""

    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class CaseFilterForm(forms.Form):
    q = forms.CharField(label=_("Name"), required=False, max_length=200)
    status = forms.ChoiceField(
        label=_("Case status"),
        required=False,
        choices=lambda: _blank(
            [(OPEN, _("Open (active or follow-up)")), *code_list(codes.CASE_STATUS).choices()]
        ),
    )
    mine = forms.BooleanField(label=_("Only my cases"), required=False)
    exploitation = forms.ChoiceField(
        label=_("Form of exploitation"),
        required=False,
        choices=lambda: _blank(code_list(codes.EXPLOITATION).choices()),
    )
    oblast = forms.ChoiceField(
        label=_("Oblast of identification"),
        required=False,
        choices=lambda: _blank(code_list(codes.OBLAST).choices()),
    )
    identified_from = forms.DateField(
        label=_("Identified from"), required=False, widget=DateInput()
    )
    identified_to = forms.DateField(label=_("Identified to"), required=False, widget=DateInput())

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("identified_from"), data.get("identified_to")
        if start and end and end < start:
            self.add_error("identified_to", _("The end date is before the start date."))
        return data

    def filters(self, me: Any = None) -> CaseFilters:
        """The filters; "only my cases" means the cases whose caseworker is `me`."""
        data = self.cleaned_data if self.is_valid() else {}
        return CaseFilters(
            caseworker_id=me if data.get("mine") and me is not None else None,
            q=data.get("q", ""),
            status=data.get("status", ""),
            exploitation=data.get("exploitation", ""),
            oblast=data.get("oblast", ""),
            identified_from=data.get("identified_from"),
            identified_to=data.get("identified_to"),
        )


class PartialDateField(forms.Field):
    """A birth date that may be year-only: `DD.MM.YYYY`, `YYYY-MM-DD`, `MM.YYYY`, `YYYY-MM` or
    `YYYY`; never in the future nor before 1900 (the service says so too, with the date of
    identification)."""

    widget = forms.TextInput(attrs={"inputmode": "numeric", "maxlength": "10"})

    def to_python(self, value: Any) -> PartialDate:
        text = str(value or "").strip()
        try:
            birth = PartialDate.parse(text)
        except ValueError as exc:
            raise forms.ValidationError(birth_date_parse_error(exc), code="invalid") from None
        problem = birth_date_problem(birth, today=timezone.localdate())
        if problem:
            raise forms.ValidationError(str(BIRTH_DATE_MESSAGES[problem]), code=problem)
        return birth

    def prepare_value(self, value: Any) -> Any:
        return value.isoformat() if isinstance(value, PartialDate) else value


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.replace(",", "\n").splitlines() if line.strip()]


class PersonCaseForm(forms.Form):
    """Register or edit a person with their case (one identification)."""

    # Person.
    family_name = forms.CharField(label=_("Family name"), required=False, max_length=100)
    first_name = forms.CharField(label=_("First name"), required=False, max_length=100)
    middle_name = forms.CharField(
        label=_("Patronymic or middle name"), required=False, max_length=100
    )
    aliases = forms.CharField(
        label=_("Other names or spellings"),
        required=False,
        max_length=500,
        help_text=_("One per line."),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    birth_date = PartialDateField(
        label=_("Date of birth"),
        required=False,
        help_text=_("DD.MM.YYYY or YYYY-MM-DD, or only the year."),
    )
    gender = forms.ChoiceField(
        label=_("Gender"), choices=code_list(codes.GENDER).choices, initial="NonSpecifiedUnknown"
    )
    citizenships = forms.MultipleChoiceField(
        label=_("Citizenship"),
        required=False,
        choices=code_list(codes.COUNTRY).choices,
        widget=FilterableCheckboxes,
        initial=["UA"],
        help_text=_("Tick every citizenship the person holds. Type a country's name to find it."),
    )
    document_type = forms.ChoiceField(
        label=_("Identity document"),
        required=False,
        choices=lambda: _blank(code_list(codes.DOCUMENT_TYPE).choices()),
    )
    document_number = forms.CharField(label=_("Document number"), required=False, max_length=40)
    rnokpp = forms.CharField(label=_("RNOKPP (tax number)"), required=False, max_length=10)
    phones = forms.CharField(
        label=_("Phones"),
        required=False,
        max_length=200,
        help_text=_("One per line."),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    place_of_stay = forms.CharField(label=_("Place of stay"), required=False, max_length=300)
    is_idp = forms.BooleanField(label=_("Internally displaced person"), required=False)
    origin_oblast = forms.ChoiceField(
        label=_("Oblast of origin"),
        required=False,
        choices=lambda: _blank(code_list(codes.OBLAST).choices()),
    )
    origin_detail = forms.CharField(
        label=_("Territory of origin (hromada, settlement)"), required=False, max_length=300
    )

    # Identification.
    identified_on = forms.DateField(label=_("Date of identification"), widget=DateInput())
    identification_country = forms.ChoiceField(
        label=_("Country of identification"),
        choices=code_list(codes.COUNTRY).choices,
        initial="UA",
    )
    identification_oblast = forms.ChoiceField(
        label=_("Oblast of identification"),
        required=False,
        choices=lambda: _blank(code_list(codes.OBLAST).choices()),
    )
    channel = forms.ChoiceField(
        label=_("Channel of identification"),
        choices=lambda: _blank(code_list(codes.CHANNEL).choices()),
    )

    # Victim context.
    trafficking_status = forms.ChoiceField(
        label=_("Trafficking status"),
        choices=code_list(codes.TRAFFICKING_STATUS).choices,
        initial="PossibleVictimOfTrafficking",
    )
    status_decision_org = forms.ChoiceField(
        label=_("Organisation that decided the trafficking status"),
        required=False,
        choices=lambda: _blank(code_list(codes.STATUS_DECISION_ORG).choices()),
    )
    # One list: the forms of the law of Ukraine. The HTCDS types follow from them
    # (`cases.services._derived_htcds_types`); an HTCDS type no form gives (a case imported
    # with "child labour") is carried through an edit unseen, never dropped.
    ua_exploitation = forms.MultipleChoiceField(
        label=_("Forms of exploitation"),
        choices=code_list(codes.UA_EXPLOITATION).choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "As the law of Ukraine names them. The HTCDS types of exploitation are derived "
            "from these."
        ),
    )
    exploitation = forms.MultipleChoiceField(
        label=_("Types of exploitation (HTCDS)"),
        choices=code_list(codes.EXPLOITATION).choices,
        required=False,
        widget=forms.MultipleHiddenInput,
    )
    labour_industry = _multi(codes.LABOUR_INDUSTRY, _("Forced-labour industry"))
    sex_exploitation = _multi(codes.SEX_EXPLOITATION, _("Type of sexual exploitation"))
    recruitment = _multi(codes.RECRUITMENT, _("Method of recruitment"))
    control = _multi(codes.CONTROL, _("Methods of control"))
    relationship_to_recruiter = forms.ChoiceField(
        label=_("Relationship to the recruiter"),
        required=False,
        choices=lambda: _blank(code_list(codes.RELATIONSHIP).choices()),
    )

    MULTI_FIELDS = {
        "ua_exploitation": codes.UA_EXPLOITATION,
        "exploitation": codes.EXPLOITATION,
        "labour_industry": codes.LABOUR_INDUSTRY,
        "sex_exploitation": codes.SEX_EXPLOITATION,
        "recruitment": codes.RECRUITMENT,
        "control": codes.CONTROL,
    }
    # A service's error key -> this form's field (code lists by name, documents by type).
    SERVICE_RENAMES = {
        **{list_name: name for name, list_name in MULTI_FIELDS.items()},
        "documents": "document_type",
    }

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not any(data.get(name) for name in ("family_name", "first_name", "aliases")):
            self.add_error(
                "family_name", _("Give at least a first name, a family name or an alias.")
            )
        if not (data.get("ua_exploitation") or data.get("exploitation")):
            self.add_error("ua_exploitation", _("Choose at least one form of exploitation."))
        if bool(data.get("document_type")) != bool(data.get("document_number")):
            self.add_error("document_number", _("Give both the document type and its number."))
        return data

    def person_input(self) -> PersonInput:
        d = self.cleaned_data
        documents = (
            [IdentityDocument(d["document_type"], d["document_number"].strip())]
            if d.get("document_type")
            else []
        )
        return PersonInput(
            identity=Identity(
                first_name=d["first_name"].strip(),
                middle_name=d["middle_name"].strip(),
                family_name=d["family_name"].strip(),
                aliases=_lines(d["aliases"]),
                birth_date=d["birth_date"],
                documents=documents,
                rnokpp=d["rnokpp"].strip(),
                phones=_lines(d["phones"]),
                place_of_stay=d["place_of_stay"].strip(),
                origin_detail=d["origin_detail"].strip(),
            ),
            gender=d["gender"],
            citizenships=list(d["citizenships"]),
            is_idp=d["is_idp"],
            origin_oblast=d["origin_oblast"],
        )

    def case_input(self, events: list[EventInput]) -> CaseInput:
        d = self.cleaned_data
        return CaseInput(
            identified_on=d["identified_on"],
            identification_country=d["identification_country"],
            identification_oblast=d["identification_oblast"],
            channel=d["channel"],
            trafficking_status=d["trafficking_status"],
            status_decision_org=d["status_decision_org"],
            relationship_to_recruiter=d["relationship_to_recruiter"],
            multi={list_name: list(d[name]) for name, list_name in self.MULTI_FIELDS.items()},
            events=events,
        )

    @classmethod
    def initial_for(cls, case: Case, identity: Identity) -> dict[str, Any]:
        person = case.person
        doc = identity.documents[0] if identity.documents else None
        initial: dict[str, Any] = {
            "family_name": identity.family_name,
            "first_name": identity.first_name,
            "middle_name": identity.middle_name,
            "aliases": "\n".join(identity.aliases),
            "birth_date": identity.birth_date.isoformat(),
            "gender": person.gender,
            "citizenships": person.citizenships,
            "document_type": doc.type if doc else "",
            "document_number": doc.number if doc else "",
            "rnokpp": identity.rnokpp,
            "phones": "\n".join(identity.phones),
            "place_of_stay": identity.place_of_stay,
            "is_idp": person.is_idp,
            "origin_oblast": person.origin_oblast,
            "origin_detail": identity.origin_detail,
            "identified_on": case.identified_on,
            "identification_country": case.identification_country,
            "identification_oblast": case.identification_oblast,
            "channel": case.channel,
            "trafficking_status": case.trafficking_status,
            "status_decision_org": case.status_decision_org,
            "relationship_to_recruiter": case.relationship_to_recruiter,
        }
        for name, list_name in cls.MULTI_FIELDS.items():
            initial[name] = case.codes_of(list_name)
        forms_of_law = code_list(codes.UA_EXPLOITATION)
        derived = {
            forms_of_law.get(form).htcds_equivalent
            for form in initial["ua_exploitation"]
            if form in forms_of_law
        }
        initial["exploitation"] = [c for c in initial["exploitation"] if c not in derived]
        return initial


class EventForm(forms.Form):
    type = forms.ChoiceField(
        label=_("Stage"),
        required=False,
        choices=lambda: _blank(code_list(codes.EVENT_TYPE).choices()),
    )
    country = forms.ChoiceField(
        label=_("Country"),
        required=False,
        choices=lambda: _blank(code_list(codes.COUNTRY).choices()),
    )
    oblast = forms.ChoiceField(
        label=_("Oblast"), required=False, choices=lambda: _blank(code_list(codes.OBLAST).choices())
    )
    started_on = forms.DateField(label=_("From"), required=False, widget=DateInput())
    ended_on = forms.DateField(label=_("To"), required=False, widget=DateInput())

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if any(data.get(k) for k in ("oblast", "started_on", "ended_on")) or bool(
            data.get("type")
        ) != bool(data.get("country")):
            if not data.get("type"):
                self.add_error("type", _("This field is required."))
            if not data.get("country"):
                self.add_error("country", _("This field is required."))
        start, end = data.get("started_on"), data.get("ended_on")
        if start and end and end < start:
            self.add_error("ended_on", _("The end date is before the start date."))
        return data

    def event_input(self) -> EventInput | None:
        d = self.cleaned_data
        if not d.get("type"):
            return None
        return EventInput(
            d["type"], d["country"], d.get("oblast", ""), d.get("started_on"), d.get("ended_on")
        )


def event_formset(data: Any = None, *, case: Case | None = None) -> Any:
    initial = []
    if case is not None:
        initial = [
            {
                "type": e.type,
                "country": e.country,
                "oblast": e.oblast,
                "started_on": e.started_on,
                "ended_on": e.ended_on,
            }
            for e in case.events.all()
        ]
    rows = len(initial) + (3 if not initial else 1)
    formset_class = forms.formset_factory(
        EventForm, extra=rows - len(initial), max_num=12, absolute_max=12
    )
    return formset_class(data, initial=initial, prefix="events")


class ConsentForm(forms.Form):
    legal_basis = forms.ChoiceField(
        label=_("Legal basis"), choices=code_list(codes.LEGAL_BASIS).choices, initial="Consent"
    )
    purposes = _multi(codes.PURPOSE, _("Purposes"))
    data_categories = _multi(codes.DATA_CATEGORY, _("Data categories"))
    recipient: forms.ModelChoiceField[Agency] = forms.ModelChoiceField(
        label=_("Recipient agency"),
        queryset=Agency.objects.none(),
        required=False,
        empty_label=_("Any NRM partner"),
    )
    given_on = forms.DateField(label=_("Given on"), widget=DateInput(), initial=dt.date.today)
    given_by = forms.ChoiceField(
        label=_("Consent given by"),
        required=False,
        choices=lambda: code_list(codes.CONSENT_GIVER).choices(),
        initial="Person",
        help_text=_(
            "For a child (under 18), the legal representative or the guardianship authority "
            "gives the consent. Not asked for other legal bases."
        ),
    )
    representative_role = forms.ChoiceField(
        label=_("Role of the legal representative"),
        required=False,
        choices=lambda: _blank(code_list(codes.REPRESENTATIVE_ROLE).choices()),
        help_text=_("Only when a legal representative gave the consent."),
    )
    signed_form = forms.FileField(
        label=_("Signed consent form"),
        required=False,
        help_text=_(
            "The scan or photo of the signed form: PDF, JPEG or PNG. Kept encrypted, seen by "
            "your agency only."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,image/jpeg,image/png"}),
    )

    def __init__(self, *args: Any, agencies: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["recipient"].queryset = agencies  # type: ignore[attr-defined]


class CaseStatusForm(forms.Form):
    """Move the case through its process: the action and, to close, the reason."""

    action = forms.ChoiceField(choices=[(t.action, t.label) for t in CASE_WORKFLOW.transitions])
    closure_reason = forms.ChoiceField(
        label=_("Reason for closure"),
        required=False,
        choices=lambda: _blank(code_list(codes.CLOSURE_REASON).choices()),
    )

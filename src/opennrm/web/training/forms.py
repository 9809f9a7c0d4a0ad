"""HTML forms of capacity building.

Field names are those of `training.services` (its inputs and keyword arguments), so a service's
ValidationError lands on the field it names. Choices come from the code lists; the services
check them again.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from opennrm.core import codes
from opennrm.core.codes import code_list
from opennrm.tenancy.models import Agency
from opennrm.training.models import Training
from opennrm.training.services import (
    EquipmentInput,
    TrainingInput,
    training_days,
)
from opennrm.web.cases.forms import DateInput


def _choice(list_name: str, label: Any, *, required: bool = True) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label, choices=[("", "—"), *code_list(list_name).choices()], required=required
    )


def _score(label: Any) -> forms.IntegerField:
    return forms.IntegerField(label=label, required=False, min_value=0, max_value=100)


class TrainingForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    format = _choice(codes.TRAINING_FORMAT, _("Format"))
    topics = forms.MultipleChoiceField(
        label=_("Curriculum topics"), choices=[], widget=forms.CheckboxSelectMultiple
    )
    starts_on = forms.DateField(label=_("First day"), widget=DateInput())
    ends_on = forms.DateField(label=_("Last day"), widget=DateInput())
    venue_city = forms.CharField(label=_("City"), max_length=100)
    venue_oblast = _choice("oblast", _("Oblast"))
    trainers = forms.CharField(
        label=_("Trainers"),
        max_length=500,
        required=False,
        help_text=_("Their names as the agenda gives them, separated by commas."),
    )
    funder = forms.CharField(label=_("Funder"), max_length=200, required=False)
    project_code = forms.CharField(label=_("Project code"), max_length=64, required=False)
    target_groups = forms.MultipleChoiceField(
        label=_("Target groups"),
        choices=[],
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    planned_participants = forms.IntegerField(
        label=_("Planned participants"), min_value=0, initial=0
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        topics = self.fields["topics"]
        assert isinstance(topics, forms.MultipleChoiceField)
        topics.choices = code_list(codes.TRAINING_TOPIC).choices()
        groups = self.fields["target_groups"]
        assert isinstance(groups, forms.MultipleChoiceField)
        groups.choices = code_list(codes.PROFESSION).choices()

    @staticmethod
    def initial_of(training: Training) -> dict[str, Any]:
        names = TrainingInput.__dataclass_fields__
        return {name: getattr(training, name) for name in names}

    def to_input(self) -> TrainingInput:
        return TrainingInput(**self.cleaned_data)


class ResultsForm(forms.Form):
    """Attendance by day, the pre- and post-test scores and the feedback of one participant."""

    days_attended = forms.MultipleChoiceField(
        label=_("Days attended"), choices=[], required=False, widget=forms.CheckboxSelectMultiple
    )
    pre_score = _score(_("Pre-test score (0-100)"))
    post_score = _score(_("Post-test score (0-100)"))
    feedback_rating = forms.IntegerField(
        label=_("Feedback (1-5)"), required=False, min_value=1, max_value=5
    )

    def __init__(self, *args: Any, training: Training, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        days = self.fields["days_attended"]
        assert isinstance(days, forms.MultipleChoiceField)
        days.choices = [
            (day.isoformat(), formats.date_format(day, "D, d.m.Y"))
            for day in training_days(training)
        ]

    def days(self) -> list[dt.date]:
        return [dt.date.fromisoformat(day) for day in self.cleaned_data["days_attended"]]


class RevokeForm(forms.Form):
    reason = _choice(codes.CERTIFICATE_REVOCATION, _("Reason"))


class FileForm(forms.Form):
    prefix = "attach"  # beside the participant import's file field on the training page
    kind = forms.ChoiceField(label=_("Kind"), choices=[])
    file = forms.FileField(label=_("PDF file"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        kind = self.fields["kind"]
        assert isinstance(kind, forms.ChoiceField)
        kind.choices = [
            c for c in code_list(codes.TRAINING_FILE_KIND).choices() if c[0] != "Handover"
        ]
        self.fields["file"].widget.attrs["accept"] = ".pdf,application/pdf"


class EquipmentForm(forms.Form):
    item = forms.CharField(
        label=_("Item or assistance"),
        max_length=200,
        help_text=_("E.g. laptops, a video-recording kit for interviews, database licences."),
    )
    recipient: forms.ModelChoiceField[Agency] = forms.ModelChoiceField(
        label=_("Recipient agency"), queryset=Agency.objects.none(), empty_label="—"
    )
    quantity = forms.IntegerField(label=_("Quantity"), min_value=1, initial=1)
    value = forms.DecimalField(label=_("Cost"), min_value=0, max_digits=12, decimal_places=2)
    currency = _choice(codes.CURRENCY, _("Currency"))
    given_on = forms.DateField(label=_("Date of handover"), widget=DateInput())
    funder = forms.CharField(label=_("Funder"), max_length=200, required=False)
    project_code = forms.CharField(label=_("Project code"), max_length=64, required=False)
    document = forms.FileField(
        label=_("Handover document (PDF)"),
        required=False,
        help_text=_("The signed act of acceptance and transfer, if you have it."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        recipient = self.fields["recipient"]
        assert isinstance(recipient, forms.ModelChoiceField)
        recipient.queryset = Agency.objects.filter(is_active=True).order_by("name")
        self.fields["document"].widget.attrs["accept"] = ".pdf,application/pdf"
        if not self.is_bound:
            self.fields["currency"].initial = "UAH"

    def to_input(self) -> EquipmentInput:
        d = self.cleaned_data
        return EquipmentInput(
            item=d["item"],
            recipient=d["recipient"],
            quantity=d["quantity"],
            value=d["value"],
            currency=d["currency"],
            given_on=d["given_on"],
            funder=d["funder"],
            project_code=d["project_code"],
        )


class ReportForm(forms.Form):
    """The donor report's filters: the period, a project, a funder, months or quarters."""

    start = forms.DateField(label=_("From"), widget=DateInput())
    end = forms.DateField(label=_("To"), widget=DateInput())
    project_code = forms.ChoiceField(label=_("Project"), choices=[], required=False)
    funder = forms.ChoiceField(label=_("Funder"), choices=[], required=False)
    by = forms.ChoiceField(
        label=_("Rows by"),
        choices=[("month", _("month")), ("quarter", _("quarter"))],
        initial="month",
        required=False,
    )

    def __init__(self, *args: Any, projects: list[str], funders: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        project = self.fields["project_code"]
        assert isinstance(project, forms.ChoiceField)
        project.choices = [("", _("all projects")), *[(p, p) for p in projects]]
        funder = self.fields["funder"]
        assert isinstance(funder, forms.ChoiceField)
        funder.choices = [("", _("all funders")), *[(f, f) for f in funders]]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", _("The period must not end before it starts."))
        return data

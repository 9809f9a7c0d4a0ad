"""Forms of the linkage pages: queue filters, a run, a review decision."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from opennrm.linkage.models import CandidatePair, LinkageRun

SHOW_CHOICES = [
    ("", _("Possible matches to review")),
    ("automatic", _("Undecided pairs at or above the match threshold")),
    ("held_apart", _("Matches the count holds apart")),
    (CandidatePair.Decision.UNSURE, _("Unsure")),
    (CandidatePair.Decision.SAME, _("Decided: same person")),
    (CandidatePair.Decision.DIFFERENT, _("Decided: different persons")),
]


class QueueFilterForm(forms.Form):
    show = forms.ChoiceField(label=_("Show"), required=False, choices=SHOW_CHOICES)
    min_probability = forms.IntegerField(
        label=_("Match probability from (%)"), required=False, min_value=0, max_value=100
    )
    max_probability = forms.IntegerField(
        label=_("Match probability to (%)"), required=False, min_value=0, max_value=100
    )

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        low, high = data.get("min_probability"), data.get("max_probability")
        if low is not None and high is not None and low > high:
            self.add_error("max_probability", _("Must not be below the lower bound."))
        return data


class RunForm(forms.Form):
    kind = forms.ChoiceField(label=_("Run over"), choices=LinkageRun.Kind.choices)


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[
            (CandidatePair.Decision.SAME, _("Same person")),
            (CandidatePair.Decision.DIFFERENT, _("Different persons")),
            (CandidatePair.Decision.UNSURE, _("Unsure")),
        ]
    )

"""Forms of case work: a note, an attachment. The categories offered are those the gate lets
the user write (access/casework.py); field names are the services' keyword arguments."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from opennrm.core.codes import DATA_CATEGORY, code_list
from opennrm.web.cases.forms import DateInput

OWNER_ONLY_LABEL = _("Owner agency only (signed consent form)")


def category_choices(categories: list[str]) -> list[tuple[str, str]]:
    labels = code_list(DATA_CATEGORY)
    return [(c, str(labels.label(c))) for c in categories]


ABOUT_CHOICES = [
    ("Case", _("The case")),
    ("Contact", _("A contact with the person")),
    ("Service", _("A service delivered")),
]


class NoteForm(forms.Form):
    about = forms.ChoiceField(label=_("About"), choices=ABOUT_CHOICES, initial="Case")
    contact_on = forms.DateField(
        label=_("Date of the contact"),
        widget=DateInput(),
        required=False,
        help_text=_("Only for a note on a contact."),
    )
    service_id = forms.ChoiceField(
        label=_("Service"), required=False, help_text=_("Only for a note on a service.")
    )
    category = forms.ChoiceField(
        label=_("Data category"),
        help_text=_("Who may read the note: only those the case is shared with for this category."),
    )
    text = forms.CharField(
        label=_("Text of the note"), widget=forms.Textarea(attrs={"rows": 5}), max_length=8000
    )

    def __init__(
        self, *args: Any, categories: list[str], services: list[tuple[str, str]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = category_choices(categories)  # type: ignore[attr-defined]
        self.fields["service_id"].choices = [("", "—"), *services]  # type: ignore[attr-defined]


class AttachmentForm(forms.Form):
    title = forms.CharField(
        label=_("Description"),
        max_length=200,
        help_text=_("What the document is, e.g. “passport copy”. Stored encrypted."),
    )
    category = forms.ChoiceField(label=_("Data category"))
    consent = forms.ChoiceField(
        label=_("Signed form of the consent"),
        required=False,
        help_text=_("Choose the consent when this is its signed form (seen by your agency only)."),
    )
    file = forms.FileField(
        label=_("File"),
        help_text=_("PDF, JPEG or PNG. Images are stored without their metadata (place, camera)."),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,image/jpeg,image/png"}),
    )

    def __init__(
        self, *args: Any, categories: list[str], consents: list[tuple[str, str]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = category_choices(categories)  # type: ignore[attr-defined]
        if consents:
            self.fields["consent"].choices = [("", "—"), *consents]  # type: ignore[attr-defined]
        else:
            del self.fields["consent"]

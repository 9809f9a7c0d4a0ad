"""HTML forms of operations (the persons typed one per line, or a CSV/XLSX list), stops at the
border and incidents. Field names are the services' (`kind`, `held_on`, `persons`...), so a
service's ValidationError lands next to its field."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as gettext_now
from django.utils.translation import gettext_lazy as _

from opennrm.borders import services
from opennrm.core import codes
from opennrm.core.codes import code_list
from opennrm.web.cases.forms import DateInput

SEPARATOR = re.compile(r"\s*[;,\t]\s*")


def _choice(list_name: str, label: Any, *, required: bool = True) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label, choices=[("", "—"), *code_list(list_name).choices()], required=required
    )


def _date(label: Any) -> forms.DateField:
    return forms.DateField(label=label, widget=DateInput(), initial=timezone.localdate)


def parse_line(line: str) -> tuple[services.MinimalPerson, list[str]]:
    """One person written as `name; sex; age; citizenship; language` (a comma or a tab does as
    well as `;`); a description in brackets instead of a name: `(woman in a red coat); F; 30`.
    Returns the person and what cannot be read (never quoting the line)."""
    cells = SEPARATOR.split(line.strip())
    cells += [""] * (5 - len(cells))
    name, sex_text, age_text, citizenship, language = cells[:5]
    problems: list[str] = []
    if len(cells) > 5 and any(cells[5:]):
        problems.append(gettext_now("more than five columns"))
    description = ""
    if name.startswith("(") and name.endswith(")"):
        name, description = "", name[1:-1].strip()
    sex = services.SEX_WORDS.get(sex_text.casefold())
    if sex is None:
        problems.append(gettext_now("sex: write F or M (or leave it empty)"))
    age: int | None = None
    if age_text:
        if age_text.isascii() and age_text.isdigit():
            age = int(age_text)
        else:
            problems.append(gettext_now("age: a whole number of years"))
    person = services.MinimalPerson(
        name=name,
        description=description,
        sex=sex or "NonSpecifiedUnknown",
        age=age,
        citizenship=citizenship.upper(),
        language=language,
    )
    return person, problems


class OperationForm(forms.Form):
    kind = _choice(codes.OPERATION_KIND, _("Kind of operation"))
    held_on = _date(_("Date"))
    crossing_point = _choice(codes.CROSSING_POINT, _("Crossing point"), required=False)
    oblast = _choice(codes.OBLAST, _("Oblast"), required=False)
    persons = forms.CharField(
        label=_("Persons found, one per line"),
        widget=forms.Textarea(attrs={"rows": 12, "spellcheck": "false", "class": "persons"}),
        help_text=_(
            "Name; sex (F or M); age; citizenship (UA, MD...); language (uk, ru...). A "
            "description in brackets when the name is not known: (man in a green jacket); M; 40. "
            "A comma or a tab separates as well as a semicolon. Each line becomes a case to "
            "complete later."
        ),
    )

    def clean_persons(self) -> list[services.MinimalPerson]:
        persons: list[services.MinimalPerson] = []
        errors: list[str] = []
        lines = [line for line in self.cleaned_data["persons"].splitlines() if line.strip()]
        for number, line in enumerate(lines, start=1):
            person, problems = parse_line(line)
            persons.append(person)
            errors += [
                gettext_now("Line %(row)s: %(problem)s") % {"row": number, "problem": p}
                for p in problems
            ]
        if errors:
            raise forms.ValidationError(errors)
        return persons


class OperationImportForm(forms.Form):
    kind = _choice(codes.OPERATION_KIND, _("Kind of operation"))
    held_on = _date(_("Date"))
    crossing_point = _choice(codes.CROSSING_POINT, _("Crossing point"), required=False)
    file = forms.FileField(
        label=_("List of persons (CSV or XLSX)"),
        help_text=_(
            "A header row with the columns name, description, sex, age, citizenship, language. "
            "All or nothing: a bad row is named and nothing is recorded."
        ),
    )


class StopForm(forms.Form):
    kind = _choice(codes.STOP_KIND, _("Kind"))
    crossing_point = _choice(codes.CROSSING_POINT, _("Crossing point"))
    stopped_on = _date(_("Date"))
    persons = forms.IntegerField(label=_("Persons stopped"), min_value=1, initial=1)
    children = forms.IntegerField(label=_("Of whom children"), min_value=0, initial=0)
    destination = _choice(codes.COUNTRY, _("Country of destination"), required=False)


class IncidentForm(forms.Form):
    kind = _choice(codes.INCIDENT_KIND, _("Kind"))
    occurred_on = _date(_("Date"))
    oblast = _choice(codes.OBLAST, _("Oblast"), required=False)
    victims = forms.IntegerField(label=_("Persons involved"), min_value=1, initial=1)
    involves_idp = forms.BooleanField(
        label=_("Involves internally displaced persons"), required=False
    )
    idp_origin = _choice(codes.IDP_ORIGIN, _("IDPs' region of origin"), required=False)
    case_references = forms.CharField(
        label=_("Cases of the persons involved"),
        max_length=400,
        required=False,
        help_text=_("8-character references of your agency's cases, separated by commas."),
    )

    def clean_case_references(self) -> list[str]:
        refs = [r.strip().lower() for r in self.cleaned_data["case_references"].split(",")]
        refs = [r for r in refs if r]
        if any(not re.fullmatch(r"[0-9a-f]{8}", r) for r in refs):
            raise forms.ValidationError(_("A case reference has 8 characters, 0-9 and A-F."))
        return refs

"""What the linkage pages show: run rows, and a pair side by side with only the fields needed
to decide (names, date of birth, sex, citizenship; phone and document only as agree/differ)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.utils.formats import date_format, number_format
from django.utils.translation import gettext_lazy as _

from opennrm.access import linkage as linkage_gate
from opennrm.core.codes import COUNTRY, GENDER, code_list
from opennrm.linkage.models import CandidatePair, LinkageRun
from opennrm.people.identity import Identity, open_identity
from opennrm.people.models import Person
from opennrm.web.dates import partial_date

# The engine's field and level names (opennrm.linkage.engine.model), as the page says them.
FIELD_LABELS = {
    "name": _("Given and family name"),
    "given_name": _("Given name"),
    "family_name": _("Family name"),
    "patronymic": _("Patronymic"),
    "birth_date": _("Date of birth"),
    "sex": _("Gender"),
    "citizenship": _("Citizenship"),
    "phone": _("Phone number"),
    "document": _("Document number"),
    "address": _("Place of residence"),
}
LEVEL_LABELS = {
    "missing": _("missing on one side"),
    "different": _("different"),
    "same": _("same"),
    "same given and family name": _("same given and family name"),
    "equivalent given name, same family name": _("equivalent given name, same family name"),
    "given and family name swapped": _("given and family name swapped"),
    "same family name, given name sounds alike or near": _(
        "same family name, given name sounds alike or near"
    ),
    "same given name, family name sounds alike or near": _(
        "same given name, family name sounds alike or near"
    ),
    "both sound alike or near": _("both sound alike or near"),
    "same family name only": _("same family name only"),
    "same given name only": _("same given name only"),
    "equivalent (language form or diminutive)": _("equivalent (language form or diminutive)"),
    "sounds alike": _("sounds alike"),
    "same consonants": _("same consonants"),
    "near spelling": _("near spelling"),
    "day and month swapped": _("day and month swapped"),
    "one digit off": _("one digit off"),
    "two of year, month and day the same": _("two of year, month and day the same"),
    "same year (only the year known)": _("same year (only the year known)"),
    "same year": _("same year"),
    "a year apart": _("a year apart"),
    "one character off": _("one character off"),
    "near": _("near"),
    "partly the same": _("partly the same"),
}
_COLUMNS = ("first_name", "middle_name", "family_name", "birth_date")


def _rarity(frequency: float | None) -> str:
    """How common the name agreed on is in the register, as the model weighed it."""
    if not frequency:
        return ""
    one_in = max(1, round(1 / frequency))
    return _("borne by 1 in %(count)s registrations") % {"count": number_format(one_in, 0)}


def _direction(weight: float) -> str:
    """For or against the same person, as the page shows the weight (one decimal)."""
    if weight >= 0.05:
        return "for"
    return "against" if weight <= -0.05 else ""


def run_row(run: LinkageRun) -> dict[str, Any]:
    return {
        "run": run,
        "kind": run.get_kind_display(),
        "status": run.get_status_display(),
        "percent": round(run.progress * 100),
        "started_by": run.started_by.username if run.started_by else _("system"),
        "threshold": run.parameters.get("match_threshold"),
    }


def queue_row(pair: CandidatePair, counted_as_one: bool) -> dict[str, Any]:
    """A queue row: the probability, the fields that speak for and against the pair (weight
    beyond 2) and whether the count of persons takes its registrations as one person."""
    return {
        "pair": pair,
        "counted_as_one": counted_as_one,
        "percent": number_format(pair.probability * 100, 1),
        "agreeing": [
            FIELD_LABELS.get(item["field"], item["field"])
            for item in pair.explanation
            if item["weight"] > 2
        ],
        "against": [
            FIELD_LABELS.get(item["field"], item["field"])
            for item in pair.explanation
            if item["weight"] < -2
        ],
    }


# How each field the gate lets a reviewer see (access.linkage.PAIR_FIELDS) is shown.
FIELD_ROWS: dict[str, tuple[Any, Callable[[Person, Identity], str]]] = {
    "first_name": (_("Given name"), lambda p, i: i.first_name),
    "middle_name": (_("Patronymic"), lambda p, i: i.middle_name),
    "family_name": (_("Family name"), lambda p, i: i.family_name),
    "birth_date": (_("Date of birth"), lambda p, i: partial_date(i.birth_date)),
    "gender": (_("Gender"), lambda p, i: code_list(GENDER).label(p.gender)),
    "citizenships": (
        _("Citizenship"),
        lambda p, i: ", ".join(code_list(COUNTRY).label(c) for c in p.citizenships),
    ),
}


def _side(person: Person) -> dict[str, Any]:
    identity = open_identity(
        person, columns=("first_name", "middle_name", "family_name", "birth_date")
    )
    return {
        "agency": person.agency.display_name,
        "registered": date_format(person.created_at, "F Y"),
        "fields": [
            (FIELD_ROWS[name][0], FIELD_ROWS[name][1](person, identity))
            for name in linkage_gate.PAIR_FIELDS
        ],
    }


def pair_view(pair: CandidatePair) -> dict[str, Any]:
    left = Person.objects.select_related("agency").get(id=pair.left_id)
    right = Person.objects.select_related("agency").get(id=pair.right_id)
    one, two = _side(left), _side(right)
    return {
        "percent": number_format(pair.probability * 100, 1),
        "rows": [
            {"label": label, "left": a, "right": b, "differ": a != b}
            for (label, a), (_label, b) in zip(one["fields"], two["fields"], strict=True)
        ],
        "left": one,
        "right": two,
        "explanation": [
            {
                "field": FIELD_LABELS.get(item["field"], item["field"]),
                "level": LEVEL_LABELS.get(item["level"], item["level"]),
                "rarity": _rarity(item.get("frequency")),
                "weight": item["weight"],
                "direction": _direction(item["weight"]),
            }
            for item in pair.explanation
        ],
    }

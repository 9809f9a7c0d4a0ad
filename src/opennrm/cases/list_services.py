"""Writes from the case list: bulk close, bulk reassignment, saved searches.

The gate (`access/lists.py`) hands over the cases the actor may change and the caseworkers a
case may go to; these services change them all or none (one transaction) and record one audit
event per case (ids and codes only).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from opennrm.accounts.models import User
from opennrm.audit.services import record
from opennrm.cases.models import Case, SavedSearch
from opennrm.cases.services import change_case_status
from opennrm.tenancy.actor import Actor

# What a saved search keeps: the filters of the list and its order, never the name terms.
SAVED_FILTERS = ("status", "exploitation", "oblast", "identified_from", "identified_to", "sort")


def close_cases(*, actor: Actor, cases: Sequence[Case], closure_reason: str) -> int:
    """Close every case with one reason, or none: a case already closed (IllegalTransition)
    or an unknown reason (ValidationError) rolls back the whole change."""
    with transaction.atomic():
        for case in cases:
            change_case_status(
                actor=actor, case=case, action="close", closure_reason=closure_reason
            )
    return len(cases)


def reassign_cases(*, actor: Actor, cases: Sequence[Case], caseworker: User) -> int:
    """Give every case to `caseworker` (the gate checked who may receive them); returns how many
    changed. One `case.reassigned` event per case with the previous and the new caseworker id."""
    changed = 0
    with transaction.atomic():
        for case in cases:
            locked = Case.objects.select_for_update().get(pk=case.pk)
            if locked.caseworker_id == caseworker.pk:
                continue
            previous = locked.caseworker_id
            locked.caseworker = caseworker
            locked.save(update_fields=["caseworker", "updated_at"])
            record(
                action="case.reassigned",
                actor_id=actor.user.id,
                agency_id=actor.agency_id,
                object_type="case",
                object_id=locked.id,
                detail={
                    "from": str(previous) if previous else "",
                    "to": str(caseworker.pk),
                },
            )
            changed += 1
    return changed


def saved_filters(values: Mapping[str, Any]) -> dict[str, str]:
    """The part of a list's parameters a saved search keeps (no name terms, no search id)."""
    return {k: str(values[k]) for k in SAVED_FILTERS if values.get(k)}


def save_search(*, actor: Actor, name: str, filters: Mapping[str, Any]) -> SavedSearch:
    name = name.strip()
    if not name:
        raise ValidationError({"name": [_("Give the search a name.")]})
    try:
        with transaction.atomic():
            saved = SavedSearch.objects.create(
                user=actor.user, name=name[:100], filters=saved_filters(filters)
            )
            record(
                action="case_search.saved",
                actor_id=actor.user.id,
                agency_id=actor.agency_id,
                object_type="saved_search",
                object_id=saved.id,
                detail={"filters": sorted(saved.filters)},
            )
    except IntegrityError:
        raise ValidationError({"name": [_("You already have a search with this name.")]}) from None
    return saved


def delete_saved_search(*, actor: Actor, saved: SavedSearch) -> None:
    with transaction.atomic():
        record(
            action="case_search.deleted",
            actor_id=actor.user.id,
            agency_id=actor.agency_id,
            object_type="saved_search",
            object_id=saved.id,
            detail={},
        )
        saved.delete()

"""The field scope of a request: which data categories of each visible case show to an actor.

Computed once per request (for a page of cases, or for all visible cases) and asked by every
output: web presenters, API serializers, name search, the HTCDS export, the timeline,
action-needed and the linkage hint. The table of fields is in access/fields.py.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet

from opennrm.access.fields import (
    CODE_LIST_CATEGORY,
    OWNER_CATEGORIES,
    PERPETRATORS,
    PERSON_CATEGORIES,
    categories_of_shares,
    category_of,
)
from opennrm.access.policy import active_shares, permissions, visible_cases
from opennrm.access.roles import CASE_VIEW, PERSON_VIEW
from opennrm.cases.models import Case
from opennrm.tenancy.actor import Actor

PERPETRATORS_SECTION = "per_Perpetrators"
CRIMINAL_PROCEEDINGS = "CriminalProceedings"  # the share purpose that may carry perpetrators


@dataclass(frozen=True)
class FieldScope:
    """For one actor, which categories of each visible case show. Built with one query over the
    agency's active shares (optionally only those of the cases about to be shown)."""

    actor: Actor
    shared: Mapping[uuid.UUID, frozenset[str]] = field(default_factory=dict)
    # The cases whose perpetrators (`per_`) show: those of the actor's agency or received for
    # criminal proceedings, when the perpetrator gate lets the actor see perpetrators at all.
    perpetrators: frozenset[uuid.UUID] = frozenset()  # received for criminal proceedings
    sees_perpetrators: bool = False
    # A fixed set of categories for every case (a packet for a partner abroad: exactly what the
    # person's consent names, access/transnational.py); None: by the actor's relation.
    only: frozenset[str] | None = None

    def categories(self, case: Case) -> frozenset[str]:
        """What shows of a case: by the actor's relation to it (owner, shares), and only what
        their roles may read at all (`case.view`; the person's data needs `person.view`)."""
        if self.only is not None:
            return self.only
        granted = permissions(self.actor)
        if CASE_VIEW not in granted:
            return frozenset()
        if self.actor.agency_id is not None and case.owner_agency_id == self.actor.agency_id:
            shown = OWNER_CATEGORIES
        else:
            shown = self.shared.get(case.id, frozenset())
        if PERSON_VIEW not in granted:
            shown = shown - PERSON_CATEGORIES
        return shown

    def with_perpetrators(self, case: Case) -> frozenset[str]:
        """`categories`, and `Perpetrators` where they show: never through a share's consent,
        only to a user the perpetrator gate lets see perpetrators, on a case their agency owns
        or received for criminal proceedings (what the HTCDS export asks)."""
        shown = self.categories(case)
        if self.only is not None or not shown or not self.sees_perpetrators:
            return shown
        owner = self.actor.agency_id is not None and case.owner_agency_id == self.actor.agency_id
        if owner or case.id in self.perpetrators:
            return shown | {PERPETRATORS}
        return shown

    def visible_rows(self, section: str) -> Any:
        """The rows of a gated HTCDS section the actor may see (`cases.htcds.export_record`):
        the perpetrators the perpetrator gate passes; None for anything else."""
        if section == PERPETRATORS_SECTION and self.sees_perpetrators:
            from opennrm.access import perpetrators as perpetrator_gate  # imports this module

            return perpetrator_gate.visible_perpetrators(self.actor)
        return None

    def shows(self, case: Case, category: str) -> bool:
        return category in self.with_perpetrators(case)

    def shows_person(self, case: Case) -> bool:
        """Whether any field of the person's encrypted identity shows (it needs decrypting)."""
        return bool(self.categories(case) & PERSON_CATEGORIES)

    def shows_field(self, case: Case, name: str) -> bool:
        return category_of(name) in self.with_perpetrators(case)

    def redact(self, case: Case, record: Mapping[str, Any]) -> dict[str, Any]:
        """The record with only the fields whose category shows (fields by OpenNRM or HTCDS
        name; an unknown field raises, so nothing new leaks by default)."""
        shown = self.with_perpetrators(case)
        return {name: value for name, value in record.items() if category_of(name) in shown}

    def codes(self, case: Case, lists: Iterable[str]) -> dict[str, list[str]]:
        """The case's multi-valued codes, list by list, where the list's category shows."""
        shown = self.categories(case)
        return {name: case.codes_of(name) for name in lists if CODE_LIST_CATEGORY[name] in shown}

    def cases_showing(self, *categories: str) -> QuerySet[Case]:
        """Visible cases where every one of `categories` shows: a search or filter on those
        values looks only here (a name search never finds a case whose identity is hidden)."""
        base = visible_cases(self.actor)
        if self.actor.agency is None or not categories:
            return base
        wanted = set(categories)
        ids = sorted(case_id for case_id, shown in self.shared.items() if wanted <= shown)
        return base.filter(Q(owner_agency=self.actor.agency) | Q(id__in=ids))


def field_scope(actor: Actor, case_ids: Iterable[uuid.UUID] | None = None) -> FieldScope:
    """The scope of an actor, for every visible case or only for `case_ids` (a page of them)."""
    shares = active_shares(actor)
    if case_ids is not None:
        shares = shares.filter(case_id__in=sorted(set(case_ids)))
    grouped: dict[uuid.UUID, list[tuple[str, list[str]]]] = {}
    for case_id, purpose, categories in shares.values_list("case_id", "purpose", "data_categories"):
        grouped.setdefault(case_id, []).append((purpose, list(categories)))
    from opennrm.access import perpetrators as perpetrator_gate  # imports this module

    sees = perpetrator_gate.can_view(actor)
    justice = frozenset(
        case_id
        for case_id, pairs in grouped.items()
        if any(purpose == CRIMINAL_PROCEEDINGS for purpose, _categories in pairs)
    )
    return FieldScope(
        actor,
        {cid: categories_of_shares(c) for cid, c in grouped.items()},
        perpetrators=justice,
        sees_perpetrators=sees,
    )

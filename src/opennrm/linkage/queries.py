"""Linkage reads: the review queue, unique persons with their band, the caseworker's hint."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Q, QuerySet

from opennrm.linkage import config
from opennrm.linkage.engine.clusters import OUTRIGHT, connected_components, corroborated
from opennrm.linkage.models import CandidatePair, LinkageRun, NationalLink
from opennrm.people.models import Person
from opennrm.tenancy import rls

Decision = CandidatePair.Decision
# Up to this many persons, their pairs are read by id; above, every pair is read once.
_EDGES_BY_ID = 20_000


def review_queue(
    *,
    show: str = "",
    min_probability: float | None = None,
    max_probability: float | None = None,
) -> QuerySet[CandidatePair]:
    """Candidate pairs for the reviewer.

    ``show``: "" the possible matches a person must decide (not reviewed, below the match
    threshold, and every "unsure"), most likely first; "automatic" the undecided pairs at or
    above the match threshold (counted as one person without review when the pairs across the
    two groups bear them out; the queue's "In the count" column says which); "held_apart" the
    same pairs, to be narrowed to those the count holds apart; or a decision.
    """
    match = settings.OPENNRM_LINKAGE_MATCH_THRESHOLD
    pairs = CandidatePair.objects.all()
    if show == "":
        pairs = pairs.filter(
            Q(decision=Decision.PENDING, probability__lt=match) | Q(decision=Decision.UNSURE)
        )
    elif show in ("automatic", "held_apart"):
        # "held_apart": of these, the caller keeps those the count takes as two persons
        # (``reports.facts.held_apart``, or ``counted_as_one`` on a small register).
        pairs = pairs.filter(decision=Decision.PENDING, probability__gte=match)
    else:
        pairs = pairs.filter(decision=show)
    if min_probability is not None:
        pairs = pairs.filter(probability__gte=min_probability)
    if max_probability is not None:
        pairs = pairs.filter(probability__lte=max_probability)
    return pairs.order_by("-probability", "id")


def runs() -> QuerySet[LinkageRun]:
    return LinkageRun.objects.select_related("started_by").order_by("-created_at")


@dataclass(frozen=True)
class PersonCount:
    """Unique persons among some registrations, at the match threshold and at a band."""

    registrations: int
    persons: int
    at_lower: int  # at the lower threshold: more pairs taken as matches, fewer persons
    at_higher: int  # at the higher threshold: fewer matches, more persons
    threshold: float
    band: tuple[float, float]
    # From here to the match threshold a pair counts when the other pairs bear it out.
    corroboration: float
    # From here a match counts even when the pairs across do not bear it out.
    outright: float


def _edges(ids: list[str]) -> list[tuple[str, str, float, str]]:
    """Pairs inside ``ids`` that may join persons: scored at the lower band threshold or
    above, or decided "same person" (whatever their score)."""
    scope = set(ids)
    if not scope:
        return []
    low, match, _high = config.band_thresholds()
    pairs = CandidatePair.objects.filter(
        Q(probability__gte=min(low, match)) | Q(decision=Decision.SAME)
    )
    if len(scope) <= _EDGES_BY_ID:
        # A few persons (a refresh of some, an agency's figures): their own pairs only.
        rows: Iterable[Any] = (
            row
            for start in range(0, len(ids), 500)
            for row in pairs.filter(
                Q(left_id__in=ids[start : start + 500]) | Q(right_id__in=ids[start : start + 500])
            ).values_list("id", "left_id", "right_id", "probability", "decision")
        )
    else:
        rows = pairs.values_list("id", "left_id", "right_id", "probability", "decision").iterator(
            chunk_size=5000
        )
    edges = {}
    for pair_id, left, right, probability, decision in rows:
        one, two = str(left), str(right)
        if one in scope and two in scope:
            edges[pair_id] = (one, two, probability, decision)
    return list(edges.values())


def _clusters(
    ids: list[str], edges: list[tuple[str, str, float, str]], threshold: float
) -> dict[str, str]:
    """Persons at a band threshold: every pair at or above it joins (a reviewer's decision
    overrides the score)."""
    linked = [
        (one, two)
        for one, two, probability, decision in edges
        if decision == Decision.SAME
        or (decision != Decision.DIFFERENT and probability >= threshold)
    ]
    return connected_components(ids, linked)


def _match_clusters(ids: list[str], edges: list[tuple[str, str, float, str]]) -> dict[str, str]:
    """Persons at the match threshold: a pair at or above it joins when more than a third of
    the pairs across the two groups are possible matches, a pair at or above the corroboration
    threshold when every one is (``engine.clusters.corroborated``). A pair a reviewer decided
    is one person counts as certain, one decided two persons as not scored."""
    low, match, _high = config.band_thresholds()
    scored = (
        (one, two, probability)
        for one, two, probability, decision in edges
        if decision not in (Decision.DIFFERENT, Decision.SAME)
    )
    return corroborated(
        ids,
        scored,
        match=match,
        corroboration=config.corroboration_threshold(),
        possible=low,
        certain=[(one, two) for one, two, _p, decision in edges if decision == Decision.SAME],
    )


def _ids(person_ids: Iterable[uuid.UUID | str] | QuerySet[Person]) -> list[str]:
    if isinstance(person_ids, QuerySet):
        return [str(pid) for pid in person_ids.values_list("id", flat=True)]
    return [str(pid) for pid in person_ids]


def linked_registrations(seed: QuerySet[Any] | list[str], *, chunk: int = 500) -> set[str]:
    """The person ids that may join the persons of ``seed`` (a values queryset of person ids),
    hop by hop: pairs at or above the lower band threshold (unless decided "different") or
    decided "same person". The seed's own ids are not included."""
    low = min(config.band_thresholds()[:2])
    joining = (Q(probability__gte=low) & ~Q(decision=Decision.DIFFERENT)) | Q(
        decision=Decision.SAME
    )
    pairs = CandidatePair.objects.filter(joining)
    seen = {str(pid) for pid in seed}
    found: set[str] = set()
    frontier: set[str] = set()
    for left, right in pairs.filter(Q(left_id__in=seed) | Q(right_id__in=seed)).values_list(
        "left_id", "right_id"
    ):
        frontier |= {str(left), str(right)}
    frontier -= seen
    while frontier:
        found |= frontier
        batch = sorted(frontier)
        frontier = set()
        for start in range(0, len(batch), chunk):
            ids = batch[start : start + chunk]
            for left, right in pairs.filter(Q(left_id__in=ids) | Q(right_id__in=ids)).values_list(
                "left_id", "right_id"
            ):
                frontier |= {str(left), str(right)}
        frontier -= seen | found
    return found


def person_clusters_band(
    person_ids: Iterable[uuid.UUID | str] | QuerySet[Person],
) -> tuple[dict[str, str], dict[str, str], dict[str, str]]:
    """The persons (clusters) of ``person_ids`` at the lower, the match and the higher threshold
    (one query)."""
    ids = _ids(person_ids)
    edges = _edges(ids)
    low, _match, high = config.band_thresholds()
    return _clusters(ids, edges, low), _match_clusters(ids, edges), _clusters(ids, edges, high)


def counted_as_one(pairs: Iterable[CandidatePair]) -> set[uuid.UUID]:
    """The ids of those of ``pairs`` whose two registrations the count at the match threshold
    takes as one person: joined by pairs at or above it that the pairs across bear out, by
    corroborated pairs below it, or by a reviewer (as ``count_persons`` counts them). What a
    reviewer's decision would change."""
    pairs = list(pairs)
    ends = {str(pair.left_id) for pair in pairs} | {str(pair.right_id) for pair in pairs}
    if not ends:
        return set()
    # The registrations that may join them: the clusters there are those of the whole register.
    ids = sorted(ends | linked_registrations(sorted(ends)))
    clusters = _match_clusters(ids, _edges(ids))
    return {
        pair.id for pair in pairs if clusters[str(pair.left_id)] == clusters[str(pair.right_id)]
    }


def count_persons(person_ids: Iterable[uuid.UUID] | QuerySet[Person]) -> PersonCount:
    """Unique persons (clusters) among ``person_ids``.

    Two registrations are one person when a reviewer decided so, or when the model scored
    them at or above the threshold and no reviewer decided otherwise. The count is given at
    the match threshold and at the lower and higher band thresholds (settings), so a
    published figure can say how certain it is.
    """
    ids = _ids(person_ids)
    lower, match, higher = person_clusters_band(ids)
    low, threshold, high = config.band_thresholds()
    return PersonCount(
        registrations=len(ids),
        persons=len(set(match.values())),
        at_lower=len(set(lower.values())),
        at_higher=len(set(higher.values())),
        threshold=threshold,
        band=(low, high),
        corroboration=config.corroboration_threshold(),
        outright=OUTRIGHT,
    )


def confirmed_elsewhere(person: Person) -> bool:
    """Whether a reviewer confirmed that a registration of another agency is this person.

    Only a human decision counts: a "same person" decision in the review queue merges the
    registrations under one national id (``NationalLink``, directly or through other merges);
    a pair the model found, however probable, never does, so the answer cannot be used to probe
    the model with made-up registrations. Says nothing of which agency or what it holds. Who
    may learn it, and the audit of each time it is shown, is the gate's (``access.linkage``).
    """
    national = (
        NationalLink.objects.filter(person_id=person.id).values_list("national_id", flat=True)
    ).first()
    if national is None:
        return False  # never merged
    members = NationalLink.objects.filter(national_id=national).values("person_id")
    # The other agency's registration is outside the actor's row-level security scope by
    # design: this yes/no (no row, no agency) is asked in system scope, the gate having
    # decided who may learn it (docs/operations.md, row-level security).
    with rls.system_scope():
        return (
            Person.objects.filter(Q(id__in=members) | Q(id=national))
            .exclude(agency_id=person.agency_id)
            .exists()
        )

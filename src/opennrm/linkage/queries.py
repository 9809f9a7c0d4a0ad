"""Linkage reads: the review queue, unique persons with their band, the caseworker's hint."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Q, QuerySet

from opennrm.linkage import config
from opennrm.linkage.engine.clusters import connected_components
from opennrm.linkage.models import CandidatePair, LinkageRun
from opennrm.people.models import Person

Decision = CandidatePair.Decision


def review_queue(
    *,
    show: str = "",
    min_probability: float | None = None,
    max_probability: float | None = None,
) -> QuerySet[CandidatePair]:
    """Candidate pairs for the reviewer.

    ``show``: "" the possible matches a person must decide (not reviewed, below the match
    threshold, and every "unsure"), most likely first; "automatic" the undecided pairs at or
    above the match threshold (counted as one person without review); or a decision.
    """
    match = settings.OPENNRM_LINKAGE_MATCH_THRESHOLD
    pairs = CandidatePair.objects.all()
    if show == "":
        pairs = pairs.filter(
            Q(decision=Decision.PENDING, probability__lt=match) | Q(decision=Decision.UNSURE)
        )
    elif show == "automatic":
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


def count_persons(person_ids: Iterable[uuid.UUID] | QuerySet[Person]) -> PersonCount:
    """Unique persons (clusters) among ``person_ids``.

    Two registrations are one person when a reviewer decided so, or when the model scored
    them at or above the threshold and no reviewer decided otherwise. The count is given at
    the match threshold and at the lower and higher band thresholds (settings), so a
    published figure can say how certain it is.
    """
    if isinstance(person_ids, QuerySet):
        ids = [str(pid) for pid in person_ids.values_list("id", flat=True)]
    else:
        ids = [str(pid) for pid in person_ids]
    scope = set(ids)
    low, match, high = config.band_thresholds()
    edges: list[tuple[str, str, float, str]] = []
    if scope:
        pairs = CandidatePair.objects.filter(probability__gte=min(low, match)) | (
            CandidatePair.objects.filter(decision=Decision.SAME)
        )
        for left, right, probability, decision in pairs.values_list(
            "left_id", "right_id", "probability", "decision"
        ).iterator(chunk_size=5000):
            one, two = str(left), str(right)
            if one in scope and two in scope:
                edges.append((one, two, probability, decision))

    def persons_at(threshold: float) -> int:
        linked = [
            (one, two)
            for one, two, probability, decision in edges
            if decision == Decision.SAME
            or (decision != Decision.DIFFERENT and probability >= threshold)
        ]
        return len(set(connected_components(ids, linked).values()))

    return PersonCount(
        registrations=len(ids),
        persons=persons_at(match),
        at_lower=persons_at(low),
        at_higher=persons_at(high),
        threshold=match,
        band=(low, high),
    )


def possibly_known_elsewhere(person: Person) -> bool:
    """Whether a registration of another agency may be this person (the caseworker's hint).

    Says nothing of which agency or what it holds. Off when OPENNRM_LINKAGE_HINT is false.
    """
    if not settings.OPENNRM_LINKAGE_HINT:
        return False
    threshold = settings.OPENNRM_LINKAGE_POSSIBLE_THRESHOLD
    open_pairs = CandidatePair.objects.filter(probability__gte=threshold).exclude(
        decision=Decision.DIFFERENT
    ) | CandidatePair.objects.filter(decision=Decision.SAME)
    return open_pairs.filter(
        (Q(left=person) & ~Q(right__agency_id=person.agency_id))
        | (Q(right=person) & ~Q(left__agency_id=person.agency_id))
    ).exists()

"""Clusters of records from scored pairs, with union-find.

``connected_components``: every edge joins (the count at a band threshold). ``corroborated``:
the count at the match threshold. A pair at or above the match threshold joins the two groups
its records are in when more than a third of the pairs of records across them were scored a
possible match; a pair below it but at or above the corroboration threshold only when every
one was: the pair is then not the one thread between two groups that the other registrations
contradict. A reviewer's decision joins outright.

Why: a pair's probability is about those two registrations, and the transitive closure of
pairs at a lower threshold chains namesakes (Олена Сембрак with no date of birth joins the
Олена Сембрак of 1959 and, through her, the one of 1971). Refusing a join that the other
registrations do not bear out stops the chain and keeps the pairs with nothing else against
them: at 100,000 synthetic registrations (``benchmarks.linkage.ukrainian``, docs/linkage.md)
pairs 0.8 to 0.95 joined this way gave 1.59% too many persons with pairwise precision 0.991,
where the match threshold alone gave +2.82% (precision 0.993), and a plain threshold of 0.8
+0.97% with precision 0.976.

A cluster is named by its smallest record id, so the same pairs always give the same names.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable


class _Groups:
    """Union-find over record ids, each root knowing its members."""

    def __init__(self, record_ids: Iterable[str]) -> None:
        self.parent: dict[str, str] = {record_id: record_id for record_id in record_ids}

    def add(self, node: str) -> None:
        self.parent.setdefault(node, node)

    def find(self, node: str) -> str:
        parent = self.parent
        root = node
        while parent[root] != root:
            root = parent[root]
        while parent[node] != root:
            parent[node], node = root, parent[node]
        return root

    def union(self, one: str, two: str) -> None:
        one, two = self.find(one), self.find(two)
        if one != two:
            if two < one:
                one, two = two, one
            self.parent[two] = one  # the smaller id is the root, and so names the cluster

    def names(self) -> dict[str, str]:
        return {node: self.find(node) for node in self.parent}


def connected_components(
    record_ids: Iterable[str], edges: Iterable[tuple[str, str]]
) -> dict[str, str]:
    """Map every record id to its cluster's smallest record id."""
    groups = _Groups(record_ids)
    for left, right in edges:
        groups.add(left)
        groups.add(right)
        groups.union(left, right)
    return groups.names()


# The share of the pairs across two groups of registrations that must be exceeded by those
# scored a possible match for a pair at or above the match threshold to join them (a pair below
# it, at or above the corroboration threshold, needs all of them). Measured with
# ``benchmarks.linkage.ukrainian`` and ``benchmarks.linkage.febrl`` (docs/linkage.md, "Support
# across the groups"): at 1,000,000 registrations the closure of the matches made 3,490 wrong
# persons, most of them chains through a registration with no date of birth between namesakes
# born on different dates; a half kept more of them apart but split FEBRL3's persons, whose
# duplicates are each near the original and far from each other.
MATCH_SUPPORT = 1 / 3
# A pair from here up that the rule above refused joins its groups all the same, at the end (as
# a reviewer's "same person" does): measured on the same runs' pairs, it gave back FEBRL3's
# stars (F1 0.9925 -> 0.9931) and recall at 100,000 and a million with the same precision; from
# 0.99 it cost precision at a million (0.9881 -> 0.9866).
OUTRIGHT = 0.999


def corroborated(
    record_ids: Iterable[str],
    pairs: Iterable[tuple[str, str, float]],
    *,
    match: float,
    corroboration: float,
    possible: float,
    match_support: float = MATCH_SUPPORT,
    outright: float = OUTRIGHT,
    certain: Iterable[tuple[str, str]] = (),
) -> dict[str, str]:
    """Map every record id to its cluster's smallest record id.

    ``pairs``: (left, right, probability) of the scored pairs (a pair a reviewer decided two
    persons left out); ``certain``: the pairs a reviewer decided are one person. From the most
    probable pair down (ties in the order of the ids), a pair at or above ``match`` joins its
    groups when more than ``match_support`` of the pairs across them are at or above
    ``possible`` or certain (the pair itself is one of them), and a pair at or above
    ``corroboration`` when all of them are. A refused join is asked again only when one of
    the two groups has grown since. Last, a certain pair, and a pair at or above ``outright``,
    joins its groups outright. With
    ``match_support`` 0 and ``corroboration`` at ``match`` this is ``connected_components``
    of the pairs at or above ``match`` (and the certain ones).
    """
    groups = _Groups(record_ids)
    near: dict[str, set[str]] = defaultdict(set)
    ranked: list[tuple[float, str, str]] = []
    certain = list(certain)
    for left, right in certain:
        groups.add(left)
        groups.add(right)
        near[left].add(right)
        near[right].add(left)
    for left, right, probability in pairs:
        if probability < possible:
            continue
        groups.add(left)
        groups.add(right)
        near[left].add(right)
        near[right].add(left)
        if probability >= corroboration:
            ranked.append((-probability, min(left, right), max(left, right)))
        if probability >= outright:
            certain.append((left, right))
    ranked.sort()
    # The members of the groups the ranked pairs touch, as they grow.
    members: dict[str, set[str]] = {
        node: {node} for _p, left, right in ranked for node in (left, right)
    }
    # Two groups found apart are not asked again until one of them has grown (without this,
    # many pairs between two large groups were each checked against every pair across them);
    # a group that grew may bear the join out now. By the size of the two together.
    refused: dict[tuple[str, str], int] = {}
    for negative, left, right in ranked:
        one, two = groups.find(left), groups.find(right)
        if one == two:
            continue
        ones, twos = members[one], members[two]
        key, size = (min(one, two), max(one, two)), len(ones) + len(twos)
        if refused.get(key) == size:
            continue
        if len(twos) < len(ones):
            ones, twos = twos, ones
        if -negative >= match:
            across = len(ones) * len(twos)
            # The pair itself is across: a join of two single registrations needs no count.
            joins = across == 1 or (
                sum(len(near[node] & twos) for node in ones) > match_support * across
            )
        else:
            joins = all(near[node].issuperset(twos) for node in ones)
        if joins:
            groups.union(one, two)
            root = groups.find(one)
            twos |= ones  # the larger group takes the smaller in
            members[root] = twos
            del members[two if root == one else one]
        else:
            refused[key] = size
    # A reviewer's "same person" (and a pair from ``outright``) joins last, whatever the pairs
    # across: joined first, the group it makes would be asked to bear out the model's pairs into
    # it (a registration matched at 0.99 to one of the two was refused for having no pair with
    # the other).
    for left, right in certain:
        groups.union(left, right)
    return groups.names()

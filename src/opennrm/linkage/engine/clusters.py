"""Clusters of records from matched pairs: connected components with union-find.

A cluster is named by its smallest record id, so the same pairs always give the same names.
"""

from __future__ import annotations

from collections.abc import Iterable


def connected_components(
    record_ids: Iterable[str], edges: Iterable[tuple[str, str]]
) -> dict[str, str]:
    """Map every record id to its cluster's smallest record id."""
    parent: dict[str, str] = {record_id: record_id for record_id in record_ids}

    def find(node: str) -> str:
        root = node
        while parent[root] != root:
            root = parent[root]
        while parent[node] != root:
            parent[node], node = root, parent[node]
        return root

    for left, right in edges:
        parent.setdefault(left, left)
        parent.setdefault(right, right)
        one, two = find(left), find(right)
        if one != two:
            if two < one:
                one, two = two, one
            parent[two] = one
    return {node: find(node) for node in parent}

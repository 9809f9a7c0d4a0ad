"""Accuracy of a clustering against the truth: pairwise and cluster precision, recall, F1.

Pairwise figures count record pairs put in one cluster (by the transitive closure, as a
published count would); cluster figures count clusters that equal a true cluster exactly.
Both are computed from cluster sizes and overlaps, never by listing pairs, so 1M records cost
seconds.
"""

from __future__ import annotations

import resource
import sys
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass

from opennrm.linkage.engine.clusters import corroborated
from opennrm.linkage.engine.run import LinkageResult


def _pairs(size: int) -> int:
    return size * (size - 1) // 2


def _f1(precision: float, recall: float) -> float:
    return 0.0 if precision + recall == 0 else 2 * precision * recall / (precision + recall)


@dataclass(frozen=True)
class Accuracy:
    pair_precision: float
    pair_recall: float
    pair_f1: float
    cluster_precision: float
    cluster_recall: float
    cluster_f1: float
    persons: int
    true_persons: int

    @property
    def persons_error(self) -> float:
        """Persons counted against the truth, as a signed fraction (0.01 = 1% too many)."""
        return (self.persons - self.true_persons) / self.true_persons


def accuracy(predicted: Mapping[str, str], truth: Mapping[str, str]) -> Accuracy:
    """``predicted`` and ``truth`` map every record id to a cluster label."""
    overlap = Counter((predicted[record], truth[record]) for record in truth)
    predicted_sizes = Counter(predicted[record] for record in truth)
    true_sizes = Counter(truth.values())
    together = sum(_pairs(n) for n in overlap.values())
    predicted_pairs = sum(_pairs(n) for n in predicted_sizes.values())
    true_pairs = sum(_pairs(n) for n in true_sizes.values())
    precision = together / predicted_pairs if predicted_pairs else 1.0
    recall = together / true_pairs if true_pairs else 1.0
    exact = sum(
        1
        for (mine, theirs), n in overlap.items()
        if n == predicted_sizes[mine] and n == true_sizes[theirs]
    )
    c_precision = exact / len(predicted_sizes)
    c_recall = exact / len(true_sizes)
    return Accuracy(
        precision,
        recall,
        _f1(precision, recall),
        c_precision,
        c_recall,
        _f1(c_precision, c_recall),
        len(predicted_sizes),
        len(true_sizes),
    )


def peak_memory_mb() -> float:
    """Peak resident memory of this process so far (Linux reports KiB, macOS bytes)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 1024 / 1024 if sys.platform == "darwin" else peak / 1024


def row(name: str, result: Accuracy, seconds: float, memory: float | None = None) -> str:
    mem = f"{memory:8.0f}" if memory is not None else "       -"
    return (
        f"{name:<28} {result.pair_precision:9.4f} {result.pair_recall:9.4f} "
        f"{result.pair_f1:9.4f} {result.cluster_f1:10.4f} {result.persons:9d} "
        f"{result.true_persons:9d} {result.persons_error:+8.2%} {seconds:9.1f} {mem}"
    )


HEADER = (
    f"{'method':<28} {'pair P':>9} {'pair R':>9} {'pair F1':>9} {'cluster F1':>10} "
    f"{'persons':>9} {'true':>9} {'error':>8} {'seconds':>9} {'peak MB':>8}"
)


def outright(result: LinkageResult) -> dict[str, str]:
    """The clusters of ``result``'s pairs as they were made before support across groups
    (docs/linkage.md): every pair at the match threshold joining outright, pairs from 0.8
    corroborated. The baseline the current clustering is printed beside."""
    settings = result.settings
    return corroborated(
        result.record_ids,
        [(p.left, p.right, p.probability) for p in result.pairs],
        match=settings.match_threshold,
        corroboration=min(max(0.8, settings.possible_threshold), settings.match_threshold),
        possible=settings.possible_threshold,
        match_support=0.0,
    )

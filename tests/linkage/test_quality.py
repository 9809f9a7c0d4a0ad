"""Linkage quality on a small realistic register, so it cannot slip unnoticed.

The register is the benchmark's generator (``benchmarks.linkage.synthetic_ua``) at 3,000
registrations: surnames and given names drawn from long-tailed frequencies (names-translator's
dictionaries), Russian and Ukrainian forms, transliterations, typos, swaps, missing or
year-only dates of birth, new phones, second documents, dual citizenships (sometimes both
written in one registration) and a mistyped sex now and then. The bounds are the values
measured with pairs below the match threshold joining groups that every pair across them
bears out (``engine.clusters.corroborated``): pairwise F1 0.988, precision 0.997, persons +1.4%
with seed 7 (1,761 persons for 1,737; with the match threshold alone F1 0.984 and +1.8%, which
the F1 bound refuses), less a margin; the persons within the target of 2%. Since registrations
may hold a second phone, document or citizenship (compared too): F1 0.989, +1.3% (1,759). With
support across groups for the pairs at the match threshold: F1 0.989, +1.2% (1,757).
"""

from __future__ import annotations

import pytest
from benchmarks.linkage.metrics import accuracy
from benchmarks.linkage.synthetic_ua import generate

from opennrm.linkage.engine.run import LinkageResult, LinkageSettings, link


@pytest.fixture(scope="module")
def linked() -> tuple[LinkageResult, dict[str, str]]:
    records, truth = generate(3000, seed=7)
    return link(records, LinkageSettings(threads=2)), truth


def test_a_realistic_register_is_linked_within_bounds(
    linked: tuple[LinkageResult, dict[str, str]],
) -> None:
    result, truth = linked
    measured = accuracy(result.clusters, truth)
    assert measured.pair_precision >= 0.992
    assert measured.pair_f1 >= 0.985
    assert abs(measured.persons_error) <= 0.02


def test_name_agreements_say_how_rare_the_name_is(
    linked: tuple[LinkageResult, dict[str, str]],
) -> None:
    result, _truth = linked
    rarities = [
        item.frequency
        for pair in result.pairs
        for item in pair.explanation
        if item.field == "family_name" and item.level == "same"
    ]
    assert rarities
    assert all(0 < value < 0.05 for value in rarities if value is not None)
    assert min(value for value in rarities if value is not None) < 0.001

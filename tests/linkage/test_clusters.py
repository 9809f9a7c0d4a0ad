"""Clusters at the match threshold: a pair at or above it joins two groups when more than a
third of the pairs across them are possible matches, a pair below it only when every one is
(``engine.clusters.corroborated``)."""

from __future__ import annotations

import random
from itertools import combinations

import pytest

from opennrm.linkage.engine.clusters import connected_components, corroborated
from opennrm.linkage.engine.run import LinkageError, LinkageSettings

THRESHOLDS = {"match": 0.95, "corroboration": 0.7, "possible": 0.5}


def _groups(clusters: dict[str, str]) -> set[frozenset[str]]:
    found: dict[str, set[str]] = {}
    for record, cluster in clusters.items():
        found.setdefault(cluster, set()).add(record)
    return {frozenset(members) for members in found.values()}


def test_a_pair_below_the_match_threshold_does_not_chain_namesakes() -> None:
    # "Олена Сембрак" with no date of birth (a) is scored 0.9 with the one born 1959 (b) and
    # 0.88 with the one born 1971 (c); b and c were not scored possible matches of each other.
    pairs = [("a", "b", 0.9), ("a", "c", 0.88)]
    clusters = corroborated("abc", pairs, **THRESHOLDS)
    assert _groups(clusters) == {frozenset("ab"), frozenset("c")}
    # The transitive closure at 0.8 would have made one person of all three.
    assert _groups(connected_components("abc", [(x, y) for x, y, _p in pairs])) == {
        frozenset("abc")
    }


def test_a_pair_below_the_match_threshold_joins_groups_that_bear_it_out() -> None:
    # b and b2 are one person (0.99); a is a possible match of both: a joins them.
    pairs = [("b", "b2", 0.99), ("a", "b", 0.9), ("a", "b2", 0.6)]
    assert _groups(corroborated(["a", "b", "b2"], pairs, **THRESHOLDS)) == {
        frozenset({"a", "b", "b2"})
    }
    # The same without the pair a-b2 (not a possible match): a stays apart.
    clusters = corroborated(["a", "b", "b2"], pairs[:2], **THRESHOLDS)
    assert _groups(clusters) == {frozenset({"b", "b2"}), frozenset("a")}
    # Nor does a pair below the corroboration threshold join, however well borne out.
    weak = [("b", "b2", 0.99), ("a", "b", 0.69), ("a", "b2", 0.69)]
    assert _groups(corroborated(["a", "b", "b2"], weak, **THRESHOLDS)) == {
        frozenset({"b", "b2"}),
        frozenset("a"),
    }


def test_pairs_at_the_match_threshold_join_when_a_third_of_the_pairs_across_bear_them_out() -> None:
    # a-b and b-c at the match threshold join although a and c were never scored: b-c joins
    # first ({b, c}), then a-b has one of the two pairs across, a-b and a-c, itself.
    strong = corroborated("abc", [("a", "b", 0.95), ("b", "c", 0.97)], **THRESHOLDS)
    assert _groups(strong) == {frozenset("abc")}
    # "Дмитро Фірцак" with no date of birth (x) matches the one born 1962 (a, 0.98) and the
    # one born 1975 (b, 0.97), each already joined to another registration of theirs (a2,
    # b2); the two of them were never possible matches of each other. x joins a; then x-b
    # has 2 of the 6 pairs across {x, a, a2} and {b, b2}, not more than a third: refused.
    pairs = [
        ("a", "a2", 0.99),
        ("b", "b2", 0.99),
        ("a", "x", 0.98),
        ("a2", "x", 0.96),
        ("b", "x", 0.97),
        ("b2", "x", 0.96),
    ]
    assert _groups(corroborated(["a", "a2", "b", "b2", "x"], pairs, **THRESHOLDS)) == {
        frozenset({"a", "a2", "x"}),
        frozenset({"b", "b2"}),
    }
    # Without the support (the closure of the matches, as before) all five were one person.
    closure = corroborated(["a", "a2", "b", "b2", "x"], pairs, **THRESHOLDS, match_support=0)
    assert _groups(closure) == {frozenset({"a", "a2", "b", "b2", "x"})}
    # With a-b a possible match too (3 of 6) the join is made.
    borne = [*pairs, ("a", "b", 0.6)]
    assert len(_groups(corroborated(["a", "a2", "b", "b2", "x"], borne, **THRESHOLDS))) == 1
    # A reviewer's "same person" joins outright, whatever the pairs across.
    decided = corroborated(["a", "a2", "b", "b2", "x"], pairs, **THRESHOLDS, certain=[("a2", "b2")])
    assert len(_groups(decided)) == 1


def test_a_pair_from_the_outright_threshold_joins_even_when_refused() -> None:
    # A person registered three times (every pair at 0.9999, so joined first) and c, matched to
    # a alone: 1 of the 3 pairs across is not more than a third. At 0.9995 c joins all the
    # same, at 0.998 not.
    three = [("a", "a2", 0.9999), ("a", "a3", 0.9999), ("a2", "a3", 0.9999)]
    ids = ["a", "a2", "a3", "c"]
    strong = corroborated(ids, [*three, ("a", "c", 0.9995)], **THRESHOLDS)
    assert _groups(strong) == {frozenset(ids)}
    weaker = corroborated(ids, [*three, ("a", "c", 0.998)], **THRESHOLDS)
    assert _groups(weaker) == {frozenset({"a", "a2", "a3"}), frozenset("c")}
    # Without the outright threshold (above any probability) the 0.9995 pair is refused too.
    never = corroborated(ids, [*three, ("a", "c", 0.9995)], **THRESHOLDS, outright=1.1)
    assert _groups(never) == {frozenset({"a", "a2", "a3"}), frozenset("c")}


def test_a_score_of_one_is_ranked_like_any_other_not_a_reviewers_decision() -> None:
    # Splink's probability is 1.0 past about 54 bits: such a pair is ranked first and joins
    # like the others (then outright), and the groups it makes still need the pairs across.
    pairs = [("a", "a2", 1.0), ("b", "x", 0.98), ("a", "x", 0.97)]
    assert _groups(corroborated(["a", "a2", "b", "x"], pairs, **THRESHOLDS)) == {
        frozenset({"a", "a2"}),
        frozenset({"b", "x"}),
    }
    # Decided by a reviewer, a-a2 joins last and outright: x-a joined {b, x} and a first.
    decided = corroborated(["a", "a2", "b", "x"], pairs[1:], **THRESHOLDS, certain=[("a", "a2")])
    assert _groups(decided) == {frozenset({"a", "a2", "b", "x"})}


def test_a_refused_join_is_asked_again_once_a_group_has_grown() -> None:
    # Eight registrations of one person (b0..b7). x matches b0 (0.97) and b1 (0.951): 2 of 8
    # pairs across, refused. Then y joins x (0.96), and y is a possible match of all eight:
    # 10 of the 16 pairs across {x, y} and the eight bear x-b1 out. Whichever of x and y has
    # the smaller id (and so names their group), the answer is the same.
    eight = [f"b{n}" for n in range(8)]
    for x, y in (("c", "d"), ("d", "c")):
        pairs = [(one, two, 0.99) for one, two in combinations(eight, 2)]
        pairs += [(x, "b0", 0.97), (x, "b1", 0.951), (x, y, 0.96)]
        pairs += [(y, b, 0.6) for b in eight]
        assert _groups(corroborated([*eight, x, y], pairs, **THRESHOLDS)) == {
            frozenset([*eight, x, y])
        }
    # d is a possible match of a (0.85) and of c (0.9), not of each other: the more probable
    # pair is taken first, whichever order the pairs come in.
    pairs = [("a", "d", 0.85), ("c", "d", 0.9)]
    for order in (pairs, pairs[::-1]):
        assert _groups(corroborated("acd", order, **THRESHOLDS)) == {
            frozenset("cd"),
            frozenset("a"),
        }


def test_clusters_are_named_by_their_smallest_id_and_do_not_depend_on_the_order() -> None:
    rng = random.Random(5)
    ids = [f"r{n:03d}" for n in range(120)]
    pairs = [
        (*sorted(rng.sample(ids, 2)), round(rng.choice([0.55, 0.7, 0.82, 0.9, 0.96, 0.99]), 2))
        for _ in range(300)
    ]
    first = corroborated(ids, pairs, **THRESHOLDS)
    assert len(_groups(first)) < len(ids)  # some pairs joined
    for members in _groups(first):
        assert {first[record] for record in members} == {min(members)}
    for _ in range(5):
        rng.shuffle(pairs)
        rng.shuffle(ids)
        swapped = [(y, x, p) if rng.random() < 0.5 else (x, y, p) for x, y, p in pairs]
        assert corroborated(ids, swapped, **THRESHOLDS) == first


def test_two_large_groups_one_pair_across_short_are_kept_apart() -> None:
    # Two persons of 150 registrations each (every pair within each at 0.99), every pair across
    # them at 0.9 but one not scored: no pair across joins them (each is checked once).
    ones = [f"a{n:03d}" for n in range(150)]
    twos = [f"b{n:03d}" for n in range(150)]
    pairs = [(x, y, 0.99) for group in (ones, twos) for x, y in combinations(group, 2)]
    pairs += [(x, y, 0.9) for x in ones for y in twos if (x, y) != ("a000", "b000")]
    assert _groups(corroborated(ones + twos, pairs, **THRESHOLDS)) == {
        frozenset(ones),
        frozenset(twos),
    }
    # And a third that joins one of them first is not let in through the other.
    pairs += [(x, "c", 0.97) for x in ones[:75]] + [("b001", "c", 0.9)]
    clusters = corroborated([*ones, *twos, "c"], pairs, **THRESHOLDS)
    assert _groups(clusters) == {frozenset([*ones, "c"]), frozenset(twos)}
    # One match in 150 does not let it in: it is not borne out by the other 149.
    # (Half of them did, above.)
    within = [(x, y, 0.99) for x, y in combinations(ones, 2)]
    lone = corroborated([*ones, "c"], [*within, ("a000", "c", 0.97)], **THRESHOLDS)
    assert _groups(lone) == {frozenset(ones), frozenset("c")}


def test_at_the_match_threshold_it_is_the_closure_of_the_matches() -> None:
    rng = random.Random(11)
    ids = [str(n) for n in range(200)]
    pairs = [(*rng.sample(ids, 2), rng.random()) for _ in range(400)]
    clusters = corroborated(ids, pairs, match=0.9, corroboration=0.9, possible=0.5, match_support=0)
    assert clusters == connected_components(ids, [(x, y) for x, y, p in pairs if p >= 0.9])


def test_the_corroboration_threshold_is_taken_between_the_other_two() -> None:
    assert LinkageSettings().corroboration == 0.7
    assert LinkageSettings(match_threshold=0.7).corroboration == 0.7
    assert LinkageSettings(possible_threshold=0.9).corroboration == 0.9
    assert LinkageSettings().as_dict()["corroboration_threshold"] == 0.7
    with pytest.raises(LinkageError, match="corroboration threshold"):
        LinkageSettings(corroboration_threshold=1.0)

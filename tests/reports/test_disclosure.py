"""Disclosure control: no published cell below the threshold and no total that reveals one."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from opennrm.core.disclosure import Audience, protect

counts = st.lists(st.integers(min_value=0, max_value=400), min_size=1, max_size=12)


@settings(max_examples=400, deadline=None)
@given(values=counts, threshold=st.integers(min_value=2, max_value=20))
def test_no_published_cell_is_below_the_threshold(values: list[int], threshold: int) -> None:
    table = [(f"c{i}", n) for i, n in enumerate(values)]
    result = protect(table, sum(values), audience=Audience.EXTERNAL, threshold=threshold)
    for (code, exact), cell in zip(table, result.cells, strict=True):
        assert cell.code == code
        if 0 < exact < threshold:
            assert cell.suppressed
        # What is shown is zero or at least the threshold.
        assert cell.count is None or cell.count == 0 or cell.count >= threshold
    assert result.total is None or not 0 < sum(values) < threshold


@settings(max_examples=400, deadline=None)
@given(values=counts)
def test_no_total_reveals_a_suppressed_cell(values: list[int]) -> None:
    """With the total published, a single withheld cell could be computed: never one alone."""
    table = [(f"c{i}", n) for i, n in enumerate(values)]
    result = protect(table, sum(values), audience=Audience.EXTERNAL)
    withheld = [n for (_, n), cell in zip(table, result.cells, strict=True) if cell.suppressed]
    if result.total is not None and withheld:
        # Total minus the published cells gives what the withheld cells hold together:
        # never a single cell, never a small number.
        assert len(withheld) >= 2
        assert sum(withheld) >= 11


@settings(max_examples=200, deadline=None)
@given(values=counts)
def test_published_counts_are_rounded_and_close(values: list[int]) -> None:
    table = [(f"c{i}", n) for i, n in enumerate(values)]
    result = protect(table, sum(values), audience=Audience.EXTERNAL)
    for (_code, exact), cell in zip(table, result.cells, strict=True):
        if cell.count is not None:
            assert cell.count % 5 == 0
            assert abs(cell.count - exact) <= 4  # 11 and 12 show as 15


def test_internal_audience_sees_exact_counts() -> None:
    result = protect([("Masculine", 466), ("Feminine", 3)], 469, audience=Audience.INTERNAL)
    assert [c.count for c in result.cells] == [466, 3]
    assert result.total == 469


def test_one_small_cell_takes_the_next_smallest_with_it() -> None:
    table = [("RU", 530), ("PL", 104), ("UA", 55), ("MD", 4), ("BY", 0)]
    result = protect(table, 693, audience=Audience.EXTERNAL)
    assert [c.count for c in result.cells] == [530, 105, None, None, 0]
    assert result.total == 695
    assert result.suppressed == 2


def test_small_cells_that_cannot_be_hidden_take_the_total_with_them() -> None:
    result = protect([("Masculine", 3), ("Feminine", 4)], 7, audience=Audience.EXTERNAL)
    assert [c.count for c in result.cells] == [None, None]
    assert result.total is None
    result = protect([("Masculine", 3), ("Feminine", 5)], 12, audience=Audience.EXTERNAL)
    assert result.total is None  # 3 + 5 withheld could be read off a published total

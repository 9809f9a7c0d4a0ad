"""What training keeps: every comparison's trained m values, and no field as a veto.

An EM session that fails (too few pairs in its block) leaves out of the linker's model the
comparisons its blocking rule used, and the run took such a comparison from before EM, with its
prior m. And EM on a register where a field is never written differently for one person puts
that level's m at 0: about -1,000 bits, so one mistyped sex or one new phone kept a person apart
for good.
"""

from __future__ import annotations

import dataclasses
import math
from typing import Any

import pytest
from benchmarks.linkage.synthetic_ua import generate

from opennrm.linkage.engine.model import M_FLOOR, level_weights, with_m_floor
from opennrm.linkage.engine.records import LinkageRecord
from opennrm.linkage.engine.run import LinkageSettings, _keep_whole, link


def _comparison(name: str, ms: list[float], *, tag: str = "") -> dict[str, Any]:
    levels: list[dict[str, Any]] = [{"label_for_charts": "missing", "is_null_level": True}]
    labels = ["same", "near", "different"][-len(ms) :]
    for label, m in zip(labels, ms, strict=True):
        levels.append({"label_for_charts": label, "m_probability": m, "u_probability": 0.5})
    return {"output_column_name": name, "comparison_levels": levels, "tag": tag}


def _model(comparisons: list[dict[str, Any]], prior: float) -> dict[str, Any]:
    return {"comparisons": comparisons, "probability_two_random_records_match": prior}


def test_a_comparison_comes_from_the_last_session_that_kept_it() -> None:
    before = _model(
        [_comparison(n, [0.6, 0.4], tag="prior") for n in ("name", "phone", "dob")], 0.001
    )
    # EM blocked on the date (the date left out), then one on the phone that failed (the phone
    # left out of every later model).
    on_date = _model(
        [_comparison("name", [0.9, 0.1], tag="1"), _comparison("phone", [0.8, 0.2], tag="1")],
        0.3,
    )
    on_phone = _model(
        [_comparison("name", [0.95, 0.05], tag="2"), _comparison("dob", [0.7, 0.3], tag="2")],
        0.4,
    )
    model = _keep_whole(before, [on_date, on_phone])
    tags = {c["output_column_name"]: c["tag"] for c in model["comparisons"]}
    assert tags == {"name": "2", "phone": "1", "dob": "2"}
    assert [c["output_column_name"] for c in model["comparisons"]] == ["name", "phone", "dob"]
    assert model["probability_two_random_records_match"] == 0.001
    # No EM session at all: the model as it was before.
    assert _keep_whole(before, []) == before


def test_no_level_is_below_the_floor_and_the_levels_add_up() -> None:
    model = _model(
        [_comparison("sex", [1.0, 0.0]), _comparison("dob", [0.7, 0.2999, 0.0001])], 0.01
    )
    floored = with_m_floor(model)
    for comparison in floored["comparisons"]:
        ms = [lv["m_probability"] for lv in comparison["comparison_levels"][1:]]
        assert min(ms) == pytest.approx(M_FLOOR)
        assert sum(ms) == pytest.approx(1.0)
    sex = [lv["m_probability"] for lv in floored["comparisons"][0]["comparison_levels"][1:]]
    assert sex == pytest.approx([1 - M_FLOOR, M_FLOOR])
    # The ratio of the levels above the floor is kept; the input is not changed.
    dob = [lv["m_probability"] for lv in floored["comparisons"][1]["comparison_levels"][1:]]
    assert dob[0] / dob[1] == pytest.approx(0.7 / 0.2999)
    assert model["comparisons"][0]["comparison_levels"][2]["m_probability"] == 0.0
    # A model already above the floor is left as it is.
    fine = _model([_comparison("name", [0.9, 0.1])], 0.01)
    assert with_m_floor(fine) == fine


def test_the_floor_keeps_the_total_and_never_makes_a_level_evidence_for_a_match() -> None:
    levels: list[dict[str, Any]] = [
        {"label_for_charts": "missing", "is_null_level": True},
        {"label_for_charts": "same", "m_probability": 0.9, "u_probability": 0.01},
        # rarer among non-matches than the floor: raised to its u (weight 0), not above it
        {"label_for_charts": "rare", "m_probability": 1e-6, "u_probability": 1e-4},
        {"label_for_charts": "near", "m_probability": 0.0010001, "u_probability": 0.2},
        {"label_for_charts": "different", "m_probability": 0.0, "u_probability": 0.79},
        {"label_for_charts": "not seen", "m_probability": "level not observed"},
    ]
    total = 0.9 + 1e-6 + 0.0010001  # Splink's medians need not add up to 1
    comparison = {"output_column_name": "x", "comparison_levels": levels}
    floored = with_m_floor(_model([comparison], 0.01))["comparisons"][0]["comparison_levels"]
    ms = {lv["label_for_charts"]: lv.get("m_probability") for lv in floored}
    assert ms["rare"] == pytest.approx(1e-4)
    assert ms["different"] == pytest.approx(M_FLOOR)
    assert ms["near"] >= M_FLOOR * (1 - 1e-9)  # scaled down, then raised again
    assert sum(m for m in ms.values() if isinstance(m, float)) == pytest.approx(total)
    assert ms["not seen"] == "level not observed"
    assert "m_probability" not in floored[0]


@pytest.fixture(scope="module")
def one_sex_per_person() -> tuple[list[LinkageRecord], dict[str, str], dict[str, Any]]:
    """A realistic register in which nobody's sex is ever written differently, and the model
    trained on it."""
    records, truth = generate(3000, seed=11)
    first: dict[str, str] = {}
    for record in records:
        first.setdefault(truth[record.record_id], record.sex)
    records = [dataclasses.replace(r, sex=first[truth[r.record_id]]) for r in records]
    return records, truth, link(records, LinkageSettings(threads=2)).model


def test_a_field_never_written_differently_is_no_veto(
    one_sex_per_person: tuple[list[LinkageRecord], dict[str, str], dict[str, Any]],
) -> None:
    records, _truth, model = one_sex_per_person
    sex = {label: weight for weight, label in level_weights(model)["sex"]}
    u_different = next(
        level["u_probability"]
        for comparison in model["comparisons"]
        if comparison["output_column_name"] == "sex"
        for level in comparison["comparison_levels"]
        if level.get("label_for_charts") == "different"
    )
    # At the floor, not at Splink's clamp of 1e-300 (about -1,000 bits before).
    assert sex["different"] == pytest.approx(math.log2(M_FLOOR / u_different), abs=0.01)
    assert sex["different"] > -12

    # A registration copied with its sex mistyped is still the same person: scored with the
    # trained model, its names and full date of birth join it to the registration it was
    # copied from (at -33 bits for the sex, as trained without the floor, they did not).
    original = next(
        r
        for r in records
        if len(str(r.birth_date)) == 10 and r.sex == "F" and not (r.phone or r.document_number)
    )
    mistyped = dataclasses.replace(original, record_id="mistyped", sex="M")
    result = link([*records, mistyped], LinkageSettings(threads=2), model=model)
    assert result.clusters["mistyped"] == result.clusters[original.record_id]


def test_a_failed_session_leaves_its_comparisons_to_the_later_ones(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The first session (blocked on the date of birth) fails: the later ones (on documents and
    phones) still train the date's m values, instead of leaving them at the prior."""
    from splink.internals.em_training_session import EMTrainingSession

    from opennrm.linkage.engine.model import settings_dict

    original = EMTrainingSession._train
    calls: list[str] = []

    def failing_first(self: Any) -> Any:
        calls.append("session")
        if len(calls) == 1:
            raise ValueError("too few pairs (a test)")
        return original(self)

    monkeypatch.setattr(EMTrainingSession, "_train", failing_first)
    records, _truth = generate(3000, seed=11)
    model = link(records, LinkageSettings(threads=2)).model
    assert len(calls) >= 2

    def m_values(settings: dict[str, Any]) -> list[float]:
        comparison = next(
            c for c in settings["comparisons"] if c["output_column_name"] == "birth_date"
        )
        return [lv["m_probability"] for lv in comparison["comparison_levels"][1:]]

    assert m_values(model) != pytest.approx(m_values(settings_dict()), abs=1e-3)

"""The ILO/EC indicator rules on worked examples, and the validation of the data file."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest

from opennrm.nrm.screening import indicators as ind
from opennrm.nrm.screening.indicators import (
    DATA_DIR,
    INCOMPLETE,
    NOT_ENOUGH,
    PRESUMED_VICTIM,
    IndicatorDataError,
    parse_indicator_set,
)

P, A, U = ind.PRESENT, ind.ABSENT, ind.UNKNOWN


def raw() -> dict[str, Any]:
    with (DATA_DIR / ind.CURRENT_FILE).open(encoding="utf-8") as handle:
        data: dict[str, Any] = json.load(handle)
    return data


def everything(list_key: str, value: str) -> dict[str, str]:
    return {i.id: value for i in ind.current_set().list(list_key).indicators}


def assess(list_key: str, answers: dict[str, str], *, rest: str | None = A) -> ind.Assessment:
    """Evaluate; indicators not named are `rest` (absent by default, None = unanswered)."""
    full = everything(list_key, rest) if rest else {}
    full.update(answers)
    return ind.current_set().evaluate(list_key, full)


# --- the data file ---------------------------------------------------------------------------


def test_adult_labour_sizes_per_dimension_are_those_of_the_brochure() -> None:
    iset = ind.current_set()
    lst = iset.list("adult_labour")
    sizes = [len(lst.of_dimension(d.code)) for d in iset.dimensions]
    assert sizes == [10, 10, 16, 9, 15, 7]


def test_the_file_has_the_four_lists_six_dimensions_and_its_source() -> None:
    iset = ind.current_set()
    assert sorted(iset.lists) == ["adult_labour", "adult_sexual", "child_labour", "child_sexual"]
    assert [d.number for d in iset.dimensions] == [1, 2, 3, 4, 5, 6]
    assert [d.code for d in iset.dimensions] == [
        "deceptive_recruitment",
        "coercive_recruitment",
        "recruitment_abuse_of_vulnerability",
        "exploitative_conditions",
        "coercion_at_destination",
        "abuse_of_vulnerability_at_destination",
    ]
    assert "wcms_105023" in iset.source["url"]
    assert "Verify against the ILO brochure" in iset.source["verify"]
    assert iset.version == "2009-09.2"
    data = raw()
    assert data["dimension_rule"]["verify"] is True
    assert all(rule["verify"] is True for rule in data["combination_rules"].values())


def test_ids_are_unique_and_every_indicator_has_english_and_ukrainian_text() -> None:
    ids = [i.id for lst in ind.current_set().lists.values() for i in lst.indicators]
    assert len(ids) == len(set(ids))
    for lst in ind.current_set().lists.values():
        for i in lst.indicators:
            assert i.text["en"].strip(), i.id
            assert i.text["uk"].strip(), i.id
            assert any("\u0400" <= ch <= "\u04ff" for ch in i.text["uk"]), i.id


def test_child_lists_have_no_weak_tier_and_adult_lists_do() -> None:
    for key, lst in ind.current_set().lists.items():
        weak = [i for i in lst.indicators if i.strength == ind.WEAK]
        if lst.age_group == "child":
            assert weak == [], key
        else:
            assert weak, key


def test_the_examples_of_domain_md_have_their_strengths() -> None:
    lst = ind.current_set().list("adult_labour").by_id()
    assert lst["al.dr.nature_job"].strength == ind.STRONG
    assert lst["al.dr.wages"].strength == ind.MEDIUM
    assert lst["al.dr.education"].strength == ind.WEAK
    assert lst["al.ec.excessive_hours"].strength == ind.STRONG
    assert lst["al.ec.hazardous"].strength == ind.MEDIUM
    for strong in ("documents", "debt_bondage", "isolation", "violence"):
        assert lst[f"al.cd.{strong}"].strength == ind.STRONG
    for medium in ("illicit", "tasks_clients", "threat_violence", "withholding_wages"):
        assert lst[f"al.cd.{medium}"].strength == ind.MEDIUM


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d["lists"]["adult_labour"]["indicators"].pop(), "sizes"),
        (
            lambda d: d["lists"]["adult_labour"]["indicators"][1].update(id="al.dr.nature_job"),
            "repeated",
        ),
        (lambda d: d["lists"]["adult_labour"]["indicators"][0].update(uk=""), "missing uk"),
        (lambda d: d["lists"]["child_labour"]["indicators"][0].update(strength="weak"), "strength"),
        (lambda d: d["lists"]["adult_labour"]["indicators"][0].update(dimension="x"), "dimension"),
        (lambda d: d["dimension_rule"]["any_of"][0][0].update(at_least=0), "at_least"),
        (lambda d: d["combination_rules"]["adult"]["all_of"][0].update(any_of=["x"]), "unknown"),
        (lambda d: d.pop("version"), "version"),
        (lambda d: d["source"].pop("url"), "source"),
    ],
)
def test_a_malformed_file_is_refused(change: Any, message: str) -> None:
    data = copy.deepcopy(raw())
    change(data)
    with pytest.raises(IndicatorDataError, match=message):
        parse_indicator_set(data)


def test_an_unknown_version_is_a_key_error() -> None:
    with pytest.raises(KeyError):
        ind.indicator_set("1999-01.1")
    assert ind.indicator_set("2009-09.2") is ind.current_set()


# --- the dimension rule ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("strong", "medium", "weak", "positive"),
    [
        (2, 0, 0, True),  # 2 strong
        (1, 1, 0, True),  # 1 strong + 1 medium
        (1, 0, 1, True),  # 1 strong + 1 weak
        (0, 3, 0, True),  # 3 medium
        (0, 2, 1, True),  # 2 medium + 1 weak
        (1, 0, 0, False),  # a lone strong indicator
        (0, 2, 0, False),
        (0, 1, 2, False),
        (0, 0, 5, False),  # weak indicators never suffice alone
        (0, 0, 0, False),
    ],
)
def test_dimension_rule(strong: int, medium: int, weak: int, positive: bool) -> None:
    counts = {ind.STRONG: strong, ind.MEDIUM: medium, ind.WEAK: weak}
    assert ind.current_set().rule.positive(counts) is positive


# --- worked examples -------------------------------------------------------------------------

# The user story: a man returned from a construction site in Russia. He was promised a wage,
# decent work and a place in a hostel (none of it true); his passport was taken on arrival,
# he "owed" the travel and lodging, and worked 12-hour days, seven days a week, for almost
# nothing, in a barrack.
CONSTRUCTION_SITE = {
    "al.dr.wages": P,  # medium
    "al.dr.conditions_work": P,  # medium
    "al.dr.housing": P,  # medium
    "al.cd.documents": P,  # strong
    "al.cd.debt_bondage": P,  # strong
    "al.ec.excessive_hours": P,  # strong
    "al.ec.low_salary": P,  # medium
    "al.ec.bad_living": P,  # medium
}


def test_construction_site_man_is_a_presumed_victim_with_dimensions_1_4_5() -> None:
    result = assess("adult_labour", CONSTRUCTION_SITE)
    assert result.outcome == PRESUMED_VICTIM
    assert result.positive_dimensions == [1, 4, 5]
    assert result.requirements == {
        "recruitment": True,
        "exploitation": True,
        "means_at_destination": True,
    }
    assert result.missing == ()
    dims = {d.number: d for d in result.dimensions}
    assert dims[1].present == {"strong": 0, "medium": 3, "weak": 0}
    assert dims[4].present == {"strong": 1, "medium": 2, "weak": 0}
    assert dims[5].present == {"strong": 2, "medium": 0, "weak": 0}
    assert (dims[1].absent, dims[1].open, dims[1].total) == (7, 0, 10)


def test_a_presumed_victim_stays_one_whatever_the_open_answers() -> None:
    result = assess("adult_labour", CONSTRUCTION_SITE, rest=None)
    assert result.outcome == PRESUMED_VICTIM
    assert result.answered == len(CONSTRUCTION_SITE)
    assert result.missing == ()


def test_two_medium_deceptions_and_a_lone_strong_exploitation_fall_short() -> None:
    # Deceived about wages and conditions (2 medium) is not a positive dimension, nor is
    # excessive hours alone (1 strong): coercion at destination alone does not make a victim.
    result = assess(
        "adult_labour",
        {
            "al.dr.wages": P,
            "al.dr.conditions_work": P,
            "al.cd.documents": P,
            "al.cd.debt_bondage": P,
            "al.ec.excessive_hours": P,
        },
    )
    assert result.outcome == NOT_ENOUGH
    assert result.positive_dimensions == [5]


def test_an_exploited_migrant_without_deception_or_coercion_is_not_a_presumed_victim() -> None:
    # Exploitative conditions and coercion at destination, but the recruitment was fair.
    answers = {
        "al.ec.excessive_hours": P,
        "al.ec.low_salary": P,
        "al.cd.withholding_wages": P,
        "al.cd.threat_denunciation": P,
        "al.cd.threat_worse": P,
    }
    result = assess("adult_labour", answers)
    assert result.outcome == NOT_ENOUGH
    assert result.positive_dimensions == [4, 5]
    assert result.requirements["recruitment"] is False


def test_deception_and_exploitation_without_means_at_destination_fall_short_for_an_adult() -> None:
    answers = {
        "al.dr.nature_job": P,
        "al.dr.wages": P,
        "al.ec.excessive_hours": P,
        "al.ec.hazardous": P,
    }
    result = assess("adult_labour", answers)
    assert result.outcome == NOT_ENOUGH
    assert result.positive_dimensions == [1, 4]
    assert result.requirements["means_at_destination"] is False


def test_abuse_of_vulnerability_can_be_the_recruitment_and_the_means() -> None:
    answers = {
        # 3: economic reasons, family situation, lack of information (3 medium)
        "al.vr.economic": P,
        "al.vr.family_situation": P,
        "al.vr.lack_information": P,
        # 4: no respect of labour law, low salary (2 medium) + no access to education (weak)
        "al.ec.labour_law": P,
        "al.ec.low_salary": P,
        "al.ec.no_education": P,
        # 6: dependency, unknown area (2 medium) + personal characteristics (weak)
        "al.vd.dependency": P,
        "al.vd.unknown_area": P,
        "al.vd.personal_characteristics": P,
    }
    result = assess("adult_labour", answers)
    assert result.outcome == PRESUMED_VICTIM
    assert result.positive_dimensions == [3, 4, 6]


def test_a_child_without_means_at_destination_is_a_presumed_victim() -> None:
    # A 15-year-old promised schooling and a job, made to work excessive hours in hazardous
    # work. No coercion or abuse of vulnerability at destination is needed for a child.
    answers = {
        "cl.dr.education": P,  # strong for children
        "cl.dr.nature_job": P,  # strong
        "cl.ec.excessive_hours": P,  # strong
        "cl.ec.hazardous": P,  # medium
    }
    result = assess("child_labour", answers)
    assert result.outcome == PRESUMED_VICTIM
    assert result.positive_dimensions == [1, 4]
    assert set(result.requirements) == {"act", "exploitation"}
    adult = assess(
        "adult_labour",
        {
            "al.dr.nature_job": P,
            "al.dr.education": P,
            "al.ec.excessive_hours": P,
            "al.ec.hazardous": P,
        },
    )
    assert adult.outcome == NOT_ENOUGH  # the same facts need means at destination for an adult


def test_a_child_still_needs_exploitation() -> None:
    result = assess("child_labour", {"cl.dr.nature_job": P, "cl.dr.education": P})
    assert result.outcome == NOT_ENOUGH
    assert result.requirements == {"act": True, "exploitation": False}


def test_sexual_exploitation_forced_clients_is_strong() -> None:
    answers = {
        "as.dr.nature_job": P,
        "as.dr.marriage_relationship": P,
        "as.ec.bad_living": P,
        "as.ec.low_salary": P,
        "as.ec.excessive_hours": P,
        "as.cd.tasks_clients": P,
        "as.cd.isolation": P,
    }
    result = assess("adult_sexual", answers)
    assert result.outcome == PRESUMED_VICTIM
    assert result.positive_dimensions == [1, 4, 5]


# --- incomplete screenings -------------------------------------------------------------------


def test_unknown_answers_make_it_incomplete_and_name_what_is_missing() -> None:
    # Recruitment and exploitation are clear, but nobody asked about the destination yet.
    answers = {k: v for k, v in CONSTRUCTION_SITE.items() if not k.startswith("al.cd.")}
    full = everything("adult_labour", A)
    full.update(answers)
    for key in full:
        if key.startswith(("al.cd.", "al.vd.")):
            full[key] = U
    result = ind.current_set().evaluate("adult_labour", full)
    assert result.outcome == INCOMPLETE
    assert result.positive_dimensions == [1, 4]
    assert result.requirements["means_at_destination"] is False
    lst = ind.current_set().list("adult_labour")
    expected = [i.id for i in lst.indicators if i.dimension.endswith("destination")]
    assert list(result.missing) == expected  # 15 + 7, in list order
    dims = {d.number: d for d in result.dimensions}
    assert dims[5].could_become_positive
    assert dims[6].could_become_positive
    assert not dims[2].could_become_positive  # answered absent: nothing can change it


def test_missing_lists_only_indicators_that_could_change_the_outcome() -> None:
    answers = dict(CONSTRUCTION_SITE)
    del answers["al.dr.housing"]  # dimension 1 is now 2 medium: not positive
    result = assess("adult_labour", {**answers, "al.dr.travel": U}, rest=A)
    assert result.outcome == INCOMPLETE
    assert result.missing == ("al.dr.travel",)  # one more medium would make dimension 1 positive


def test_an_unanswered_screening_is_incomplete_not_negative() -> None:
    result = ind.current_set().evaluate("adult_labour", {})
    assert result.outcome == INCOMPLETE
    assert result.answered == 0
    assert len(result.missing) == 67


def test_when_no_open_answer_can_help_the_result_is_not_enough() -> None:
    answers = everything("adult_labour", A)
    answers["al.dr.education"] = U  # one weak indicator cannot make any dimension positive
    result = ind.current_set().evaluate("adult_labour", answers)
    assert result.outcome == NOT_ENOUGH
    assert result.missing == ()


def test_answers_are_checked_against_the_list() -> None:
    lst = ind.current_set().list("adult_labour")
    assert ind.answer_problems(lst, {"al.dr.wages": P}) == {}
    assert set(ind.answer_problems(lst, {"cl.dr.wages": P, "al.dr.wages": "yes"})) == {
        "cl.dr.wages",
        "al.dr.wages",
    }
    with pytest.raises(ValueError, match="invalid answers"):
        ind.current_set().evaluate("adult_labour", {"al.dr.wages": "maybe"})


def test_the_stored_json_round_trips() -> None:
    result = assess("adult_labour", CONSTRUCTION_SITE).to_json()
    assert json.loads(json.dumps(result)) == result
    assert result["outcome"] == "presumed_victim"
    assert result["version"] == "2009-09.2"
    assert [d["number"] for d in result["dimensions"] if d["positive"]] == [1, 4, 5]


def test_the_system_check_reports_a_broken_file(monkeypatch: pytest.MonkeyPatch) -> None:
    from opennrm.nrm.screening import checks

    assert checks.indicator_files_are_valid() == []

    def broken() -> ind.IndicatorSet:
        raise IndicatorDataError("lists.adult_labour: sizes differ")

    monkeypatch.setattr(ind, "current_set", broken)
    [error] = checks.indicator_files_are_valid()
    assert error.id == "opennrm.screening.E001"
    assert "sizes differ" in error.msg

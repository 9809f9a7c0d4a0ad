"""Identification (issue 9, points 7-9): sexual-exploitation lists of their own, shown "verify"
where reconstructed; the child rule without means; labour and sexual lists in one screening."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from opennrm.accounts.models import User
from opennrm.nrm.screening import indicators as ind
from opennrm.nrm.screening import queries
from opennrm.nrm.screening.indicators import NOT_ENOUGH, PRESUMED_VICTIM
from opennrm.nrm.screening.labels import VERIFY_MARK, VERIFY_NOTICE
from opennrm.nrm.screening.models import Screening
from opennrm.nrm.screening.services import record_screening, update_answers
from opennrm.tenancy.actor import Actor
from opennrm.web.screening.forms import field_name
from tests.nrm.test_screening_api import URL, api, post
from tests.nrm.test_screening_rules import assess
from tests.nrm.test_screening_web import in_english

P, A = ind.PRESENT, ind.ABSENT

# Labour-only items: none of them belongs in a sexual-exploitation list.
LABOUR_ONLY = ("work contract", "wage manipulation", "social protection", "labour law")

# A woman offered work as a waitress abroad, taken to a flat, her passport taken, made to see
# the clients the "owner" chose, every day, without condoms, the money kept.
WAITRESS_ABROAD = {
    "as.dr.nature_job": P,  # strong
    "as.dr.travel": P,  # medium
    "as.ec.excessive_hours": P,  # medium
    "as.ec.specific_conditions": P,  # medium
    "as.ec.low_salary": P,  # medium
    "as.cd.documents": P,  # strong
    "as.cd.tasks_clients": P,  # strong
}

# A 15-year-old sent by her uncle to "help in a relative's café": no deception, no coercion,
# no abuse of vulnerability asked or recorded, but excessive hours in hazardous work.
CHILD_SENT_BY_UNCLE = {
    "c.act.recruited": P,
    "cl.ec.excessive_hours": P,  # strong
    "cl.ec.hazardous": P,  # medium
}


# --- point 7: the sexual-exploitation lists ---------------------------------------------


@pytest.mark.parametrize(
    ("sexual", "labour"), [("adult_sexual", "adult_labour"), ("child_sexual", "child_labour")]
)
def test_the_sexual_lists_are_their_own_not_copies_of_the_labour_lists(
    sexual: str, labour: str
) -> None:
    iset = ind.current_set()
    sex, lab = iset.list(sexual), iset.list(labour)
    sex_texts = [i.text["en"].lower() for i in sex.indicators]
    lab_texts = {i.text["en"].lower() for i in lab.indicators}
    for phrase in LABOUR_ONLY:
        assert not [t for t in sex_texts if phrase in t], phrase
    assert any("prostitution" in t for t in sex_texts)
    assert any("pornography" in t for t in sex_texts)
    assert any("clients" in t for t in sex_texts)
    assert any("specific conditions" in t for t in sex_texts)
    # Not the same list under another name: the exploitative conditions differ entirely.
    sex_conditions = {i.text["en"] for i in sex.of_dimension("exploitative_conditions")}
    lab_conditions = {i.text["en"] for i in lab.of_dimension("exploitative_conditions")}
    assert sex_conditions != lab_conditions
    assert len(set(sex_texts) - lab_texts) >= 15
    # A reconstructed list says so; the labour lists are checked.
    assert sex.transcription == "reconstructed"
    assert sex.needs_verify
    assert not lab.needs_verify


def test_the_child_sexual_list_has_no_weak_tier_and_any_use_in_prostitution_is_strong() -> None:
    lst = ind.current_set().list("child_sexual")
    assert {i.strength for i in lst.indicators} == {"strong", "medium"}
    assert lst.by_id()["cs.ec.used_in_prostitution"].strength == "strong"


def test_a_typical_sexual_exploitation_case_screens_positive_by_the_ilo_ec_rule() -> None:
    result = assess("adult_sexual", WAITRESS_ABROAD)
    assert result.outcome == PRESUMED_VICTIM
    assert result.positive_dimensions == [1, 4, 5]
    assert result.requirements == {
        "recruitment": True,
        "exploitation": True,
        "means_at_destination": True,
    }


def test_the_first_version_stays_installed_for_old_screenings() -> None:
    old = ind.indicator_set("2009-09.1")
    assert "as.dr.contract" in old.list("adult_sexual").by_id()  # the copy, kept as it was
    assert ind.current_set().version == "2009-09.2"


def test_the_verify_marker_is_shown_on_the_form_the_answers_the_result_and_the_api(
    caseworker: User,
) -> None:
    client = in_english(caseworker)
    new = client.get("/screenings/new/").content.decode()
    assert new.count(str(VERIFY_MARK)) >= 2  # beside each sexual list (and the mixed choices)
    started = client.post("/screenings/new/", {"list_key": "adult_sexual", "gender": "Feminine"})
    assert started.status_code == 302
    answers_page = client.get(started["Location"]).content.decode()
    assert str(VERIFY_NOTICE) in answers_page
    screening = Screening.objects.get()
    data = {field_name(k): v for k, v in WAITRESS_ABROAD.items()}
    assert client.post(started["Location"], data).status_code == 302
    detail = client.get(f"/screenings/{screening.id}/").content.decode()
    assert str(VERIFY_NOTICE) in detail
    assert str(VERIFY_MARK) in detail
    assert "Presumed victim, refer" in detail
    listing = client.get("/screenings/").content.decode()
    assert str(VERIFY_MARK) in listing
    body = api(caseworker).get(f"{URL}{screening.id}/").json()
    assert body["lists_to_verify"] == ["adult_sexual"]
    assert body["verify_notice"] == str(VERIFY_NOTICE)


def test_a_labour_screening_carries_no_verify_marker(caseworker: User, actor_a: Actor) -> None:
    screening = record_screening(actor=actor_a, list_key="adult_labour")
    client = in_english(caseworker)
    detail = client.get(f"/screenings/{screening.id}/").content.decode()
    assert str(VERIFY_NOTICE) not in detail
    body = api(caseworker).get(f"{URL}{screening.id}/").json()
    assert body["lists_to_verify"] == []
    assert body["verify_notice"] is None


# --- point 8: children, without means ----------------------------------------------------


def test_a_child_recruited_by_a_relative_without_deception_screens_positive() -> None:
    result = assess("child_labour", CHILD_SENT_BY_UNCLE)
    assert result.outcome == PRESUMED_VICTIM
    assert result.requirements == {"act": True, "exploitation": True}
    # No recruitment dimension (deception, coercion, abuse of vulnerability) is positive.
    assert result.positive_dimensions == [4]


def test_a_child_in_prostitution_brought_by_her_boyfriend_screens_positive() -> None:
    result = assess(
        "child_sexual",
        {"c.act.moved": P, "cs.ec.used_in_prostitution": P, "cs.ec.excessive_hours": P},
    )
    assert result.outcome == PRESUMED_VICTIM


def test_a_child_needs_the_act_or_a_recruitment_dimension_and_exploitation() -> None:
    no_act = assess(
        "child_labour",
        {
            "cl.ec.excessive_hours": P,
            "cl.ec.hazardous": P,
            "c.act.recruited": A,
            "c.act.moved": A,
            "c.act.harboured": A,
        },
    )
    assert no_act.outcome == NOT_ENOUGH
    assert no_act.requirements == {"act": False, "exploitation": True}
    open_act = assess("child_labour", {"cl.ec.excessive_hours": P, "cl.ec.hazardous": P}, rest=None)
    assert open_act.outcome == ind.INCOMPLETE
    assert {"c.act.recruited", "c.act.moved", "c.act.harboured"} <= set(open_act.missing)


def test_the_adult_rule_still_requires_the_means() -> None:
    result = assess("adult_labour", {"al.ec.excessive_hours": P, "al.ec.hazardous": P})
    assert result.outcome == NOT_ENOUGH
    with pytest.raises(ValueError, match=r"c\.act\.recruited"):
        assess("adult_labour", {"c.act.recruited": P})


def test_the_service_records_the_child_as_a_presumed_victim(actor_a: Actor) -> None:
    screening = record_screening(
        actor=actor_a, list_key="child_labour", answers=CHILD_SENT_BY_UNCLE
    )
    assert screening.outcome == PRESUMED_VICTIM


# --- point 9: labour and sexual exploitation in one screening ------------------------------


def test_one_screening_covers_labour_and_sexual_exploitation(actor_a: Actor) -> None:
    labour_only_partly = {"al.dr.nature_job": P, "al.ec.excessive_hours": P}
    screening = record_screening(
        actor=actor_a,
        list_keys=["adult_labour", "adult_sexual"],
        answers={**labour_only_partly, **WAITRESS_ABROAD},
    )
    assert screening.list_keys == ["adult_labour", "adult_sexual"]
    assert screening.second_list_key == "adult_sexual"
    assert screening.outcome == PRESUMED_VICTIM  # the union: positive on the sexual list
    by_list = {a["list"]: a["outcome"] for a in screening.result["assessments"]}
    assert by_list["adult_sexual"] == PRESUMED_VICTIM
    assert by_list["adult_labour"] != PRESUMED_VICTIM
    assert screening.result["lists"] == ["adult_labour", "adult_sexual"]
    assert ind.positive_dimensions(screening.result) == [1, 4, 5]
    # Found under either list.
    for key in ("adult_labour", "adult_sexual"):
        found = queries.filter_screenings(
            Screening.objects.all(), queries.ScreeningFilters(list_key=key)
        )
        assert list(found) == [screening]
    # Answers of both lists can be changed; an id of neither is refused.
    changed = update_answers(
        actor=actor_a, screening=screening, answers={"as.cd.tasks_clients": A}, replace=False
    )
    assert [a["outcome"] for a in changed.result["assessments"]] == [ind.INCOMPLETE] * 2
    assert changed.outcome == ind.INCOMPLETE
    with pytest.raises(ValidationError):
        update_answers(actor=actor_a, screening=screening, answers={"cl.ec.hazardous": P})


@pytest.mark.parametrize(
    "keys",
    [
        ["adult_labour", "child_sexual"],  # two age groups
        ["adult_labour", "adult_labour"],  # the same list twice
        ["adult_sexual", "adult_labour", "child_labour"],
        [],
    ],
)
def test_lists_that_cannot_make_one_screening_are_refused(actor_a: Actor, keys: list[str]) -> None:
    with pytest.raises(ValidationError) as caught:
        record_screening(actor=actor_a, list_keys=keys)
    assert "list_key" in caught.value.message_dict


def test_a_mixed_child_screening_asks_the_act_once(actor_a: Actor) -> None:
    screening = record_screening(
        actor=actor_a,
        list_keys=["child_labour", "child_sexual"],
        answers={"c.act.recruited": P, "cs.ec.used_in_prostitution": P, "cs.ec.pornography": P},
    )
    assert screening.outcome == PRESUMED_VICTIM
    outcomes = [a["outcome"] for a in screening.result["assessments"]]
    assert outcomes[1] == PRESUMED_VICTIM


def test_the_web_form_records_a_mixed_screening(caseworker: User) -> None:
    client = in_english(caseworker)
    page = client.get("/screenings/new/").content.decode()
    assert 'value="adult_labour+adult_sexual"' in page
    started = client.post(
        "/screenings/new/", {"list_key": "adult_labour+adult_sexual", "gender": "Feminine"}
    )
    assert started.status_code == 302
    screening = Screening.objects.get()
    assert screening.list_keys == ["adult_labour", "adult_sexual"]
    form = client.get(started["Location"]).content.decode()
    assert 'id="adult_labour-dimension-1"' in form
    assert 'id="adult_sexual-dimension-1"' in form
    assert field_name("as.cd.tasks_clients") in form
    assert field_name("al.cd.documents") in form
    data = {field_name(k): v for k, v in WAITRESS_ABROAD.items()}
    assert client.post(started["Location"], data).status_code == 302
    detail = client.get(f"/screenings/{screening.id}/")
    html = detail.content.decode()
    assert "Presumed victim, refer" in html
    assert [p["key"] for p in detail.context["view"]["lists"]] == ["adult_labour", "adult_sexual"]
    assert 'id="list-adult_sexual"' in html


def test_the_api_records_a_mixed_screening(caseworker: User) -> None:
    client = api(caseworker)
    created = post(
        client, URL, {"lists": ["adult_labour", "adult_sexual"], "answers": WAITRESS_ABROAD}
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["lists"] == ["adult_labour", "adult_sexual"]
    assert body["outcome"] == PRESUMED_VICTIM
    assert [a["list"] for a in body["result"]["assessments"]] == ["adult_labour", "adult_sexual"]
    assert body["lists_to_verify"] == ["adult_sexual"]
    both = post(client, URL, {"list": "adult_labour", "lists": ["adult_sexual"]})
    assert both.status_code == 400
    mixed_ages = post(client, URL, {"lists": ["adult_labour", "child_sexual"]})
    assert mixed_ages.status_code == 400
    assert "list" in mixed_ages.json()["error"]["fields"]

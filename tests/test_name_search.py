"""Names as people type them: beginnings, transliterations, equivalents, swapped order, all by
blind index, never across agencies, and each result saying why it matched."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.core.management import call_command

from opennrm.access import policy
from opennrm.access.fields import IDENTITY
from opennrm.access.scope import field_scope
from opennrm.accounts.models import User
from opennrm.accounts.services import issue_api_token
from opennrm.audit.models import AuditEvent
from opennrm.cases.models import Case
from opennrm.cases.queries import NameMatch, name_matches, search_by_name
from opennrm.core import name_keys
from opennrm.people.identity import NAME_FIELDS
from opennrm.people.models import Person, PersonSearchKey
from opennrm.tenancy.actor import Actor, actor_for
from tests.conftest import logged_in, person_input

SPELLINGS = [
    "Shevchenkovich",
    "Shevchenkovych",
    "Alexander Shevchenkovich",
    "Oleksandr Shevchenkovych",
    "Шевченк",
    "Шевченкович Олександр",
    "Александр Шевченкович",
    "SHEVCHENKOVYCH OLEKSANDR",
    "Shevch",
    "Шевченко",
    "Sasha Shevchenkovich",
    "Олександр",
]


@pytest.fixture
def olexandr(make_case: Callable[..., Case], actor_a: Actor) -> Case:
    return make_case(actor_a, person_input("Олександр", "Шевченкович"))


@pytest.fixture
def theirs(make_case: Callable[..., Case], outsider: User) -> Case:
    """The same person in another agency's case, not shared with agency A."""
    return make_case(actor_for(outsider), person_input("Олександр", "Шевченкович"))


def _search(actor: Actor, text: str) -> list[Case]:
    return list(search_by_name(field_scope(actor).cases_showing(IDENTITY), text))


@pytest.mark.parametrize("query", SPELLINGS)
def test_every_spelling_finds_the_person_and_only_in_the_own_agency(
    query: str, olexandr: Case, theirs: Case, actor_a: Actor
) -> None:
    assert _search(actor_a, query) == [olexandr]


@pytest.mark.parametrize(
    "query",
    ["Шевчук", "Shevchuk", "Олександр Шевчук", "Shevchenkovska", "Петро Шевченкович", "Шев"],
)
def test_other_names_do_not_find_the_person(query: str, olexandr: Case, actor_a: Actor) -> None:
    assert _search(actor_a, query) == []


def test_the_other_agency_finds_only_its_own_case(
    olexandr: Case, theirs: Case, outsider: User
) -> None:
    outsider_actor = actor_for(outsider)
    assert _search(outsider_actor, "Shevchenkovich") == [theirs]
    assert list(policy.visible_cases(outsider_actor)) == [theirs]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Шевченкович", [NameMatch("family_name", name_keys.EXACT)]),
        ("Shevchenkovich", [NameMatch("family_name", name_keys.TRANSLIT)]),
        ("Шевченк", [NameMatch("family_name", name_keys.PREFIX)]),
        (
            "Alexander Shevchenkovych",
            [
                NameMatch("first_name", name_keys.EQUIVALENT),
                NameMatch("family_name", name_keys.EXACT),
            ],
        ),
    ],
)
def test_a_result_says_how_it_matched(
    query: str, expected: list[NameMatch], olexandr: Case
) -> None:
    assert name_matches(query, [olexandr.person_id]) == {olexandr.person_id: expected}


def test_the_case_list_shows_why_each_result_matched(olexandr: Case, caseworker: User) -> None:
    response = logged_in(caseworker).post("/cases/", {"q": "Alexander Шевченк"}, follow=True)
    assert response.status_code == 200
    [row] = response.context["rows"]
    assert row.case == olexandr
    assert row.matched == ("ім'я: еквівалент", "прізвище за початком")
    assert "прізвище за початком" in response.content.decode()


def test_the_reasons_in_english(olexandr: Case, caseworker: User) -> None:
    client = logged_in(caseworker)
    client.post("/i18n/setlang/", {"language": "en", "next": "/cases/"})
    response = client.post("/cases/", {"q": "Shevchenkovich Oleksandr"}, follow=True)
    [row] = response.context["rows"]
    assert row.matched == ("surname: transliteration", "given name: as written")


def test_the_api_search_finds_spellings_within_the_agency(
    olexandr: Case, theirs: Case, caseworker: User
) -> None:
    from django.test import Client

    token = issue_api_token(user=caseworker)
    client = Client(headers={"Authorization": f"Bearer {token}"})
    body = client.get("/api/v1/cases/", {"q": "Alexander Shevchenkovich"}).json()
    assert [row["id"] for row in body["results"]] == [str(olexandr.id)]


def test_reindex_fills_the_new_keys_of_existing_persons(olexandr: Case, actor_a: Actor) -> None:
    # A person indexed before the new kinds of key: only the exact forms.
    PersonSearchKey.objects.exclude(field__in=NAME_FIELDS).delete()
    assert _search(actor_a, "Shevchenkovich") == []
    call_command("reindex_names", verbosity=0)
    assert _search(actor_a, "Shevchenkovich") == [olexandr]
    assert _search(actor_a, "Шевченк") == [olexandr]
    # The rebuild is audited like every write of the operator commands: counts only.
    event = AuditEvent.objects.filter(action="person.search_keys_rebuilt").get()
    assert (event.actor_id, event.object_id) == (None, "")
    assert event.detail == {"persons": Person.objects.count(), "erased_skipped": 0}


def test_a_token_that_matches_a_person_several_ways_counts_the_person_once(
    make_case: Callable[..., Case], actor_a: Actor, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A token matches several of a person's key rows (as written, transliterated, by its
    beginning): the limit on persons looked up counts persons, not rows, or the first rows
    could all be one person's and another person would go missing without the subquery."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from opennrm.cases import queries

    cases = [make_case(actor_a, person_input("Олександр", "Шевченкович")) for _ in range(2)]
    monkeypatch.setattr(queries, "MAX_PERSON_IDS", 2)
    with CaptureQueriesContext(connection) as run:
        found = _search(actor_a, "Шевченкович")
    assert sorted(c.id for c in found) == sorted(c.id for c in cases)
    lookups = [q["sql"] for q in run.captured_queries if "personsearchkey" in q["sql"]]
    assert lookups
    assert all("SELECT DISTINCT" in sql and "LIMIT 3" in sql for sql in lookups)

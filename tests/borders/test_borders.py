"""Group identification, CSV import all or nothing, stops counted apart from victims, incidents
with IDPs in the statistics."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from opennrm.accounts.models import User
from opennrm.borders import services
from opennrm.borders.models import Incident, Operation
from opennrm.cases.models import Case
from opennrm.people.identity import open_identity
from opennrm.reports.indicators import Filters
from opennrm.tenancy.actor import actor_for
from opennrm.tenancy.models import Agency
from tests.conftest import logged_in


@pytest.fixture
def guards(db: Any) -> Agency:
    return Agency.objects.create(
        name="Border guard detachment, Sumy (synthetic)", kind="StateBorderGuardService"
    )


@pytest.fixture
def guard(make_user: Callable[..., User], guards: Agency) -> User:
    return make_user("b.guard", guards, "border_guard")


def twenty() -> list[dict[str, Any]]:
    return [
        {"name": f"Особа{i} Тестова", "sex": "Feminine" if i % 2 else "Masculine", "age": 20 + i}
        for i in range(19)
    ] + [{"description": "woman in a red coat, no documents", "sex": "Feminine", "age": 30}]


def test_twenty_persons_at_a_crossing_point_become_twenty_cases(guard: User) -> None:
    client = logged_in(guard)
    response = client.post(
        "/api/v1/operations/",
        {
            "kind": "BorderCheck",
            "held_on": "2016-08-12",
            "crossing_point": "UA-59-Bachivsk",
            "persons": twenty(),
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert len(body["case_ids"]) == 20
    assert body["oblast"] == "UA-59"
    case = Case.objects.get(id=body["case_ids"][0])
    assert case.channel == "BorderCheck"
    assert case.identification_oblast == "UA-59"
    # A single name is kept as written (an alias to complete), never split by guessing; the
    # age is an estimated age at identification, not an invented birth date.
    found = {}
    for c in Case.objects.filter(id__in=body["case_ids"]):
        identity = open_identity(c.person)
        assert (identity.family_name, identity.first_name) == ("", "")
        assert identity.birth_date.isoformat() == ""
        (alias,) = identity.aliases
        found[alias] = c.age_at_identification
    assert found["Особа3 Тестова"] == 23
    assert found["woman in a red coat, no documents"] == 30
    assert client.get(f"/api/v1/operations/{body['id']}/").status_code == 200


def test_a_bad_person_refuses_the_whole_operation_naming_the_row(guard: User) -> None:
    persons = twenty()
    persons[4] = {"sex": "Feminine"}  # neither a name nor a description
    persons[7]["age"] = 300
    response = logged_in(guard).post(
        "/api/v1/operations/",
        {
            "kind": "BorderCheck",
            "held_on": "2016-08-12",
            "crossing_point": "UA-59-Bachivsk",
            "persons": persons,
        },
        content_type="application/json",
    )
    assert response.status_code == 400
    messages = response.json()["error"]["fields"]["persons"]
    assert any(m.startswith("Row 5:") for m in messages)
    assert any(m.startswith("Row 8:") for m in messages)
    assert not Operation.objects.exists()
    assert not Case.objects.exists()


def test_csv_import_all_or_nothing(guard: User) -> None:
    actor = actor_for(guard)
    good = "name;sex;age;citizenship;language\nТестенко Ірина;Ж;24;UA;uk\nDoe Ana;F;31;MD;ro\n"
    persons = services.read_person_list(good.encode(), "list.csv")
    assert [p.sex for p in persons] == ["Feminine", "Feminine"]
    bad = good + "Третя Особа;X;abc;ZZ;\n"
    with pytest.raises(ValidationError) as exc:
        services.read_person_list(bad.encode(), "list.csv")
    (message,) = exc.value.message_dict["file"][:1]
    assert message.startswith("Row 4:")
    client = logged_in(guard)
    from django.core.files.uploadedfile import SimpleUploadedFile

    refused = client.post(
        "/api/v1/operations/import/",
        {
            "kind": "BorderCheck",
            "held_on": "2016-08-12",
            "crossing_point": "UA-63-Hoptivka",
            "file": SimpleUploadedFile("list.csv", bad.encode()),
        },
    )
    assert refused.status_code == 400
    assert not Case.objects.exists()
    done = client.post(
        "/api/v1/operations/import/",
        {
            "kind": "BorderCheck",
            "held_on": "2016-08-12",
            "crossing_point": "UA-63-Hoptivka",
            "file": SimpleUploadedFile("list.csv", good.encode()),
        },
    )
    assert done.status_code == 201, done.content
    assert Case.objects.filter(owner_agency=actor.agency).count() == 2


def test_a_list_with_family_and_given_names_keeps_them_apart(guard: User) -> None:
    text = (
        "family_name;given_names;name;sex;age\nТестенко;Ірина Петрівна;;Ж;24\n;;Doe Ana Maria;F;\n"
    )
    persons = services.read_person_list(text.encode(), "list.csv")
    assert [(p.family_name, p.given_names, p.name) for p in persons] == [
        ("Тестенко", "Ірина Петрівна", ""),
        ("", "", "Doe Ana Maria"),
    ]
    operation = services.record_operation(
        actor=actor_for(guard),
        data=services.OperationInput(
            kind="BorderCheck",
            held_on=dt.date(2016, 8, 12),
            crossing_point="UA-63-Hoptivka",
            persons=persons,
        ),
    )
    first, second = sorted(operation.cases.all(), key=lambda c: c.age_at_identification or 0)
    named = open_identity(second.person)
    assert (named.family_name, named.first_name, named.aliases) == (
        "Тестенко",
        "Ірина Петрівна",
        [],
    )
    assert second.age_at_identification == 24
    assert named.birth_date.isoformat() == ""
    as_written = open_identity(first.person)
    assert (as_written.family_name, as_written.aliases) == ("", ["Doe Ana Maria"])
    assert first.age_at_identification is None


def test_caseworkers_record_no_operations(caseworker: User, guard: User) -> None:
    assert logged_in(caseworker).get("/api/v1/operations/").status_code == 403
    assert logged_in(caseworker).get("/api/v1/border-stops/").status_code == 403


def test_stops_and_idp_incidents_are_counted_apart(
    guard: User, caseworker: User, make_case: Callable[..., Case], actor_a: Any
) -> None:
    from opennrm.reports.indicators import compute

    guard_actor = actor_for(guard)
    services.record_stop(
        actor=guard_actor,
        data=services.StopInput(
            crossing_point="UA-63-Hoptivka", stopped_on=dt.date(2016, 5, 2), persons=3
        ),
    )
    make_case(guard_actor)  # the guards' agency has cases, so its stops are in scope
    case = make_case(actor_a)
    for index in range(19):
        services.record_incident(
            actor=actor_a,
            data=services.IncidentInput(
                occurred_on=dt.date(2015, 3, 1) + dt.timedelta(days=30 * index),
                victims=2 if index % 3 == 0 else 1,
                involves_idp=True,
                idp_origin="OccupiedTerritory",
                cases=[case] if index == 0 else [],
            ),
        )
    with pytest.raises(ValidationError):
        services.record_incident(
            actor=actor_a,
            data=services.IncidentInput(occurred_on=dt.date(2016, 1, 1), involves_idp=True),
        )
    assert Incident.objects.count() == 19
    filters = Filters(start=dt.date(2015, 1, 1), end=dt.date(2016, 12, 31))
    tables = {t.key: t for t in compute(Case.objects.all(), filters, None).tables}
    rows = {r.code: r.count for r in tables["incidents"].rows}
    assert rows["idp"] == 19
    assert rows["persons"] == 19 + 7
    stops = {r.code: r.count for r in tables["stops"].rows}
    assert stops["PreventedDeparture"] == 3

"""`core.bulk`: rows inserted without the ORM's per-instance work must read back exactly as
`save()` would have written them, on SQLite (executemany) and PostgreSQL (one INSERT from
arrays, under row-level security), and a bad row must write nothing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.forms.models import model_to_dict

from opennrm.audit.models import AuditEvent
from opennrm.cases.models import Case, CaseCode, TraffickingEvent
from opennrm.core.bulk import insert_models, insert_rows
from opennrm.people.models import Person
from opennrm.tenancy.actor import Actor


def _stored(obj: Any) -> dict[str, Any]:
    fresh = type(obj).objects.get(pk=obj.pk)
    return {f.name: getattr(fresh, f.attname) for f in fresh._meta.concrete_fields}


def test_insert_models_stores_what_save_stores(
    actor_a: Actor, make_case: Callable[..., Case]
) -> None:
    case = make_case(actor_a)
    events = [
        TraffickingEvent(case=case, type="Recruitment", country="UA", oblast="UA-46"),
        TraffickingEvent(
            case=case,
            type="Exploitation",
            country="PL",
            started_on=dt.date(2024, 2, 29),
            ended_on=None,
        ),
    ]
    persons = [
        Person(
            agency=actor_a.agency,
            kek_id="k1",
            wrapped_data_key=b"\x00\xffkey",
            first_name_enc=bytes(range(256)),
            gender="Female",
            citizenships=["UA", "MD"],
            is_idp=True,
            origin_oblast="UA-14",
        ),
        Person(agency=actor_a.agency, kek_id="k1", wrapped_data_key=b"", citizenships=[]),
    ]
    assert insert_models(events) == 2
    assert insert_models(persons) == 2
    for obj in [*events, *persons]:
        assert not obj._state.adding
        stored = _stored(obj)
        assert stored == {f.name: getattr(obj, f.attname) for f in obj._meta.concrete_fields}
    # auto_now_add and auto_now filled as save() would, in the instance and the row
    assert persons[0].created_at is not None
    assert _stored(persons[0])["created_at"] == persons[0].created_at
    assert _stored(persons[0])["first_name_enc"] == bytes(range(256))
    assert _stored(persons[0])["citizenships"] == ["UA", "MD"]
    assert model_to_dict(TraffickingEvent.objects.get(pk=events[1].pk))["ended_on"] is None


def test_insert_models_takes_one_model_with_its_keys(
    actor_a: Actor, make_case: Callable[..., Case]
) -> None:
    case = make_case(actor_a)
    event = TraffickingEvent(case=case, type="Transit", country="RO")
    with pytest.raises(ValueError, match="one model"):
        insert_models([event, Person(agency=actor_a.agency, kek_id="k", wrapped_data_key=b"")])
    audit = AuditEvent(action="x", prev_hash="", hash="")  # seq, its key, not set
    with pytest.raises(ValueError, match="primary key"):
        insert_models([audit])
    assert not TraffickingEvent.objects.filter(pk=event.pk).exists()
    assert insert_models([]) == 0


def test_insert_rows_refuses_a_short_row_and_writes_nothing(
    actor_a: Actor, make_case: Callable[..., Case]
) -> None:
    case = make_case(actor_a)
    before = CaseCode.objects.count()
    with pytest.raises(ValueError, match=r"\['case', 'list', 'code'\]"):
        insert_rows(CaseCode, ("case", "list", "code"), [(case.pk, "l", "a"), (case.pk, "l")])
    assert CaseCode.objects.count() == before
    # a repeated value (the case's id on every row) and plain text, converted per column
    assert (
        insert_rows(CaseCode, ("case", "list", "code"), [(case.pk, "l", "a"), (case.pk, "l", "b")])
        == 2
    )
    assert set(CaseCode.objects.filter(case=case, list="l").values_list("code", flat=True)) == {
        "a",
        "b",
    }

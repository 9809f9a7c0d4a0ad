"""`core.bulk`: rows inserted without the ORM's per-instance work must read back as the
instances hold them (what `save()` would write), on SQLite (executemany) and PostgreSQL (one
INSERT from arrays, under row-level security); a bad row writes nothing and a value too long
for its column is never cut."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
import time_machine
from django.db import DatabaseError, connection, models, transaction
from django.forms.models import model_to_dict
from django.test.utils import CaptureQueriesContext

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
    now = dt.datetime(2026, 3, 2, 9, 30, tzinfo=dt.UTC)
    with time_machine.travel(now, tick=False):
        assert insert_models(persons) == 2
    for obj in [*events, *persons]:
        assert not obj._state.adding
        stored = _stored(obj)
        assert stored == {f.name: getattr(obj, f.attname) for f in obj._meta.concrete_fields}
    # auto_now_add and auto_now filled as save() would, in the instance and the row
    assert persons[0].created_at == persons[0].updated_at == now
    assert _stored(persons[0])["created_at"] == now
    assert _stored(persons[0])["first_name_enc"] == bytes(range(256))
    assert _stored(persons[0])["citizenships"] == ["UA", "MD"]
    assert model_to_dict(TraffickingEvent.objects.get(pk=events[1].pk))["ended_on"] is None


def test_rows_inserted_together_have_one_time_of_writing(actor_a: Actor) -> None:
    """auto_now_add and auto_now are read once per statement (not once per row), in the
    instances and the rows alike; ciphertext bytes go as they are."""
    persons = [
        Person(agency=actor_a.agency, kek_id="k1", wrapped_data_key=bytes([n]) * 40)
        for n in range(3)
    ]
    assert insert_models(persons) == 3
    for name in ("created_at", "updated_at"):
        times = {getattr(p, name) for p in persons}
        assert len(times) == 1
        assert {_stored(p)[name] for p in persons} == times
    assert [bytes(_stored(p)["wrapped_data_key"]) for p in persons] == [
        bytes([n]) * 40 for n in range(3)
    ]


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


def test_insert_models_keeps_json_and_time_zones(actor_a: Actor) -> None:
    kyiv = dt.timezone(dt.timedelta(hours=2))
    event = AuditEvent(
        seq=10_000_001,
        at=dt.datetime(2026, 1, 5, 23, 30, tzinfo=kyiv),
        actor_id=None,
        agency_id=actor_a.agency.id if actor_a.agency else None,
        action="test.bulk",
        detail={"fields": ["a", 'quote " and \\ backslash'], "n": 3, "none": None},
        prev_hash="0" * 64,
        hash="1" * 64,
    )
    assert insert_models([event]) == 1
    stored = AuditEvent.objects.get(seq=10_000_001)
    assert stored.at == dt.datetime(2026, 1, 5, 21, 30, tzinfo=dt.UTC)
    assert stored.detail == event.detail
    assert stored.agency_id == event.agency_id
    assert stored.actor_id is None


def test_a_value_too_long_for_its_column_is_refused_not_cut(
    actor_a: Actor, make_case: Callable[..., Case]
) -> None:
    case = make_case(actor_a)
    long_list = "l" * 80  # CaseCode.list holds 48 characters
    if connection.vendor == "postgresql":
        with pytest.raises(DatabaseError, match="too long"), transaction.atomic():
            insert_rows(CaseCode, ("case", "list", "code"), [(case.pk, long_list, "a")])
        assert not CaseCode.objects.filter(case=case, code="a").exists()
    else:  # SQLite keeps text whole whatever the declared length: at least never cut
        insert_rows(CaseCode, ("case", "list", "code"), [(case.pk, long_list, "a")])
        assert CaseCode.objects.get(case=case, code="a").list == long_list


def test_the_insert_is_one_statement_seen_by_the_query_log(
    actor_a: Actor, make_case: Callable[..., Case]
) -> None:
    """On PostgreSQL the arrays go through a cursor of their own (binary parameters): it is
    wrapped as Django's are, so the query log, query budgets and execute wrappers see it."""
    case = make_case(actor_a)
    seen: list[str] = []

    def wrapper(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        seen.append(sql)
        return execute(sql, params, many, context)

    rows = [(case.pk, "logged", code) for code in ("a", "b", "c")]
    with CaptureQueriesContext(connection) as queries, connection.execute_wrapper(wrapper):
        assert insert_rows(CaseCode, ("case", "list", "code"), rows) == 3
    assert len(seen) == 1
    assert len(queries.captured_queries) == 1
    assert 'INSERT INTO "cases_casecode"' in queries.captured_queries[0]["sql"]
    assert sorted(CaseCode.objects.filter(list="logged").values_list("code", flat=True)) == [
        "a",
        "b",
        "c",
    ]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="array columns: PostgreSQL only")
def test_an_array_column_is_refused_not_flattened() -> None:
    from django.contrib.postgres.fields import ArrayField

    from opennrm.core.bulk import _array_type

    field = ArrayField(models.CharField(max_length=3))
    field.set_attributes_from_name("codes")
    with pytest.raises(ValueError, match="array column"):
        _array_type(field, connection)


def test_only_fields_that_send_a_value_as_it_is_skip_their_conversion() -> None:
    """A column goes unconverted only when its field's conversion would give the value back:
    not an auto id, not a field class that converts in its own way."""
    from opennrm.core.bulk import _plain_type

    class Upper(models.CharField):  # type: ignore[type-arg]
        def get_prep_value(self, value: Any) -> Any:
            return str(value).upper()

    assert _plain_type(models.CharField(max_length=3)) is str
    assert _plain_type(models.SlugField()) is str
    assert _plain_type(models.BigIntegerField()) is int
    assert _plain_type(models.PositiveSmallIntegerField()) is int
    assert _plain_type(models.BinaryField()) is bytes
    assert _plain_type(models.BigAutoField(primary_key=True)) is None
    assert _plain_type(Upper(max_length=3)) is None
    assert _plain_type(models.BooleanField()) is None
    assert _plain_type(models.UUIDField()) is None

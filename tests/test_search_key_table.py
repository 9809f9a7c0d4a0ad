"""The name search keys' table is a derived index without a foreign-key constraint in the
database (people/0006: the check of every row's person was an eighth of an import's time on
PostgreSQL); a person's rows still go with the person."""

from __future__ import annotations

import pytest
from django.db import connection

from opennrm.people.identity import Identity, index_identity, seal_identity
from opennrm.people.models import Person, PersonSearchKey
from opennrm.tenancy.models import Agency

pytestmark = pytest.mark.django_db


def _person(agency: Agency, family_name: str) -> Person:
    identity = Identity(first_name="Оксана", family_name=family_name)
    person = Person(agency=agency)
    seal_identity(person, identity)
    person.save()
    index_identity(person, identity)
    return person


def test_the_key_table_has_no_foreign_key_constraint() -> None:
    table = PersonSearchKey._meta.db_table
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, table)
    assert not [name for name, c in constraints.items() if c["foreign_key"]]
    # the person's rows are still found by an index of their own
    assert any(c["columns"] == ["person_id"] and c["index"] for c in constraints.values())


def test_a_persons_keys_go_with_the_person() -> None:
    agency = Agency.objects.create(name="Key NGO (synthetic)", kind="NGO", oblast="UA-63")
    gone, kept = _person(agency, "Бондарчук"), _person(agency, "Ткачишин")
    assert PersonSearchKey.objects.filter(person=gone).count() > 10
    kept_rows = PersonSearchKey.objects.filter(person=kept).count()
    gone.delete()
    assert not PersonSearchKey.objects.filter(person_id=gone.pk).exists()
    assert PersonSearchKey.objects.filter(person=kept).count() == kept_rows

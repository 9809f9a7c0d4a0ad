"""Persons as linkage records: decrypted in memory, in the process that runs the model."""

from __future__ import annotations

from collections.abc import Iterator

from django.db.models import QuerySet

from opennrm.linkage.engine.records import LinkageRecord
from opennrm.people.identity import open_identity
from opennrm.people.models import Person
from opennrm.vault.columns import SHREDDED

_COLUMNS = ("first_name", "middle_name", "family_name", "birth_date", "documents", "contact")


def linkage_record(person: Person) -> LinkageRecord:
    identity = open_identity(person, columns=_COLUMNS)
    birth = identity.birth_date
    birth_text = birth.isoformat()
    countries, phones, documents = person.citizenships or [], identity.phones, identity.documents
    return LinkageRecord(
        record_id=str(person.id),
        source=str(person.agency_id),
        given_name=identity.first_name,
        middle_name=identity.middle_name,
        family_name=identity.family_name,
        birth_date=birth_text,
        sex="" if person.gender == "NonSpecifiedUnknown" else person.gender,
        # The first two of each are compared (either agreeing with either of the other's).
        citizenship=countries[0] if countries else "",
        other_citizenship=countries[1] if len(countries) > 1 else "",
        phone=phones[0] if phones else "",
        other_phone=phones[1] if len(phones) > 1 else "",
        document_number=documents[0].number if documents else "",
        other_document=documents[1].number if len(documents) > 1 else "",
    )


def linkage_records(persons: QuerySet[Person], chunk: int = 2000) -> Iterator[LinkageRecord]:
    # An erased person has no identity left to compare (people.identity.forget_identity).
    for person in persons.exclude(kek_id=SHREDDED).order_by("id").iterator(chunk_size=chunk):
        yield linkage_record(person)

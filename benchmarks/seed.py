"""Fast but real seeding: the same encryption and blind index as `register_case`, in bulk.

Per case this does what `cases.services.register_case` does (validate the inputs, seal the
identity with a fresh data key, write the blind-index rows, derive the HTCDS exploitation codes,
write the codes and events), except two things: rows go in with `bulk_create` in batches, and
no `case.registered` audit event is written (the audit chain is one row at a time by design and
is not what these benchmarks measure). `verify_seed` checks a sample of the seeded rows against
the project's own `open_identity` and `index_identity`.
"""

from __future__ import annotations

import random
import time
from typing import Any

from django.db import transaction

from benchmarks.common import log
from benchmarks.synthetic import synthetic_case
from opennrm.cases.models import Case, CaseCode, TraffickingEvent
from opennrm.cases.services import (
    _apply_case,
    _apply_person,
    _derived_htcds_types,
    validate_inputs,
)
from opennrm.core import codes
from opennrm.people.identity import index_identity, open_identity, seal_identity, search_key_rows
from opennrm.people.models import Person, PersonSearchKey
from opennrm.tenancy.actor import Actor
from opennrm.vault.keyring import KeyRing, current_keyring


def _seed_batch(actor: Actor, rng: random.Random, size: int, ring: KeyRing) -> None:
    persons: list[Person] = []
    keys: list[PersonSearchKey] = []
    cases: list[Case] = []
    case_codes: list[CaseCode] = []
    events: list[TraffickingEvent] = []
    for _ in range(size):
        person_in, case_in = synthetic_case(rng)
        validate_inputs(person_in, case_in)
        person = Person(agency=actor.agency)
        _apply_person(person, person_in)
        seal_identity(person, person_in.identity, ring=ring)
        persons.append(person)
        keys.extend(
            PersonSearchKey(person=person, field=field, digest=digest)
            for field, digest in search_key_rows(person_in.identity, ring=ring)
        )
        case = Case(person=person, owner_agency=actor.agency, caseworker=actor.user)
        case.identifying_agency = actor.agency
        _apply_case(case, case_in, person_in.identity, actor)
        cases.append(case)
        multi = dict(case_in.multi)
        multi[codes.EXPLOITATION] = _derived_htcds_types(case_in)
        case_codes.extend(
            CaseCode(case=case, list=list_name, code=value)
            for list_name, values in multi.items()
            for value in sorted(set(values))
        )
        events.extend(
            TraffickingEvent(
                case=case,
                type=e.type,
                country=e.country,
                oblast=e.oblast,
                started_on=e.started_on,
                ended_on=e.ended_on,
            )
            for e in case_in.events
        )
    with transaction.atomic():
        Person.objects.bulk_create(persons, batch_size=500)
        PersonSearchKey.objects.bulk_create(keys, batch_size=2000)
        Case.objects.bulk_create(cases, batch_size=500)
        CaseCode.objects.bulk_create(case_codes, batch_size=2000)
        TraffickingEvent.objects.bulk_create(events, batch_size=2000)


def seed_cases(actor: Actor, target: int, *, batch: int = 1000, seed: int = 2016) -> dict[str, Any]:
    """Bring the actor's agency up to `target` cases; reuse what is already there."""
    existing = Case.objects.filter(owner_agency=actor.agency).count()
    report: dict[str, Any] = {"existing": existing, "added": 0, "seconds": 0.0}
    if existing >= target:
        log(f"reusing the seed: {existing} cases already there")
        return report
    ring = current_keyring()
    rng = random.Random(seed * 1_000_003 + existing)
    start = time.perf_counter()
    done = existing
    while done < target:
        size = min(batch, target - done)
        _seed_batch(actor, rng, size, ring)
        done += size
        elapsed = time.perf_counter() - start
        rate = (done - existing) / elapsed
        if done == target or (done - existing) % (batch * 10) == 0:
            log(f"seeded {done}/{target} cases ({rate:.0f} cases/s)")
    report["added"] = target - existing
    report["seconds"] = time.perf_counter() - start
    report["cases_per_second"] = report["added"] / report["seconds"]
    report["search_keys"] = PersonSearchKey.objects.count()
    report["case_codes"] = CaseCode.objects.count()
    return report


def verify_seed(actor: Actor, sample: int = 5) -> None:
    """Decrypt a few seeded people and re-index them with the project's own function.

    Raises when the blind-index rows written in bulk differ from `index_identity`'s (rolled
    back either way) or when the ciphertext does not open with the configured key ring.
    """
    persons = list(Person.objects.filter(agency=actor.agency).order_by("id")[:sample])
    for person in persons:
        identity = open_identity(person)
        before = set(PersonSearchKey.objects.filter(person=person).values_list("field", "digest"))
        with transaction.atomic():
            index_identity(person, identity)
            after = set(
                PersonSearchKey.objects.filter(person=person).values_list("field", "digest")
            )
            transaction.set_rollback(True)
        if before != after:
            raise AssertionError(f"seeded search keys differ from index_identity for {person}")

"""Fast and real seeding: synthetic cases registered in batches through
`cases.services.register_cases`, the service the HTCDS import uses (the same validation,
encryption, blind index, codes, events and audit events as `register_case`, in bulk inserts).
`verify_seed` checks a sample of the seeded rows against the project's own `open_identity` and
`index_identity`.
"""

from __future__ import annotations

import random
import time
from typing import Any

from django.db import transaction

from benchmarks.common import log
from benchmarks.synthetic import synthetic_case
from opennrm.cases.models import Case, CaseCode
from opennrm.cases.services import register_cases
from opennrm.people.identity import index_identity, open_identity
from opennrm.people.models import Person, PersonSearchKey
from opennrm.tenancy.actor import Actor


def _seed_batch(actor: Actor, rng: random.Random, size: int) -> None:
    register_cases(actor=actor, registrations=[synthetic_case(rng) for _ in range(size)])


def seed_cases(actor: Actor, target: int, *, batch: int = 1000, seed: int = 2016) -> dict[str, Any]:
    """Bring the actor's agency up to `target` cases; reuse what is already there."""
    existing = Case.objects.filter(owner_agency=actor.agency).count()
    report: dict[str, Any] = {"existing": existing, "added": 0, "seconds": 0.0}
    if existing >= target:
        log(f"reusing the seed: {existing} cases already there")
        return report
    rng = random.Random(seed * 1_000_003 + existing)
    start = time.perf_counter()
    done = existing
    while done < target:
        size = min(batch, target - done)
        _seed_batch(actor, rng, size)
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

"""A linkage run carried out by the real background worker (`opennrm db_worker`)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from opennrm.accounts.models import User
from opennrm.cases.models import Case
from opennrm.linkage import services
from opennrm.linkage.models import CandidatePair, LinkageRun
from opennrm.tenancy.actor import Actor, actor_for
from opennrm.tenancy.models import Agency
from tests.conftest import person_input
from tests.worker import run_db_worker


@pytest.mark.django_db(transaction=True)
def test_the_worker_runs_a_queued_linkage(
    make_case: Callable[..., Case],
    make_user: Callable[..., User],
    actor_a: Actor,
    agency_b: Agency,
) -> None:
    police = actor_for(make_user("olha.police", agency_b, "investigator"))
    one = make_case(actor_a, person_input("Олександр", "Шевченко", "1987-03-05"))
    two = make_case(police, person_input("Oleksandr", "Shevchenko", "1987-03-05"))
    run = services.start_run(actor=actor_a)
    assert LinkageRun.objects.get(id=run.id).status == LinkageRun.Status.QUEUED

    done = run_db_worker()
    run.refresh_from_db()
    assert run.status == LinkageRun.Status.DONE, (run.error, done.stderr[-2000:])
    assert run.progress == 1.0
    assert run.record_count == 2
    left, right = sorted([one.person_id, two.person_id], key=str)
    pair = CandidatePair.objects.get(left_id=left, right_id=right)
    assert pair.probability > 0.95
    # The worker decrypted in memory and wrote no name anywhere it logs.
    assert "Шевченко" not in done.stderr
    assert "Shevchenko" not in done.stderr

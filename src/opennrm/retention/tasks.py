"""The daily erasure and housekeeping (django-tasks, database backend; `opennrm db_worker`).

`erase_due_daily` runs, each step on its own (a failing step does not stop the next):

1. `opennrm erase-due`: what the retention schedule says is due;
2. `clearsessions`: expired sessions (Django's session table keeps them until then);
3. `opennrm retire-keys` (`retention/keys.py`): rotate after an erasure, retire key-encryption
   keys older than the backup window, so old backups cannot bring an erased person back;

then queues itself for the next day (`DAILY_AT`, local time), like the certificate expiry
(`nrm/status/tasks.py`). `schedule_daily` queues the first run when none is waiting; it runs
after every `migrate` (apps.py), so a deployment needs no timer of its own, only the worker.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from typing import Final

from django.core.management import call_command
from django_tasks import task

from opennrm.core.schedule import daily_at, queue_once

DAILY_AT: Final = dt.time(1, 30)  # after the certificate expiry (00:15), local time
logger = logging.getLogger("opennrm.retention")

# The daily steps, in order (names for the log; each a management command without arguments).
STEPS: Final = (
    ("erase-due", "erase_due"),
    ("clearsessions", "clearsessions"),
    ("retire-keys", "retire_keys"),
)


def next_run(now: dt.datetime | None = None) -> dt.datetime:
    """The next `DAILY_AT` after `now`, in the local time zone."""
    return daily_at(DAILY_AT, now)


def run_steps(run: Callable[[str], object] | None = None) -> list[str]:
    """Run every daily step; the names of those that failed (each logged, none skipped)."""
    run = run or (lambda command: call_command(command, verbosity=0))
    failed = []
    for name, command in STEPS:
        try:
            run(command)
        except Exception:
            logger.exception("daily step %s failed", name)
            failed.append(name)
    return failed


@task()
def erase_due_daily() -> str:
    """Erase what the retention schedule says is due, clear expired sessions and retire old
    keys, then queue tomorrow's run (also when a step failed: the chain never breaks; the
    run then fails, so the worker's results show it)."""
    try:
        failed = run_steps()
    finally:
        schedule_daily()
    if failed:
        raise RuntimeError("daily steps failed: " + ", ".join(failed))
    return "done"


def schedule_daily(now: dt.datetime | None = None) -> bool:
    """Queue the daily run unless one is already waiting; True when one was queued."""
    return queue_once(erase_due_daily, next_run(now))

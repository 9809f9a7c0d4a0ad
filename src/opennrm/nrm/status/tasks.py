"""Background tasks of the status procedure (django-tasks, database backend; `opennrm db_worker`).

The daily expiry: `expire_certificates_daily` runs the command `opennrm expire-certificates`
and queues itself for the next day (`DAILY_AT`, local time). `schedule_daily` queues the first
run when none is waiting; it runs after every `migrate` (apps.py), so a deployment needs no
timer of its own, only the worker.
"""

from __future__ import annotations

import datetime as dt
from typing import Final

from django.core.management import call_command
from django_tasks import task

from opennrm.core.schedule import daily_at, queue_once

DAILY_AT: Final = dt.time(0, 15)  # just after midnight, local time


def next_run(now: dt.datetime | None = None) -> dt.datetime:
    """The next `DAILY_AT` after `now`, in the local time zone."""
    return daily_at(DAILY_AT, now)


@task()
def expire_certificates_daily() -> str:
    """Mark expired certificates (the command does it), then queue tomorrow's run (also when
    this run failed: the chain never breaks)."""
    try:
        call_command("expire_certificates", verbosity=0)
    finally:
        schedule_daily()
    return "done"


def schedule_daily(now: dt.datetime | None = None) -> bool:
    """Queue the daily run unless one is already waiting; True when one was queued."""
    return queue_once(expire_certificates_daily, next_run(now))

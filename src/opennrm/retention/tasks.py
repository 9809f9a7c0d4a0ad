"""The daily erasure (django-tasks, database backend; `opennrm db_worker`).

`erase_due_daily` runs the command `opennrm erase-due` and queues itself for the next day
(`DAILY_AT`, local time), like the certificate expiry (`nrm/status/tasks.py`). `schedule_daily`
queues the first run when none is waiting; it runs after every `migrate` (apps.py), so a
deployment needs no timer of its own, only the worker.
"""

from __future__ import annotations

import datetime as dt
from typing import Final

from django.core.management import call_command
from django.utils import timezone
from django_tasks import task

DAILY_AT: Final = dt.time(1, 30)  # after the certificate expiry (00:15), local time


def next_run(now: dt.datetime | None = None) -> dt.datetime:
    """The next `DAILY_AT` after `now`, in the local time zone."""
    local = timezone.localtime(now or timezone.now())
    candidate = local.replace(hour=DAILY_AT.hour, minute=DAILY_AT.minute, second=0, microsecond=0)
    return candidate if candidate > local else candidate + dt.timedelta(days=1)


@task()
def erase_due_daily() -> str:
    """Erase what the retention schedule says is due, then queue tomorrow's run (also when
    this run failed: the chain never breaks)."""
    try:
        call_command("erase_due", verbosity=0)
    finally:
        schedule_daily()
    return "done"


def schedule_daily(now: dt.datetime | None = None) -> bool:
    """Queue the daily run unless one is already waiting; True when one was queued."""
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    waiting = DBTaskResult.objects.filter(
        task_path=erase_due_daily.module_path, status=TaskResultStatus.READY
    )
    if waiting.exists():
        return False
    erase_due_daily.using(run_after=next_run(now)).enqueue()
    return True

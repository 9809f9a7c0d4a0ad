"""Worker tasks that queue their own next run (django-tasks, database backend).

A periodic task runs its job and, in a `finally`, calls its `schedule_*` function, which queues
the next run through `queue_once` (nothing when one is already waiting), so the chain of runs
never breaks and never doubles. The run time is `daily_at` (the next given local time) or
`now + interval`. The first run is queued after every `migrate` by the package's apps.py.
Used by `audit/tasks.py`, `nrm/status/tasks.py`, `retention/tasks.py`, `notices/tasks.py`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from django_tasks.base import Task


def daily_at(at: dt.time, now: dt.datetime | None = None) -> dt.datetime:
    """The next `at` (local time) after `now`."""
    local = timezone.localtime(now or timezone.now())
    candidate = local.replace(hour=at.hour, minute=at.minute, second=0, microsecond=0)
    return candidate if candidate > local else candidate + dt.timedelta(days=1)


def queue_once(task: Task[Any, Any], run_after: dt.datetime) -> bool:
    """Queue `task` to run after `run_after` unless a run of it is already waiting; True when
    one was queued."""
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    waiting = DBTaskResult.objects.filter(task_path=task.module_path, status=TaskResultStatus.READY)
    if waiting.exists():
        return False
    task.using(run_after=run_after).enqueue()
    return True

"""Worker tasks that queue their own next run (django-tasks, database backend).

A periodic task runs its job and, in a `finally`, calls its `schedule_*` function, which queues
the next run through `queue_once` (nothing when one is already waiting), so the chain of runs
never breaks and never doubles. The run time is `daily_at` (the next given local time) or
`now + interval`. The first run is queued after every `migrate`: the package's apps.py calls
`queue_after_migrate` in `ready` (the one copy of that handler). Used by `audit/tasks.py`,
`nrm/status/tasks.py`, `retention/tasks.py`, `notices/tasks.py`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.apps import AppConfig
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models.signals import post_migrate
from django.utils import timezone
from django.utils.module_loading import import_string
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


def queue_after_migrate(app: AppConfig, schedule: str) -> None:
    """After every `migrate` of `app`, call its `schedule_*` function (`schedule`, a dotted
    path imported then, not while the apps load), so the worker finds its periodic task queued
    (nothing more when a run is already waiting). Not before the task table exists (a migrate
    run that has not created it yet). Call it from the package's `AppConfig.ready`."""

    def handler(using: str = DEFAULT_DB_ALIAS, **kwargs: Any) -> None:
        from django_tasks_db.models import DBTaskResult

        if DBTaskResult._meta.db_table in connections[using].introspection.table_names():
            import_string(schedule)()

    post_migrate.connect(
        handler, sender=app, weak=False, dispatch_uid=f"opennrm.core.schedule:{app.label}"
    )

"""The worker anchors the audit chain's head outside the database (checkpoints.py).

`checkpoint_periodically` compares the database with the newest checkpoint, appends a new one
when the chain still reaches it, and queues itself again `OPENNRM_AUDIT_CHECKPOINT_MINUTES`
later (also when this run failed: the chain of runs never breaks). `schedule_checkpoints`
queues the first run when none is waiting; it runs after every `migrate` (apps.py), so a
deployment needs no timer of its own, only the worker (`opennrm db_worker`).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone
from django_tasks import task

from opennrm.audit.checkpoints import checkpoint_if_consistent
from opennrm.core.schedule import queue_once


def interval() -> dt.timedelta:
    return dt.timedelta(minutes=int(getattr(settings, "OPENNRM_AUDIT_CHECKPOINT_MINUTES", 60)))


@task()
def checkpoint_periodically() -> str:
    try:
        run = checkpoint_if_consistent()
    finally:
        schedule_checkpoints()
    if not run.report.ok:
        return "refused: " + run.report.message
    return f"checkpoint {run.written.seq}" if run.written else "no checkpoint file"


def schedule_checkpoints(now: dt.datetime | None = None) -> bool:
    """Queue the next run unless one is already waiting; True when one was queued."""
    return queue_once(checkpoint_periodically, (now or timezone.now()) + interval())

"""The worker makes notifications (producer.py) every `OPENNRM_NOTICE_MINUTES` and queues its
next run (also when this run failed: the chain of runs never breaks). `schedule_notices` queues
the first run when none is waiting; it runs after every `migrate` (apps.py), so a deployment
needs no timer of its own, only the worker (`opennrm db_worker`). E-mails go out from here.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone
from django_tasks import task

from opennrm.core.schedule import queue_once
from opennrm.notices.producer import produce


def interval() -> dt.timedelta:
    return dt.timedelta(minutes=int(getattr(settings, "OPENNRM_NOTICE_MINUTES", 5)))


@task()
def notify_periodically() -> str:
    try:
        run = produce()
    finally:
        schedule_notices()
    return f"{run.events} events, " + ", ".join(f"{k}: {n}" for k, n in sorted(run.made.items()))


def schedule_notices(now: dt.datetime | None = None) -> bool:
    """Queue the next run unless one is already waiting; True when one was queued."""
    return queue_once(notify_periodically, (now or timezone.now()) + interval())

"""Background tasks of the reports (django-tasks, database backend).

`produce_report` makes a period report asked for on the page. `refresh_facts_periodically`
brings the per-person facts of national statistics up to date (`reports.facts`) every
`OPENNRM_STATS_FACTS_SECONDS` and queues its next run (also when this run failed), so the
chain never breaks; `schedule_facts` queues the first run after every `migrate` (apps.py).
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.conf import settings
from django.utils import timezone
from django_tasks import task

from opennrm.core.schedule import queue_once
from opennrm.reports import facts, services


@task()
def produce_report(job_id: str) -> str:
    return str(services.produce(uuid.UUID(job_id)).status)


@task()
def refresh_facts_periodically() -> str:
    try:
        return str(facts.refresh())
    finally:
        schedule_facts()


def schedule_facts(now: dt.datetime | None = None) -> bool:
    """Queue the next refresh unless one is already waiting; True when one was queued."""
    seconds = int(settings.OPENNRM_STATS_FACTS_SECONDS)
    return queue_once(
        refresh_facts_periodically, (now or timezone.now()) + dt.timedelta(seconds=seconds)
    )

"""Background tasks of the reports (django-tasks, database backend)."""

from __future__ import annotations

import uuid

from django_tasks import task

from opennrm.reports import services


@task()
def produce_report(job_id: str) -> str:
    return str(services.produce(uuid.UUID(job_id)).status)

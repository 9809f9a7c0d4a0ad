"""Background tasks (django-tasks, database backend): run with `opennrm db_worker`."""

from __future__ import annotations

import uuid

from django_tasks import task

from opennrm.linkage import services


@task()
def run_linkage(run_id: str) -> str:
    """Carry out a queued linkage run; returns its final status."""
    return str(services.execute_run(uuid.UUID(run_id)).status)

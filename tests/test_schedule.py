"""The worker's self-rescheduling tasks: after every `migrate` each package's periodic task is
queued once, through one handler (core/schedule.py `queue_after_migrate`)."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.apps import apps
from django.db.models.signals import post_migrate

SRC = Path(__file__).resolve().parent.parent / "src" / "opennrm"

# The package (app label) and the task its apps.py queues after `migrate`.
PERIODIC = {
    "audit": "opennrm.audit.tasks.checkpoint_periodically",
    "status": "opennrm.nrm.status.tasks.expire_certificates_daily",
    "retention": "opennrm.retention.tasks.erase_due_daily",
    "notices": "opennrm.notices.tasks.notify_periodically",
}


def test_the_after_migrate_handler_is_written_once() -> None:
    connecting = sorted(
        str(p.relative_to(SRC))
        for p in SRC.rglob("*.py")
        if "post_migrate.connect(" in p.read_text(encoding="utf-8")
    )
    assert connecting == ["core/schedule.py"]
    for label in PERIODIC:
        source = Path(apps.get_app_config(label).path, "apps.py").read_text(encoding="utf-8")
        assert "queue_after_migrate(self, " in source, label


@pytest.mark.django_db
def test_after_migrate_each_periodic_task_is_queued_once() -> None:
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    DBTaskResult.objects.all().delete()
    for _ in range(2):  # a second migrate queues nothing more
        for label in PERIODIC:
            config = apps.get_app_config(label)
            post_migrate.send(
                sender=config,
                app_config=config,
                verbosity=0,
                interactive=False,
                using="default",
                apps=apps,
                plan=[],
            )
    waiting = DBTaskResult.objects.filter(status=TaskResultStatus.READY)
    assert sorted(waiting.values_list("task_path", flat=True)) == sorted(PERIODIC.values())

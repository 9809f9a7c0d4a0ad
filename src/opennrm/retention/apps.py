from __future__ import annotations

from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate


class RetentionConfig(AppConfig):
    name = "opennrm.retention"
    label = "retention"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        post_migrate.connect(_schedule_erasure, sender=self)


def _schedule_erasure(**kwargs: Any) -> None:
    """After every `migrate`: make sure the daily erasure run is queued for the worker
    (tasks.schedule_daily; nothing when one is already waiting)."""
    from django.db import connections
    from django_tasks_db.models import DBTaskResult

    from opennrm.retention.tasks import schedule_daily

    connection = connections[kwargs.get("using") or "default"]
    if DBTaskResult._meta.db_table in connection.introspection.table_names():
        schedule_daily()

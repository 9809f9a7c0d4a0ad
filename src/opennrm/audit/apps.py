from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate


class AuditConfig(AppConfig):
    name = "opennrm.audit"
    label = "audit"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        post_migrate.connect(_schedule_checkpoints, sender=self)


def _schedule_checkpoints(**kwargs: Any) -> None:
    """After every `migrate`: make sure the periodic checkpoint of the audit chain is queued
    for the worker (tasks.schedule_checkpoints; nothing when one is already waiting)."""
    from django.db import connections
    from django_tasks_db.models import DBTaskResult

    from opennrm.audit.tasks import schedule_checkpoints

    connection = connections[kwargs.get("using") or "default"]
    if DBTaskResult._meta.db_table in connection.introspection.table_names():
        schedule_checkpoints()

from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate


class StatusConfig(AppConfig):
    name = "opennrm.nrm.status"
    label = "status"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.core import checks

        from opennrm.nrm.status.checks import check_status_settings

        checks.register(check_status_settings)
        post_migrate.connect(_schedule_expiry, sender=self)


def _schedule_expiry(**kwargs: Any) -> None:
    """After every `migrate`: make sure the daily certificate expiry is queued for the worker
    (tasks.schedule_daily; nothing when one is already waiting)."""
    from django.db import connections
    from django_tasks_db.models import DBTaskResult

    from opennrm.nrm.status.tasks import schedule_daily

    connection = connections[kwargs.get("using") or "default"]
    if DBTaskResult._meta.db_table in connection.introspection.table_names():
        schedule_daily()

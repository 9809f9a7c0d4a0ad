from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate


class NoticesConfig(AppConfig):
    name = "opennrm.notices"
    label = "notices"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        post_migrate.connect(_schedule_notices, sender=self)


def _schedule_notices(**kwargs: Any) -> None:
    """After every `migrate`: make sure the periodic notification run is queued for the
    worker (tasks.schedule_notices; nothing when one is already waiting)."""
    from django.db import connections
    from django_tasks_db.models import DBTaskResult

    from opennrm.notices.tasks import schedule_notices

    connection = connections[kwargs.get("using") or "default"]
    if DBTaskResult._meta.db_table in connection.introspection.table_names():
        schedule_notices()

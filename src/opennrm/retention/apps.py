from __future__ import annotations

from django.apps import AppConfig


class RetentionConfig(AppConfig):
    name = "opennrm.retention"
    label = "retention"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from opennrm.core.schedule import queue_after_migrate

        # The daily erasure run, queued for the worker after every `migrate`.
        queue_after_migrate(self, "opennrm.retention.tasks.schedule_daily")

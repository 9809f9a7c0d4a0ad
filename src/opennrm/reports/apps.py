from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "opennrm.reports"
    label = "reports"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from opennrm.core.schedule import queue_after_migrate

        # The periodic refresh of the per-person facts, queued for the worker after `migrate`.
        queue_after_migrate(self, "opennrm.reports.tasks.schedule_facts")

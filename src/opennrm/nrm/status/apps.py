from django.apps import AppConfig


class StatusConfig(AppConfig):
    name = "opennrm.nrm.status"
    label = "status"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.core import checks

        from opennrm.core.schedule import queue_after_migrate
        from opennrm.nrm.status.checks import check_status_settings

        checks.register(check_status_settings)
        # The daily certificate expiry, queued for the worker after every `migrate`.
        queue_after_migrate(self, "opennrm.nrm.status.tasks.schedule_daily")

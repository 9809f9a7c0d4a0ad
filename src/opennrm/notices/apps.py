from django.apps import AppConfig


class NoticesConfig(AppConfig):
    name = "opennrm.notices"
    label = "notices"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from opennrm.core.schedule import queue_after_migrate

        # The periodic notification run, queued for the worker after every `migrate`.
        queue_after_migrate(self, "opennrm.notices.tasks.schedule_notices")

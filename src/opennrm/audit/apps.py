from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "opennrm.audit"
    label = "audit"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from opennrm.core.schedule import queue_after_migrate

        # The periodic checkpoint of the audit chain, queued for the worker after `migrate`.
        queue_after_migrate(self, "opennrm.audit.tasks.schedule_checkpoints")

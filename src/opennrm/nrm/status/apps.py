from django.apps import AppConfig


class StatusConfig(AppConfig):
    name = "opennrm.nrm.status"
    label = "status"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.core import checks

        from opennrm.nrm.status.checks import check_status_settings

        checks.register(check_status_settings)

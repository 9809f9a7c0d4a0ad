from django.apps import AppConfig


class ScreeningConfig(AppConfig):
    name = "opennrm.nrm.screening"
    label = "screening"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from opennrm.nrm.screening import (
            checks,  # noqa: F401  (registers the system check)
            subject,  # noqa: F401  (registers the encrypted column)
        )

from django.apps import AppConfig


class TrainingConfig(AppConfig):
    name = "opennrm.training"
    label = "training"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from opennrm.training import trainees  # noqa: F401  (registers the encrypted column)

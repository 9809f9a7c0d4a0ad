from django.apps import AppConfig


class JusticeConfig(AppConfig):
    name = "opennrm.justice"
    label = "justice"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from opennrm.justice import suspects  # noqa: F401  (registers the encrypted column)

from django.apps import AppConfig


class JusticeConfig(AppConfig):
    name = "opennrm.justice"
    label = "justice"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Register the encrypted columns (suspects, perpetrators, identifiers).
        from opennrm.justice import perpetrator_vault, suspects  # noqa: F401

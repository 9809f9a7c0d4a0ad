from django.apps import AppConfig


class CaseworkConfig(AppConfig):
    name = "opennrm.casework"
    label = "casework"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Register the encrypted columns (sealed with the person's data key).
        from opennrm.casework import sealing  # noqa: F401

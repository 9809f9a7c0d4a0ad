from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "opennrm.people"
    label = "people"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from opennrm.people import identity  # noqa: F401  (registers the encrypted columns)

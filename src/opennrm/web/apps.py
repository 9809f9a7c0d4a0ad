from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "opennrm.web"
    label = "web"

    def ready(self) -> None:
        from opennrm.web import checks  # noqa: F401  (registers the system checks)

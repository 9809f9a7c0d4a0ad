from django.apps import AppConfig


class AssistanceConfig(AppConfig):
    name = "opennrm.nrm.assistance"
    label = "assistance"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from opennrm.nrm.assistance import objectives  # noqa: F401  (registers the encrypted column)
        from opennrm.nrm.assistance.htcds import register

        register()  # the HTCDS support plan section (spl_SupportPlans)

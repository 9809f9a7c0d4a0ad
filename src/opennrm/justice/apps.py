from django.apps import AppConfig


class JusticeConfig(AppConfig):
    name = "opennrm.justice"
    label = "justice"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Register the encrypted columns (suspects, perpetrators, identifiers).
        from opennrm.justice import perpetrator_vault, suspects, transnational_services  # noqa: F401
        from opennrm.justice.htcds import register

        register()  # the HTCDS perpetrator section (per_Perpetrators), a gated one

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "opennrm.accounts"
    label = "accounts"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.db.backends.signals import connection_created

        from opennrm.core.files import on_connection_created

        connection_created.connect(on_connection_created, dispatch_uid="opennrm_private_sqlite")

        from opennrm.accounts import otp_secrets

        # TOTP secrets encrypted at rest (django-otp stores them in clear).
        otp_secrets.install()

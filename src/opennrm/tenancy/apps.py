from django.apps import AppConfig


class TenancyConfig(AppConfig):
    name = "opennrm.tenancy"
    label = "tenancy"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        import os

        from django.conf import settings
        from django.db.backends.signals import connection_created

        from opennrm.tenancy.rls import OWNER_PROCESS_ENV, on_connection_created, use_app_role

        # A new PostgreSQL connection switches to the application role (OPENNRM_DB_APP_ROLE,
        # not for the owner's commands) and starts with the row-level security scope of its
        # context.
        role = str(getattr(settings, "OPENNRM_DB_APP_ROLE", "") or "")
        if role and os.environ.get(OWNER_PROCESS_ENV) != "1":
            use_app_role(role)
        connection_created.connect(on_connection_created, dispatch_uid="opennrm_rls_scope")

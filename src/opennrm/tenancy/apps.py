from django.apps import AppConfig


class TenancyConfig(AppConfig):
    name = "opennrm.tenancy"
    label = "tenancy"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.db.backends.signals import connection_created

        from opennrm.tenancy.rls import on_connection_created

        # A new PostgreSQL connection starts with the row-level security scope of its context.
        connection_created.connect(on_connection_created, dispatch_uid="opennrm_rls_scope")

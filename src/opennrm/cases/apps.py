from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "opennrm.cases"
    label = "cases"
    default_auto_field = "django.db.models.BigAutoField"

from django.apps import AppConfig


class StatusConfig(AppConfig):
    name = "opennrm.nrm.status"
    label = "status"
    default_auto_field = "django.db.models.BigAutoField"

from django.apps import AppConfig


class BordersConfig(AppConfig):
    name = "opennrm.borders"
    label = "borders"
    default_auto_field = "django.db.models.BigAutoField"

from django.apps import AppConfig


class OpsConfig(AppConfig):
    name = "opennrm.ops"
    label = "ops"

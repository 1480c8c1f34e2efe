from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "evalportal.core"
    verbose_name = "系统"

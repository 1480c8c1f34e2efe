from django.apps import AppConfig


class ExportersConfig(AppConfig):
    name = "evalportal.exporters"
    verbose_name = "导出"

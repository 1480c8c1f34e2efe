from django.apps import AppConfig


class ImportersConfig(AppConfig):
    name = "evalportal.importers"
    verbose_name = "导入"

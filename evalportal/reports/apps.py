from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "evalportal.reports"
    verbose_name = "自评报告包"

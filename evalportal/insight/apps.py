from django.apps import AppConfig


class InsightConfig(AppConfig):
    name = "evalportal.insight"
    verbose_name = "审核洞察"

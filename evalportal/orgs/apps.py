from django.apps import AppConfig


class OrgsConfig(AppConfig):
    name = "evalportal.orgs"
    verbose_name = "地区、单位与模板"

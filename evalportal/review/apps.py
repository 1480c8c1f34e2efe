from django.apps import AppConfig


class ReviewConfig(AppConfig):
    name = "evalportal.review"
    verbose_name = "审核流程"

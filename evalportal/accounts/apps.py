from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "evalportal.accounts"
    verbose_name = "账户与角色"

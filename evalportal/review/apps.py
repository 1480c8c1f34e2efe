from django.apps import AppConfig


class ReviewConfig(AppConfig):
    name = "evalportal.review"
    verbose_name = "审核流程"

    def ready(self):
        from django.contrib import admin

        from .locking import connect_signals, lock_reports_admin
        connect_signals()
        # admin.autodiscover() ran in AdminConfig.ready() (listed first), so the reports admin is registered.
        lock_reports_admin(admin.site)

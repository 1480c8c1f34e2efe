from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("evalportal.accounts.urls")),
    path("", include("evalportal.reports.urls")),
    path("review/", include("evalportal.review.urls")),
    path("export/", include("evalportal.exporters.urls")),
    path("import/", include("evalportal.importers.urls")),
    path("insight/", include("evalportal.insight.urls")),
    path("", include("evalportal.core.urls")),
]

from django.urls import path

from . import views

app_name = "insight"
urlpatterns = [
    path("", views.region, name="region"),
    path("export.xlsx", views.region_xlsx, name="region_xlsx"),
    path("key-evaluation/", views.key_evaluation, name="key_evaluation"),
    path("recompute/", views.recompute, name="recompute"),
    path("packages/<int:pk>/", views.package_panel, name="package_panel"),
    path("packages/<int:pk>/matches/", views.package_matches, name="package_matches"),
]

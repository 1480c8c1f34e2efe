from django.urls import path

from . import views

app_name = "exporters"
urlpatterns = [
    # ?part=att3-2 selects one part (pdf.available_parts lists them)
    path("packages/<int:pk>/pdf/", views.package_pdf, name="package_pdf"),
    path("packages/<int:pk>/xlsx/", views.package_xlsx, name="package_xlsx"),
    path("verify/<str:token>/", views.verify, name="verify"),
    path("region-zip/", views.region_zip, name="region_zip"),
    path("region-zip/status/", views.region_zip_status, name="region_zip_status"),    # ?job=<id>
    path("region-zip/download/", views.region_zip_download, name="region_zip_download"),
]

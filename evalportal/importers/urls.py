from django.urls import path

from . import views

app_name = "importers"
urlpatterns = [
    path("packages/<int:pk>/xlsx/", views.upload, name="upload"),
    path("packages/<int:pk>/xlsx/done/", views.done, name="done"),
]

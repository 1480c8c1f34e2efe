from django.urls import include, path

# No app_name: django.contrib.auth views reverse their own names ("password_change_done") unqualified.
urlpatterns = [path("", include("django.contrib.auth.urls"))]

app_name = "importers"
urlpatterns: list = []

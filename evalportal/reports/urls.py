from django.urls import path

from . import views

app_name = "reports"
urlpatterns = [
    path("", views.home, name="home"),
    path("packages/new/", views.package_new, name="package_new"),
    path("packages/<int:pk>/", views.package_overview, name="package"),
    path("packages/<int:pk>/report/", views.narrative, name="narrative"),
    path("packages/<int:pk>/report/live/", views.narrative_live, name="narrative_live"),
    path("packages/<int:pk>/att1/", views.base_data, name="base_data"),
    path("packages/<int:pk>/att1/live/", views.base_data_live, name="base_data_live"),
    path("packages/<int:pk>/att2/", views.department_sheet, name="department_sheet"),
    path("packages/<int:pk>/att2/live/", views.department_sheet_live, name="department_sheet_live"),
    path("packages/<int:pk>/att4/", views.fund_table, {"number": 4}, name="att4"),
    path("packages/<int:pk>/att5/", views.fund_table, {"number": 5}, name="att5"),
    path("packages/<int:pk>/att6/", views.fund_table, {"number": 6}, name="att6"),
    path("packages/<int:pk>/explain/", views.explanation_save, name="explain"),
    path("packages/<int:pk>/projects/new/", views.project_new, name="project_new"),
    path("packages/<int:pk>/projects/<int:project_pk>/", views.project_sheet, name="project_sheet"),
    path("packages/<int:pk>/projects/<int:project_pk>/live/", views.project_sheet_live, name="project_sheet_live"),
    path("packages/<int:pk>/projects/<int:project_pk>/delete/", views.project_delete, name="project_delete"),
    path("packages/<int:pk>/projects/<int:project_pk>/report/", views.project_report, name="project_report"),
    path("packages/<int:pk>/projects/<int:project_pk>/report/live/", views.project_report_live,
         name="project_report_live"),
]

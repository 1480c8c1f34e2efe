from django.urls import path

from . import views

app_name = "review"
urlpatterns = [
    path("packages/<int:pk>/", views.package_review, name="package_review"),
    path("packages/<int:pk>/act/<slug:action>/", views.package_action, name="package_action"),
    path("packages/<int:pk>/diff/", views.package_diff, name="package_diff"),
    path("packages/<int:pk>/audit/", views.package_audit, name="package_audit"),
    path("packages/<int:pk>/findings/ack/", views.finding_ack, name="finding_ack"),
    path("packages/<int:pk>/comments/", views.comment_add, name="comment_add"),
    path("comments/<int:comment_pk>/reply/", views.comment_reply, name="comment_reply"),
    path("comments/<int:comment_pk>/resolve/", views.comment_resolve, name="comment_resolve"),
    path("comments/<int:comment_pk>/reopen/", views.comment_reopen, name="comment_reopen"),
    path("snapshots/<int:snapshot_pk>/", views.snapshot_download, name="snapshot_download"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("dashboard/summary.xlsx", views.dashboard_xlsx, name="dashboard_xlsx"),
    path("public/", views.public_list, name="public_list"),
]

from django.urls import path

from . import views

app_name = "review"
urlpatterns = [
    path("packages/<int:pk>/comments/", views.comment_add, name="comment_add"),
    path("comments/<int:comment_pk>/reply/", views.comment_reply, name="comment_reply"),
    path("comments/<int:comment_pk>/resolve/", views.comment_resolve, name="comment_resolve"),
    path("comments/<int:comment_pk>/reopen/", views.comment_reopen, name="comment_reopen"),
]

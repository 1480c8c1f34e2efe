"""Thin views: find the package within the user's scope (404 outside it), call a service, redirect."""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from evalportal.reports.selectors import packages_visible_to

from . import services
from .audit import client_address
from .models import ReviewComment


def _back(request: HttpRequest, fallback: str) -> HttpResponse:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return redirect(target)
    return redirect(fallback)


def _messages_of(error: ValidationError) -> str:
    return "；".join(error.messages)


def _visible_comment(request: HttpRequest, comment_pk: int) -> ReviewComment:
    # A comment is reachable only through a package the user may see: 404 otherwise, never the text.
    return get_object_or_404(ReviewComment.objects.select_related("package").filter(
        package__in=packages_visible_to(request.user)), pk=comment_pk)


@login_required
@require_POST
def comment_add(request: HttpRequest, pk: int) -> HttpResponse:
    package = get_object_or_404(packages_visible_to(request.user), pk=pk)
    row_id = request.POST.get("row_id") or None
    try:
        services.comment_add(package=package, actor=request.user, section_key=request.POST.get("section_key", ""),
                             text=request.POST.get("text", ""), row_id=int(row_id) if row_id and row_id.isdigit()
                             else None, row_label=request.POST.get("row_label", ""),
                             remote_addr=client_address(request))
    except ValidationError as error:
        messages.error(request, _messages_of(error))
    else:
        messages.success(request, "审核意见已保存。")
    return _back(request, f"/review/packages/{package.pk}/")


@login_required
@require_POST
def comment_reply(request: HttpRequest, comment_pk: int) -> HttpResponse:
    comment = _visible_comment(request, comment_pk)
    try:
        services.comment_reply(comment=comment, actor=request.user, text=request.POST.get("text", ""),
                               remote_addr=client_address(request))
    except ValidationError as error:
        messages.error(request, _messages_of(error))
    else:
        messages.success(request, "答复已保存。")
    return _back(request, f"/review/packages/{comment.package_id}/")


def _settle(request: HttpRequest, comment_pk: int, resolve: bool) -> HttpResponse:
    comment = _visible_comment(request, comment_pk)
    services.comment_settle(comment=comment, actor=request.user, resolve=resolve, text=request.POST.get("text", ""),
                            remote_addr=client_address(request))
    messages.success(request, "意见已确认解决。" if resolve else "意见已重新打开。")
    return _back(request, f"/review/packages/{comment.package_id}/")


@login_required
@require_POST
def comment_resolve(request: HttpRequest, comment_pk: int) -> HttpResponse:
    return _settle(request, comment_pk, True)


@login_required
@require_POST
def comment_reopen(request: HttpRequest, comment_pk: int) -> HttpResponse:
    return _settle(request, comment_pk, False)

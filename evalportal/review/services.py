"""Review writes: each service is one transaction that also writes its audit event (house style)."""
from __future__ import annotations

from datetime import date

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from evalportal.accounts.roles import Role

from . import workflow
from .audit import audit_event
from .guards import workflow_writes
from .models import AuditEvent, CommentReply, ReviewComment, Snapshot
from .permissions import roles_of
from .sections import is_section_key
from .workflow import COMMENTING, EDITABLE_STATES, LOCKED_STATES, State


def _locked_package(package):
    from evalportal.reports.models import ReportPackage
    # Lock the row so that two people clicking at once cannot both act on one state.
    return ReportPackage.objects.select_for_update().select_related("department", "department__region").get(
        pk=package.pk)


# ---------------------------------------------------------------- comments

@transaction.atomic
def comment_add(*, package, actor, section_key: str, text: str, row_id: int | None = None, row_label: str = "",
                remote_addr: str | None = None) -> ReviewComment:
    package = _locked_package(package)
    role = COMMENTING.get(package.state)
    if role is None or role not in roles_of(actor, package):
        raise PermissionDenied(_("当前状态下您不能提出审核意见。"))
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("请填写审核意见。")})
    if not is_section_key(section_key):
        raise ValidationError({"section_key": _("审核意见必须对应报告的某一部分。")})
    comment = ReviewComment.objects.create(
        package=package, snapshot=package.snapshots.order_by("-number").first(), author=actor, role=role,
        section_key=section_key, row_id=row_id, row_label=(row_label or "")[:200], text=text)
    audit_event(package=package, actor=actor, kind=AuditEvent.Kind.COMMENT, remote_addr=remote_addr, role=role,
                action="comment_add", note=text, comment=comment.pk, section_key=section_key, row_id=row_id)
    return comment


@transaction.atomic
def comment_reply(*, comment: ReviewComment, actor, text: str, remote_addr: str | None = None) -> CommentReply:
    package = _locked_package(comment.package)
    comment = ReviewComment.objects.select_for_update().get(pk=comment.pk)
    if Role.FILLER not in roles_of(actor, package) or package.state not in EDITABLE_STATES:
        raise PermissionDenied(_("只有填报人可以在报告退回后答复审核意见。"))
    if comment.status == ReviewComment.Status.RESOLVED:
        raise ValidationError(_("这条意见已解决，无需答复。"))
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("请填写答复内容。")})
    reply = CommentReply.objects.create(comment=comment, author=actor, role=Role.FILLER, text=text)
    comment.status = ReviewComment.Status.ANSWERED
    comment.save(update_fields=["status", "updated_at"])
    audit_event(package=package, actor=actor, kind=AuditEvent.Kind.COMMENT, remote_addr=remote_addr,
                role=Role.FILLER, action="comment_reply", note=text, comment=comment.pk)
    return reply


@transaction.atomic
def comment_settle(*, comment: ReviewComment, actor, resolve: bool, text: str = "",
                   remote_addr: str | None = None) -> ReviewComment:
    """The reviewer (or head, for the head's comments) resolves a thread or reopens it."""
    package = _locked_package(comment.package)
    comment = ReviewComment.objects.select_for_update().get(pk=comment.pk)
    roles = roles_of(actor, package)
    allowed_states = {State.RETURNED, *[s for s, r in COMMENTING.items() if r == comment.role]}
    if comment.role not in roles or package.state not in allowed_states:
        raise PermissionDenied(_("您不能处理这条审核意见。"))
    comment.status = ReviewComment.Status.RESOLVED if resolve else ReviewComment.Status.OPEN
    comment.save(update_fields=["status", "updated_at"])
    kind = CommentReply.Kind.RESOLVE if resolve else CommentReply.Kind.REOPEN
    CommentReply.objects.create(comment=comment, author=actor, role=comment.role, kind=kind,
                                text=(text or "").strip())
    audit_event(package=package, actor=actor, kind=AuditEvent.Kind.COMMENT, remote_addr=remote_addr,
                role=comment.role, action="comment_resolve" if resolve else "comment_reopen", comment=comment.pk)
    return comment

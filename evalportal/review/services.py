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
from .models import AuditEvent, CommentReply, ReviewComment
from .permissions import roles_of
from .sections import is_section_key
from .workflow import COMMENTING, EDITABLE_STATES, State


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
                action="comment_add", note=text, comment=comment.pk, label="提出审核意见", section_key=section_key, row_id=row_id)
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
                role=Role.FILLER, action="comment_reply", note=text, comment=comment.pk, label="答复审核意见")
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
                role=comment.role, action="comment_resolve" if resolve else "comment_reopen", comment=comment.pk,
                note=comment.text, label="确认意见已解决" if resolve else "重新打开意见")
    return comment


# ---------------------------------------------------------------- transitions

def _setting(name: str, default):
    return getattr(settings, name, default)


def blocking_findings(package, *, acknowledging: bool = False) -> tuple[list, list]:
    """(errors, unexplained warnings) of the full package at stage "submit" (domain.md §6)."""
    from evalportal.reports.engine import evaluate
    from evalportal.reports.models import CheckExplanation
    from evalportal.reports.selectors import load_package, package_data

    findings = evaluate(package_data(load_package(package.pk)), stage="submit").findings
    errors = [f for f in findings if f.is_error]
    if not _setting("REVIEW_WARNINGS_NEED_EXPLANATION", True):
        return errors, []
    settled = {(e.code, e.location) for e in CheckExplanation.objects.filter(package_id=package.pk)
               if (e.explanation or "").strip() or e.acknowledged_by_id}
    warnings = [f for f in findings if not f.is_error and (f.code, f.location) not in settled]
    return errors, warnings


def last_submitter_id(package) -> int | None:
    return (AuditEvent.objects.filter(package_id=package.pk, kind=AuditEvent.Kind.TRANSITION, action="submit")
            .order_by("-created_at", "-pk").values_list("actor_id", flat=True).first())


def unsettled_comments(package):
    return ReviewComment.objects.filter(package_id=package.pk, status=ReviewComment.Status.OPEN)


def step_blockers(package, step, actor) -> list[str]:
    """Reasons a step cannot be taken now, beyond role and state (shown beside the button and enforced)."""
    problems = []
    if step.action == "confirm" and not _setting("REVIEW_SUBMITTER_MAY_CONFIRM", False) \
            and last_submitter_id(package) == getattr(actor, "pk", None):
        problems.append(_("提交人不能确认上报自己提交的报告，请由另一位单位负责人确认。"))
    if step.action == "submit" and unsettled_comments(package).exists():
        problems.append(_("还有%(n)d条审核意见既未答复也未解决，请逐条答复后再提交。")
                        % {"n": unsettled_comments(package).count()})
    if step.needs_comment and not unsettled_comments(package).filter(role=step.role).exists():
        problems.append(_("退回前请至少填写一条审核意见（针对报告的具体部分）。"))
    if step.action == "recall" and _setting("REVIEW_RECALL_BLOCKED_BY_COMMENTS", True) and \
            unsettled_comments(package).filter(role=Role.REVIEWER).exists():
        problems.append(_("财政局已提出审核意见，不能撤回上报。"))
    return problems


@transaction.atomic
def package_transition(*, package, action: str, actor, comment: str = "", remote_addr: str | None = None,
                       published_url: str = "", published_on: date | None = None):
    """Take one step of workflow.STEPS: checks the role on the server, locks the row, writes the trail."""
    from django.core.validators import URLValidator

    from evalportal.reports.models import BaseDataSheet, DepartmentEvalSheet, ProjectEvalSheet

    package = _locked_package(package)
    roles = roles_of(actor, package)
    step = workflow.step_for(package.state, action, roles)    # TransitionNotAllowed → 403
    comment = (comment or "").strip()
    problems = step_blockers(package, step, actor)
    if step.needs_reason and not comment:
        problems.append(_("请填写理由。"))
    if step.needs_publication:
        try:
            URLValidator(schemes=["http", "https"])(published_url or "")
        except ValidationError:
            problems.append(_("请填写有效的公开网址（以 http:// 或 https:// 开头）。"))
        if published_on is None:
            problems.append(_("请填写公开日期。"))
        elif published_on > timezone.localdate():
            problems.append(_("公开日期不能晚于今天。"))
    if step.runs_checks and not problems:
        errors, warnings = blocking_findings(package)
        problems += [_("%(code)s %(message)s") % {"code": f.code, "message": f.message} for f in errors]
        problems += [_("%(code)s（警告，需填写说明或由审核人标记已阅）%(message)s") % {"code": f.code, "message": f.message}
                     for f in warnings]
    if problems:
        raise ValidationError(problems)

    now = timezone.now()
    old_state = package.state
    package.state = step.target
    update = ["state", "updated_at"]
    snapshot = package.snapshots.order_by("-number").first()
    if step.freezes_snapshot:
        from .snapshots import snapshot_freeze
        snapshot = snapshot_freeze(package, actor)
        package.submitted_at = now
        update.append("submitted_at")
    if step.action == "confirm":
        head_name = (actor.full_name or actor.username)[:20]
        with workflow_writes():   # the head's confirmation replaces the signature line (domain.md §3.0)
            for model, filters in ((BaseDataSheet, {"package": package}), (DepartmentEvalSheet, {"package": package}),
                                   (ProjectEvalSheet, {"project__package": package})):
                model.objects.filter(**filters).update(head_name=head_name, head_confirmed_at=now)
    if step.action in ("return", "head_return"):   # the diff of the next submission starts from here
        if snapshot is not None:
            snapshot.returned_at = now
            snapshot.save(update_fields=["returned_at"])
    if step.action == "approve":
        package.approved_by, package.approved_at = actor, now
        update += ["approved_by", "approved_at"]
        if snapshot is not None:
            snapshot.approved = True
            snapshot.save(update_fields=["approved"])
    if step.action == "publish":
        package.published_url, package.published_on = published_url, published_on
        update += ["published_url", "published_on"]
    if step.action in ("revoke", "correct"):
        package.approved_by, package.approved_at = None, None
        update += ["approved_by", "approved_at"]
        approved = package.snapshots.filter(approved=True, superseded=False)
        for old in approved:
            old.superseded = True
            old.save(update_fields=["superseded"])
        if step.action == "correct":
            package.edition += 1
            update.append("edition")
    with workflow_writes():
        package.save(update_fields=update)
    audit_event(package=package, actor=actor, kind=AuditEvent.Kind.TRANSITION, role=step.role, note=comment,
                remote_addr=remote_addr, action=step.action, from_state=old_state, to_state=step.target,
                snapshot=snapshot, label=str(step.label),
                **({"published_url": published_url, "published_on": published_on} if step.needs_publication else {}))
    if step.runs_checks:      # the dashboard reads the cached total/grade/counts: make them current
        from evalportal.reports.services import package_refresh
        package_refresh(package)
    return package


def steps_for_user(package, user) -> list[dict]:
    """The buttons of the package page: each allowed step with what still blocks it (not the checks)."""
    roles = roles_of(user, package)
    return [{"step": step, "blockers": step_blockers(package, step, user)}
            for step in workflow.steps_from(package.state, roles)]


@transaction.atomic
def finding_acknowledge(*, package, actor, code: str, location: str, remote_addr: str | None = None):
    """The reviewer's 已阅 tick on a warning (domain.md §7 审核通过 precondition)."""
    from evalportal.reports.models import CheckExplanation
    package = _locked_package(package)
    if Role.REVIEWER not in roles_of(actor, package) or package.state != State.PENDING_FINANCE:
        raise PermissionDenied(_("只有财政局审核人在审核时可以标记已阅。"))
    if not code:
        raise PermissionDenied(_("缺少校验代码。"))
    explanation, _created = CheckExplanation.objects.get_or_create(package=package, code=code[:8],
                                                                   location=location[:120])
    explanation.acknowledged_by = actor
    explanation.save(update_fields=["acknowledged_by", "updated_at"])
    audit_event(package=package, actor=actor, kind=AuditEvent.Kind.SAVE, remote_addr=remote_addr, role=Role.REVIEWER,
                action="acknowledge", changes=[(f"校验{code} {location}", "已阅", "", actor.display_name)])
    return explanation

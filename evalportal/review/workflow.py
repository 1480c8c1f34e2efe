"""Workflow states and the transition table of domain.md §7. Pure: no database.

One explicit table (STEPS) rather than django-fsm-2: the rules are data that the service, the buttons,
the access test and the docs all read, and one step may be open to several roles (标记公开: HEAD or ADMIN)
with role-specific preconditions, which a decorator-per-method state machine expresses less plainly.
"""
from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils.translation import gettext_lazy as _

from evalportal.accounts.roles import Role


class State(models.TextChoices):
    DRAFT = "draft", _("草稿")
    PENDING_HEAD = "pending_head", _("待单位审核")
    PENDING_FINANCE = "pending_finance", _("待财政审核")
    RETURNED = "returned", _("已退回")
    APPROVED = "approved", _("已通过")
    PUBLISHED = "published", _("已公开")


EDITABLE_STATES = frozenset({State.DRAFT, State.RETURNED})
LOCKED_STATES = frozenset({State.APPROVED, State.PUBLISHED})
# The 草稿 watermark prints until the package is approved (domain.md §8).
WATERMARKED_STATES = frozenset({State.DRAFT, State.PENDING_HEAD, State.PENDING_FINANCE, State.RETURNED})

# Who may write review comments in which state: the head while it reviews, finance while it reviews.
COMMENTING = {State.PENDING_HEAD: Role.HEAD, State.PENDING_FINANCE: Role.REVIEWER}


@dataclass(frozen=True)
class Step:
    action: str            # stable key, used in URLs and tests
    source: State
    target: State
    role: Role
    label: str
    runs_checks: bool = False       # any E-level finding blocks the step (stage "submit")
    needs_comment: bool = False     # at least one open ReviewComment
    needs_reason: bool = False      # a written reason (kept in the audit trail)
    needs_publication: bool = False  # publication URL and date
    freezes_snapshot: bool = False
    style: str = "primary"          # Bootstrap button colour
    setting: str = ""               # the step exists only when this setting is True (configurable rules)

    @property
    def enabled(self) -> bool:
        return not self.setting or bool(getattr(settings, self.setting, False))


STEPS: tuple[Step, ...] = (
    Step("submit", State.DRAFT, State.PENDING_HEAD, Role.FILLER, _("提交单位审核"), runs_checks=True,
         freezes_snapshot=True),
    Step("submit", State.RETURNED, State.PENDING_HEAD, Role.FILLER, _("重新提交单位审核"), runs_checks=True,
         freezes_snapshot=True),
    Step("withdraw", State.PENDING_HEAD, State.DRAFT, Role.FILLER, _("撤回"), style="outline-secondary"),
    Step("confirm", State.PENDING_HEAD, State.PENDING_FINANCE, Role.HEAD, _("确认上报"), runs_checks=True),
    Step("head_return", State.PENDING_HEAD, State.RETURNED, Role.HEAD, _("退回修改"), needs_comment=True,
         style="outline-danger"),
    Step("recall", State.PENDING_FINANCE, State.PENDING_HEAD, Role.HEAD, _("撤回上报"), style="outline-secondary"),
    Step("return", State.PENDING_FINANCE, State.RETURNED, Role.REVIEWER, _("退回"), needs_comment=True,
         style="danger"),
    Step("approve", State.PENDING_FINANCE, State.APPROVED, Role.REVIEWER, _("审核通过"), runs_checks=True,
         style="success"),
    Step("publish", State.APPROVED, State.PUBLISHED, Role.HEAD, _("标记公开"), needs_publication=True),
    Step("publish", State.APPROVED, State.PUBLISHED, Role.ADMIN, _("标记公开"), needs_publication=True),
    # domain.md lets the region's reviewer revoke too; the issue says only an admin re-opens (default).
    Step("revoke", State.APPROVED, State.RETURNED, Role.ADMIN, _("撤销通过"), needs_reason=True,
         style="outline-danger"),
    Step("revoke", State.APPROVED, State.RETURNED, Role.REVIEWER, _("撤销通过"), needs_reason=True,
         style="outline-danger", setting="REVIEW_REVIEWER_MAY_REVOKE"),
    Step("correct", State.PUBLISHED, State.RETURNED, Role.ADMIN, _("更正（重新打开）"), needs_reason=True,
         style="outline-danger"),
)

ACTIONS = frozenset(step.action for step in STEPS)


class TransitionNotAllowed(PermissionDenied):
    """Raised by step_for(state, action, roles); Django answers 403, so no view catches it."""


def steps_from(state: str, roles) -> list[Step]:
    """The steps `roles` may take from `state`, one per action (the buttons to show)."""
    seen, steps = set(), []
    for step in STEPS:
        if step.source == state and step.role in roles and step.enabled and step.action not in seen:
            seen.add(step.action)
            steps.append(step)
    return steps


def step_for(state: str, action: str, roles) -> Step:
    for step in STEPS:
        if step.action == action and step.source == state and step.role in roles and step.enabled:
            return step
    if action not in ACTIONS:
        raise TransitionNotAllowed(_("未知的操作。"))
    if any(step.action == action and step.source == state and step.enabled for step in STEPS):
        raise TransitionNotAllowed(_("您的角色不能执行此操作。"))
    raise TransitionNotAllowed(_("报告当前状态为“%(state)s”，不能执行此操作。") % {"state": State(state).label})

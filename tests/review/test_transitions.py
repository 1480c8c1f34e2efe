"""Every allowed and every forbidden transition per role, through the service (domain.md §7)."""
from datetime import date

import pytest
from django.core.exceptions import ValidationError

from evalportal.reports.models import BaseDataSheet, ProjectEvalSheet, ReportPackage
from evalportal.review.models import AuditEvent, ReviewComment, Snapshot
from evalportal.review.services import comment_add, comment_reply, comment_settle, package_transition
from evalportal.review.workflow import STEPS, State, TransitionNotAllowed

pytestmark = pytest.mark.django_db

ACTORS = ("filler", "head", "reviewer", "reviewer_other", "filler_other", "admin")
# Role each actor holds over demo A (None: no role at all).
ROLE_OF = {"filler": "filler", "head": "head", "reviewer": "reviewer", "admin": "admin",
           "reviewer_other": None, "filler_other": None}
ACTIONS = sorted({step.action for step in STEPS})


def _set_state(package, state):
    ReportPackage.objects.filter(pk=package.pk).update(state=state)
    package.refresh_from_db()


def _prepare(package, step, people):
    """Meet the step's preconditions other than role and state."""
    kwargs = {}
    if step.needs_reason:
        kwargs["comment"] = "原审核结论有误，需重新审核。"
    if step.needs_publication:
        kwargs.update(published_url="https://www.miluo.gov.cn/zwgk/jxpj/2023.html", published_on=date(2024, 6, 1))
    if step.needs_comment:
        ReviewComment.objects.create(package=package, author=people["head" if step.role == "head" else "reviewer"],
                                     role=step.role, section_key="att2.indicators", text="请核实。")
    return kwargs


@pytest.mark.parametrize("state", list(State))
def test_each_role_may_take_exactly_the_steps_of_the_table(ready_a, people, state):
    allowed = {(s.action, s.role) for s in STEPS if s.source == state and s.enabled}
    for action in ACTIONS:
        for actor in ACTORS:
            _set_state(ready_a, state)
            ReviewComment.objects.filter(package=ready_a).delete()
            role = ROLE_OF[actor]
            if (action, role) in allowed:
                step = next(s for s in STEPS if s.source == state and s.action == action and s.role == role)
                kwargs = _prepare(ready_a, step, people)
                result = package_transition(package=ready_a, action=action, actor=people[actor], **kwargs)
                assert result.state == step.target, (state, action, actor)
                event = AuditEvent.objects.filter(package=ready_a, kind="transition").first()
                assert (event.action, event.from_state, event.to_state, event.actor) == (
                    action, state, step.target, people[actor])
            else:
                before = AuditEvent.objects.filter(package=ready_a).count()
                with pytest.raises(TransitionNotAllowed):
                    package_transition(package=ready_a, action=action, actor=people[actor],
                                       comment="理由", published_url="https://example.gov.cn/a",
                                       published_on=date(2024, 6, 1))
                ready_a.refresh_from_db()
                assert ready_a.state == state, (state, action, actor)
                assert AuditEvent.objects.filter(package=ready_a).count() == before


def test_the_demo_walks_from_draft_to_published_with_a_return_and_a_resubmission(ready_a, people):
    pkg = package_transition(package=ready_a, action="submit", actor=people["filler"])
    assert pkg.state == State.PENDING_HEAD and pkg.submitted_at is not None
    assert Snapshot.objects.filter(package=pkg).count() == 1
    pkg = package_transition(package=pkg, action="confirm", actor=people["head"])
    assert pkg.state == State.PENDING_FINANCE
    # The head's confirmation replaces the signature line on every attachment.
    assert set(BaseDataSheet.objects.filter(package=pkg).values_list("head_name", flat=True)) == {"黎柳平"}
    assert set(ProjectEvalSheet.objects.filter(project__package=pkg).values_list("head_name", flat=True)) == {"黎柳平"}
    assert ProjectEvalSheet.objects.filter(project__package=pkg, head_confirmed_at__isnull=True).count() == 0

    with pytest.raises(ValidationError, match="至少填写一条审核意见"):
        package_transition(package=pkg, action="return", actor=people["reviewer"])
    comment = comment_add(package=pkg, actor=people["reviewer"], section_key="att2.goal", text="实际完成情况请量化。")
    pkg = package_transition(package=pkg, action="return", actor=people["reviewer"], comment="请按意见修改")
    assert pkg.state == State.RETURNED
    assert Snapshot.objects.get(package=pkg, number=1).returned_at is not None

    with pytest.raises(ValidationError, match="既未答复也未解决"):
        package_transition(package=pkg, action="submit", actor=people["filler"])
    comment_reply(comment=comment, actor=people["filler"], text="已补充量化数据。")
    pkg = package_transition(package=pkg, action="submit", actor=people["filler"])
    assert Snapshot.objects.filter(package=pkg).count() == 2
    pkg = package_transition(package=pkg, action="confirm", actor=people["head"])
    comment_settle(comment=comment, actor=people["reviewer"], resolve=True)
    pkg = package_transition(package=pkg, action="approve", actor=people["reviewer"])
    assert pkg.state == State.APPROVED and pkg.approved_by == people["reviewer"] and pkg.approved_at
    assert Snapshot.objects.get(package=pkg, number=2).approved

    with pytest.raises(ValidationError, match="公开网址"):
        package_transition(package=pkg, action="publish", actor=people["head"], published_url="not a url",
                           published_on=date(2024, 6, 1))
    pkg = package_transition(package=pkg, action="publish", actor=people["head"],
                             published_url="https://www.miluo.gov.cn/x.html", published_on=date(2024, 6, 1))
    assert pkg.state == State.PUBLISHED and pkg.published_on == date(2024, 6, 1)

    story = list(AuditEvent.objects.filter(package=pkg, kind="transition").order_by("created_at", "pk")
                 .values_list("action", flat=True))
    assert story == ["submit", "confirm", "return", "submit", "confirm", "approve", "publish"]


def test_a_user_cannot_confirm_a_package_they_submitted(ready_a, people):
    from evalportal.accounts.models import RoleGrant
    both = people["filler"]
    RoleGrant.objects.create(user=both, role="head", department=ready_a.department)
    both = type(both).objects.get(pk=both.pk)
    pkg = package_transition(package=ready_a, action="submit", actor=both)
    with pytest.raises(ValidationError, match="提交人不能确认上报"):
        package_transition(package=pkg, action="confirm", actor=both)
    assert package_transition(package=pkg, action="confirm", actor=people["head"]).state == State.PENDING_FINANCE


def test_submission_is_refused_with_errors_or_unexplained_warnings(demo_a, people):
    from evalportal.reports.models import DepartmentEvalSheet
    with pytest.raises(ValidationError) as refused:    # demo A's warnings are not explained yet
        package_transition(package=demo_a, action="submit", actor=people["filler"])
    assert any("K16" in m for m in refused.value.messages)
    DepartmentEvalSheet.objects.filter(package=demo_a).update(filled_by="")   # footer missing: an error at submit
    with pytest.raises(ValidationError):
        package_transition(package=demo_a, action="submit", actor=people["filler"])
    demo_a.refresh_from_db()
    assert demo_a.state == State.DRAFT and not Snapshot.objects.filter(package=demo_a).exists()
    assert not AuditEvent.objects.filter(package=demo_a, kind="transition").exists()


def test_reopening_needs_an_admin_and_a_written_reason_and_correction_increments_the_edition(ready_a, people):
    _set_state(ready_a, State.APPROVED)
    with pytest.raises(TransitionNotAllowed):
        package_transition(package=ready_a, action="revoke", actor=people["reviewer"], comment="理由")
    with pytest.raises(ValidationError, match="请填写理由"):
        package_transition(package=ready_a, action="revoke", actor=people["admin"], comment="  ")
    assert package_transition(package=ready_a, action="revoke", actor=people["admin"],
                              comment="审核有误").state == State.RETURNED
    _set_state(ready_a, State.PUBLISHED)
    pkg = package_transition(package=ready_a, action="correct", actor=people["admin"], comment="附件3金额更正")
    assert pkg.state == State.RETURNED and pkg.edition == 2
    assert AuditEvent.objects.filter(package=pkg, action="correct", note="附件3金额更正").exists()


def test_the_head_may_recall_only_before_finance_has_commented(ready_a, people):
    _set_state(ready_a, State.PENDING_FINANCE)
    comment_add(package=ready_a, actor=people["reviewer"], section_key="report.S7", text="问题分析过简。")
    with pytest.raises(ValidationError, match="不能撤回上报"):
        package_transition(package=ready_a, action="recall", actor=people["head"])

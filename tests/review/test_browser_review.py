"""The whole review story in Chromium: submit, confirm, return with a comment, answer, resubmit, diff, approve."""
from pathlib import Path

import pytest
from playwright.sync_api import expect

from evalportal.reports.models import IndicatorRow, ReportPackage
from evalportal.review.workflow import State
from tests.conftest import switch_user
from tests.review.conftest import explain_warnings

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "review"


def _shot(page, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def _state(package):
    return ReportPackage.objects.get(pk=package.pk).state


def test_filler_head_and_reviewer_take_a_package_through_a_return_to_approval(page, live_server, ready_a):
    overview = f"{live_server.url}/packages/{ready_a.pk}/"
    review = f"{live_server.url}/review/packages/{ready_a.pk}/"

    switch_user(page, live_server, "filler")
    page.goto(overview)
    page.locator('button[data-action="submit"]').click()
    expect(page.locator(".alert-success")).to_contain_text("已提交单位审核")
    _shot(page, "1-filler-submitted")
    assert _state(ready_a) == State.PENDING_HEAD

    switch_user(page, live_server, "head")
    page.goto(overview)
    page.locator('button[data-action="confirm"]').click()
    expect(page.locator(".alert-success")).to_contain_text("已确认上报")
    assert _state(ready_a) == State.PENDING_FINANCE

    switch_user(page, live_server, "reviewer")
    page.goto(review)
    row = IndicatorRow.objects.get(department_sheet__package=ready_a, name="社会公众满意度")
    thread = page.locator(f'.review-thread[data-row="{row.pk}"]')
    thread.get_by_text("添加审核意见").click()
    thread.locator("textarea[name=text]").fill("满意度98%的依据是什么？请附测评报告。")
    thread.get_by_role("button", name="保存意见").click()
    expect(page.get_by_text("满意度98%的依据是什么？请附测评报告。")).to_be_visible()
    _shot(page, "2-reviewer-comment")
    page.locator('button[data-action="return"]').click()
    expect(page.locator(".alert-success")).to_contain_text("已退回")
    assert _state(ready_a) == State.RETURNED

    switch_user(page, live_server, "filler")
    page.goto(overview)
    expect(page.locator('button[data-action="submit"]')).to_be_disabled()    # the comment is still open
    page.goto(review)
    thread = page.locator(f'.review-thread[data-row="{row.pk}"]')
    thread.locator("textarea[name=text]").fill("按第三方测评报告更正为90%，报告已附。")
    thread.get_by_role("button", name="答复").click()
    expect(page.get_by_text("按第三方测评报告更正为90%，报告已附。")).to_be_visible()
    # The correction itself (made on the 附件2 form in real use).
    IndicatorRow.objects.filter(pk=row.pk).update(actual_raw="90%", deviation_reason="按第三方测评报告更正。")
    explain_warnings(ready_a)
    page.goto(overview)
    page.locator('button[data-action="submit"]').click()
    expect(page.locator(".alert-success")).to_contain_text("已重新提交单位审核")

    switch_user(page, live_server, "head")
    page.goto(overview)
    page.locator('button[data-action="confirm"]').click()
    assert _state(ready_a) == State.PENDING_FINANCE

    switch_user(page, live_server, "reviewer")
    page.goto(f"{live_server.url}/review/packages/{ready_a.pk}/diff/")
    changed = page.locator(".diff-rows tr", has_text="社会公众满意度")
    expect(changed).to_contain_text("98%")
    expect(changed).to_contain_text("90%")
    expect(changed).to_contain_text("9.47")
    expect(page.locator(".diff-summary")).to_contain_text("99.47")
    expect(page.locator(".diff-comments")).to_contain_text("已修改")
    _shot(page, "3-reviewer-diff")
    page.goto(review)
    page.locator(f'.review-thread[data-row="{row.pk}"]').get_by_role("button", name="确认解决").click()
    page.locator('button[data-action="approve"]').click()
    expect(page.locator(".alert-success")).to_contain_text("已审核通过")
    _shot(page, "4-approved")
    assert _state(ready_a) == State.APPROVED

    page.goto(f"{live_server.url}/review/packages/{ready_a.pk}/audit/")
    trail = page.locator(".audit-trail")
    for step in ("提交单位审核", "确认上报", "退回", "重新提交单位审核", "审核通过"):
        expect(trail).to_contain_text(step)
    _shot(page, "5-audit-trail")

"""A reviewer's path through the insight pages in a real browser (Debian's Chromium via Playwright)."""
import pytest
from playwright.sync_api import expect

from evalportal.accounts.roles import Role
from evalportal.insight import services
from tests.conftest import log_in
from tests.factories import make_user
from tests.insight.conftest import build_region

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_reviewer_finds_the_planted_reports_and_chooses_them_for_key_evaluation(live_server, page, hunan):
    region, packages = build_region(hunan, departments=12, planted={3: {"inflated"}, 8: {"copied"}})
    services.region_recompute(region, 2023)
    make_user(Role.REVIEWER, region=region, username="insight_reviewer")
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    log_in(page, live_server, "insight_reviewer")

    page.goto(live_server.url + "/insight/?year=2023")
    expect(page.get_by_role("heading", name="2023年度辖区自评报告审核洞察")).to_be_visible()
    expect(page.locator("canvas[data-insight-chart][data-drawn]")).to_have_count(3)     # the charts were drawn
    first = page.locator("tbody tr").first
    expect(first).to_contain_text(packages[(3, 2023)].department.name)
    first.get_by_text("条提示").click()
    expect(first).to_contain_text("指标值下调而得分上升")

    page.get_by_role("link", name="文字雷同").click()
    expect(page.locator("tbody tr").first).to_contain_text(packages[(8, 2023)].department.name)

    page.locator("tbody tr").first.get_by_role("checkbox").check()
    page.get_by_label("备注（可选）").fill("文字照抄上年，实地核查")
    page.get_by_role("button", name="确定").click()
    expect(page.get_by_text("已将1个单位选定为财政重点评价。")).to_be_visible()
    expect(page.get_by_text("已选重点评价 1 个")).to_be_visible()

    page.goto(live_server.url + f"/insight/packages/{packages[(8, 2023)].pk}/")
    expect(page.locator("canvas[data-insight-chart='history'][data-drawn]")).to_have_count(1)
    page.get_by_role("link", name="并排对照雷同段落").click()
    expect(page.locator("mark").first).to_be_visible()
    assert errors == []

"""Every role's journey end to end in Chromium, through the real pages only (issue 9): the filler fills in and
submits, the head confirms, the reviewer returns with a comment, the filler fixes the figure on the form and
resubmits, the reviewer approves and downloads PDF and Excel, the head publishes, and a visitor without an
account reads the published list. Screenshots go to test-artifacts/journeys/."""
import io
import zipfile
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse
from playwright.sync_api import expect
from pypdf import PdfReader

from evalportal.accounts.models import User
from evalportal.reports.models import IndicatorRow, ReportPackage
from evalportal.review.workflow import State
from tests.conftest import switch_user
from tests.reports.formdata import row_prefix
from tests.review.conftest import explain_warnings

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "journeys"


def shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=False)


def state(package) -> str:
    return ReportPackage.objects.get(pk=package.pk).state


def test_every_role_from_draft_to_a_published_report(page, live_server, demo_a):
    explain_warnings(demo_a)
    overview = f"{live_server.url}/packages/{demo_a.pk}/"
    review = f"{live_server.url}/review/packages/{demo_a.pk}/"
    sheet_path = reverse("reports:department_sheet", args=[demo_a.pk])
    clerk = Client()
    clerk.force_login(User.objects.get(username="filler"))
    prefix = row_prefix(clerk.get(sheet_path), "社会公众满意度")

    # 填报人: opens 附件2, fills in a reason for the 满意度 row on the form, saves, submits.
    switch_user(page, live_server, "filler")
    page.goto(live_server.url + sheet_path)
    page.locator(f'[name="{prefix}-deviation_reason"]').fill("满意度来自第三方测评。")
    page.get_by_role("button", name="保存", exact=True).click()
    expect(page.locator(".alert-success")).to_contain_text("已保存")
    page.goto(overview)
    page.locator('button[data-action="submit"]').click()
    expect(page.locator(".alert-success")).to_contain_text("已提交单位审核")
    shot(page, "1-filler-submitted")
    assert state(demo_a) == State.PENDING_HEAD

    # 单位负责人: confirms (this replaces the signature).
    switch_user(page, live_server, "head")
    page.goto(overview)
    page.locator('button[data-action="confirm"]').click()
    expect(page.locator(".alert-success")).to_contain_text("已确认上报")
    assert state(demo_a) == State.PENDING_FINANCE

    # 财政局审核人: comments on the row and returns the package.
    row = IndicatorRow.objects.get(department_sheet__package=demo_a, name="社会公众满意度")
    switch_user(page, live_server, "reviewer")
    page.goto(review)
    thread = page.locator(f'.review-thread[data-row="{row.pk}"]')
    thread.get_by_text("添加审核意见").click()
    thread.locator("textarea[name=text]").fill("满意度98%的测评样本量是多少？")
    thread.get_by_role("button", name="保存意见").click()
    # each click posts a form and loads a new page: wait for it before the next click
    expect(page.locator(f'.review-thread[data-row="{row.pk}"]')).to_contain_text("满意度98%的测评样本量是多少？")
    page.locator('button[data-action="return"]').click()
    expect(page.locator(".alert-success")).to_contain_text("已退回")
    shot(page, "2-reviewer-returned")
    assert state(demo_a) == State.RETURNED

    # 填报人: corrects the figure on the 附件2 form, answers the comment, resubmits.
    switch_user(page, live_server, "filler")
    page.goto(live_server.url + sheet_path)
    page.locator(f'[name="{prefix}-actual_raw"]').fill("96%")
    page.locator(f'[name="{prefix}-deviation_reason"]').fill("按测评报告（样本1200份）更正为96%。")
    page.get_by_role("button", name="保存", exact=True).click()
    expect(page.locator(".alert-success")).to_contain_text("已保存")
    assert IndicatorRow.objects.get(pk=row.pk).actual_raw == "96%"
    page.goto(review)
    thread = page.locator(f'.review-thread[data-row="{row.pk}"]')
    thread.locator("textarea[name=text]").fill("样本1200份，已按测评报告更正。")
    thread.get_by_role("button", name="答复").click()
    expect(page.locator(f'.review-thread[data-row="{row.pk}"] .review-reply')).to_contain_text("样本1200份")
    explain_warnings(demo_a)        # the correction may raise a new warning; the clerk explains it on the form
    page.goto(overview)
    page.locator('button[data-action="submit"]').click()
    expect(page.locator(".alert-success")).to_contain_text("重新提交")

    switch_user(page, live_server, "head")
    page.goto(overview)
    page.locator('button[data-action="confirm"]').click()
    expect(page.locator(".alert-success")).to_contain_text("已确认上报")
    assert state(demo_a) == State.PENDING_FINANCE

    # 财政局审核人: sees the change, resolves, approves, downloads the PDF and the workbook.
    switch_user(page, live_server, "reviewer")
    page.goto(f"{review}diff/")
    expect(page.locator(".diff-rows tr", has_text="社会公众满意度")).to_contain_text("96%")
    shot(page, "3-reviewer-diff")
    page.goto(review)
    page.locator(f'.review-thread[data-row="{row.pk}"]').get_by_role("button", name="确认解决").click()
    expect(page.locator(f'.review-thread[data-row="{row.pk}"] .badge')).to_contain_text("已解决")
    page.locator('button[data-action="approve"]').click()
    expect(page.locator(".alert-success")).to_contain_text("已审核通过")
    assert state(demo_a) == State.APPROVED
    with page.expect_download() as pdf_download:
        page.get_by_role("link", name="下载整套报告PDF").first.click()
    pdf = Path(pdf_download.value.path()).read_bytes()
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    assert "2023年度部门整体支出绩效自评表" in text and "草稿" not in text     # approved: no watermark
    with page.expect_download() as xlsx_download:
        page.get_by_role("link", name="下载Excel工作簿").first.click()
    assert zipfile.is_zipfile(xlsx_download.value.path())
    shot(page, "4-reviewer-approved")

    # 单位负责人: marks it published with the address and date.
    switch_user(page, live_server, "head")
    page.goto(overview)
    page.locator('a[data-action="publish"]').click()
    page.locator("#published_url").fill("https://www.miluo.gov.cn/zwgk/jxpj/2024/ml-xzsp.html")
    page.locator("#published_on").fill("2024-05-20")
    page.get_by_role("button", name="标记公开").click()
    expect(page.locator(".alert-success")).to_contain_text("公开")
    assert state(demo_a) == State.PUBLISHED

    # A visitor without an account reads the public list.
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/review/public/")
    listing = page.locator("main")
    expect(listing).to_contain_text("汨罗市行政审批服务局")
    expect(listing).to_contain_text("https://www.miluo.gov.cn/zwgk/jxpj/2024/ml-xzsp.html")
    expect(listing).not_to_contain_text("常宁市")
    shot(page, "5-public-list")

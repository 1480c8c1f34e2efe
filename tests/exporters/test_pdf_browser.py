"""The reviewer's path in a real browser: the download links on the package overview give a PDF of the package."""
import pytest
from django.urls import reverse
from playwright.sync_api import expect

from evalportal.review.workflow import State
from tests.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_reviewer_downloads_the_package_and_one_attachment_as_pdf(live_server, page, demo_a, tmp_path):
    demo_a.state = State.PENDING_FINANCE
    demo_a.save(update_fields=["state"])
    log_in(page, live_server, "reviewer")
    page.goto(live_server.url + reverse("reports:package", args=[demo_a.pk]))
    links = page.locator(".export-links")
    expect(links.get_by_role("link", name="下载整套报告PDF")).to_be_visible()
    expect(links).to_contain_text("审核通过前，PDF每页带“草稿”水印")
    with page.expect_download(timeout=120_000) as download:
        links.get_by_role("link", name="下载整套报告PDF").click()
    assert download.value.suggested_filename == "2023年度汨罗市行政审批服务局绩效自评报告（待财政审核）.pdf"
    path = tmp_path / "package.pdf"
    download.value.save_as(path)
    assert path.read_bytes().startswith(b"%PDF-")
    links.locator("summary").click()
    with page.expect_download(timeout=120_000) as one:
        links.get_by_role("link", name="附件2 部门整体支出绩效自评表").click()
    assert one.value.suggested_filename == "2023年度汨罗市行政审批服务局附件2部门整体支出绩效自评表（待财政审核）.pdf"

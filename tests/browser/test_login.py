import pytest
from playwright.sync_api import expect

from tests.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_filler_logs_in_and_sees_only_their_package(live_server, page, demo_loaded):
    log_in(page, live_server, "filler")
    expect(page.get_by_role("link", name="汨罗市行政审批服务局")).to_be_visible()
    expect(page.get_by_text("常宁市行政审批服务局")).to_have_count(0)
    page.screenshot(path="test-artifacts/login-filler-home.png", full_page=True)


def test_a_wrong_password_is_explained_in_chinese(live_server, page, demo_loaded):
    log_in(page, live_server, "filler", password="not-the-password")
    expect(page.locator(".alert-danger")).to_contain_text("密码")
    expect(page.get_by_label("用户名")).to_have_value("filler")

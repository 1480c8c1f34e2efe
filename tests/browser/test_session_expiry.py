import pytest
from playwright.sync_api import expect

from tests.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_page_warns_before_the_idle_session_expires(live_server, page, demo_loaded, settings):
    settings.SESSION_COOKIE_AGE = 6          # the warning comes at half the age for so short a session
    log_in(page, live_server, "filler")
    expect(page.locator("#session-expiry-warning")).to_be_visible(timeout=8000)
    expect(page.locator("#session-expiry-warning")).to_contain_text("过期")


def test_an_expired_session_goes_to_login_and_back_to_the_page(live_server, page, demo_loaded, settings):
    from evalportal.reports.models import ReportPackage
    package = ReportPackage.objects.get(department__name="汨罗市行政审批服务局")
    log_in(page, live_server, "filler")
    page.context.clear_cookies()            # what an expired session looks like to the browser
    page.goto(f"{live_server.url}/packages/{package.pk}/")
    expect(page.get_by_label("用户名")).to_be_visible()
    page.get_by_label("用户名").fill("filler")
    page.get_by_label("密码").fill("evalportal-demo")
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(f"{live_server.url}/packages/{package.pk}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("汨罗市行政审批服务局")

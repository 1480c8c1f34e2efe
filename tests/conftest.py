"""Shared fixtures: demo data, users by role, and Playwright on Debian's Chromium."""
import os
from pathlib import Path

import pytest

# The live server runs in a thread while Playwright's sync API owns an event loop in this one.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
# Browser tests save their screenshots here (a CI artifact; ignored by git).
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
ARTIFACTS.mkdir(exist_ok=True)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    # `playwright install` cannot download browsers here: drive Debian's Chromium instead.
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "headless": True,
            "args": ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                     "--disable-component-update", "--no-first-run", "--disable-sync", "--disable-quic"]}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "zh-CN", "viewport": {"width": 1366, "height": 768}}


@pytest.fixture
def templates_loaded(db):
    from evalportal.core.demo import loader
    loader.load_templates()


@pytest.fixture
def demo_a(templates_loaded):
    """Demo A (汨罗市行政审批服务局 2023) as load_demo builds it, before any workflow step."""
    from evalportal.core.demo import loader
    return loader.build_package(loader.demo_spec("milo_2023.yaml"))


@pytest.fixture
def demo_a_as_printed(templates_loaded):
    from evalportal.core.demo import loader
    return loader.build_package(loader.demo_spec("milo_2023.yaml", as_printed=True))


@pytest.fixture
def demo_b(templates_loaded):
    from evalportal.core.demo import loader
    return loader.build_package(loader.demo_spec("changning_2023.yaml"))


@pytest.fixture
def demo_loaded(db):
    """Everything `manage.py load_demo` creates, accounts included."""
    from django.core.management import call_command
    call_command("load_demo", verbosity=0)


def switch_user(page, live_server, username: str) -> None:
    """Log out whoever the browser is and log in as another demo user (one browser, several roles)."""
    page.context.clear_cookies()
    log_in(page, live_server, username)


def log_in(page, live_server, username: str, password: str = "evalportal-demo") -> None:
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()
    page.wait_for_load_state("networkidle")

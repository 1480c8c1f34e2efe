"""Review fixtures: demo A as a clean draft with its warnings explained, and one user per access role."""
import pytest

from evalportal.accounts.models import User
from evalportal.accounts.roles import Role
from tests.factories import make_department, make_region, make_user


def explain_warnings(package) -> None:
    from evalportal.reports.engine import evaluate
    from evalportal.reports.models import CheckExplanation
    from evalportal.reports.selectors import load_package, package_data
    for finding in evaluate(package_data(load_package(package.pk)), stage="submit").findings:
        if not finding.is_error:
            CheckExplanation.objects.get_or_create(package=package, code=finding.code, location=finding.location,
                                                   defaults={"explanation": "已核对，与原件一致。"})


@pytest.fixture
def ready_a(demo_a):
    """Demo A in 草稿 with no errors and every warning explained: it may be submitted."""
    explain_warnings(demo_a)
    return demo_a


@pytest.fixture
def people(demo_a):
    other_region = make_region("常宁市")
    other_department = make_department(other_region, "常宁市行政审批服务局")
    return {
        "filler": User.objects.get(username="filler"),
        "head": User.objects.get(username="head"),
        "reviewer": User.objects.get(username="reviewer"),
        "reviewer_other": make_user(Role.REVIEWER, region=other_region, username="reviewer2"),
        "filler_other": make_user(Role.FILLER, department=other_department, username="filler2"),
        "admin": make_user(Role.ADMIN, username="admin"),
    }

"""The overview and the forms run a number of queries that does not grow with projects or rows (issue 5)."""
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from evalportal.accounts.roles import Role
from evalportal.reports.synthetic import build_package
from tests.factories import make_department, make_user

pytestmark = pytest.mark.django_db


_NOISE = ("SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK TO SAVEPOINT")


def count(client, url, method="get", data=None) -> int:
    """Queries of one request, leaving out savepoints and the session row (bookkeeping, not data access)."""
    with CaptureQueriesContext(connection) as queries:
        response = getattr(client, method)(url, data or {})
    assert response.status_code in (200, 302), response.status_code
    return sum(1 for q in queries.captured_queries
               if not q["sql"].startswith(_NOISE) and "django_session" not in q["sql"])


def pages(package):
    project = package.projects.order_by("order").first()
    return {
        "overview": reverse("reports:package", args=[package.pk]),
        "project_sheet": reverse("reports:project_sheet", args=[package.pk, project.pk]),
        "department_sheet": reverse("reports:department_sheet", args=[package.pk]),
        "base_data": reverse("reports:base_data", args=[package.pk]),
        "narrative": reverse("reports:narrative", args=[package.pk]),
        "project_report": reverse("reports:project_report", args=[package.pk, project.pk]),
    }


@pytest.fixture
def small_and_large(templates_loaded, client):
    from evalportal.orgs.models import Region
    hunan = Region.objects.get(name="湖南省", parent=None)
    small = build_package(make_department(Region.objects.create(name="小市", parent=hunan)), projects=2, rows=6)
    large = build_package(make_department(Region.objects.create(name="大市", parent=hunan)), projects=12, rows=30)
    return small, large


@pytest.mark.parametrize("name", ["overview", "project_sheet", "department_sheet", "base_data", "narrative",
                                  "project_report"])
def test_query_count_does_not_grow_with_projects_or_rows(client, small_and_large, name, django_assert_max_num_queries):
    small, large = small_and_large
    client.force_login(make_user(Role.FILLER, department=small.department))
    baseline = count(client, pages(small)[name])
    client.force_login(make_user(Role.FILLER, department=large.department))
    assert count(client, pages(large)[name]) == baseline     # 2 → 12 projects, 6 → 30 rows each
    # The same bound with every statement counted (session read and save, savepoints: up to 6 more).
    with django_assert_max_num_queries(baseline + 6):
        client.get(pages(large)[name])


def test_live_preview_query_count_is_constant(client, small_and_large, django_assert_max_num_queries):
    from tests.reports.formdata import page_data
    small, large = small_and_large
    counts = []
    for package in (small, large):
        client.force_login(make_user(Role.FILLER, department=package.department))
        url = pages(package)["project_sheet"]
        data = page_data(client.get(url))
        project = package.projects.order_by("order").first()
        counts.append(count(client, reverse("reports:project_sheet_live", args=[package.pk, project.pk]), "post",
                            data))
    assert counts[1] <= counts[0]

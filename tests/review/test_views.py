"""Review pages through the test client: comments, actions, dashboard (constant queries), 汇总表, public list."""
from datetime import date
from decimal import Decimal
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from evalportal.accounts.roles import Role
from evalportal.reports.models import ReportPackage
from evalportal.review.models import AuditEvent, ReviewComment
from evalportal.review.services import package_transition
from evalportal.review.workflow import State
from tests.factories import make_department, make_package, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def pending(ready_a, people):
    pkg = package_transition(package=ready_a, action="submit", actor=people["filler"])
    return package_transition(package=pkg, action="confirm", actor=people["head"])


def test_the_reviewer_comments_on_a_row_and_returns_the_package_through_the_pages(client, pending, people):
    client.force_login(people["reviewer"])
    page = client.get(reverse("review:package_review", args=[pending.pk])).content.decode()
    assert "添加审核意见" in page and "社会公众满意度" in page and "审核通过" in page
    row_id = pending.department_sheet.rows.get(name="社会公众满意度").pk
    response = client.post(reverse("review:comment_add", args=[pending.pk]), {
        "section_key": "att2.indicators", "row_id": row_id, "row_label": "社会公众满意度", "text": "请提供测评报告。",
        "next": reverse("review:package_review", args=[pending.pk])})
    assert response.status_code == 302
    comment = ReviewComment.objects.get(package=pending)
    assert (comment.row_id, comment.role, comment.status) == (row_id, Role.REVIEWER, "open")
    # A section key that is not one of domain.md §7's is refused with a message, nothing stored.
    client.post(reverse("review:comment_add", args=[pending.pk]), {"section_key": "nonsense", "text": "x"})
    assert ReviewComment.objects.filter(package=pending).count() == 1

    response = client.post(reverse("review:package_action", args=[pending.pk, "return"]), {"comment": "请按意见修改"})
    assert response.status_code == 302
    pending.refresh_from_db()
    assert pending.state == State.RETURNED

    client.force_login(people["filler"])
    reply = client.post(reverse("review:comment_reply", args=[comment.pk]), {"text": "已上传测评报告。"})
    assert reply.status_code == 302
    comment.refresh_from_db()
    assert comment.status == "answered" and comment.replies.get().text == "已上传测评报告。"
    # The filler cannot resolve the reviewer's comment (403), and the thread is visible on the review page.
    assert client.post(reverse("review:comment_resolve", args=[comment.pk])).status_code == 403
    assert "已上传测评报告。" in client.get(reverse("review:package_review", args=[pending.pk])).content.decode()


def test_a_wrong_role_gets_403_and_a_user_outside_the_scope_404(client, pending, people):
    url = reverse("review:package_action", args=[pending.pk, "approve"])
    client.force_login(people["filler"])
    assert client.post(url).status_code == 403
    client.force_login(people["reviewer_other"])
    assert client.post(url).status_code == 404
    pending.refresh_from_db()
    assert pending.state == State.PENDING_FINANCE


def test_a_refused_step_explains_why_and_keeps_what_was_typed(client, pending, people):
    package_transition(package=pending, action="approve", actor=people["reviewer"])
    client.force_login(people["head"])
    response = client.post(reverse("review:package_action", args=[pending.pk, "publish"]),
                           {"published_url": "not-a-url", "published_on": "2024-06-01", "comment": "按要求公开"})
    body = response.content.decode()
    assert response.status_code == 200 and "公开网址" in body and 'value="not-a-url"' in body and "按要求公开" in body
    response = client.post(reverse("review:package_action", args=[pending.pk, "publish"]),
                           {"published_url": "https://www.miluo.gov.cn/a.html", "published_on": "2024-06-01"})
    assert response.status_code == 302
    pending.refresh_from_db()
    assert pending.state == State.PUBLISHED and pending.published_on == date(2024, 6, 1)


def test_the_overview_shows_only_the_buttons_of_the_users_role(client, pending, people):
    url = reverse("reports:package", args=[pending.pk])
    client.force_login(people["reviewer"])
    body = client.get(url).content.decode()
    assert 'data-action="approve"' in body and 'data-action="return"' in body and 'data-action="submit"' not in body
    client.force_login(people["filler"])
    body = client.get(url).content.decode()
    assert 'data-action="approve"' not in body and "没有可执行的流程操作" in body


def test_the_audit_trail_tells_the_story_on_the_package(client, pending, people):
    client.force_login(people["head"])
    body = client.get(reverse("review:package_audit", args=[pending.pk])).content.decode()
    assert "提交单位审核" in body and "确认上报" in body and "彭雁" in body and "黎柳平" in body
    assert AuditEvent.objects.filter(package=pending, kind="transition").count() == 2


def test_the_reviewer_ticks_a_warning_as_read(client, pending, people):
    from evalportal.reports.models import CheckExplanation
    client.force_login(people["reviewer"])
    explanation = CheckExplanation.objects.filter(package=pending).first()
    client.post(reverse("review:finding_ack", args=[pending.pk]),
                {"code": explanation.code, "location": explanation.location})
    explanation.refresh_from_db()
    assert explanation.acknowledged_by == people["reviewer"]


def _region_with(n: int, region, year=2023, start=0):
    for i in range(start, start + n):
        package = make_package(make_department(region, f"汨罗市第{i}局"), year=year)
        ReportPackage.objects.filter(pk=package.pk).update(
            state=[State.PENDING_FINANCE, State.APPROVED, State.DRAFT][i % 3], total_score=Decimal("85.50"),
            grade="良")


def test_the_dashboard_needs_the_same_number_of_queries_for_5_or_60_departments(
        client, pending, people, django_assert_max_num_queries):
    region = pending.department.region
    client.force_login(people["reviewer"])
    url = reverse("review:dashboard") + "?year=2023"
    _region_with(4, region)
    client.get(url)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    _region_with(56, region, start=4)
    with django_assert_max_num_queries(len(small.captured_queries)):
        body = client.get(url).content.decode()
    assert "共61个单位" in body        # all 61 departments counted, 50 on this page


def test_dashboard_filters_counts_and_hides_drafts(client, pending, people):
    region = pending.department.region
    _region_with(6, region)
    client.force_login(people["reviewer"])
    body = client.get(reverse("review:dashboard") + "?year=2023&state=unsubmitted").content.decode()
    assert "汨罗市第2局" in body and "汨罗市第0局" not in body and "未上报" in body
    body = client.get(reverse("review:dashboard") + "?year=2023&grade=良&sort=-total").content.decode()
    assert "汨罗市第0局" in body and "汨罗市行政审批服务局" not in body
    body = client.get(reverse("review:dashboard") + "?year=2023&q=行政审批").content.decode()
    assert "汨罗市行政审批服务局" in body and "汨罗市第0局" not in body
    client.force_login(people["reviewer_other"])
    assert "汨罗市" not in client.get(reverse("review:dashboard") + "?year=2023").content.decode().split("</nav>")[1]


def test_the_region_summary_downloads_as_excel_with_each_departments_figures(client, pending, people):
    client.force_login(people["reviewer"])
    response = client.get(reverse("review:dashboard_xlsx") + "?year=2023")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(BytesIO(response.content)).active
    assert "汇总表" in sheet["A1"].value
    header = [c.value for c in sheet[2]]
    line = dict(zip(header, [c.value for c in sheet[3]]))
    assert line["预算部门"] == "汨罗市行政审批服务局" and line["状态"] == "待财政审核"
    assert Decimal(str(line["总分"])) == Decimal("100.00") and line["评价等级"] == "优"
    assert Decimal(str(line["全年执行数（万元）"])) == Decimal("1450.82") and line["执行率"] == 1


def test_the_public_page_lists_only_published_packages_without_login(client, pending, people):
    assert "汨罗市行政审批服务局" not in client.get(reverse("review:public_list")).content.decode()
    package_transition(package=pending, action="approve", actor=people["reviewer"])
    package_transition(package=pending, action="publish", actor=people["head"],
                       published_url="https://www.miluo.gov.cn/a.html", published_on=date(2024, 6, 1))
    body = client.get(reverse("review:public_list")).content.decode()
    assert "汨罗市行政审批服务局" in body and "https://www.miluo.gov.cn/a.html" in body and "2024年6月1日" in body
    assert "演示数据按原报告载入" not in body and "社会公众满意度" not in body


def test_the_dashboard_opens_on_the_latest_year_the_region_has_packages_for(client, demo_loaded):
    from evalportal.accounts.models import User
    client.force_login(User.objects.get(username="reviewer"))
    body = client.get("/review/dashboard/").content.decode()
    assert "2023年度部门整体支出绩效自评汇总" in body and "汨罗市行政审批服务局" in body

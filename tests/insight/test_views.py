"""The region view, its workbook, the 财政重点评价 choice and the package panel, through the test client."""
from io import BytesIO

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse
from openpyxl import load_workbook

from evalportal.accounts.roles import Role
from evalportal.insight import services
from evalportal.insight.models import KeyEvaluation
from evalportal.reports.models import NarrativeSection
from evalportal.review.workflow import State
from tests.factories import make_user
from tests.insight.conftest import build_region

pytestmark = pytest.mark.django_db


@pytest.fixture
def screened(planted_region):
    region, packages = planted_region
    services.region_recompute(region, 2023)
    return region, packages, make_user(Role.REVIEWER, region=region)


def names_in_order(body: str, packages, year=2023) -> list[int]:
    """Department indexes in the order the table lists them."""
    positions = []
    for (index, y), package in packages.items():
        if y == year:
            marker = f'href="{reverse("review:package_review", args=[package.pk])}"'
            positions.append((body.index(marker), index))
    return [index for _position, index in sorted(positions)]


def test_the_region_view_ranks_the_planted_reports_first_and_explains_them(client, screened):
    region, packages, reviewer = screened
    client.force_login(reviewer)
    body = client.get(reverse("insight:region"), {"year": 2023}).content.decode()
    order = names_in_order(body, packages)
    assert set(order[:4]) == {7, 11, 12, 20}
    assert "指标值下调而得分上升" in body and "较2022年降低" in body and "并排对照" in body
    assert "insight-region-data" in body and "<script>" not in body.replace("<script src", "")


def test_sorting_by_one_signal(client, screened):
    region, packages, reviewer = screened
    client.force_login(reviewer)
    body = client.get(reverse("insight:region"), {"year": 2023, "sort": "execution_with_carryover"}).content.decode()
    assert names_in_order(body, packages)[0] == 20
    body = client.get(reverse("insight:region"), {"year": 2023, "sort": "name"}).content.decode()
    names = [packages[(index, 2023)].department.name for index in names_in_order(body, packages)]
    assert names == sorted(names)


def test_the_region_views_queries_do_not_grow_with_the_departments(client, hunan, django_assert_max_num_queries):
    small, _packages = build_region(hunan, departments=4, planted={}, name="小市")
    large, _packages = build_region(hunan, departments=30, name="大市")
    for region in (small, large):
        services.region_recompute(region, 2023)
    counts = []
    for region in (small, large):
        client.force_login(make_user(Role.REVIEWER, region=region))
        with django_assert_max_num_queries(20) as captured:
            response = client.get(reverse("insight:region"), {"year": 2023})
        assert response.status_code == 200
        counts.append(len(captured))
    assert counts[0] == counts[1]


def test_reviewers_see_their_region_only(client, screened, hunan):
    region, packages, reviewer = screened
    other, other_packages = build_region(hunan, departments=3, planted={}, name="常宁市")
    client.force_login(reviewer)
    body = client.get(reverse("insight:region"), {"year": 2023}).content.decode()
    assert reverse("review:package_review", args=[other_packages[(0, 2023)].pk]) not in body
    assert reverse("review:package_review", args=[packages[(0, 2023)].pk]) in body
    assert client.get(reverse("insight:region"), {"region": other.pk}).status_code == 404
    assert client.get(reverse("insight:package_panel", args=[other_packages[(0, 2023)].pk])).status_code == 404
    assert client.get(reverse("insight:package_matches", args=[other_packages[(0, 2023)].pk])).status_code == 404


def test_department_users_may_not_see_the_screening(client, screened):
    region, packages, reviewer = screened
    package = packages[(7, 2023)]
    filler = make_user(Role.FILLER, department=package.department)
    client.force_login(filler)
    assert client.get(reverse("insight:region")).status_code == 403
    assert client.get(reverse("insight:package_panel", args=[package.pk])).status_code == 403
    client.logout()
    response = client.get(reverse("insight:region"))
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")


def test_the_workbook_reads_back_in_screen_order_with_its_explanations(client, screened):
    region, packages, reviewer = screened
    client.force_login(reviewer)
    response = client.get(reverse("insight:region_xlsx"), {"year": 2023})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(BytesIO(response.content), read_only=True).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "2023年度测试市部门整体支出绩效自评审核提示"
    assert rows[1][:9] == ("序号", "地区", "预算部门", "单位性质", "状态", "总分", "评价等级", "执行率", "关注分")
    first = rows[2]
    assert first[2] == packages[(7, 2023)].department.name and first[8] == 60.0
    assert "【全部满分】" in first[-2] and first[5] == 100 and not isinstance(first[5], str)
    assert len(rows) == 2 + 30


def test_choosing_departments_for_key_evaluation(client, screened, hunan):
    region, packages, reviewer = screened
    outside, other_packages = build_region(hunan, departments=2, planted={}, name="外市")
    client.force_login(reviewer)
    chosen = [packages[(7, 2023)].pk, packages[(12, 2023)].pk, other_packages[(0, 2023)].pk]
    response = client.post(reverse("insight:key_evaluation"),
                           {"packages": chosen, "action": "select", "note": "全部满分，实地核查", "back": "year=2023"})
    assert response.status_code == 302 and response.url == reverse("insight:region") + "?year=2023"
    assert set(KeyEvaluation.objects.values_list("package_id", flat=True)) == set(chosen[:2])
    body = client.get(reverse("insight:region"), {"year": 2023}).content.decode()
    assert "已选重点评价 <strong>2</strong>" in body and "全部满分，实地核查" in body
    client.post(reverse("insight:key_evaluation"), {"packages": [chosen[0]], "action": "unselect"})
    assert list(KeyEvaluation.objects.values_list("package_id", flat=True)) == [chosen[1]]


def test_an_empty_choice_is_explained_not_an_error(client, screened):
    region, packages, reviewer = screened
    client.force_login(reviewer)
    response = client.post(reverse("insight:key_evaluation"), {"action": "select"}, follow=True)
    assert response.status_code == 200 and "请先勾选单位。" in response.content.decode()
    assert client.get(reverse("insight:key_evaluation")).status_code == 405


def test_the_package_panel_explains_each_signal_and_charts_the_years(client, screened):
    region, packages, reviewer = screened
    client.force_login(reviewer)
    body = client.get(reverse("insight:package_panel", args=[packages[(7, 2023)].pk])).content.decode()
    assert "关注分 60.0" in body and "全部满分" in body and "由≥" in body
    assert 'data-insight-chart="history"' in body and "insight-history-" in body
    assert "2022" in body and "2023" in body


def test_the_panel_template_renders_nothing_for_the_department(screened):
    region, packages, reviewer = screened
    package = packages[(7, 2023)]
    template = Template('{% include "insight/_package_panel.html" %}')
    request = RequestFactory().get("/")
    request.user = make_user(Role.HEAD, department=package.department)
    assert template.render(Context({"package": package, "request": request})).strip() == ""
    request.user = reviewer
    assert "审核提示" in template.render(Context({"package": package, "request": request}))


def test_the_matches_page_shows_both_passages_with_the_shared_text_marked(client, screened):
    region, packages, reviewer = screened
    client.force_login(reviewer)
    body = client.get(reverse("insight:package_matches", args=[packages[(12, 2023)].pk])).content.decode()
    assert body.count("<mark>") >= 3
    assert "与本单位上年报告相似" in body and "与同年其他单位相似" in body
    assert packages[(11, 2023)].department.name in body


def test_a_match_with_a_draft_is_counted_but_not_shown(client, screened):
    region, packages, reviewer = screened
    source = packages[(11, 2023)]
    source.state = State.DRAFT
    source.save(update_fields=["state"])
    client.force_login(reviewer)
    body = client.get(reverse("insight:package_matches", args=[packages[(12, 2023)].pk])).content.decode()
    assert "另有1处与尚未上报的报告相似" in body
    assert NarrativeSection.objects.get(package=source, key="S6.2.1").text[:20] not in body


@pytest.mark.parametrize("query", [{"year": "abc"}, {"year": "1800"}, {"sort": "bogus"}, {"flagged": "yes"},
                                   {"year": "2023", "region": "abc"}, {"year": "2023", "region": "999999"}])
def test_bad_filters_never_break_the_page(client, screened, query):
    region, packages, reviewer = screened
    client.force_login(reviewer)
    response = client.get(reverse("insight:region"), query)
    assert response.status_code in (200, 404)
    if "region" in query:
        assert response.status_code == 404
    else:
        assert response.status_code == 200
    if query.get("year") == "abc":
        body = response.content.decode()
        assert 'value="abc"' in body and "invalid-feedback" in body

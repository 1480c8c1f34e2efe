"""Copy from last year (issue 5 item 7): structure and targets carried, actuals and money empty, marks kept."""
from decimal import Decimal

import pytest
from django.urls import reverse

from evalportal.accounts.roles import Role
from evalportal.reports.copying import package_copy
from evalportal.reports.models import IndicatorRow, NarrativeSection, ReportPackage
from tests.factories import make_user
from tests.reports.formdata import page_data, row_prefix

pytestmark = pytest.mark.django_db


def test_copy_carries_projects_rows_targets_and_texts_but_no_actuals(demo_a):
    copy = package_copy(source=demo_a)
    assert copy.year == 2024 and copy.created_from_id == demo_a.pk and copy.state == "draft"
    assert list(copy.projects.values_list("name", flat=True)) == list(demo_a.projects.values_list("name", flat=True))
    assert all(copy.projects.values_list("carried_over", flat=True))
    rows = IndicatorRow.objects.filter(project_sheet__project__package=copy)
    assert rows.count() == IndicatorRow.objects.filter(project_sheet__project__package=demo_a).count()
    assert set(rows.values_list("actual_raw", flat=True)) == {""}
    assert all(rows.values_list("carried_over", flat=True))
    row = rows.get(project_sheet__project__name="政务中心大厅运行经费", name="政府网站上传信息数量")
    assert row.target_raw == "≥40000条" and row.previous_actual_raw == "41560" and row.weight == Decimal("2.00")
    sheet = copy.projects.get(name="政务中心大厅运行经费").sheet
    assert sheet.appropriation_spent is None and sheet.goal_expected
    # Last year's 决算数 become this year's {Y−1}年决算数 column.
    reception = copy.base_data.lines.get(line="reception")
    assert reception.prev_final == Decimal("0.35") and reception.cur_final is None
    special = copy.base_data.special_rows.get(name="政务中心大厅运行经费")
    assert special.prev_final == Decimal("1004.12") and special.project.package_id == copy.pk
    assert not copy.base_data.special_rows.filter(name="政务服务中心搬迁工程专项").exists()
    s7 = NarrativeSection.objects.get(package=copy, key="S7")
    assert s7.carried_over and s7.text == NarrativeSection.objects.get(package=demo_a, key="S7").text


def test_the_form_marks_carried_values_shows_last_years_actual_and_clears_the_mark_on_edit(client, demo_a):
    copy = package_copy(source=demo_a)
    client.force_login(make_user(Role.FILLER, department=demo_a.department))
    project = copy.projects.get(name="政务中心大厅运行经费")
    url = reverse("reports:project_sheet", args=[copy.pk, project.pk])
    page = client.get(url)
    body = page.content.decode()
    assert "沿用上年" in body and "上年实际：41560" in body
    data = page_data(page)
    edited = row_prefix(page, "政府网站上传信息数量")
    confirmed = row_prefix(page, "政务服务事项网上办事率")
    data[f"{edited}-actual_raw"] = "43000条"
    data[f"{confirmed}-confirm_carried"] = "on"
    assert client.post(url, data).status_code == 302
    rows = IndicatorRow.objects.filter(project_sheet__project=project)
    assert not rows.get(name="政府网站上传信息数量").carried_over
    assert not rows.get(name="政务服务事项网上办事率").carried_over
    assert rows.get(name="部门预决算网上公开率").carried_over


def test_a_narrative_paragraph_stays_marked_until_edited_or_confirmed(client, demo_a):
    copy = package_copy(source=demo_a)
    client.force_login(make_user(Role.FILLER, department=demo_a.department))
    url = reverse("reports:narrative", args=[copy.pk])
    data = page_data(client.get(url))
    data["sec-s_S7"] = data["sec-s_S7"] + "新增一句。"
    data["sec-c_S8"] = "on"
    assert client.post(url, data).status_code == 302
    carried = dict(NarrativeSection.objects.filter(package=copy).values_list("key", "carried_over"))
    assert carried["S7"] is False and carried["S8"] is False and carried["S1"] is True


def test_package_new_can_copy_last_years_package(client, demo_a):
    client.force_login(make_user(Role.FILLER, department=demo_a.department))
    response = client.post(reverse("reports:package_new"),
                           {"department": demo_a.department.pk, "year": "2024", "copy_from": demo_a.pk})
    copy = ReportPackage.objects.get(department=demo_a.department, year=2024)
    assert response.status_code == 302 and copy.created_from_id == demo_a.pk
    assert copy.projects.count() == 4

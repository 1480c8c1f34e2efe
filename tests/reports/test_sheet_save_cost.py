"""A 附件2/附件3 save writes only what changed and scores the package it already loaded (no second load)."""
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from evalportal.accounts.roles import Role
from evalportal.reports import engine
from evalportal.reports.models import IndicatorRow, ReportPackage
from evalportal.reports.selectors import load_package, package_data
from evalportal.review.models import AuditEvent, FieldChange
from tests.factories import make_user
from tests.reports.formdata import page_data, row_prefix

pytestmark = pytest.mark.django_db


@pytest.fixture
def filler(demo_a, client):
    client.force_login(make_user(Role.FILLER, department=demo_a.department))
    return demo_a


@pytest.fixture
def scored(monkeypatch):
    """The PackageData each save's refresh scores (package_refresh → engine.evaluate)."""
    seen = []
    original = engine.evaluate

    def spy(pkg, **kwargs):
        seen.append(pkg)
        return original(pkg, **kwargs)
    monkeypatch.setattr(engine, "evaluate", spy)
    return seen


def sheet_url(package, project=None):
    if project is None:
        return reverse("reports:department_sheet", args=[package.pk])
    return reverse("reports:project_sheet", args=[package.pk, project.pk])


def writes(queries, table):
    return [q["sql"] for q in queries.captured_queries if q["sql"].startswith("UPDATE") and table in q["sql"]]


def test_saving_one_text_writes_that_sheet_only_and_loads_the_package_once(client, filler,
                                                                           django_assert_max_num_queries):
    project = filler.projects.order_by("order").first()
    url = sheet_url(filler, project)
    data = page_data(client.get(url))
    data["sheet-goal_achieved"] = "全年完成政务服务事项办理。"
    with CaptureQueriesContext(connection) as queries:
        assert client.post(url, data).status_code == 302
    assert len(writes(queries, '"reports_projectevalsheet"')) == 1
    assert not writes(queries, '"reports_indicatorrow"') and not writes(queries, '"reports_project"')
    # One package load (its first statement reads the package with its department and sheets), not two.
    assert sum('FROM "reports_reportpackage" INNER JOIN' in q["sql"] for q in queries.captured_queries) == 1
    with django_assert_max_num_queries(40):       # 85 before rows and package were left alone
        client.post(url, {**data, "version": str(filler.version + 1), "sheet-goal_achieved": "再次修改。"})
    event = AuditEvent.objects.filter(package=filler, kind=AuditEvent.Kind.SAVE).order_by("pk").first()
    assert list(FieldChange.objects.filter(event=event).values_list("field", "new")) == [
        ("实际完成情况", "全年完成政务服务事项办理。")]


def test_moving_a_row_writes_the_rows_whose_number_changes(client, filler):
    project = filler.projects.order_by("order").first()
    url = sheet_url(filler, project)
    page = client.get(url)
    before = dict(IndicatorRow.objects.filter(project_sheet__project=project).values_list("pk", "order"))
    data = page_data(page)
    prefix = row_prefix(page, "部门预决算网上公开率")          # second row of its 二级: to the front
    data[f"{prefix}-order"] = "0"
    with CaptureQueriesContext(connection) as queries:
        assert client.post(url, data).status_code == 302
    after = dict(IndicatorRow.objects.filter(project_sheet__project=project).values_list("pk", "order"))
    moved = {pk for pk in after if after[pk] != before[pk]}
    assert len(moved) == 2 and sorted(after.values()) == list(range(1, len(after) + 1))
    row_updates = writes(queries, '"reports_indicatorrow"')
    assert len(row_updates) == 1 + len(moved)     # parking the two, then writing each


@pytest.mark.parametrize("edit", ["goal", "funds", "rename", "rows", "department"])
def test_the_refresh_scores_exactly_what_a_fresh_load_of_the_saved_package_reads(client, filler, scored, edit):
    project = filler.projects.order_by("order").first()
    url = sheet_url(filler, None if edit == "department" else project)
    page = client.get(url)
    data = page_data(page)
    if edit in ("goal", "department"):
        data["sheet-goal_achieved"] = "按期完成。"
    elif edit == "funds":
        data["sheet-appropriation_spent"] = "1,004.1"          # stored as 1004.10
        data["sheet-other_initial"] = "3"
    elif edit == "rename":                                    # the 附件1 专项 row names this project too
        data["project-name"] = "政务中心大厅运行经费（调整）"
    else:
        total = int(data["rows-TOTAL_FORMS"])
        names = [f.prefix for f in page.context["page"].formset.forms]
        data[f"{names[0]}-weight"] = "2.5"
        data[f"{names[1]}-DELETE"] = "on"
        data[f"{names[2]}-order"] = "0"
        data.update({"rows-TOTAL_FORMS": str(total + 1), f"rows-{total}-name": "回访满意率",
                     f"rows-{total}-subcategory": data[f"{names[3]}-subcategory"], f"rows-{total}-order": "99",
                     f"rows-{total}-target_raw": "≥90%", f"rows-{total}-actual_raw": "92%",
                     f"rows-{total}-weight": "1"})
    scored.clear()
    assert client.post(url, data).status_code == 302
    assert len(scored) == 1
    fresh = package_data(load_package(filler.pk))
    assert scored[0] == fresh
    stored = ReportPackage.objects.get(pk=filler.pk)
    result = engine.evaluate(fresh)
    assert (stored.total_score, stored.grade, stored.error_count, stored.warning_count) == (
        result.total_score, result.grade_label, result.error_count, result.warning_count)


def test_shared_choices_still_refuse_an_option_that_is_not_offered(client, filler):
    project = filler.projects.order_by("order").first()
    url = sheet_url(filler, project)
    page = client.get(url)
    data = page_data(page)
    prefix = row_prefix(page, "部门预决算网上公开率")
    other_template_sub = 10 ** 6
    response = client.post(url, {**data, f"{prefix}-band": "excellent", f"{prefix}-subcategory": str(other_template_sub)})
    body = response.content.decode()
    assert response.status_code == 200 and "未保存" in body
    assert "选择一个有效的选项" in body              # 档次 and 二级: Django's invalid-choice message, as before
    assert '<option value="">——档次——</option>' in body and '<option value="">——请选择——</option>' in body


def test_save_and_next_goes_on_to_the_next_part_with_the_package_already_loaded(client, filler):
    first, second = filler.projects.order_by("order")[:2]
    data = {**page_data(client.get(sheet_url(filler, first))), "then": "next"}
    with CaptureQueriesContext(connection) as queries:
        response = client.post(sheet_url(filler, first), data)
    assert response.status_code == 302 and response["Location"] == sheet_url(filler, second)
    assert sum('FROM "reports_reportpackage" INNER JOIN' in q["sql"] for q in queries.captured_queries) == 1
    last = filler.projects.order_by("order").last()
    data = {**page_data(client.get(sheet_url(filler, last))), "then": "next"}
    assert client.post(sheet_url(filler, last), data)["Location"] == reverse("reports:att4", args=[filler.pk])

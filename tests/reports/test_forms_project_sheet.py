"""附件3 form: save, rejected save, conflict, permissions, live preview and row operations (issue 5)."""
import pytest
from django.urls import reverse

from evalportal.accounts.roles import Role
from evalportal.reports.models import IndicatorRow, ReportPackage
from evalportal.review.models import AuditEvent, FieldChange
from evalportal.review.workflow import State
from tests.factories import make_user
from tests.reports.formdata import page_data, row_prefix

pytestmark = pytest.mark.django_db


@pytest.fixture
def sheet(demo_a, client):
    filler = make_user(Role.FILLER, department=demo_a.department)
    client.force_login(filler)
    project = demo_a.projects.order_by("order").first()
    url = reverse("reports:project_sheet", args=[demo_a.pk, project.pk])
    return demo_a, project, url, filler


def test_the_sheet_renders_like_the_paper_table_with_scores(client, sheet):
    package, project, url, _ = sheet
    response = client.get(url)
    body = response.content.decode()
    assert response.status_code == 200
    for label in ("项目支出名称", "项目资金(万元)", "年度资金总额", "其中：当年财政拨款", "年度总体目标", "绩效指标",
                  "产出指标（30分）", "偏差原因分析及改进措施", "总分"):
        assert label in body
    assert 'id="sheet-total">100.00<' in body and 'id="sheet-grade">优<' in body
    assert 'id="exec-rate" class="num">100.00%' in body
    # Inputs are rendered in Python: their attributes must come out as HTML, not escaped text.
    assert 'name="sheet-appropriation_initial" value="222.00" class="form-control' in body and "class=&quot;" not in body
    assert '<label class="visually-hidden" for="id_rows-0-target_raw">第' in body


def test_a_valid_save_stores_the_values_bumps_the_version_and_is_audited(client, sheet):
    package, project, url, filler = sheet
    page = client.get(url)
    data = page_data(page)
    prefix = row_prefix(page, "政务服务事项网上办事率")
    data[f"{prefix}-actual_raw"] = "93%"
    data[f"{prefix}-deviation_reason"] = "部分事项需现场核验。"
    data["sheet-appropriation_spent"] = "1,004.12"
    response = client.post(url, data)
    assert response.status_code == 302
    row = IndicatorRow.objects.get(project_sheet__project=project, name="政务服务事项网上办事率")
    assert row.actual_raw == "93%" and row.deviation_reason == "部分事项需现场核验。"
    package.refresh_from_db()
    assert package.version == 2
    event = AuditEvent.objects.filter(package=package, kind=AuditEvent.Kind.SAVE).latest("pk")
    changes = set(FieldChange.objects.filter(event=event).values_list("field", "old", "new"))
    assert ("实际完成值", "95%", "93%") in changes
    # The cached total follows the save: 2 × 93 ÷ 95 = 1.96, so the sheet loses 0.04.
    follow = client.get(url)
    assert 'id="sheet-total">99.96<' in follow.content.decode()


def test_an_unreadable_target_is_refused_at_its_field_and_everything_typed_is_kept(client, sheet):
    package, project, url, _ = sheet
    page = client.get(url)
    data = page_data(page)
    prefix = row_prefix(page, "政务服务事项网上办事率")
    data[f"{prefix}-target_raw"] = "完成95%以上工作任务"
    data["sheet-goal_expected"] = "新的预期目标（尚未保存）"
    data["sheet-appropriation_initial"] = "12.345"
    response = client.post(url, data)
    body = response.content.decode()
    assert response.status_code == 200
    assert "无法识别「完成95%以上工作任务」" in body
    assert "金额最多保留两位小数" in body
    assert 'value="完成95%以上工作任务"' in body and "新的预期目标（尚未保存）" in body and 'value="12.345"' in body
    package.refresh_from_db()
    assert package.version == 1
    assert IndicatorRow.objects.get(project_sheet__project=project, name="政务服务事项网上办事率").target_raw == "≥95%"


def test_a_draft_saves_without_being_complete(client, sheet):
    package, project, url, _ = sheet
    page = client.get(url)
    data = page_data(page)
    prefix = row_prefix(page, "政务服务事项网上办事率")
    data[f"{prefix}-actual_raw"] = ""
    data["sheet-goal_achieved"] = ""
    data["sheet-filled_by"] = ""
    assert client.post(url, data).status_code == 302
    assert IndicatorRow.objects.get(project_sheet__project=project, name="政务服务事项网上办事率").actual_raw == ""


def test_a_draft_row_without_a_weight_saves_and_is_asked_for_before_submitting(client, sheet):
    from evalportal.checks import run
    from evalportal.reports.selectors import load_package, package_data
    package, project, url, _ = sheet
    page = client.get(url)
    data = page_data(page)
    prefix = row_prefix(page, "部门预决算网上公开率")
    data[f"{prefix}-weight"] = ""
    assert client.post(url, data).status_code == 302
    row = IndicatorRow.objects.get(project_sheet__project=project, name="部门预决算网上公开率")
    assert row.weight is None
    pkg = package_data(load_package(package.pk))
    at_save = [f for f in run(pkg) if f.code == "K04" and f.field == "weight" and "请填写分值" in f.message]
    at_submit = [f for f in run(pkg, stage="submit") if f.code == "K04" and "请填写分值" in f.message]
    assert at_save and not at_save[0].is_error
    assert at_submit and at_submit[0].is_error
    assert "请填写分值" in client.get(url).content.decode()


def test_two_clerks_saving_the_same_version_get_a_conflict_not_an_overwrite(client, sheet):
    package, project, url, _ = sheet
    page = client.get(url)
    first, second = page_data(page), page_data(page)
    prefix = row_prefix(page, "政务服务事项网上办事率")
    first[f"{prefix}-actual_raw"] = "96%"
    assert client.post(url, first).status_code == 302
    second[f"{prefix}-actual_raw"] = "90%"
    response = client.post(url, second)
    body = response.content.decode()
    assert response.status_code == 200 and "保存冲突" in body and 'value="90%"' in body
    assert IndicatorRow.objects.get(project_sheet__project=project, name="政务服务事项网上办事率").actual_raw == "96%"
    # The page now carries the new version: saving again after reading the message goes through.
    assert response.context["version"] == 2
    second["version"] = "2"
    assert client.post(url, second).status_code == 302
    assert IndicatorRow.objects.get(project_sheet__project=project, name="政务服务事项网上办事率").actual_raw == "90%"


def test_only_the_departments_filler_may_save_and_only_while_editable(client, sheet):
    package, project, url, filler = sheet
    data = page_data(client.get(url))
    head = make_user(Role.HEAD, department=package.department)
    client.force_login(head)
    assert client.get(url).status_code == 200          # read-only view
    assert client.post(url, data).status_code == 403
    client.force_login(filler)
    ReportPackage.objects.filter(pk=package.pk).update(state=State.PENDING_FINANCE)
    response = client.get(url)
    assert response.status_code == 200 and "不能修改" in response.content.decode()
    assert 'name="then"' not in response.content.decode()
    assert client.post(url, data).status_code == 403


def test_a_filler_of_another_department_gets_404(client, sheet, templates_loaded):
    from tests.factories import make_department
    package, project, url, _ = sheet
    client.force_login(make_user(Role.FILLER, department=make_department()))
    assert client.get(url).status_code == 404
    live = reverse("reports:project_sheet_live", args=[package.pk, project.pk])
    assert client.post(live, {}).status_code == 404


def test_live_preview_scores_what_is_typed_without_saving(client, sheet):
    package, project, url, _ = sheet
    page = client.get(url)
    data = page_data(page)
    prefix = row_prefix(page, "政务服务事项网上办事率")
    data[f"{prefix}-actual_raw"] = "93%"
    live = reverse("reports:project_sheet_live", args=[package.pk, project.pk])
    response = client.post(live, data, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert response.status_code == 200
    assert f'id="res-{prefix}"' in body and "1.96" in body
    assert 'id="sheet-total" hx-swap-oob="true">99.96<' in body
    assert "2 × 93 ÷ 95" in body                       # the "why" explanation of the row
    assert IndicatorRow.objects.get(project_sheet__project=project, name="政务服务事项网上办事率").actual_raw == "95%"


def test_live_preview_shows_a_parse_error_at_the_field(client, sheet):
    package, project, url, _ = sheet
    page = client.get(url)
    data = page_data(page)
    prefix = row_prefix(page, "政务服务事项网上办事率")
    data[f"{prefix}-actual_raw"] = "5万条"
    live = reverse("reports:project_sheet_live", args=[package.pk, project.pk])
    body = client.post(live, data, HTTP_HX_REQUEST="true").content.decode()
    assert f'id="msg-{prefix}-actual_raw" hx-swap-oob="true"' in body
    fragment = body.split(f'id="msg-{prefix}-actual_raw"', 1)[1].split("</div></div>", 1)[0]
    assert "不一致" in fragment


def test_adding_moving_and_deleting_rows_rerenders_the_block_and_keeps_typed_values(client, sheet):
    package, project, url, _ = sheet
    page = client.get(url)
    data = page_data(page)
    live = reverse("reports:project_sheet_live", args=[package.pk, project.pk])
    category = package.weight_template.categories.get(name="满意度指标")
    first = row_prefix(page, "政务服务事项网上办事率")
    data[f"{first}-actual_raw"] = "94%"                # typed, not saved: must survive the re-render
    response = client.post(live, {**data, "op": f"add:{category.pk}"}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    total = int(data["rows-TOTAL_FORMS"])
    assert f'name="rows-{total}-name"' in body and 'value="94%"' in body
    assert f'data-focus="id_rows-{total}-name"' in body

    data = {**data, "rows-TOTAL_FORMS": str(total + 1), f"rows-{total}-name": "回访满意率",
            f"rows-{total}-subcategory": str(category.subcategories.first().pk), f"rows-{total}-order": "99",
            f"rows-{total}-target_raw": "≥90%", f"rows-{total}-actual_raw": "95%", f"rows-{total}-weight": "5"}
    deleted = row_prefix(page, "服务对象满意率")
    data[f"{deleted}-DELETE"] = "on"
    data[f"{row_prefix(page, '资金到位率')}-weight"] = "10"
    response = client.post(url, data)
    assert response.status_code == 302
    names = list(IndicatorRow.objects.filter(project_sheet__project=project).values_list("name", flat=True))
    assert "回访满意率" in names and "服务对象满意率" not in names
    orders = list(IndicatorRow.objects.filter(project_sheet__project=project).values_list("order", flat=True))
    assert sorted(orders) == list(range(1, len(orders) + 1))


def test_moving_a_row_down_swaps_it_with_the_next_row_of_its_group(client, sheet):
    package, project, url, _ = sheet
    page = client.get(url)
    data = page_data(page)
    live = reverse("reports:project_sheet_live", args=[package.pk, project.pk])
    index = int(row_prefix(page, "政务服务事项网上办事率").split("-")[1])
    response = client.post(live, {**data, "op": f"down:{index}"}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert body.index("部门预决算网上公开率") < body.index("政务服务事项网上办事率")


def test_an_expired_session_on_a_live_request_goes_to_login_and_back_to_the_page(client, sheet):
    package, project, url, _ = sheet
    client.logout()
    live = reverse("reports:project_sheet_live", args=[package.pk, project.pk])
    response = client.post(live, {}, HTTP_HX_REQUEST="true", HTTP_HX_CURRENT_URL=f"http://testserver{url}")
    assert response.status_code == 204 and response["HX-Redirect"] == f"/accounts/login/?next={url}"
    response = client.get(url)
    assert response.status_code == 302 and response.url == f"/accounts/login/?next={url}"


def test_a_weight_sum_off_its_template_weight_is_shown_in_the_merged_category_cell(client, sheet):
    package, project, url, _ = sheet
    page = client.get(url)
    data = page_data(page)
    data[f"{row_prefix(page, '政务服务事项网上办事率')}-weight"] = "3"
    live = reverse("reports:project_sheet_live", args=[package.pk, project.pk])
    body = client.post(live, data, HTTP_HX_REQUEST="true").content.decode()
    category = package.weight_template.categories.get(name="产出指标")
    cell = body.split(f'id="cat-{category.pk}-sum" hx-swap-oob="true">', 1)[1].split("</div></div>", 1)[0]
    assert "分值合计 31/30" in cell and "K04" in cell

"""附件1, 附件2, 附件4–6, the narrative and the project reports: valid, invalid, conflict, permission (issue 5)."""
from decimal import Decimal

import pytest
from django.urls import reverse

from evalportal.accounts.roles import Role
from evalportal.reports.models import (BaseDataLine, FundRow, FundTable, NarrativeSection, Project,
                                       ProjectReportSection, ProjectSpendItem, ReportPackage)
from evalportal.review.workflow import State
from tests.factories import make_department, make_user
from tests.reports.formdata import page_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def filler(demo_a, client):
    user = make_user(Role.FILLER, department=demo_a.department)
    client.force_login(user)
    return user


def urls(package):
    project = package.projects.order_by("order").first()
    return {
        "att1": reverse("reports:base_data", args=[package.pk]),
        "att2": reverse("reports:department_sheet", args=[package.pk]),
        "att4": reverse("reports:att4", args=[package.pk]),
        "att6": reverse("reports:att6", args=[package.pk]),
        "report": reverse("reports:narrative", args=[package.pk]),
        "project_report": reverse("reports:project_report", args=[package.pk, project.pk]),
    }


def version(package) -> int:
    return ReportPackage.objects.get(pk=package.pk).version


# --- valid saves ----------------------------------------------------------------------------------------------

def test_att2_saves_funds_and_shows_the_generated_project_expenditure(client, demo_a, filler):
    url = urls(demo_a)["att2"]
    page = client.get(url)
    body = page.content.decode()
    assert 'id="project-expenditure" class="num">1116.12<' in body and "按收入性质分" in body
    data = page_data(page)
    data["sheet-basic_expenditure"] = "334.7"
    data["sheet-goal_expected"] = "目标1：保障运转。"
    assert client.post(url, data).status_code == 302
    demo_a.department_sheet.refresh_from_db()
    assert demo_a.department_sheet.goal_expected == "目标1：保障运转。"
    assert version(demo_a) == 2


def test_att1_saves_typed_cells_and_computes_the_three_public_total(client, demo_a, filler):
    url = urls(demo_a)["att1"]
    page = client.get(url)
    assert 'id="cv-three_public_total__cur_final" class="cv">0.35<' in page.content.decode()
    data = page_data(page)
    data["lines-overseas__cur_final"] = "1.00"
    data["sheet-actual_staff"] = "27"
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    line = BaseDataLine.objects.get(sheet__package=demo_a, line="overseas")
    assert line.cur_final == Decimal("1.00")
    follow = client.get(url).content.decode()
    assert 'id="cv-three_public_total__cur_final" class="cv">1.35<' in follow
    assert 'id="cv-staff_rate" class="cv">96.43%<' in follow


def test_att1_adds_a_special_row_linked_to_nothing(client, demo_a, filler):
    url = urls(demo_a)["att1"]
    data = page_data(client.get(url))
    n = int(data["special-TOTAL_FORMS"])
    data.update({"special-TOTAL_FORMS": str(n + 1), f"special-{n}-name": "上年专项（已结束）",
                 f"special-{n}-prev_final": "12.5", f"special-{n}-order": "9999"})
    assert client.post(url, data).status_code == 302
    assert demo_a.base_data.special_rows.filter(name="上年专项（已结束）", prev_final=Decimal("12.50")).exists()


def test_att6_rows_and_the_none_flag(client, demo_a, filler):
    url = urls(demo_a)["att6"]
    data = page_data(client.get(url))
    data.pop("table-none", None)       # untick 无
    data.update({"fr-TOTAL_FORMS": "2", "fr-0-subject": "机关事业单位基本养老保险缴费", "fr-0-full_year_spent": "32.98",
                 "fr-0-order": "1", "fr-1-subject": "职工基本医疗保险缴费", "fr-1-full_year_spent": "15.18",
                 "fr-1-order": "2"})
    assert client.post(url, data).status_code == 302
    table = FundTable.objects.get(package=demo_a, kind="social_insurance")
    assert not table.none and list(table.rows.values_list("subject", flat=True)) == [
        "机关事业单位基本养老保险缴费", "职工基本医疗保险缴费"]
    body = client.get(url).content.decode()
    assert 'id="cv-total_spent" class="cv">48.16<' in body
    # The narrative's §五 sentence follows the table at once.
    narrative = client.get(urls(demo_a)["report"]).content.decode()
    assert "2023年度社会保险基金预算支出48.16万元，详见附件6。" in narrative


def test_narrative_saves_texts_and_regenerates_the_sentences(client, demo_a, filler):
    url = urls(demo_a)["report"]
    page = client.get(url)
    body = page.content.decode()
    assert "其中人员工资福利支出289.15万元" in body and "一、" in body and "（一）" in body
    data = page_data(page)
    data["sec-s_S7"] = "预算执行不够均衡。"
    data["pkg-personnel_expenditure"] = "290.00"
    assert client.post(url, data).status_code == 302
    assert NarrativeSection.objects.get(package=demo_a, key="S7").text == "预算执行不够均衡。"
    assert "其中人员工资福利支出290.00万元" in client.get(url).content.decode()


def test_narrative_live_recomputes_the_generated_sentence_from_the_typed_figure(client, demo_a, filler):
    url = urls(demo_a)["report"]
    data = page_data(client.get(url))
    data["pkg-personnel_expenditure"] = "300"
    response = client.post(reverse("reports:narrative_live", args=[demo_a.pk]), data, HTTP_HX_REQUEST="true")
    assert "其中人员工资福利支出300.00万元" in response.content.decode()


def test_project_report_saves_dates_sections_and_spend_items(client, demo_a, filler):
    url = urls(demo_a)["project_report"]
    project = demo_a.projects.order_by("order").first()
    page = client.get(url)
    assert "自评得分100.00分。考评结果为优秀。" in page.content.decode()
    data = page_data(page)
    data["sec-s_S6"] = "建议继续保障大厅运行经费。"
    data["items-0-amount"] = "11.00"      # 办公费 10 → 11: the items no longer add up to 1004.12
    response = client.post(url, data)
    assert response.status_code == 302
    assert ProjectReportSection.objects.get(report__project=project, key="S6").text == "建议继续保障大厅运行经费。"
    assert ProjectSpendItem.objects.get(project=project, name="办公费").amount == Decimal("11.00")
    body = client.get(url).content.decode()
    assert 'id="cv-items_total" class="cv">1005.12<' in body
    assert "K30" in body


# --- rejected saves keep everything -------------------------------------------------------------------------

@pytest.mark.parametrize("part,field,value,message", [
    ("att2", "sheet-initial_budget", "671.456", "金额最多保留两位小数"),
    ("att1", "lines-reception__cur_final", "四点零五", "请填写数字金额"),
    ("att1", "sheet-actual_staff", "28.5", "请填写整数"),
    ("report", "pkg-personnel_expenditure", "-1", "金额不能为负数"),
    ("project_report", "rep-eval_start", "2024-13-45", "请填写正确的日期"),
    ("att6", "fr-0-full_year_spent", "1.234", "金额最多保留两位小数"),
])
def test_a_wrong_value_is_refused_with_a_chinese_message_and_the_typed_text_is_kept(
        client, demo_a, filler, part, field, value, message):
    url = urls(demo_a)[part]
    data = page_data(client.get(url))
    if part == "att6":
        data.update({"fr-TOTAL_FORMS": "1", "fr-0-subject": "测试科目", "fr-0-order": "1"})
    data[field] = value
    data["sec-s_S8" if part == "report" else "sheet-filled_by"] = "未保存的填写"
    response = client.post(url, data)
    body = response.content.decode()
    assert response.status_code == 200
    assert message in body and f'value="{value}"' in body
    assert version(demo_a) == 1


# --- conflicts --------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("part", ["att1", "att2", "att4", "report", "project_report"])
def test_a_stale_page_gets_the_conflict_message_and_keeps_its_values(client, demo_a, filler, part):
    url = urls(demo_a)[part]
    data = page_data(client.get(url))
    ReportPackage.objects.filter(pk=demo_a.pk).update(version=5)    # someone else saved meanwhile
    response = client.post(url, data)
    body = response.content.decode()
    assert response.status_code == 200 and "保存冲突" in body and "当前版本 5" in body
    assert version(demo_a) == 5


# --- permissions and locked packages ---------------------------------------------------------------------------

@pytest.mark.parametrize("part", ["att1", "att2", "att4", "report", "project_report"])
def test_heads_read_only_and_locked_packages_refuse_writes(client, demo_a, filler, part):
    url = urls(demo_a)[part]
    data = page_data(client.get(url))
    client.force_login(make_user(Role.HEAD, department=demo_a.department))
    response = client.get(url)
    assert response.status_code == 200 and "只读" in response.content.decode()
    assert client.post(url, data).status_code == 403
    client.force_login(filler)
    ReportPackage.objects.filter(pk=demo_a.pk).update(state=State.APPROVED)
    assert client.post(url, data).status_code == 403
    assert version(demo_a) == 1
    client.force_login(make_user(Role.FILLER, department=make_department()))
    assert client.get(url).status_code == 404


# --- projects, explanations, packages ----------------------------------------------------------------------------

def test_a_filler_adds_and_deletes_a_project(client, demo_a, filler):
    response = client.post(reverse("reports:project_new", args=[demo_a.pk]), {"name": "新建项目甲", "category": "special"})
    project = Project.objects.get(package=demo_a, name="新建项目甲")
    assert response.status_code == 302 and response.url == reverse("reports:project_sheet", args=[demo_a.pk, project.pk])
    assert project.sheet.implementing_unit == demo_a.department.name
    again = client.post(reverse("reports:project_new", args=[demo_a.pk]), {"name": "新建项目甲", "category": "special"})
    assert "已有名为「新建项目甲」的项目" in again.content.decode()
    delete = reverse("reports:project_delete", args=[demo_a.pk, project.pk])
    client.post(delete, {"confirm_name": "别的名字"})
    assert Project.objects.filter(pk=project.pk).exists()
    client.post(delete, {"confirm_name": "新建项目甲"})
    assert not Project.objects.filter(pk=project.pk).exists()


def test_a_warning_gets_an_explanation(client, demo_a, filler):
    from evalportal.reports.models import CheckExplanation
    url = reverse("reports:explain", args=[demo_a.pk])
    response = client.post(url, {"code": "K16", "location": "att2.funds", "explanation": "年中追加了搬迁工程预算。"},
                           HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and "说明已保存" in response.content.decode()
    assert CheckExplanation.objects.get(package=demo_a, code="K16").explanation == "年中追加了搬迁工程预算。"
    assert "年中追加了搬迁工程预算。" in client.get(urls(demo_a)["att2"]).content.decode()


def test_the_overview_lists_every_part_with_state_score_and_counts(client, demo_a, filler):
    body = client.get(reverse("reports:package", args=[demo_a.pk])).content.decode()
    for label in ("部门整体支出绩效自评报告（正文）", "附件1 部门整体支出绩效评价基础数据表", "附件2 部门整体支出绩效自评表",
                  "附件3-1 政务中心大厅运行经费", "附件4", "附件6", "项目支出绩效评价报告-4"):
        assert label in body
    assert "已完成（无）" in body and "100.00" in body and "从第一步开始填写" in body


def test_a_filler_starts_a_blank_package_for_the_next_year(client, demo_a, filler):
    response = client.post(reverse("reports:package_new"), {"department": demo_a.department.pk, "year": "2024"})
    package = ReportPackage.objects.get(department=demo_a.department, year=2024)
    assert response.status_code == 302 and response.url == reverse("reports:package", args=[package.pk])
    again = client.post(reverse("reports:package_new"), {"department": demo_a.department.pk, "year": "2024"})
    assert "已有2024年度报告" in again.content.decode()


def test_att1_and_att6_live_previews_compute_from_the_typed_values(client, demo_a, filler):
    data = page_data(client.get(urls(demo_a)["att1"]))
    data["lines-overseas__cur_final"] = "2"
    body = client.post(reverse("reports:base_data_live", args=[demo_a.pk]), data, HTTP_HX_REQUEST="true").content.decode()
    assert 'id="cv-three_public_total__cur_final" class="cv" hx-swap-oob="true">2.35<' in body
    data = page_data(client.get(urls(demo_a)["att6"]))
    data.pop("table-none", None)
    data.update({"fr-TOTAL_FORMS": "1", "fr-0-subject": "基本养老保险缴费", "fr-0-full_year_budget": "40",
                 "fr-0-full_year_spent": "32.98", "fr-0-order": "1"})
    body = client.post(urls(demo_a)["att6"] + "?live=1", data, HTTP_HX_REQUEST="true").content.decode()
    assert 'id="cv-total_spent" class="cv" hx-swap-oob="true">32.98<' in body
    assert 'id="cv-total_rate" class="cv" hx-swap-oob="true">82.45%<' in body
    assert FundTable.objects.get(package=demo_a, kind="social_insurance").none      # nothing saved


def test_read_only_pages_disable_inputs_but_not_the_review_comment_forms(client, demo_a, filler):
    ReportPackage.objects.filter(pk=demo_a.pk).update(state=State.PENDING_FINANCE)
    client.force_login(make_user(Role.REVIEWER, region=demo_a.department.region))
    body = client.get(urls(demo_a)["att2"]).content.decode()
    assert 'name="sheet-initial_budget" value="671.45"' in body
    assert body.split('name="sheet-initial_budget"', 1)[1].split(">", 1)[0].count("disabled") == 1
    assert "<fieldset disabled" not in body

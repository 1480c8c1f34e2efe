"""The clerk's path in a real browser: create a project, fill its 附件3 with six indicators, watch the score and
grade follow the typing, save, reload and find everything (issue 5)."""
import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from evalportal.accounts.roles import Role
from tests.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# 一级, 三级, 年度指标值, 实际完成值, 分值 — Hunan template: 产出30, 效益30, 满意度10, 成本20, 执行率10.
ROWS = [
    ("产出指标", "网上办事率", "≥95%", "95%", "10"),
    ("产出指标", "工单办结率", "100%", "100%", "10"),
    ("产出指标", "投诉件办理时限", "≤2天", "2天", "10"),
    ("效益指标", "“一门集中、一窗集成”改革率", "100%", "100%", "30"),
    ("满意度指标", "服务对象满意率", "≥95%", "98%", "10"),
    ("成本指标", "对社会发展可能造成的负面影响", "无", "无", "20"),
]


@pytest.fixture
def clerk(templates_loaded):
    from evalportal.orgs.models import Region
    from tests.factories import make_department, make_package, make_user
    city = Region.objects.create(name="浏览器测试市", parent=Region.objects.get(name="湖南省", parent=None))
    package = make_package(make_department(city, "浏览器测试市行政审批服务局"))
    make_user(Role.FILLER, department=package.department, username="clerk")
    return package


def test_a_filler_builds_an_att3_and_sees_score_and_grade_while_typing(live_server, page, clerk):
    from evalportal.reports.models import IndicatorRow, Project
    log_in(page, live_server, "clerk")
    page.goto(f"{live_server.url}/packages/{clerk.pk}/")
    page.get_by_label("项目名称（一级项目）").fill("12345热线平台运维经费")
    page.get_by_role("button", name="新增项目").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("附件3-1 12345热线平台运维经费")

    for name in ("sheet-appropriation_initial", "sheet-appropriation_full_year", "sheet-appropriation_spent"):
        page.locator(f"[name='{name}']").fill("20")
    expect(page.locator("#exec-rate")).to_have_text("100.00%")
    expect(page.locator("#exec-score")).to_contain_text("10.00")

    for index, (category, name, target, actual, weight) in enumerate(ROWS):
        page.locator("#indicator-block button.add-row", has_text=category).click()
        field = page.locator(f"#id_rows-{index}-name")
        expect(field).to_be_focused()
        field.fill(name)
        page.locator(f"#id_rows-{index}-target_raw").fill(target)
        page.locator(f"#id_rows-{index}-actual_raw").fill(actual)
        page.locator(f"#id_rows-{index}-weight").fill(weight)
    # 无 / 无 is a qualitative row: the live preview pre-fills 达成 with full marks (domain.md §5.3).
    expect(page.locator("#id_rows-5-judged_score")).to_have_value("20.00")
    expect(page.locator("#sheet-total")).to_have_text("100.00")
    expect(page.locator("#sheet-grade")).to_have_text("优")

    # A shortfall while typing: 10 × 80 ÷ 95 = 8.42, total 98.42, still 优; then 30 × 70 ÷ 100 = 21, total 89.42: 良.
    page.locator("#id_rows-0-actual_raw").fill("80%")
    expect(page.locator("#sheet-total")).to_have_text("98.42")
    expect(page.locator("#res-rows-0")).to_contain_text("8.42")
    page.locator("#id_rows-3-actual_raw").fill("70%")
    expect(page.locator("#sheet-total")).to_have_text("89.42")
    expect(page.locator("#sheet-grade")).to_have_text("良")
    expect(page.locator("#msg-rows-3-deviation_reason")).to_contain_text("偏差原因")
    page.locator("#id_rows-3-deviation_reason").fill("部分乡镇尚未完成改革，明年继续推进。")
    page.locator("#id_rows-0-deviation_reason").fill("线下办理需求仍较多。")

    page.get_by_role("button", name="保存", exact=True).click()
    expect(page.get_by_text("已保存。")).to_be_visible()
    page.reload()
    expect(page.locator("#sheet-total")).to_have_text("89.42")
    expect(page.locator("#sheet-grade")).to_have_text("良")
    for index, (category, name, target, actual, weight) in enumerate(ROWS):
        expect(page.locator(f"textarea[name$='-name']").nth(index)).to_have_value(name)
    expect(page.locator("input[value='70%']")).to_have_count(1)
    project = Project.objects.get(package=clerk, name="12345热线平台运维经费")
    rows = list(IndicatorRow.objects.filter(project_sheet__project=project).order_by("order"))
    assert [r.name for r in rows] == [r[1] for r in ROWS]
    assert rows[5].band == "met" and str(rows[5].judged_score) == "20.00"


def test_leaving_with_unsaved_changes_warns(live_server, page, clerk):
    from evalportal.reports.services import project_create
    project = project_create(package=clerk, name="测试项目")
    log_in(page, live_server, "clerk")
    page.goto(f"{live_server.url}/packages/{clerk.pk}/projects/{project.pk}/")
    page.locator("[name='sheet-goal_expected']").fill("尚未保存的目标")
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.type), dialog.dismiss()))
    with pytest.raises(PlaywrightError):           # the clerk chose to stay: navigation aborted
        page.goto(f"{live_server.url}/packages/{clerk.pk}/")
    assert dialogs == ["beforeunload"]
    expect(page.locator("[name='sheet-goal_expected']")).to_have_value("尚未保存的目标")

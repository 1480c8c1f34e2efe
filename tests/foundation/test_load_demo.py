"""load_demo reproduces seed 001 (domain.md §10): figures read back from the database, each also found in the seed."""
import re
from decimal import Decimal

import pytest
from django.core.management import call_command

from evalportal.reports.models import BaseDataLine, IndicatorRow, ReportPackage
from tests.seeds import seed_file

pytestmark = pytest.mark.django_db

def seed_text() -> str:
    # Cells are separated by newlines and tabs; the extraction also puts spaces inside cells ("网 上办事率").
    return re.sub(r"[ \u3000]+", "", re.sub(r"[\t\r\n]+", "|", seed_file("001_b6cc7c43e2eeb60f.txt").read_text(encoding="utf-8")))


def in_seed(value: Decimal | int) -> bool:
    """The seed prints money as 334.70, 1010.3 or 334: accept any of those forms of the same number."""
    text = seed_text()
    forms = {f"{value}"}
    if isinstance(value, Decimal):
        forms |= {f"{value:.2f}", f"{value.normalize():f}"}
    return any(re.search(rf"(?<![\d.]){re.escape(form)}(?![\d])", text) for form in forms)


def test_demo_a_figures_match_the_seed(demo_a):
    package = demo_a
    sheet = package.department_sheet
    base = package.base_data
    lines = {line.line: line for line in base.lines.all()}
    projects = list(package.projects.order_by("order"))
    figures = {
        "年初预算数": (sheet.initial_budget, Decimal("671.45")),
        "全年预算数": (sheet.full_year_budget, Decimal("1450.82")),
        "全年执行数": (sheet.full_year_spent, Decimal("1450.82")),
        "一般公共预算": (sheet.income_general, Decimal("1450.82")),
        "基本支出": (sheet.basic_expenditure, Decimal("334.70")),
        "项目支出": (sum(p.sheet.appropriation_spent for p in projects), Decimal("1116.12")),
        "编制数": (base.authorised_posts, 28),
        "实际在职人数": (base.actual_staff, 28),
        "公务接待·上年": (lines["reception"].prev_final, Decimal("4.05")),
        "公务接待·预算": (lines["reception"].cur_budget, Decimal("2.80")),
        "公务接待·决算": (lines["reception"].cur_final, Decimal("0.35")),
        "公用经费·上年": (lines["public_expense"].prev_final, Decimal("44.80")),
        "公用经费·预算": (lines["public_expense"].cur_budget, Decimal("50.01")),
        "公用经费·决算": (lines["public_expense"].cur_final, Decimal("45.55")),
        "政府采购·上年": (lines["procurement_amount"].prev_final, Decimal("320")),
        "人员工资福利支出": (package.personnel_expenditure, Decimal("289.15")),
        "3-1 年初": (projects[0].sheet.appropriation_initial, Decimal("222")),
        "3-1 全年": (projects[0].sheet.appropriation_full_year, Decimal("1004.12")),
        "3-2 执行": (projects[1].sheet.appropriation_spent, Decimal("41")),
        "3-3 执行": (projects[2].sheet.appropriation_spent, Decimal("51")),
        "3-4 执行": (projects[3].sheet.appropriation_spent, Decimal("20")),
        "搬迁工程专项·上年": (base.special_rows.get(project__isnull=True).prev_final, Decimal("648.3")),
    }
    for label, (stored, expected) in figures.items():
        assert stored == expected, label
        assert in_seed(expected), f"{label} {expected} is not in the seed text"


def test_demo_a_has_the_seeds_projects_rows_and_spend_items(demo_a):
    projects = list(demo_a.projects.order_by("order"))
    assert [p.name for p in projects] == ["政务中心大厅运行经费", "电子政务及相关经费", "政府雇员经费",
                                          "12345热线平台运维、政府门户网站维护、培训、管理专项经费"]
    assert [p.sheet.rows.count() for p in projects] == [16, 11, 12, 11]
    assert demo_a.department_sheet.rows.count() == 17
    assert [sum(i.amount for i in p.spend_items.all()) for p in projects] == [
        Decimal("1004.12"), Decimal("41"), Decimal("51"), Decimal("20")]
    for p in projects:
        assert p.report.eval_start.isoformat() == "2024-04-15" and p.report.eval_end.isoformat() == "2024-04-25"
        assert p.report.basis == "《汨罗市项目支出绩效评价指标体系》"
    for rows in [demo_a.department_sheet.rows.all()] + [p.sheet.rows.all() for p in projects]:
        assert sum(r.weight for r in rows) == Decimal("90")
    # The special row that ran only in 2022 is unlinked; the four others point at their projects.
    assert demo_a.base_data.special_rows.filter(project__isnull=False).count() == 4
    assert all(t.none for t in demo_a.fund_tables.all())


def test_demo_a_as_printed_keeps_the_seeds_stated_values(demo_a_as_printed):
    sheet = demo_a_as_printed.department_sheet
    assert demo_a_as_printed.is_legacy
    assert sheet.stated_execution_score == Decimal("100")
    assert "99.55" in demo_a_as_printed.sections.get(key="S6.2.4").text
    assert BaseDataLine.objects.filter(sheet__package=demo_a_as_printed, line="special_total").exists()
    assert IndicatorRow.objects.filter(project_sheet__project__package=demo_a_as_printed, actual_raw="41560").exists()


def test_load_demo_is_idempotent_and_creates_the_demo_accounts():
    call_command("load_demo", verbosity=0)
    counts = (ReportPackage.objects.count(), IndicatorRow.objects.count())
    call_command("load_demo", verbosity=0)
    assert (ReportPackage.objects.count(), IndicatorRow.objects.count()) == counts == (2, counts[1])
    from evalportal.accounts.models import User
    for username in ("filler", "head", "reviewer", "filler2", "head2", "reviewer2", "admin"):
        assert User.objects.get(username=username).check_password("evalportal-demo")


def test_load_demo_as_printed_replaces_demo_a_with_the_legacy_copy():
    call_command("load_demo", verbosity=0)
    call_command("load_demo", "--as-printed", verbosity=0)
    package = ReportPackage.objects.get(department__name="汨罗市行政审批服务局", year=2023)
    assert package.is_legacy


def test_demo_b_marks_its_sample_values_for_the_badge(demo_b):
    assert demo_b.has_sample_data
    assert "authorised_posts" in demo_b.base_data.sample_fields
    assert "filled_by" in demo_b.base_data.sample_fields           # from the footer's own tags
    reception = demo_b.base_data.lines.get(line="reception")
    assert set(reception.sample_fields) == {"prev_final", "cur_budget", "cur_final"}
    public = demo_b.base_data.lines.get(line="public_expense")
    assert public.sample_fields == ["cur_budget"]
    row = demo_b.department_sheet.rows.get(name="录入监管行为数据")
    assert set(row.sample_fields) == {"target_raw", "weight"}
    first = demo_b.projects.order_by("order").first()
    assert "appropriation_initial" in first.sheet.sample_fields

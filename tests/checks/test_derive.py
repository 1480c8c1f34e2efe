"""derive(): the computed figures of domain.md §3 on demo A."""
from dataclasses import replace
from decimal import Decimal

from evalportal.checks import derive
from evalportal.checks.data import BaseLine, FundRowData, Funds, SpecialRowData
from evalportal.checks.derive import change_pct, money_sum, rate_pct
from tests.checks.builders import D, demo_a, funds, line, with_base, with_fund_table, with_line, with_project


def test_money_sum_keeps_blank_apart_from_zero():
    assert money_sum(None, None) is None
    assert money_sum(None, D(0)) == 0
    assert money_sum(D("4.05"), None, D("0.35")) == D("4.40")


def test_project_funds_and_execution():
    derived = derive(demo_a())
    hall, egov, employees, hotline = derived.projects
    assert hall.funds == funds(222, 1004.12, 1004.12)
    assert employees.funds == funds(51, 51, 51)         # 上年结转资金 and 其他资金 blank: still 51
    assert (hall.execution_rate, hall.execution_score) == (D("100.00"), D("10.00"))
    assert [p.budget_change for p in derived.projects] == [D("352.31"), D("0.00"), D("0.00"), D("0.00")]
    assert derived.project(demo_a().projects[1]) is egov and hotline.name.startswith("12345")
    blank = derive(with_project(demo_a(), 3, appropriation=Funds(), carryover=Funds(), other=Funds()))
    assert blank.projects[2].funds == Funds() and blank.projects[2].execution_rate is None


def test_department_sheet():
    department = derive(demo_a()).department
    assert department.project_expenditure == D("1116.12")
    assert (department.execution_rate, department.execution_score) == (D("100.00"), D("10.00"))
    assert department.score.rows_total == D("90.00") and department.total == D("100.00")
    assert department.grade.label == "优" and department.budget_change == D("116.07")


def test_base_data_sheet_lines():
    base = derive(demo_a()).base
    assert base.staff_control_rate == D("100.00")
    assert base.line("three_public_total") == line(4.05, 2.8, 0.35)
    assert base.line("vehicle") == line(0, 0, 0)
    assert base.line("business_funds") == BaseLine() and base.line("operation_funds") == BaseLine()
    assert base.line("special_total") == line(1010.3, 334, 1116.12)
    assert base.line("project_total") == line(1010.3, 334, 1116.12)
    assert base.area_control_rate is None and base.investment_control_rate is None   # denominators 0


def test_linked_special_rows_take_the_project_figures():
    pkg = with_base(demo_a(), special_rows=tuple(replace(r, cur_budget=D(1), cur_final=D(2)) if r.project_name else r
                                                 for r in demo_a().base.special_rows))
    rows = derive(pkg).base.special_rows
    assert rows[1].line == line(250, 222, 1004.12)         # typed 1 / 2 ignored: 附件3 is the source
    assert rows[4].line == BaseLine(D("648.3"), None, None)  # unlinked, Y−1 only


def test_vehicle_is_the_sum_of_its_sub_rows_when_either_is_filled():
    pkg = with_line(demo_a(), "vehicle_purchase", line(None, 1.5, None))
    base = derive(pkg).base
    assert base.line("vehicle") == BaseLine(D(0), D("1.5"), D(0))
    assert base.line("three_public_total").cur_budget == D("4.30")


def test_category_lines_sum_projects_and_keep_the_typed_prior_year():
    pkg = with_line(with_project(demo_a(), 2, category="business"), "business_funds", line(30, 99, 99))
    pkg = with_base(pkg, special_rows=tuple(r for r in pkg.base.special_rows if r.project_name != "电子政务及相关经费"))
    base = derive(pkg).base
    assert base.line("business_funds") == line(30, 41, 41)      # Y from the project, Y−1 as typed
    assert base.line("special_total") == line(969.3, 293, 1075.12)
    assert base.line("project_total") == line(999.3, 334, 1116.12)


def test_rates_and_fund_tables():
    assert rate_pct(28, 0) is None and rate_pct(None, 5) is None and rate_pct(D(120), D(100)) == D("120.00")
    assert change_pct(D("671.45"), D("1450.82")) == D("116.07") and change_pct(D(0), D(5)) is None
    rows = (FundRowData("a", funds(1, 2, 3)), FundRowData("b", Funds(None, D(1), None)))
    table = derive(with_fund_table(demo_a(), 6, rows)).fund_table(6)
    assert not table.none and table.total == Funds(D(1), D(3), D(3))
    assert derive(demo_a()).fund_table(4).none

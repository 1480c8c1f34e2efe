"""The generated sentences of domain.md §2.2/§2.3, exactly as printed, on demo A's figures."""
from dataclasses import replace
from datetime import date

import pytest
import yaml

from evalportal.checks import derive
from evalportal.checks.data import FundRowData
from evalportal.narrative import GENERATORS, attachment_list, chinese_number, generated_text, heading_number
from tests.checks.builders import demo_a, funds, line, with_fund_table, with_line

PKG = demo_a()
DERIVED = derive(PKG)
HALL, EGOV, EMPLOYEES, HOTLINE = PKG.projects


def text(generator, pkg=PKG, project=None):
    return generated_text(generator, pkg, derive(pkg) if pkg is not PKG else DERIVED, project)


def test_every_generator_of_the_outline_templates_exists():
    from django.conf import settings
    spec = yaml.safe_load((settings.BASE_DIR / "evalportal/core/demo/templates.yaml").read_text(encoding="utf-8"))
    used = {s["generator"] for outline in spec["outlines"] for s in outline["sections"] if s.get("generator")}
    assert used == set(GENERATORS)


def test_special_funds_total():
    assert text("special_funds_total") == "2023年度行政审批服务局专项经费为1116.12万元。"


def test_basic_expenditure_with_three_public_decrease():
    assert text("basic_expenditure") == (
        "全年基本支出334.70万元，其中人员工资福利支出289.15万元、商品和服务支出45.55万元。"
        "“三公经费”总体较2022年减少了3.70万元，降幅为91.36%。")


def test_basic_expenditure_three_public_increase_and_unchanged():
    up = with_line(replace(PKG, previous_three_public=None), "reception", line(0.35, 2.8, 4.05))
    assert text("basic_expenditure", up).endswith("“三公经费”总体较2022年增加了3.70万元，增幅为1057.14%。")
    flat = with_line(replace(PKG, previous_three_public=None), "reception", line(0.35, 2.8, 0.35))
    assert text("basic_expenditure", flat).endswith("“三公经费”总体与2022年持平。")
    from_zero = with_line(replace(PKG, previous_three_public=None), "reception", line(0, 2.8, 0.35))
    assert text("basic_expenditure", from_zero).endswith("“三公经费”总体较2022年增加了0.35万元。")


def test_project_list():
    assert text("project_list") == (
        "2023年度行政审批服务局专项经费为1116.12万元。其中：政务中心大厅运行经费1004.12万元；电子政务及相关经费41.00万元；"
        "政府雇员经费51.00万元；12345热线平台运维、政府门户网站维护、培训、管理专项经费20.00万元。")


def test_fund_sections_marked_none():
    assert text("gov_fund") == "本单位未安排政府性基金预算支出。"
    assert text("state_capital") == "本单位未安排国有资本经营预算支出。"
    assert text("social_insurance") == "本单位未安排社会保险基金预算支出。"


def test_fund_sections_with_rows():
    rows = (FundRowData("机关事业单位基本养老保险缴费", funds(32.98, 32.98, 32.98)),
            FundRowData("职工基本医疗保险缴费", funds(15.18, 15.18, 15.18)))
    pkg = with_fund_table(PKG, 6, rows)
    assert text("social_insurance", pkg) == "2023年度社会保险基金预算支出48.16万元，详见附件6。"
    pkg = with_fund_table(PKG, 4, (FundRowData("城市基础设施配套费", funds(10, 12, 12)),))
    assert text("gov_fund", pkg) == "2023年度政府性基金预算财政拨款支出12.00万元，详见附件4。"
    pkg = with_fund_table(PKG, 5, (FundRowData("国有企业资本金注入", funds(5, 5, 4.5)),))
    assert text("state_capital", pkg) == "2023年度国有资本经营预算财政拨款支出4.50万元，详见附件5。"


def test_department_score():
    assert text("department_score") == "绩效综合评价得分为100.00分，评价等级为“优秀”。"


def test_attachment_list_and_note():
    assert attachment_list(PKG) == ["1.部门整体支出绩效评价基础数据表", "2.部门整体支出绩效自评表", "3.项目支出绩效自评表"]
    assert text("attachment_note") == "附件：1.部门整体支出绩效评价基础数据表\n2.部门整体支出绩效自评表\n3.项目支出绩效自评表"
    with_six = with_fund_table(PKG, 6, (FundRowData("职工基本医疗保险缴费", funds(15.18, 15.18, 15.18)),))
    assert attachment_list(with_six)[-1] == "6.社会保险基金预算支出情况表"   # 附件4/5 无: left out, 6 keeps its number
    assert len(attachment_list(with_six)) == 4


def test_project_amount():
    assert text("project_amount", project=HALL) == "2023年度政务中心大厅运行经费全年执行数为1004.12万元。"
    assert text("project_amount", project=EGOV) == "2023年度电子政务及相关经费全年执行数为41.00万元。"


def test_project_spend_items():
    assert text("project_spend_items", project=HALL) == (
        "办公费10.00万元；大厅水费、电话费、电费90.10万元；大厅物业费10.00万元；大厅维修费3.00万元；"
        "政务中心食堂补贴136.90万元；政务服务中心搬迁工程754.12万元。")
    assert text("project_spend_items", project=EMPLOYEES) == "政府雇员工资45.00万元；政府雇员办公经费6.00万元。"
    assert text("project_spend_items", project=replace(EGOV, spend_items=())) == ""


def test_project_eval_work():
    assert text("project_eval_work", project=HALL) == (
        "本单位于2024年4月15日到4月25日，按照《汨罗市项目支出绩效评价指标体系》对政务中心大厅运行经费的使用情况开展了绩效自评。")
    across_years = replace(HALL, eval_start=date(2023, 12, 28), eval_end=date(2024, 1, 5), basis="")
    assert text("project_eval_work", project=across_years) == (
        "本单位于2023年12月28日到2024年1月5日对政务中心大厅运行经费的使用情况开展了绩效自评。")


def test_project_score():
    assert text("project_score", project=HOTLINE) == "自评得分100.00分。考评结果为优秀。"
    lower = replace(EGOV, rows=tuple(replace(r, actual_raw="80%") if r.id == 201 else r for r in EGOV.rows))
    pkg = replace(PKG, projects=(HALL, lower, EMPLOYEES, HOTLINE))
    assert text("project_score", pkg, lower) == "自评得分98.00分。考评结果为优秀。"


def test_project_generators_need_the_project():
    with pytest.raises(ValueError):
        text("project_amount")
    assert generated_text("", PKG, DERIVED) == ""


@pytest.mark.parametrize("level, index, expected", [
    (1, 1, "一、"), (1, 10, "十、"), (1, 12, "十二、"), (2, 3, "（三）"), (2, 20, "（二十）"), (3, 4, "4."), (4, 2, "（2）"),
])
def test_heading_number(level, index, expected):
    assert heading_number(level, index) == expected


def test_chinese_numbers():
    assert [chinese_number(n) for n in (1, 9, 10, 11, 19, 21, 99)] == ["一", "九", "十", "十一", "十九", "二十一", "九十九"]
    with pytest.raises(ValueError):
        heading_number(5, 1)

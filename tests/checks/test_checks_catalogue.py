"""One failing and one passing case per check, each a one-value change to demo A (or demo B)."""
from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from evalportal.checks import CATALOGUE, run
from evalportal.checks.data import BaseLine, FundRowData, Funds, Rules, SpecialRowData, SpendItemData
from tests.checks.builders import (D, demo_a, demo_a_as_printed, demo_b, funds, line, with_base,
                                   with_department_row, with_department_sheet, with_fund_table, with_line,
                                   with_project, with_section)


def fired(pkg, code, stage="save"):
    return [f for f in run(pkg, stage=stage) if f.code == code]


def test_catalogue_has_k01_to_k39():
    assert sorted(CATALOGUE) == [f"K{n:02d}" for n in range(1, 40)]
    assert all(check.title for check in CATALOGUE.values())


# --- K01–K11: rows -------------------------------------------------------------------------------------------------

def test_k01_score_above_weight():
    [f] = fired(with_department_row(demo_a(), 12, judged_score=D(6)), "K01")
    assert f.message == "「生态环境改善情况」得分6超出分值5，应在0～5之间"
    assert (f.location, f.section_key, f.field, f.row_id) == ("att2.row.12", "att2.indicators", "judged_score", 12)
    assert not fired(demo_a(), "K01")


def test_k01_adjusted_score_above_computed():
    pkg = with_department_row(demo_a(), 1, adjusted_score=D(3), adjustment_reason="指标值偏低")
    assert fired(pkg, "K01")[0].message == "「政务服务事项网上办事率」调减后得分不能高于计算得分2.00"
    assert not fired(with_department_row(demo_a(), 1, adjusted_score=D("1.5"), adjustment_reason="指标值偏低"), "K01")


def test_k02_stated_row_score_differs():
    [f] = [f for f in fired(with_project(demo_a_as_printed(), 2, stated_execution_score=D(9)), "K02")
           if f.location != "att2.funds"]
    assert f.message == "「预算执行率」得分应为10.00，表中为9" and f.location == "att3.2.funds"
    pkg = demo_a_as_printed()
    sheet = pkg.department_sheet
    pkg = replace(pkg, department_sheet=replace(sheet, stated_execution_score=D(10), rows=tuple(
        replace(r, stated_score=D(1)) if r.id == 1 else r for r in sheet.rows)))
    assert [f.message for f in fired(pkg, "K02")] == ["「政务服务事项网上办事率」得分应为2.00，表中为1"]
    assert not fired(demo_a(), "K02")   # not legacy: nothing stated


def test_k03_passes_on_the_printed_project_totals():
    assert not fired(demo_a_as_printed(), "K03")
    assert fired(with_project(demo_a_as_printed(), 1, stated_total_score=D(99)), "K03")[0].location == "att3.1.total"


def test_k04_category_weights():
    [f] = fired(with_department_row(demo_a(), 1, weight=D(3)), "K04")
    assert f.message == "「产出指标」下各指标分值合计31分，应为30分" and f.section_key == "att2.indicators"
    assert not fired(demo_a(), "K04")


def test_k05_template_weights():
    pkg = demo_a()
    pkg = replace(pkg, template=replace(pkg.template, rules=Rules(execution_weight=D(20))))
    assert fired(pkg, "K05")[0].message == "一级指标权重与预算执行率分值合计110分，应为100分"
    assert not fired(demo_a(), "K05")


def test_k06_lost_points_need_a_reason():
    pkg = with_department_row(demo_a(), 2, actual_raw="90%")
    [f] = fired(pkg, "K06")
    assert f.message == "「12345热线工单办结率」未得满分（失0.20分），请填写偏差原因分析及改进措施"
    assert f.field == "deviation_reason"
    assert not fired(with_department_row(pkg, 2, deviation_reason="部分工单跨年办理"), "K06")


def test_k07_overshoot_needs_a_reason():
    assert fired(demo_b(), "K07")
    pkg = replace(demo_b(), department_sheet=replace(demo_b().department_sheet, rows=tuple(
        replace(r, deviation_reason="推广力度超预期") if r.id == 1 else r for r in demo_b().department_sheet.rows)))
    assert not fired(pkg, "K07")


def test_k08_score_outside_band():
    pkg = with_department_row(demo_a(), 12, band="partial", judged_score=D(5), deviation_reason="略有改善")
    [f] = fired(pkg, "K08")
    assert f.message == "「生态环境改善情况」选择“部分达成年度指标并具有一定效果”时，得分应在3.00～3.99分之间"
    assert not fired(with_department_row(pkg, 12, judged_score=D("3.5")), "K08")


def test_k08_qualitative_row_without_score_blocks_submit():
    pkg = with_department_row(demo_a(), 12, band="", judged_score=None)
    assert not [f for f in fired(pkg, "K08") if f.is_error]
    assert fired(pkg, "K08", stage="submit")[0].message == "「生态环境改善情况」为定性指标，请选择档次并填写得分"


def test_k09_unreadable_target_and_blank_actual():
    [f] = fired(with_department_row(demo_a(), 1, target_raw="完成95%以上工作任务"), "K09")
    assert f.is_error and f.field == "target_raw" and "无法识别「完成95%以上工作任务」" in f.message
    blank = with_department_row(demo_a(), 1, actual_raw="")
    assert [f.severity for f in fired(blank, "K09")] == ["warning"]
    assert [f.message for f in fired(blank, "K09", stage="submit")] == ["「政务服务事项网上办事率」请填写实际完成值"]
    assert not fired(demo_a(), "K09")


def test_k10_unit_written_passes():
    assert fired(demo_a(), "K10")
    pkg = with_project(demo_a(), 1, rows=tuple(replace(r, actual_raw="41560条") if r.id == 103 else r
                                               for r in demo_a().projects[0].rows))
    assert not fired(pkg, "K10")


def test_k11_rate_above_100():
    assert fired(demo_b(), "K11")[0].is_error
    pkg = replace(demo_b(), department_sheet=replace(demo_b().department_sheet, rows=tuple(
        replace(r, may_exceed_100=True) if r.id == 5 else r for r in demo_b().department_sheet.rows)))
    assert not fired(pkg, "K11")


# --- K12–K18: funds ------------------------------------------------------------------------------------------------

def test_k12_stated_total_differs_and_appropriation_required():
    pkg = with_project(demo_a_as_printed(), 2, stated_total=funds(41, 41, 42))
    assert fired(pkg, "K12")[0].message == "全年执行数：年度资金总额42.00不等于当年财政拨款、上年结转资金、其他资金之和41.00"
    assert not fired(demo_a_as_printed(), "K12")
    missing = with_project(demo_a(), 2, appropriation=Funds(), other=funds(41, 41, 41))
    assert not fired(missing, "K12") and len(fired(missing, "K12", stage="submit")) == 3


def test_k13_stated_rate():
    pkg = with_project(demo_a_as_printed(), 3, stated_execution_rate=D("98.5"))
    assert fired(pkg, "K13")[0].message == "执行率应为100.00%（51.00÷51.00），表中为98.5%"
    assert not fired(with_project(demo_a_as_printed(), 3, stated_execution_rate=D("100.004")), "K13")


def test_k14_spending_without_budget():
    pkg = with_project(demo_a(), 2, appropriation=funds(41, 0, 41))
    assert fired(pkg, "K14")[0].message == "全年预算数为0或未填，无法计算执行率"
    assert not fired(demo_a(), "K14", stage="submit")


def test_k15_overspending():
    pkg = with_project(demo_a(), 2, appropriation=funds(41, 41, 45))
    assert fired(pkg, "K15")[0].message == ("全年执行数45.00超过全年预算数41.00（执行率109.76%），得分按100%计，"
                                           "请说明超支原因")
    assert not fired(demo_a(), "K15")


def test_k16_budget_change_within_threshold_passes():
    pkg = with_department_sheet(with_project(demo_a(), 1, appropriation=funds(1004.12, 1004.12, 1004.12)),
                                funds=funds(1200, 1450.82, 1450.82))
    assert not fired(pkg, "K16")
    decreased = with_project(demo_a(), 2, appropriation=funds(100, 41, 41))
    assert "全年预算数较年初预算数减少59.00%" in [f.message for f in fired(decreased, "K16")][-1]


def test_k17_income_split():
    pkg = with_department_sheet(demo_a(), income_general=D(1400))
    assert fired(pkg, "K17")[0].message == "按收入性质分合计1400.00，应等于全年预算数1450.82"
    assert not fired(demo_a(), "K17")


def test_k18_expenditure_split():
    pkg = with_department_sheet(demo_a(), basic_expenditure=D(300))
    assert fired(pkg, "K18")[0].message == "基本支出300.00与项目支出1116.12之和1416.12，应等于全年执行数1450.82"
    assert not fired(demo_a(), "K18")


# --- K19–K26: 附件1 ------------------------------------------------------------------------------------------------

def test_k19_staffing():
    assert fired(with_base(demo_a(), actual_staff=30), "K19")[0].message == "实际在职人数30超过编制数28"
    legacy = with_base(demo_a_as_printed(), stated_staff_control_rate=D(90))
    assert fired(legacy, "K19")[0].message == "控制率应为100.00%（28÷28），表中为90%"
    assert not fired(demo_a(), "K19") and not fired(demo_a_as_printed(), "K19")


def test_k20_three_public():
    pkg = with_line(with_line(demo_a(), "vehicle_purchase", line(0.5, None, None)), "vehicle_operation",
                    line(0.3, None, None))
    assert fired(pkg, "K20")[0].message == "2022年决算数：公务用车购置和维护经费0.00不等于各分项之和0.80"
    legacy = with_line(demo_a_as_printed(), "three_public_total", line(5, 2.8, 0.35))
    assert fired(legacy, "K20")[0].message == "2022年决算数：“三公”经费5.00不等于各分项之和4.05"
    assert not fired(demo_a(), "K20") and not fired(demo_a_as_printed(), "K20")


def test_k21_project_lines_legacy():
    legacy = with_line(demo_a_as_printed(), "project_total", line(1010.3, 334, 1116))
    assert fired(legacy, "K21")[0].message == "2023年决算数：项目支出1116.00不等于明细之和1116.12"
    assert not fired(demo_a_as_printed(), "K21")


def test_k22_public_expense_subset():
    pkg = with_line(demo_a(), "office_expense", line(3.52, 3.64, 40))
    assert fired(pkg, "K22")[0].message == "2023年决算数：公用经费“其中”各项之和52.15超过公用经费45.55"
    assert not fired(demo_a(), "K22", stage="submit")


def test_k23_buildings():
    pkg = with_base(demo_a(), approved_area=D(100), actual_area=D(120))
    assert fired(pkg, "K23")[0].message == "规模控制率120.00%超过100%，请说明"
    assert not fired(demo_a(), "K23")


def _extra_special_row(pkg, **values):
    return with_base(pkg, special_rows=pkg.base.special_rows + (SpecialRowData("临时专项", None, **values),))


def test_k24_project_expenditure_three_ways():
    pkg = _extra_special_row(demo_a(), cur_final=D(10))
    assert fired(pkg, "K24")[0].message == "项目支出三处不一致：附件1 1126.12，附件2 1116.12，附件3合计 1116.12"
    assert not fired(demo_a(), "K24")


def test_k25_project_budget():
    pkg = _extra_special_row(demo_a(), cur_budget=D(5))
    assert fired(pkg, "K25")[0].message == "附件1项目支出预算数339.00与各项目年初预算数合计334.00不一致"
    assert not fired(demo_a(), "K25")


def test_k26_project_without_special_row_and_legacy_amounts():
    pkg = with_base(demo_a(), special_rows=tuple(r for r in demo_a().base.special_rows if r.name != "电子政务及相关经费"))
    [f] = fired(pkg, "K26")
    assert f.is_error and "「电子政务及相关经费」" in f.message
    legacy = demo_a_as_printed()
    legacy = with_base(legacy, special_rows=tuple(replace(r, cur_final=D(40)) if r.name == "电子政务及相关经费" else r
                                                  for r in legacy.base.special_rows))
    assert any(f.is_error and "2023年决算数附件1为40.00，附件3为41.00" in f.message for f in fired(legacy, "K26"))
    assert not fired(demo_a(), "K26")


# --- K27–K39: narrative ---------------------------------------------------------------------------------------------

def test_k27_basic_expenditure_detail():
    pkg = replace(demo_a(), personnel_expenditure=D(280))
    messages = [f.message for f in fired(pkg, "K27")]
    assert messages[0] == ("基本支出明细与附件不一致：人员工资福利支出280.00万元与商品和服务支出45.55万元之和325.55万元，"
                           "附件2基本支出为334.70万元")
    text = with_section(demo_a(), "S2.1", "全年基本支出334.70万元，其中人员工资福利支出289.15万元、商品和服务支出45.00万元。")
    assert [f.message for f in fired(text, "K27")] == [
        "基本支出明细与附件不一致：正文“商品和服务支出45.00万元”，附件1公用经费2023年决算数为45.55万元"]
    assert not fired(demo_a(), "K27", stage="submit")


def test_k29_grade_word():
    pkg = with_section(demo_a(), "S6.2.4", "绩效综合评价得分为100分，评价等级为“良好”。")
    assert [f.message for f in fired(pkg, "K29")] == ["报告正文所述评价等级“良好”与自评表评价等级“优秀”不一致"]
    project = with_project(demo_a(), 2, report_sections={"S3": "自评得分98分。考评结果为优秀。"})
    assert fired(project, "K29")[0].location == "project_report.2.S3"
    assert not fired(with_section(demo_a(), "S6.2.4", "绩效综合评价得分为100.00分，评价等级为“优秀”。"), "K29")


def test_k30_spend_items():
    items = (SpendItemData("电信、移动网络使用费", D(33)), SpendItemData("电子政务维护运行经费", D(7)))
    [f] = fired(with_project(demo_a(), 2, spend_items=items), "K30")
    assert f.is_error and f.message == "项目资金使用明细合计40.00万元，与全年执行数41.00万元相差1.00万元"
    assert (f.location, f.section_key) == ("project_report.2.spend_items", "project_report.2.S1")
    assert not fired(demo_a(), "K30")   # 001's own list 41 + 20 + 1004.12 + 51 = 1116.12 passes too


def test_k31_passes_on_seed_001():
    # "减少了3.7万元，降幅为91.36%": the base 4.05 comes from 附件1 (3.7 ÷ 4.05 = 91.36%).
    assert not fired(demo_a(), "K31")
    wrong = with_section(demo_a(), "S2.1", "“三公经费”总体较2022年减少了3.7万元，降幅为92%。")
    assert "按3.7÷4.05计算应为91.36%" in fired(wrong, "K31")[0].message


def test_k32_growth_rates_may_pass_100():
    assert not fired(with_section(demo_a(), "S6.2.1", "税费收入增长率150%。"), "K32")
    assert fired(with_section(demo_a(), "S6.2.1", "群众满意率102%。"), "K32")


def test_k33_table_with_rows_but_text_says_none():
    rows = (FundRowData("城市基础设施配套费安排的支出", Funds(D(10), D(12), D(12))),)
    pkg = with_fund_table(demo_a(), 4, rows)
    [f] = fired(pkg, "K33")
    assert f.message == ("正文第三部分“政府性基金预算财政拨款支出情况”与附件4不一致：附件4有支出12.00万元，"
                         "正文却写“未安排”或“无”")
    assert not fired(with_section(pkg, "S3", "政府性基金预算财政拨款支出12万元，详见附件4。"), "K33")
    assert fired(with_section(pkg, "S3", "支出13万元。"), "K33")[0].message.endswith("正文金额13万元在附件4中没有对应的行")


def test_k34_none_in_problems_while_budget_adjusted():
    pkg = with_section(demo_a(), "S7", "无。")      # demo A has K16 budget changes
    [f] = fired(pkg, "K34")
    assert not f.is_error and f.message == "存在失分或预算调整，第七部分不宜填写“无”"
    assert not fired(demo_a(), "K34", stage="submit")


def test_k34_goal_texts_required_at_submit():
    pkg = with_department_sheet(demo_a(), goal_expected="")
    assert not fired(pkg, "K34")
    assert fired(pkg, "K34", stage="submit")[0].message == "附件2年度总体目标的“预期目标”不能为空"


def test_k35_full_year_wording_passes():
    assert not fired(with_section(demo_a(), "S6.2.1", "截至12月31日，共受理各类政务服务事项76138件。"), "K35")
    assert fired(with_section(demo_a(), "S6.2.1", "1-11月共受理事项7万件。"), "K35")


def test_k36_dates_and_footers():
    pkg = with_department_sheet(demo_a(), footer=replace(demo_a().department_sheet.footer, filled_on=date(2023, 12, 31)))
    assert fired(pkg, "K36")[0].message == "附件2：填报日期应在2024年1月1日之后且不晚于今天（表中为2023年12月31日）"
    late = with_project(demo_a(), 1, eval_end=date(2024, 4, 28))
    assert fired(late, "K36")[0].message == "项目「政务中心大厅运行经费」评价结束日期2024年4月28日晚于填报日期2024年4月25日"
    no_phone = with_base(demo_a(), footer=replace(demo_a().base.footer, phone=""))
    assert not fired(no_phone, "K36") and fired(no_phone, "K36", stage="submit")[0].message == "附件1：请填写联系电话"
    assert not fired(demo_a(), "K36", stage="submit")


def test_k37_hexagonal_brackets_pass():
    assert not fired(with_project(demo_a(), 3, report_sections={"S1.1": "根据汨府阅〔2019〕9号会议纪要精神。"}), "K37")
    found = fired(with_section(demo_a(), "S6.1", "按照湘办发[2019]10 号文件要求。"), "K37")
    assert [f.message for f in found if f.location == "report.S6.1"] == [
        "文号年份应使用六角括号：湘办发[2019]10 号 → 湘办发〔2019〕10号（可一键修正）"]


def test_k38_year_labels():
    old = with_section(demo_a(), "S6.2.1", "2021年，共受理各类政务服务事项76138件。")
    [f] = [f for f in fired(old, "K38") if f.location == "report.S6.2.1"]
    assert "出现2021年" in f.message and f.section_key == "report.S6"
    prior = with_section(demo_a(), "S6.2.1", "2022年，共受理各类政务服务事项70000件。")
    assert [f for f in fired(prior, "K38") if f.location == "report.S6.2.1"]
    fine = with_section(demo_a(), "S6.2.1", "较2022年增加6138件，与2022年相比有所增长，2022年同期为7万件；"
                                            "依据《行政许可事项清单（2021年版）》，2018年以来持续推进。")
    assert not [f for f in fired(fine, "K38") if f.location == "report.S6.2.1"]


@pytest.mark.parametrize("text, expected", [
    ("1、加强管理。2、严格审批。4、控制支出。", "文中编号“2、”之后为“4、”，编号不连续，请核对"),
    ("（一）深化改革。（二）优化服务。（二）提升效能。", "文中编号“（二）”之后为“（二）”，编号重复，请核对"),
    ("一是细化预算；二是加强管理；四是控制三公经费。", "文中编号“二是”之后为“四是”，编号不连续，请核对"),
    ("（1）政府雇员工资45万元；（3）办公经费6万元。", "文中编号“（1）”之后为“（3）”，编号不连续，请核对"),
])
def test_k39_numbering_gaps_and_repeats(text, expected):
    assert [f.message for f in fired(with_section(demo_a(), "S8", text), "K39")] == [expected]


def test_k39_restarting_lists_pass():
    text = "（一）加强管理。1、细化预算。2、严格审批。（二）控制支出。1、压缩三公经费。2、规范采购。"
    assert not fired(with_section(demo_a(), "S8", text), "K39")


def test_k09_unknown_unit_is_a_warning():
    pkg = with_department_row(demo_a(), 4, target_raw="≥40000篇", actual_raw="42412篇")
    found = fired(pkg, "K09")
    assert [(f.severity, f.field) for f in found] == [("warning", "target_raw"), ("warning", "actual_raw")]
    assert found[0].message == "「政府网站上传信息数量」计量单位「篇」不在常用单位表中，请确认"


def test_text_checks_kept_per_text_follow_the_text_and_the_year():
    # K29–K32, K35, K37–K39 keep their scan of each text (textscan.per_text): a second run of the same package
    # finds the same, a changed text or another report year is scanned afresh.
    text = "2021年，依据汨府阅（2019）9号，截止目前合格率为120%。1、加强管理。3、控制支出。"
    pkg = with_section(demo_a(), "S6.2.1", text)
    codes = ("K32", "K35", "K37", "K38", "K39")
    first = [f for f in run(pkg) if f.location == "report.S6.2.1" and f.code in codes]
    assert {f.code for f in first} == set(codes)
    assert [f for f in run(pkg) if f.location == "report.S6.2.1" and f.code in codes] == first
    fixed = with_section(demo_a(), "S6.2.1", "2023年，依据汨府阅〔2019〕9号，全年合格率为98%。1、加强管理。2、控制支出。")
    assert not [f for f in run(fixed) if f.location == "report.S6.2.1" and f.code in codes]
    later = replace(pkg, year=2020)            # 2021 is then the year the report is filled in: no K38
    assert "K38" not in {f.code for f in run(later) if f.location == "report.S6.2.1"}

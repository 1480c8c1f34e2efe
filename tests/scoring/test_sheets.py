"""domain.md §5.4, §5.5 and the worked examples A, B and C of §5.7 (seed 001)."""
from decimal import Decimal

import pytest

from evalportal.checks.data import IndicatorData, Rules
from evalportal.scoring import (
    CENT,
    Grade,
    execution_rate_pct,
    execution_ratio,
    execution_score,
    grade_for,
    score_indicator,
    score_sheet,
)
from evalportal.scoring.execution import execution_result

D = Decimal
RULES = Rules()
OUTPUT, BENEFIT, SATISFACTION, COST = "产出指标", "效益指标", "满意度指标", "成本指标"


def rows(*specs: tuple[str, str, str, str, str]) -> list[IndicatorData]:
    """(一级, 三级, target, actual, weight); qualitative rows are judged MET at full marks, as in the seed."""
    built = []
    for order, (category, name, target, actual, weight) in enumerate(specs):
        qualitative = not any(char.isdigit() for char in target)
        built.append(IndicatorData(
            id=order, category=category, subcategory="", name=name, target_raw=target, actual_raw=actual,
            weight=D(weight), band="met" if qualitative else "", judged_score=D(weight) if qualitative else None,
            order=order,
        ))
    return built


EXAMPLE_A = rows(   # 附件3-4 12345热线平台运维、政府门户网站维护、培训、管理专项经费
    (OUTPUT, "网站年度发布稿件不少于300万中文字", "≧300万字", "325万字", "10"),
    (OUTPUT, "12345热线工单办结率", "100%", "100%", "10"),
    (OUTPUT, "运维时间为1年", "≧1年", "1年", "10"),
    (BENEFIT, "促进经济平稳发展", "经济平稳发展", "经济平稳发展", "10"),
    (BENEFIT, "对社会发展产生积极影响", "有所提高", "有所提高", "10"),
    (BENEFIT, "生态环境改善情况", "有所改善", "有所改善", "5"),
    (BENEFIT, "实现可持续发展", "有所提升", "有所提升", "5"),
    (SATISFACTION, "社会公众满意度", "≧98%", "98%", "10"),
    (COST, "整体运维成本不超过20万元", "≦20万 元", "20万元", "10"),
    (COST, "对社会发展可能造成的负面影响", "无", "无", "5"),
    (COST, "对自然生态环境造成的负面影响", "无", "无", "5"),
)

EXAMPLE_B = rows(   # 附件2, department-wide
    (OUTPUT, "政务服务事项网上办事率", "≥95%", "95%", "2"),
    (OUTPUT, "12345热线工单办结率", "100%", "100%", "2"),
    (OUTPUT, "部门预决算网上公开率", "100%", "100%", "2"),
    (OUTPUT, "政府网站上传信息数量", "≥40000条", "42412条", "2"),
    (OUTPUT, "大厅行政审批事项办结率", "100%", "100%", "2"),
    (OUTPUT, "审批效率政务大厅办事差错率", "0", "0", "10"),
    (OUTPUT, "完成政府门户网站网上办事大厅咨询投拆件的时限", "≦2天", "2天", "5"),
    (OUTPUT, "行政许可事项承诺时限较法定时限压缩率", "≧ 10%", "10%", "5"),
    (BENEFIT, "提升全市各级政务部门内部行政效能", "≧50%", "50%", "5"),
    (BENEFIT, "形成政企合作、政银合作力度等更多可运营的智慧城市合作", "加大合作力度", "加大合作力度", "5"),
    (BENEFIT, "全市所有乡镇“一门集中、一窗集成”改革率", "100%", "100%", "10"),
    (BENEFIT, "生态环境改善情况", "有所改善", "有所改善", "5"),
    (BENEFIT, "实现可持续发展", "有所提升", "有所提升", "5"),
    (SATISFACTION, "社会公众满意度", "≥95%", "98%", "10"),
    (COST, "资金到位率", "≧90%", "100%", "10"),
    (COST, "对社会发展可能造成的负面影响", "无", "无", "5"),
    (COST, "对自然生态环境造成的负面影响", "无", "无", "5"),
)

EXAMPLE_C = rows(   # 附件3-1 政务中心大厅运行经费
    (OUTPUT, "政务服务事项网上办事率", "≥95%", "95%", "2"),
    (OUTPUT, "部门预决算网上公开率", "100%", "100%", "2"),
    (OUTPUT, "政府网站上传信息数量", "≥40000条", "41560", "2"),
    (OUTPUT, "12345热线工单办结率", "100%", "100%", "2"),
    (OUTPUT, "大厅行政审批事项办结率", "100%", "100%", "2"),
    (OUTPUT, "政务大厅办事差错率", "0", "0", "10"),
    (OUTPUT, "完成政府门户网站网上办事大厅咨询投拆件的时限", "≦2天", "2天", "5"),
    (OUTPUT, "行政许可事项承诺时限较法定时限压缩率", "≧10%", "10%", "5"),
    (BENEFIT, "提升全市各级政务部门内部行政效能", "≧50%", "50%", "10"),
    (BENEFIT, "让企业和群众到政府办事像“网购”一样方便", "≥95%", "95%", "10"),
    (BENEFIT, "生态环境改善情况", "有所改善", "有所改善", "5"),
    (BENEFIT, "实现可持续发展", "有所提升", "有所提升", "5"),
    (SATISFACTION, "服务对象满意率", "≧95%", "98%", "10"),
    (COST, "资金到位率", "≧90%", "100%", "10"),
    (COST, "对社会发展可能造成的负面影响", "无", "无", "5"),
    (COST, "对自然生态环境造成的负面影响", "无", "无", "5"),
)


def assert_full_marks(sheet, specs):
    for row, result in zip(specs, sheet.rows):
        assert result.final == row.weight.quantize(CENT), row.name
        assert result.errors == [], row.name


def test_example_a():
    sheet = score_sheet(EXAMPLE_A, D("20"), D("20"), RULES)
    assert_full_marks(sheet, EXAMPLE_A)
    assert sheet.rows[0].ratio.quantize(D("0.0001")) == D("1.0833") and sheet.rows[0].overshoot_pct is None
    assert sheet.rows_total == D("90.00")
    assert (sheet.execution_rate, sheet.execution_score) == (D("100.00"), D("10.00"))
    assert str(sheet.total) == "100.00" and sheet.grade is Grade.EXCELLENT and sheet.grade.label == "优"
    assert sheet.complete
    assert sheet.category_totals == {OUTPUT: D("30.00"), BENEFIT: D("30.00"), SATISFACTION: D("10.00"),
                                     COST: D("20.00")}
    # hypothetical lines of example A, row 9
    assert score_indicator("≦20万 元", "23万元", D("10")) == D("8.50")
    assert score_indicator("≦20万 元", "40万元", D("10")) == D("0.00")


def test_example_b():
    sheet = score_sheet(EXAMPLE_B, D("1450.82"), D("1450.82"), RULES)
    assert_full_marks(sheet, EXAMPLE_B)
    assert sheet.category_totals == {OUTPUT: D("30.00"), BENEFIT: D("30.00"), SATISFACTION: D("10.00"),
                                     COST: D("20.00")}
    assert sheet.rows_total == D("90.00")
    assert (sheet.execution_rate, sheet.execution_score) == (D("100.00"), D("10.00"))
    assert sheet.total == D("100.00") and sheet.grade.label == "优" and sheet.grade.narrative_label == "优秀"


def test_example_c():
    sheet = score_sheet(EXAMPLE_C, D("1004.12"), D("1004.12"), RULES)
    assert_full_marks(sheet, EXAMPLE_C)
    inherited = sheet.rows[2]
    assert inherited.actual.unit_inherited and inherited.ratio.quantize(D("0.0001")) == D("1.0390")
    assert sheet.rows[12].ratio.quantize(D("0.0001")) == D("1.0316")
    assert sheet.rows[13].ratio.quantize(D("0.0001")) == D("1.1111") and sheet.rows[13].overshoot_pct is None
    assert sheet.rows_total == D("90.00") and sheet.total == D("100.00") and sheet.grade is Grade.EXCELLENT
    # hypothetical lines of example C
    assert score_indicator("≥95%", "93%", D("2")) == D("1.96")
    assert score_indicator("0", "0.5%", D("10")) == D("0.00")
    assert score_indicator("≦2天", "3天", D("5")) == D("2.50")
    assert score_indicator("≦2天", "4天", D("5")) == D("0.00")
    hypothetical = score_sheet(EXAMPLE_C, D("1004.12"), D("950"), RULES)
    assert hypothetical.execution_rate == D("94.61") and hypothetical.execution_score == D("9.46")
    assert hypothetical.total == D("99.46")


def test_unscored_rows_count_zero_and_the_sheet_is_incomplete():
    pending = [*EXAMPLE_A[:-1], IndicatorData(id=99, category=COST, subcategory="", name="负面影响",
                                               target_raw="无", actual_raw="", weight=D("5"))]
    sheet = score_sheet(pending, D("20"), D("20"), RULES)
    assert not sheet.complete
    assert sheet.rows[-1].final is None
    assert sheet.rows_total == D("85.00") and sheet.total == D("95.00")
    assert sheet.category_totals[COST] == D("15.00")   # 10 + 5 + (unscored) 0


def test_the_total_is_the_sum_of_rounded_rows():
    # 3 × (10 × 1 ÷ 3) = 3 × 3.33 = 9.99, not 10.00
    third = [IndicatorData(id=i, category=OUTPUT, subcategory="", name=f"r{i}", target_raw="≥3次",
                           actual_raw="1次", weight=D("10")) for i in range(3)]
    assert score_sheet(third, None, None, RULES).rows_total == D("9.99")


# ---- execution ---------------------------------------------------------------------------------------------

def test_execution_ratio_is_unrounded_and_the_score_rounded_once():
    ratio = execution_ratio(D("1004.12"), D("950"))
    assert ratio == D("950") / D("1004.12")
    assert execution_rate_pct(D("1004.12"), D("950")) == D("94.61")
    assert execution_score(D("1004.12"), D("950"), D("10")) == D("9.46")
    assert execution_rate_pct(D("1450.82"), D("1450.82")) == D("100.00")
    assert execution_rate_pct(D("213"), D("213")) == D("100.00")


def test_execution_above_the_budget_is_capped():
    assert execution_rate_pct(D("100"), D("120")) == D("120.00")
    assert execution_score(D("100"), D("120"), D("10")) == D("10.00")


@pytest.mark.parametrize(("budget", "spent"), [(None, D("5")), (D("0"), D("5")), (D("0"), D("0")), (None, None)])
def test_execution_without_a_budget_scores_zero(budget, spent):
    assert execution_ratio(budget, spent) is None and execution_rate_pct(budget, spent) is None
    assert str(execution_score(budget, spent, D("10"))) == "0.00"


def test_a_blank_spent_counts_as_zero():
    assert execution_score(D("100"), None, D("10")) == D("0.00")


def test_execution_explanation():
    result = execution_result(D("1004.12"), D("950"), D("10"))
    assert result.explanation.arithmetic == "10 × 950 ÷ 1004.12 = 9.461020… → 9.46"
    assert result.explanation.inputs == "全年预算数 1004.12；全年执行数 950.00；分值 10"


@pytest.mark.parametrize(("spent", "expected"), [
    ("100", "10.00"), ("120", "10.00"), ("95", "8.00"), ("90", "8.00"), ("85", "6.00"), ("60", "4.00"), ("59.99", "0.00"),
])
def test_execution_bands_mode(spent, expected):
    assert execution_score(D("100"), D(spent), D("10"), Rules(execution_scoring="bands")) == D(expected)


# ---- grades -------------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("total", "label", "narrative"), [
    ("100.00", "优", "优秀"), ("90.00", "优", "优秀"), ("90", "优", "优秀"), ("89.99", "良", "良好"),
    ("80.00", "良", "良好"), ("79.99", "中", "中等"), ("60.00", "中", "中等"), ("59.99", "差", "差"),
    ("0", "差", "差"), ("89.995", "优", "优秀"),   # graded on the 2-decimal total
])
def test_grade_for(total, label, narrative):
    grade = grade_for(D(total))
    assert (grade.label, grade.narrative_label) == (label, narrative)

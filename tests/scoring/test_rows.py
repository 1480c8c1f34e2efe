"""domain.md §5.2–§5.3: quantitative rules, qualitative bands, adjustments and the "why this score" text."""
from dataclasses import replace
from decimal import Decimal

import pytest

from evalportal.checks.data import IndicatorData, Rules
from evalportal.scoring import NeedsJudgement, TargetError, band_range, score_indicator, score_row
from evalportal.scoring.targets import UnitMismatchError

D = Decimal
RULES = Rules()


def indicator(target: str, actual: str, weight: str = "10", **extra) -> IndicatorData:
    return IndicatorData(id=None, category="产出指标", subcategory="数量指标", name="政务服务事项网上办事率",
                         target_raw=target, actual_raw=actual, weight=D(weight), **extra)


# (target, actual, weight, expected score)
SCORES = [
    # met, GE and bare EQ (§5.7 A and C)
    ("≥95%", "95%", "2", "2.00"),
    ("≥95%", "98%", "10", "10.00"),
    ("≧90%", "100%", "10", "10.00"),
    ("100%", "100%", "2", "2.00"),
    ("≧300万字", "325万字", "10", "10.00"),
    ("≧1年", "1年", "10", "10.00"),
    ("≥40000条", "41560", "2", "2.00"),
    ("≥40000条", "42412条", "2", "2.00"),
    # not met: proportional
    ("≥95%", "93%", "2", "1.96"),            # 2 × 93 ÷ 95 = 1.957894…
    ("100%", "90%", "10", "9.00"),
    ("≥40000条", "30000条", "2", "1.50"),
    ("≥95%", "0%", "10", "0.00"),
    ("≥95%", "-5%", "10", "0.00"),
    (">80%", "80%", "5", "5.00"),             # GT scored like GE: equal counts as met [A]
    (">80%", "60%", "5", "3.75"),
    # LE / LT: full to t, linear to zero at 2t
    ("≦2天", "2天", "5", "5.00"),
    ("≦2天", "1天", "5", "5.00"),
    ("≦2天", "3天", "5", "2.50"),
    ("≦2天", "4天", "5", "0.00"),
    ("≦2天", "9天", "5", "0.00"),
    ("≦20万 元", "20万元", "10", "10.00"),
    ("≦20万 元", "23万元", "10", "8.50"),
    ("≦20万 元", "40万元", "10", "0.00"),
    ("<5%", "5%", "10", "10.00"),
    ("<5%", "6%", "10", "8.00"),
    ("控制在3天以内", "4天", "3", "2.00"),
    # zero targets
    ("0", "0", "10", "10.00"),
    ("0", "0.5%", "10", "0.00"),
    ("0", "1", "10", "0.00"),
    ("≤0", "0", "10", "10.00"),
    ("≤0", "1", "10", "0.00"),
    ("≥0", "0", "10", "10.00"),
    ("≥0", "7", "10", "10.00"),
    ("≥0%", "-1%", "10", "0.00"),
    # rounding: 0.01 ROUND_HALF_UP
    ("≥3次", "1次", "10", "3.33"),
    ("≥3次", "2次", "10", "6.67"),
    ("≥8次", "1次", "0.2", "0.03"),          # 0.025 rounds half up
]


@pytest.mark.parametrize(("target", "actual", "weight", "expected"), SCORES, ids=[f"{s[0]}|{s[1]}" for s in SCORES])
def test_score_indicator(target, actual, weight, expected):
    score = score_indicator(target, actual, D(weight))
    assert score == D(expected) and str(score) == expected


def test_a_qualitative_target_needs_judgement():
    for target in ["有所改善", "无", "加大合作力度"]:
        with pytest.raises(NeedsJudgement):
            score_indicator(target, target, D("5"))


def test_bad_text_raises_target_error():
    with pytest.raises(TargetError):
        score_indicator("完成95%以上工作任务", "95%", D("2"))
    with pytest.raises(TargetError):
        score_indicator("≥95%", "已完成", D("2"))
    with pytest.raises(UnitMismatchError):
        score_indicator("≥40000条", "5万条", D("2"))


def test_weights_may_be_int_or_str_but_never_float():
    assert score_indicator("≥95%", "93%", 2) == D("1.96")
    assert score_indicator("≥95%", "93%", "2") == D("1.96")
    with pytest.raises(TypeError):
        score_indicator("≥95%", "93%", 2.0)


def test_the_le_zero_point_is_configurable():
    three = Rules(le_zero_factor=D("3"))
    # t < a < 3t: w × (3 − a/t) ÷ (3 − 1)
    assert score_indicator("≦2天", "3天", D("5"), three) == D("3.75")
    assert score_indicator("≦2天", "5天", D("5"), three) == D("1.25")
    assert score_indicator("≦2天", "6天", D("5"), three) == D("0.00")


def test_a_bare_value_can_be_configured_to_mean_exactly():
    exact = Rules(bare_value_at_least=False)
    assert score_indicator("100%", "100%", D("10"), exact) == D("10.00")
    assert score_indicator("100%", "90%", D("10"), exact) == D("9.00")
    assert score_indicator("100%", "110%", D("10"), exact) == D("9.00")
    assert score_indicator("100%", "110%", D("10")) == D("10.00")


def test_band_range():
    assert band_range("met", D("10")) == (D("8.00"), D("10.00"))
    assert band_range("partial", D("10")) == (D("6.00"), D("7.99"))
    assert band_range("not_met", D("10")) == (D("0.00"), D("5.99"))
    assert band_range("met", D("5")) == (D("4.00"), D("5.00"))
    assert band_range("partial", D("5")) == (D("3.00"), D("3.99"))
    assert band_range("not_met", D("5")) == (D("0.00"), D("2.99"))
    # 80% of 3.33 is 2.664: a typed 2-decimal score needs 2.67 for MET and at most 2.66 for PARTIAL
    assert band_range("met", D("3.33")) == (D("2.67"), D("3.33"))
    assert band_range("partial", D("3.33")) == (D("2.00"), D("2.66"))


# ---- score_row ----------------------------------------------------------------------------------------------

def test_a_met_quantitative_row():
    result = score_row(indicator("≥95%", "98%"), RULES)
    assert (result.computed, result.final, result.lost, result.met) == (D("10.00"), D("10.00"), D("0.00"), True)
    assert not result.is_qualitative and result.errors == [] and result.warnings == []
    assert result.ratio == D(98) / D(95) and result.overshoot_pct is None


def test_the_explanation_shows_the_arithmetic():
    result = score_row(indicator("≥95%", "93%", "2"), RULES)
    explanation = result.explanation
    assert explanation.arithmetic == "2 × 93 ÷ 95 = 1.957894… → 1.96"
    assert explanation.inputs == "年度指标值 ≥95%；实际完成值 93%；分值 2"
    assert "按完成比例" in explanation.rule
    assert explanation.source == RULES.policy_source
    assert (result.met, result.lost) == (False, D("0.04"))
    le = score_row(indicator("≦20万 元", "23万元"), RULES).explanation
    assert le.arithmetic == "10 × (2 − 23 ÷ 20) = 8.5 → 8.50"
    assert "非政策" in le.source
    met = score_row(indicator("≥95%", "95%", "2"), RULES).explanation
    assert met.arithmetic == "95 ≥ 95 → 2.00"
    assert "95" in str(met) and "依据" in str(met)


def test_an_inherited_unit_is_a_warning_not_an_error():
    result = score_row(indicator("≥40000条", "41560", "2"), RULES)
    assert result.final == D("2.00")
    assert result.warnings == [("actual_raw", "实际完成值未写单位，已按“条”处理")]
    assert result.ratio.quantize(D("0.0001")) == D("1.0390")
    assert "单位沿用指标值" in result.explanation.inputs


def test_overshoot_beyond_the_threshold():
    assert score_row(indicator("≧90%", "100%"), RULES).overshoot_pct is None     # 111.11% < 120%
    result = score_row(indicator("≥100万人次", "124万人次"), RULES)
    assert result.final == D("10.00") and result.overshoot_pct == D("24.00")
    assert score_row(indicator("100%", "120%"), RULES).overshoot_pct == D("20.00")
    assert score_row(indicator("≥100万人次", "124万人次"), Rules(overshoot_threshold=D("30"))).overshoot_pct is None
    assert score_row(indicator("≦2天", "1天"), RULES).overshoot_pct is None       # not a GE/EQ row
    assert score_row(indicator("0", "0"), RULES).overshoot_pct is None


def test_a_blank_actual_gives_no_score_and_only_a_warning():
    result = score_row(indicator("≥95%", " "), RULES)
    assert result.computed is None and result.final is None and result.lost is None
    assert result.errors == [] and result.warnings == [("actual_raw", "请填写实际完成值")]


def test_unreadable_text_is_an_error_at_its_field():
    target = score_row(indicator("完成95%以上工作任务", "95%"), RULES)
    assert target.final is None and target.target is None
    assert target.errors == [("target_raw", "无法识别「完成95%以上工作任务」。定量指标请写成“≥95%”的形式；如为定性指标，请将指标类型改为“定性”")]
    blank_target = score_row(indicator("", "95%"), RULES)
    assert blank_target.errors == [("target_raw", "请填写年度指标值")]
    mismatch = score_row(indicator("≥40000条", "5万条"), RULES)
    assert mismatch.final is None and mismatch.target is not None
    assert mismatch.errors == [("actual_raw", "实际完成值的单位「万条」与指标值单位「条」不一致")]
    qualitative_actual = score_row(indicator("≥95%", "已完成"), RULES)
    assert qualitative_actual.errors == [("actual_raw", "该指标为定量指标，实际完成值须为数值，如“95%”")]


def test_an_unknown_unit_warns_at_the_target():
    result = score_row(indicator("≥3批次", "3批次"), RULES)
    assert result.final == D("10.00")
    assert ("target_raw", "计量单位「批次」不在常用单位表中，请确认") in result.warnings


def test_a_qualitative_row_equal_to_its_target_is_suggested_met_at_full_marks():
    result = score_row(indicator("有所改善", "有所改善", "5"), RULES)
    assert result.is_qualitative and result.computed is None and result.final is None
    assert (result.suggested_band, result.suggested_score) == ("met", D("5.00"))
    assert result.errors == []


def test_a_judged_qualitative_row():
    result = score_row(indicator("有所改善", "有所改善", "5", band="met", judged_score=D("5")), RULES)
    assert (result.computed, result.final, result.lost) == (D("5.00"), D("5.00"), D("0.00"))
    assert result.suggested_band == "" and result.errors == []
    assert "达成年度指标" in result.explanation.rule and "4.00～5.00" in result.explanation.rule
    partial = score_row(indicator("有所改善", "略有改善", "10", band="partial", judged_score=D("7")), RULES)
    assert partial.final == D("7.00") and partial.lost == D("3.00")


def test_a_judged_score_outside_its_band_is_an_error():
    result = score_row(indicator("有所改善", "有所改善", "10", band="partial", judged_score=D("8")), RULES)
    assert result.final is None
    assert result.errors == [("judged_score", "选择“部分达成年度指标并具有一定效果”时，得分应在6.00～7.99分之间")]
    no_band = score_row(indicator("有所改善", "有所改善", "10", judged_score=D("8")), RULES)
    assert no_band.errors == [("band", "定性指标请选择档次")]
    bad_band = score_row(indicator("有所改善", "有所改善", "10", band="great", judged_score=D("8")), RULES)
    assert bad_band.errors[0][0] == "band"


def test_a_forced_qualitative_row_needs_judgement_too():
    row = indicator("7×24小时", "7×24小时", force_qualitative=True)
    result = score_row(row, RULES)
    assert result.is_qualitative and result.errors == [] and result.suggested_band == "met"


def test_a_downward_adjustment_replaces_the_computed_score():
    row = indicator("≥95%", "98%", adjusted_score=D("8"), adjustment_reason="指标值设定偏低")
    result = score_row(row, RULES)
    assert (result.computed, result.final, result.lost) == (D("10.00"), D("8.00"), D("2.00"))
    assert result.explanation.adjustment == "调减为 8.00（理由：指标值设定偏低）"


@pytest.mark.parametrize(("adjusted", "reason", "message"), [
    (D("11"), "x", "调减后得分不能高于计算得分10.00"),
    (D("-1"), "x", "调减后得分不能小于0"),
    (D("8"), " ", "请填写调减理由"),
])
def test_an_invalid_adjustment_is_an_error_and_leaves_the_computed_score(adjusted, reason, message):
    result = score_row(indicator("≥95%", "98%", adjusted_score=adjusted, adjustment_reason=reason), RULES)
    assert result.final == D("10.00")
    assert result.errors == [("adjusted_score", message)]


def test_a_score_row_result_is_immutable():
    result = score_row(indicator("≥95%", "98%"), RULES)
    with pytest.raises(AttributeError):
        result.final = D("0")     # type: ignore[misc]
    assert replace(result, final=D("1")).final == D("1")


def test_the_suggestion_ignores_spaces_scattered_by_the_extraction():
    result = score_row(indicator("有所 改善", "有所改善", "5"), RULES)
    assert (result.suggested_band, result.suggested_score) == ("met", D("5.00"))
    different = score_row(indicator("有所改善", "略有改善", "5"), RULES)
    assert different.suggested_band == "" and different.warnings == [("judged_score", "定性指标请选择档次并填写得分")]


def test_a_row_without_a_weight_has_no_score_and_asks_for_one():
    from evalportal.checks.data import IndicatorData, Rules
    from evalportal.scoring import score_row
    row = IndicatorData(id=1, category="产出指标", subcategory="数量指标", name="办结率", target_raw="≥95%",
                        actual_raw="96%", weight=None)
    score = score_row(row, Rules())
    assert score.computed is None and score.final is None
    assert ("weight", "请填写分值") in score.warnings and not score.errors

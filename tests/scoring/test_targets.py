"""domain.md §4: every example, every rejection, and every target/actual printed in the seeds."""
from decimal import Decimal

import pytest

from evalportal.scoring import Comparator, ParsedValue, TargetError, ValueKind, parse_actual, parse_target
from evalportal.scoring.targets import UnitMismatchError

GE, GT, LE, LT, EQ = Comparator.GE, Comparator.GT, Comparator.LE, Comparator.LT, Comparator.EQ
QUAL = None

# (input, comparator or QUAL, number, unit, canonical)
TARGETS = [
    # §4 examples 1–12 and 20–25; seed 001 prints ≥ as U+2265 or ≧, ≤ only as ≦, and scatters spaces
    ("≥95%", GE, "95", "%", "≥95%"),
    ("≥40000条", GE, "40000", "条", "≥40000条"),
    ("≦2天", LE, "2", "天", "≤2天"),
    ("≧ 10%", GE, "10", "%", "≥10%"),
    ("≧10%", GE, "10", "%", "≥10%"),
    ("≧50%", GE, "50", "%", "≥50%"),
    ("≧90%", GE, "90", "%", "≥90%"),
    ("≧95%", GE, "95", "%", "≥95%"),
    ("≧98%", GE, "98", "%", "≥98%"),
    ("100%", EQ, "100", "%", "100%"),
    ("0", EQ, "0", "", "0"),
    ("≧1次", GE, "1", "次", "≥1次"),
    ("≧1年", GE, "1", "年", "≥1年"),
    ("≧300万字", GE, "300", "万字", "≥300万字"),
    ("≦20万 元", LE, "20", "万元", "≤20万元"),
    ("≦20万元", LE, "20", "万元", "≤20万元"),
    ("有所改善", QUAL, None, "", "有所改善"),
    ("有所提升", QUAL, None, "", "有所提升"),
    ("有所提高", QUAL, None, "", "有所提高"),
    ("无", QUAL, None, "", "无"),
    ("加大合作力度", QUAL, None, "", "加大合作力度"),
    ("经济平稳发展", QUAL, None, "", "经济平稳发展"),
    ("＞80%", GT, "80", "%", ">80%"),
    ("<5%", LT, "5", "%", "<5%"),
    ("≤5%", LE, "5", "%", "≤5%"),
    ("=100%", EQ, "100", "%", "=100%"),
    ("不低于95%", GE, "95", "%", "≥95%"),
    ("达到100%", GE, "100", "%", "≥100%"),
    ("95%以上", GE, "95", "%", "≥95%"),
    ("不高于5%", LE, "5", "%", "≤5%"),
    ("不超过20万元", LE, "20", "万元", "≤20万元"),
    ("控制在3天以内", LE, "3", "天", "≤3天"),
    ("≥40,000条", GE, "40000", "条", "≥40000条"),
    ("≥９５％", GE, "95", "%", "≥95%"),
    ("明显提升", QUAL, None, "", "明显提升"),
    ("达到预期效果", QUAL, None, "", "达到预期效果"),
    # every other prefix and suffix of the grammar
    (">=95%", GE, "95", "%", "≥95%"),
    ("<=5%", LE, "5", "%", "≤5%"),
    ("⩾95%", GE, "95", "%", "≥95%"),
    ("⩽5%", LE, "5", "%", "≤5%"),
    ("==100%", EQ, "100", "%", "=100%"),
    ("＝100％", EQ, "100", "%", "=100%"),
    ("等于100%", EQ, "100", "%", "=100%"),
    ("不少于3次", GE, "3", "次", "≥3次"),
    ("至少2次", GE, "2", "次", "≥2次"),
    ("大于等于90%", GE, "90", "%", "≥90%"),
    ("大于或等于90%", GE, "90", "%", "≥90%"),
    ("至多3天", LE, "3", "天", "≤3天"),
    ("不多于5件", LE, "5", "件", "≤5件"),
    ("小于等于10天", LE, "10", "天", "≤10天"),
    ("小于或等于10天", LE, "10", "天", "≤10天"),
    ("控制在5%以下", LE, "5", "%", "≤5%"),
    ("控制在5%", LE, "5", "%", "≤5%"),
    ("高于80%", GT, "80", "%", ">80%"),
    ("大于80%", GT, "80", "%", ">80%"),
    ("超过80%", GT, "80", "%", ">80%"),
    ("多于3个", GT, "3", "个", ">3个"),
    ("低于5%", LT, "5", "%", "<5%"),
    ("小于5%", LT, "5", "%", "<5%"),
    ("少于3次", LT, "3", "次", "<3次"),
    ("＜5%", LT, "5", "%", "<5%"),
    ("5%以下", LE, "5", "%", "≤5%"),
    ("3天以内", LE, "3", "天", "≤3天"),
    ("≥95%以上", GE, "95", "%", "≥95%"),
    ("≤5%以下", LE, "5", "%", "≤5%"),
    ("超过90%以上", GT, "90", "%", ">90%"),
    # numbers
    ("≥ 95 %", GE, "95", "%", "≥95%"),
    ("≥\u300095%", GE, "95", "%", "≥95%"),
    ("≥\u00a095%", GE, "95", "%", "≥95%"),
    ("≥95.5%", GE, "95.5", "%", "≥95.5%"),
    ("≥95.50%", GE, "95.50", "%", "≥95.50%"),
    ("≥95.1234%", GE, "95.1234", "%", "≥95.1234%"),
    ("≥９５．５％", GE, "95.5", "%", "≥95.5%"),
    ("≥-5%", GE, "-5", "%", "≥-5%"),
    ("≥0", GE, "0", "", "≥0"),
    ("≤0", LE, "0", "", "≤0"),
    ("0%", EQ, "0", "%", "0%"),
    ("=0", EQ, "0", "", "=0"),
    ("1,000,000元", EQ, "1000000", "元", "1000000元"),
    ("≥1，000条", GE, "1000", "条", "≥1000条"),
    # units: aliases and the rest of the known list
    ("≥100平方米", GE, "100", "m²", "≥100m²"),
    ("≥100㎡", GE, "100", "m²", "≥100m²"),
    ("≥100平米", GE, "100", "m²", "≥100m²"),
    ("≥100m2", GE, "100", "m²", "≥100m²"),
    ("≥100m²", GE, "100", "m²", "≥100m²"),
    ("≤3个工作日", LE, "3", "个工作日", "≤3个工作日"),
    ("≤8小时", LE, "8", "小时", "≤8小时"),
    ("≥12月", GE, "12", "月", "≥12月"),
    ("≥20人", GE, "20", "人", "≥20人"),
    ("≥30人次", GE, "30", "人次", "≥30人次"),
    ("≥40万人次", GE, "40", "万人次", "≥40万人次"),
    ("≥5家", GE, "5", "家", "≥5家"),
    ("≥10户", GE, "10", "户", "≥10户"),
    ("≤100元", LE, "100", "元", "≤100元"),
    ("≥3万字", GE, "3", "万字", "≥3万字"),
    ("≥5000字", GE, "5000", "字", "≥5000字"),
    ("≥95分", GE, "95", "分", "≥95分"),
    ("≥3项", GE, "3", "项", "≥3项"),
    ("≥2类", GE, "2", "类", "≥2类"),
    ("≥2所", GE, "2", "所", "≥2所"),
    ("≥3台", GE, "3", "台", "≥3台"),
    ("≥5套", GE, "5", "套", "≥5套"),
    # qualitative
    ("不低于上年", QUAL, None, "", "不低于上年"),
    ("控制在合理范围", QUAL, None, "", "控制在合理范围"),
    ("达到一流水平", QUAL, None, "", "达到一流水平"),
    ("有所 改善", QUAL, None, "", "有所改善"),
]


@pytest.mark.parametrize(("text", "comparator", "number", "unit", "canonical"), TARGETS, ids=[t[0] for t in TARGETS])
def test_parse_target(text, comparator, number, unit, canonical):
    parsed = parse_target(text)
    assert parsed.raw == text
    assert parsed.comparator == comparator
    assert parsed.number == (None if number is None else Decimal(number))
    assert parsed.unit == unit
    assert parsed.canonical == canonical
    assert parsed.kind == (ValueKind.QUALITATIVE if comparator is QUAL else ValueKind.QUANTITATIVE)
    assert parsed.warnings == ()
    if comparator is QUAL:
        assert parsed.text == text.strip()


def test_there_are_at_least_sixty_target_strings():
    assert len({text for text, *_ in TARGETS}) >= 60


def test_a_bare_value_is_eq_and_prints_bare_while_an_explicit_one_keeps_its_sign():
    assert parse_target("100%").is_bare and parse_target("0").is_bare
    assert not parse_target("=100%").is_bare and not parse_target("≥95%").is_bare


def test_parse_target_compares_equal_to_a_hand_built_value():
    assert parse_target("≧ 10%") == ParsedValue(
        "≧ 10%", ValueKind.QUANTITATIVE, Comparator.GE, Decimal("10"), "%", "", "≥10%"
    )


def test_an_unknown_unit_is_accepted_with_a_warning():
    parsed = parse_target("≥3批次")
    assert (parsed.number, parsed.unit) == (Decimal("3"), "批次")
    assert parsed.warnings == ("计量单位「批次」不在常用单位表中，请确认",)


def test_known_units_are_configurable():
    assert parse_target("≥3批次", known_units={"批次"}).warnings == ()
    assert parse_target("≥3条", known_units={"批次"}).warnings == ("计量单位「条」不在常用单位表中，请确认",)


def test_forcing_qualitative_keeps_the_text_verbatim():
    parsed = parse_target("7×24 小时", force_qualitative=True)
    assert parsed.kind is ValueKind.QUALITATIVE
    assert (parsed.text, parsed.canonical, parsed.number, parsed.comparator) == ("7×24 小时", "7×24 小时", None, None)
    with pytest.raises(TargetError):
        parse_target("7×24小时")


# (input, exact message) — §4's rejection table, and the neighbours of each row
REJECTIONS = [
    ("", "请填写年度指标值"),
    ("   ", "请填写年度指标值"),
    ("\u3000", "请填写年度指标值"),
    ("≥", "指标值「≥」缺少数值"),
    ("不低于", "指标值「不低于」缺少数值"),
    ("控制在", "指标值「控制在」缺少数值"),
    ("≥%", "指标值「≥%」缺少数值"),
    ("≥≤95%", "指标值只能有一个比较符"),
    ("≥>95%", "指标值只能有一个比较符"),
    ("不低于≥95%", "指标值只能有一个比较符"),
    ("≥95%≤", "指标值只能有一个比较符"),
    ("≥95%以下", "比较符「≥」与「以下」矛盾"),
    ("控制在5%以上", "比较符「控制在」与「以上」矛盾"),
    ("≦5%以上", "比较符「≦」与「以上」矛盾"),
    ("=95%以上", "比较符「=」与「以上」矛盾"),
    ("90%-95%", "暂不支持区间，请改为单一比较，如 ≥90%"),
    ("90~95%", "暂不支持区间，请改为单一比较，如 ≥90%"),
    ("90％～95％", "暂不支持区间，请改为单一比较，如 ≥90%"),
    ("90%至95%", "暂不支持区间，请改为单一比较，如 ≥90%"),
    ("≥95%且≤100%", "指标值只能包含一个数值"),
    ("95%或90%", "指标值只能包含一个数值"),
    ("≥九十五%", "请使用阿拉伯数字填写数值"),
    ("不少于三次", "请使用阿拉伯数字填写数值"),
    ("95.5.5%", "数值格式不正确：95.5.5%"),
    ("≥95%%", "数值格式不正确：≥95%%"),
    ("≥.5%", "数值格式不正确：≥.5%"),
    ("≥95.%", "数值格式不正确：≥95.%"),
    ("≥95.12345%", "数值最多保留4位小数"),
    ("≥有所改善", "比较符后必须是数值；定性指标请直接填写文字，如“有所改善”"),
    ("=无", "比较符后必须是数值；定性指标请直接填写文字，如“有所改善”"),
    ("完成95%以上工作任务", "无法识别「完成95%以上工作任务」。定量指标请写成“≥95%”的形式；如为定性指标，请将指标类型改为“定性”"),
    ("95%以上工作任务", "无法识别「95%以上工作任务」。定量指标请写成“≥95%”的形式；如为定性指标，请将指标类型改为“定性”"),
    ("7×24小时", "无法识别「7×24小时」。定量指标请写成“≥95%”的形式；如为定性指标，请将指标类型改为“定性”"),
    ("约95%", "无法识别「约95%」。定量指标请写成“≥95%”的形式；如为定性指标，请将指标类型改为“定性”"),
    ("≥95个工作任务完成了", "单位「个工作任务完成了」过长，请把说明写入三级指标名称"),
]


@pytest.mark.parametrize(("text", "message"), REJECTIONS, ids=[r[0] or "empty" for r in REJECTIONS])
def test_rejections_carry_the_exact_message(text, message):
    with pytest.raises(TargetError) as caught:
        parse_target(text)
    assert str(caught.value) == message
    assert caught.value.messages == [message]


# ---- actuals ----------------------------------------------------------------------------------------------

# (target, actual, number, unit, inherited, canonical) — §4 examples 13–19 and every seed pair
ACTUALS = [
    ("≥95%", "95%", "95", "%", False, "95%"),
    ("≥95%", "98%", "98", "%", False, "98%"),
    ("100%", "100%", "100", "%", False, "100%"),
    ("≥40000条", "42412条", "42412", "条", False, "42412条"),
    ("≥40000条", "41560", "41560", "条", True, "41560条"),
    ("≦2天", "2天", "2", "天", False, "2天"),
    ("≧1次", "1次", "1", "次", False, "1次"),
    ("≧1年", "1年", "1", "年", False, "1年"),
    ("≧300万字", "325万字", "325", "万字", False, "325万字"),
    ("≦20万 元", "20万元", "20", "万元", False, "20万元"),
    ("≦20万 元", "20万 元", "20", "万元", False, "20万元"),
    ("≧ 10%", "10%", "10", "%", False, "10%"),
    ("≧50%", "50%", "50", "%", False, "50%"),
    ("≧90%", "100%", "100", "%", False, "100%"),
    ("0", "0", "0", "", False, "0"),
    ("100%", "101.6%", "101.6", "%", False, "101.6%"),
    ("≥40万人次", "44.95万人次", "44.95", "万人次", False, "44.95万人次"),
    ("≥95分", "98.88分", "98.88", "分", False, "98.88分"),
    ("≥95%", "95", "95", "%", True, "95%"),
    ("0", "0.5%", "0.5", "%", False, "0.5%"),      # a unit-less 0 target fits any actual unit
    ("≥100㎡", "120平方米", "120", "m²", False, "120m²"),
    ("≥40000条", "４２,４１２条", "42412", "条", False, "42412条"),
]


@pytest.mark.parametrize(("target", "actual", "number", "unit", "inherited", "canonical"), ACTUALS,
                         ids=[f"{a[0]}|{a[1]}" for a in ACTUALS])
def test_parse_actual(target, actual, number, unit, inherited, canonical):
    parsed = parse_actual(actual, parse_target(target))
    assert parsed.kind is ValueKind.QUANTITATIVE
    assert parsed.comparator is None
    assert (parsed.number, parsed.unit, parsed.unit_inherited, parsed.canonical) == (
        Decimal(number), unit, inherited, canonical)
    assert parsed.raw == actual


def test_an_inherited_unit_warns():
    parsed = parse_actual("41560", parse_target("≥40000条"))
    assert parsed.warnings == ("实际完成值未写单位，已按“条”处理",)


def test_the_actual_of_a_qualitative_target_is_kept_as_text():
    for target, actual in [("有所改善", "有所改善"), ("无", "无"), ("加大合作力度", "加大合作力度"),
                           ("有所提升", "基本完成95%"), ("经济平稳发展", "≥95%")]:
        parsed = parse_actual(actual, parse_target(target))
        assert (parsed.kind, parsed.text, parsed.number) == (ValueKind.QUALITATIVE, actual, None)
    forced = parse_target("7×24小时", force_qualitative=True)
    assert parse_actual("7×24小时", forced).text == "7×24小时"


ACTUAL_REJECTIONS = [
    ("≥95%", "", "请填写实际完成值"),
    ("有所改善", " ", "请填写实际完成值"),
    ("≥95%", "≥95%", "实际完成值请填写实际数值，不要带比较符"),
    ("≥95%", "达到95%", "实际完成值请填写实际数值，不要带比较符"),
    ("≥95%", "95%以上", "实际完成值请填写实际数值，不要带比较符"),
    ("≥95%", "≥", "实际完成值请填写实际数值，不要带比较符"),
    ("≥95%", "已完成", "该指标为定量指标，实际完成值须为数值，如“95%”"),
    ("0", "无", "该指标为定量指标，实际完成值须为数值，如“95%”"),
    ("≥95%", "完成95%", "该指标为定量指标，实际完成值须为数值，如“95%”"),
    ("≥40000条", "5万条", "实际完成值的单位「万条」与指标值单位「条」不一致"),
    ("≦20万 元", "200000元", "实际完成值的单位「元」与指标值单位「万元」不一致"),
    ("≥95%", "95.5.5%", "数值格式不正确：95.5.5%"),
    ("≥95%", "95.123456%", "数值最多保留4位小数"),
    ("≥95%", "90%-95%", "暂不支持区间，请改为单一比较，如 ≥90%"),
]


@pytest.mark.parametrize(("target", "actual", "message"), ACTUAL_REJECTIONS,
                         ids=[f"{a[0]}|{a[1]}" for a in ACTUAL_REJECTIONS])
def test_actual_rejections(target, actual, message):
    with pytest.raises(TargetError) as caught:
        parse_actual(actual, parse_target(target))
    assert str(caught.value) == message


def test_a_unit_mismatch_has_its_own_error_class():
    with pytest.raises(UnitMismatchError):
        parse_actual("5万条", parse_target("≥40000条"))


def test_a_unitless_target_other_than_zero_needs_a_unitless_actual():
    with pytest.raises(UnitMismatchError):
        parse_actual("5次", parse_target("≥3"))
    assert parse_actual("5", parse_target("≥3")).unit == ""


def test_a_target_error_is_a_django_validation_error_with_a_code():
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as caught:
        parse_target("")
    assert caught.value.code == "required"


def test_messages_quote_the_typed_text_without_surrounding_spaces():
    with pytest.raises(TargetError) as caught:
        parse_target("  约95%  ")
    assert str(caught.value).startswith("无法识别「约95%」")
    assert parse_target("  ≥95% ").raw == "  ≥95% "

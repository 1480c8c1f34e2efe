"""Hypothesis: the parser only ever raises TargetError, and scores stay in [0, w] and grow with the actual."""
from decimal import Decimal

from hypothesis import example, given, settings
from hypothesis import strategies as st

from evalportal.checks.data import IndicatorData, Rules
from evalportal.scoring import CENT, TargetError, parse_actual, parse_target, score_indicator, score_row

# Text near the grammar finds more corners than uniform unicode: mix its tokens with arbitrary characters.
TOKENS = st.sampled_from([
    "≥", "≧", "⩾", ">=", "≤", "≦", "<", ">", "=", "==", "不低于", "控制在", "以上", "以下", "以内", "%", "％", "万 元",
    "条", "天", "m2", "㎡", ".", ",", "-", "~", "至", "且", "九十五", "有所改善", " ", "\u3000", "0", "5", "95", "１",
])
GRAMMAR_TEXT = st.lists(st.one_of(TOKENS, st.text(max_size=3)), max_size=8).map("".join)
ANY_TEXT = st.one_of(st.text(max_size=60), GRAMMAR_TEXT)

NUMBER = st.decimals(min_value=Decimal("-1000"), max_value=Decimal("100000"), places=2, allow_nan=False,
                     allow_infinity=False)
POSITIVE = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("100000"), places=2)
WEIGHT = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("100"), places=2)
COMPARATOR = st.sampled_from(["≥", ">", "≤", "<", "=", "", "不低于", "控制在"])
RULES = st.builds(Rules, le_zero_factor=st.sampled_from([Decimal("1.5"), Decimal("2"), Decimal("3")]),
                  bare_value_at_least=st.booleans(), strict_counts_as_met=st.booleans())


@settings(max_examples=600)
@given(ANY_TEXT, st.booleans())
@example("≥95%且≤100%", False)
@example("٩٥%", False)
def test_parse_target_raises_nothing_but_target_error(text, force):
    try:
        parsed = parse_target(text, force_qualitative=force)
    except TargetError as error:
        assert error.messages and error.messages[0]
        return
    assert parsed.raw == text
    assert (parsed.number is None) == (parsed.comparator is None)


@settings(max_examples=400)
@given(st.sampled_from(["≥95%", "0", "≦20万 元", "有所改善", "≥40000条", "100%"]), ANY_TEXT)
def test_parse_actual_raises_nothing_but_target_error(target, text):
    try:
        parse_actual(text, parse_target(target))
    except TargetError:
        pass


@settings(max_examples=400)
@given(COMPARATOR, NUMBER, NUMBER, WEIGHT, RULES)
def test_a_score_lies_between_zero_and_the_weight(comparator, target, actual, weight, rules):
    score = score_indicator(f"{comparator}{target}%", f"{actual}%", weight, rules)
    assert Decimal(0) <= score <= weight
    assert score == score.quantize(CENT)


@settings(max_examples=400)
@given(st.sampled_from(["≥", ">", "", "不低于"]), POSITIVE, NUMBER, NUMBER, WEIGHT)
def test_a_larger_actual_never_lowers_the_score_of_an_at_least_target(comparator, target, first, second, weight):
    low, high = sorted((first, second))
    assert (score_indicator(f"{comparator}{target}条", f"{low}条", weight)
            <= score_indicator(f"{comparator}{target}条", f"{high}条", weight))


@settings(max_examples=300)
@given(st.sampled_from(["≤", "<", "控制在"]), POSITIVE, NUMBER, NUMBER, WEIGHT)
def test_a_larger_actual_never_raises_the_score_of_an_at_most_target(comparator, target, first, second, weight):
    low, high = sorted((first, second))
    assert (score_indicator(f"{comparator}{target}天", f"{low}天", weight)
            >= score_indicator(f"{comparator}{target}天", f"{high}天", weight))


@settings(max_examples=300)
@given(ANY_TEXT, ANY_TEXT, WEIGHT)
def test_score_row_never_raises_and_final_stays_in_range(target, actual, weight):
    result = score_row(IndicatorData(id=None, category="产出指标", subcategory="", name="x", target_raw=target,
                                     actual_raw=actual, weight=weight), Rules())
    if result.final is not None:
        assert Decimal(0) <= result.final <= weight and result.lost == weight - result.final
    assert all(field in {"target_raw", "actual_raw", "judged_score", "band", "adjusted_score"}
               for field, _message in result.errors + result.warnings)

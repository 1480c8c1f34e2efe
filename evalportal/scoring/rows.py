"""One indicator row → its score (domain.md §5.2 quantitative rules, §5.3 qualitative bands, downward adjustment)."""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

from django.utils.translation import gettext as _

from evalportal.checks.data import IndicatorData, Rules
from evalportal.scoring.decimals import CENT, ZERO, approx, as_decimal, ceil_cent, plain, to_cent
from evalportal.scoring.explain import Explanation
from evalportal.scoring.targets import Comparator, ParsedValue, TargetError, parse_actual, parse_target

_CONVENTION = "本系统约定（可配置）"
_VENDOR_PRACTICE = "行业通行做法，非政策规定（可配置）"


class NeedsJudgement(Exception):
    """A qualitative target: the filler chooses a band and a score (§5.3); the engine cannot."""


class Band(StrEnum):
    MET = "met"
    PARTIAL = "partial"
    NOT_MET = "not_met"

    @property
    def label(self) -> str:
        return {
            Band.MET: _("达成年度指标"),
            Band.PARTIAL: _("部分达成年度指标并具有一定效果"),
            Band.NOT_MET: _("未达成年度指标且效果较差"),
        }[self]


# Share of the weight at each band's lower bound [P]; the upper bound is the next band's lower bound, exclusive.
_BAND_FLOORS = {Band.MET: Decimal("0.8"), Band.PARTIAL: Decimal("0.6"), Band.NOT_MET: ZERO}
_BAND_CEILINGS = {Band.MET: None, Band.PARTIAL: Decimal("0.8"), Band.NOT_MET: Decimal("0.6")}


def band_range(band: Band | str, weight: Decimal) -> tuple[Decimal, Decimal]:
    """(low, high) of the 2-decimal scores allowed in a band: w = 10 → MET 8.00–10.00, PARTIAL 6.00–7.99."""
    band, weight = Band(band), as_decimal(weight)
    low = ceil_cent(weight * _BAND_FLOORS[band])
    ceiling = _BAND_CEILINGS[band]
    # "s < 80%": the highest typed score is one cent below the bound (rounded up first when w × share has 3+ decimals).
    high = to_cent(weight) if ceiling is None else max(ceil_cent(weight * ceiling) - CENT, ZERO)
    return low, high


@dataclass(frozen=True)
class Outcome:
    """What the quantitative rules decided for one (target, actual, weight)."""

    score: Decimal            # quantized and clamped to [0, w]
    met: bool
    explanation: Explanation


def _inputs(target: ParsedValue, actual: ParsedValue, weight: Decimal) -> str:
    inherited = _("（单位沿用指标值）") if actual.unit_inherited else ""
    return _("年度指标值 {t}；实际完成值 {a}{i}；分值 {w}").format(
        t=target.canonical, a=actual.canonical, i=inherited, w=plain(weight)
    )


def quantitative_outcome(target: ParsedValue, actual: ParsedValue, weight: Decimal, rules: Rules) -> Outcome:
    """§5.2. Both values are parsed and in the same unit (parse_actual guarantees it)."""
    assert target.number is not None and actual.number is not None and target.comparator is not None
    w, t, a, cmp = as_decimal(weight), target.number, actual.number, target.comparator
    inputs = _inputs(target, actual, w)

    def result(exact: Decimal, met: bool, rule: str, arithmetic: str, source: str) -> Outcome:
        score = to_cent(min(max(exact, ZERO), w))
        return Outcome(score, met, Explanation(inputs, rule, arithmetic.format(s=score), source))

    if cmp is Comparator.EQ and (t == 0 or not rules.bare_value_at_least):
        return _exact(t, a, w, rules, result)
    if cmp is Comparator.EQ or cmp in (Comparator.GE, Comparator.GT):
        return _at_least(t, a, w, cmp, rules, result)
    return _at_most(t, a, w, cmp, rules, result)


def _strict_ok(cmp: Comparator, a: Decimal, t: Decimal, rules: Rules) -> bool:
    """Is an actual equal to the target "met" for > and <? [A] yes by default (strict_counts_as_met)."""
    return a != t or cmp not in (Comparator.GT, Comparator.LT) or rules.strict_counts_as_met


def _at_least(t, a, w, cmp, rules, result) -> Outcome:
    sign = "≥" if cmp is not Comparator.GT else ">"
    source = rules.policy_source if cmp is not Comparator.EQ else _CONVENTION + "：单独数值按“不低于”计分"
    if t == 0:
        met = a >= 0 and _strict_ok(cmp, a, t, rules)
        return result(w if a >= 0 else ZERO, met, _("指标值为0：实际完成值不小于0即达到，得满分；否则不得分"),
                      f"{plain(a)} {'≥' if a >= 0 else '<'} 0 → {{s}}", _CONVENTION)
    if t < 0:   # a proportion of a negative target means nothing: all or nothing
        met = a >= t
        return result(w if met else ZERO, met, _("指标值为负数：达到得满分，否则不得分"),
                      f"{plain(a)} {'≥' if met else '<'} {plain(t)} → {{s}}", _CONVENTION)
    if a >= t:
        return result(w, _strict_ok(cmp, a, t, rules), _("达到年度指标值，得满分"),
                      f"{plain(a)} {sign} {plain(t)} → {{s}}", source)
    if a <= 0:
        return result(ZERO, False, _("实际完成值不大于0，不得分"), f"{plain(a)} ≤ 0 → {{s}}", source)
    exact = w * a / t
    return result(exact, False, _("未达到年度指标值，按完成比例得分：分值 × 实际完成值 ÷ 年度指标值"),
                  f"{plain(w)} × {plain(a)} ÷ {plain(t)} = {approx(exact)} → {{s}}", source)


def _at_most(t, a, w, cmp, rules, result) -> Outcome:
    sign = "≤" if cmp is Comparator.LE else "<"
    if t <= 0:   # 差错率 ≤0 (or a negative ceiling): no proportion exists, so met or nothing
        met = a <= t
        return result(w if met else ZERO, met, _("指标值为{t}：实际完成值不超过{t}得满分，否则不得分").format(t=plain(t)),
                      f"{plain(a)} {'≤' if met else '>'} {plain(t)} → {{s}}", _VENDOR_PRACTICE)
    if a <= t:
        return result(w, _strict_ok(cmp, a, t, rules), _("未超过年度指标值，得满分"),
                      f"{plain(a)} {sign} {plain(t)} → {{s}}", _VENDOR_PRACTICE)
    factor = rules.le_zero_factor
    if factor <= 1 or a >= factor * t:
        return result(ZERO, False, _("达到或超过年度指标值的{k}倍，不得分").format(k=plain(factor)),
                      f"{plain(a)} ≥ {plain(factor)} × {plain(t)} → {{s}}", _VENDOR_PRACTICE)
    exact = w * (factor - a / t) / (factor - 1)
    if factor == 2:   # the published 2t rule reads w × (2 − a/t)
        rule = _("超过年度指标值，按偏离程度得分：分值 × (2 − 实际完成值 ÷ 年度指标值)")
        arithmetic = f"{plain(w)} × (2 − {plain(a)} ÷ {plain(t)}) = {approx(exact)} → {{s}}"
    else:
        rule = _("超过年度指标值，按偏离程度得分：分值 × ({k} − 实际完成值 ÷ 年度指标值) ÷ ({k} − 1)").format(k=plain(factor))
        arithmetic = f"{plain(w)} × ({plain(factor)} − {plain(a)} ÷ {plain(t)}) ÷ ({plain(factor)} − 1) = {approx(exact)} → {{s}}"
    return result(exact, False, rule, arithmetic, _VENDOR_PRACTICE)


def _exact(t, a, w, rules, result) -> Outcome:
    if t == 0:   # 差错率 0: zero-target rule
        met = a == 0
        return result(w if met else ZERO, met, _("指标值为0：实际完成值为0得满分，否则不得分"),
                      f"{plain(a)} {'=' if met else '≠'} 0 → {{s}}", _VENDOR_PRACTICE)
    # bare_value_at_least = False [A]: "=t" is missed on both sides; below scores like ≥, above like ≤.
    if a == t:
        return result(w, True, _("等于年度指标值，得满分"), f"{plain(a)} = {plain(t)} → {{s}}", _CONVENTION)
    if t < 0:
        return result(ZERO, False, _("指标值为负数：等于指标值得满分，否则不得分"),
                      f"{plain(a)} ≠ {plain(t)} → {{s}}", _CONVENTION)
    below = a < t
    outcome = (_at_least if below else _at_most)(t, a, w, Comparator.GE if below else Comparator.LE, rules, result)
    return Outcome(outcome.score, False, outcome.explanation)


def score_indicator(target_text: str, actual_text: str, weight: Decimal, rules: Rules | None = None) -> Decimal:
    """Quantitative rows only: a qualitative target raises NeedsJudgement, unreadable text raises TargetError."""
    target = parse_target(target_text)
    if not target.is_quantitative:
        raise NeedsJudgement(target.text)
    actual = parse_actual(actual_text, target)
    return quantitative_outcome(target, actual, as_decimal(weight), rules or Rules()).score


@dataclass(frozen=True)
class RowScore:
    weight: Decimal
    target: ParsedValue | None
    actual: ParsedValue | None
    errors: list[tuple[str, str]] = field(default_factory=list)     # (field name, message)
    warnings: list[tuple[str, str]] = field(default_factory=list)
    is_qualitative: bool = False
    computed: Decimal | None = None       # engine score (quantitative) or judged score (qualitative)
    final: Decimal | None = None          # adjusted score when a valid one is set, else computed
    lost: Decimal | None = None           # weight − final
    met: bool | None = None               # quantitative rows: was the target reached (§5.2)
    ratio: Decimal | None = None          # a / t, unrounded
    overshoot_pct: Decimal | None = None  # K07: percent above the target, only past the threshold
    explanation: Explanation | None = None
    suggested_band: str = ""              # pre-fill for 有所改善 / 有所改善 (§5.3)
    suggested_score: Decimal | None = None


def score_row(row: IndicatorData, rules: Rules) -> RowScore:
    weight = as_decimal(row.weight) if row.weight is not None else ZERO
    errors: list[tuple[str, str]] = []
    warnings: list[tuple[str, str]] = []
    try:
        target = parse_target(row.target_raw, force_qualitative=row.force_qualitative)
    except TargetError as error:
        errors.append(("target_raw", str(error)))
        return RowScore(weight, None, None, errors, warnings)   # the actual is read once the target is readable
    warnings += [("target_raw", message) for message in target.warnings]

    actual: ParsedValue | None = None
    try:
        actual = parse_actual(row.actual_raw, target)
    except TargetError as error:
        # Blank is not zero: no score, and only a warning until submit (the checks turn it into an error then).
        (warnings if error.code == "required" else errors).append(("actual_raw", str(error)))
    if actual is not None:
        warnings += [("actual_raw", message) for message in actual.warnings]

    if target.is_quantitative:
        fields = _quantitative_fields(target, actual, weight, rules)
    else:
        fields = _qualitative_fields(row, target, actual, weight, rules, errors, warnings)
    computed, explanation = fields.pop("computed"), fields.pop("explanation")
    final, explanation = _apply_adjustment(row, computed, explanation, errors)
    return RowScore(
        weight, target, actual, errors, warnings,
        is_qualitative=not target.is_quantitative,
        computed=computed,
        final=final,
        lost=None if final is None else weight - final,
        explanation=explanation,
        **fields,
    )


def _quantitative_fields(target: ParsedValue, actual: ParsedValue | None, weight: Decimal, rules: Rules) -> dict:
    if actual is None:
        return {"computed": None, "explanation": None}
    outcome = quantitative_outcome(target, actual, weight, rules)
    assert target.number is not None and actual.number is not None
    ratio = actual.number / target.number if target.number else None
    overshoot = None
    at_least = target.comparator in (Comparator.GE, Comparator.GT, Comparator.EQ)
    if at_least and ratio is not None and target.number > 0 and ratio >= 1 + rules.overshoot_threshold / 100:
        overshoot = to_cent((ratio - 1) * 100)
    return {"computed": outcome.score, "explanation": outcome.explanation, "met": outcome.met,
            "ratio": ratio, "overshoot_pct": overshoot}


def _qualitative_fields(row, target, actual, weight, rules, errors, warnings) -> dict:
    fields: dict = {"computed": None, "explanation": None}
    same = actual is not None and actual.canonical.replace(" ", "") == target.canonical.replace(" ", "")
    band: Band | None = None
    if row.band:
        try:
            band = Band(row.band)
        except ValueError:
            errors.append(("band", _("档次「{b}」无效").format(b=row.band)))
    elif same:
        fields |= {"suggested_band": Band.MET.value, "suggested_score": to_cent(weight)}
    judged = row.judged_score
    if judged is None:
        if band is not None or not same:
            warnings.append(("judged_score", _("定性指标请选择档次并填写得分")))
        return fields
    judged = to_cent(as_decimal(judged))
    if band is None:
        if not row.band:
            errors.append(("band", _("定性指标请选择档次")))
        return fields
    low, high = band_range(band, weight)
    if not low <= judged <= high:   # K08: the score must lie inside the chosen band
        errors.append(("judged_score", _("选择“{b}”时，得分应在{lo}～{hi}分之间").format(b=band.label, lo=low, hi=high)))
        return fields
    inputs = _("年度指标值「{t}」；实际完成值「{a}」；分值 {w}").format(
        t=target.canonical, a=actual.canonical if actual else "", w=plain(weight))
    rule = _("定性指标，由填报人评定：{b}（得分区间 {lo}～{hi}）").format(b=band.label, lo=low, hi=high)
    fields |= {"computed": judged,
               "explanation": Explanation(inputs, rule, _("评定得分 {s}").format(s=judged), rules.policy_source)}
    return fields


def _apply_adjustment(row: IndicatorData, computed: Decimal | None, explanation: Explanation | None,
                      errors: list[tuple[str, str]]) -> tuple[Decimal | None, Explanation | None]:
    """§5.3 downward adjustment: never above the computed score, and never without a reason."""
    if row.adjusted_score is None:
        return computed, explanation
    adjusted = to_cent(as_decimal(row.adjusted_score))
    problem = ""
    if computed is None:
        problem = _("尚无计算得分，不能调减")
    elif adjusted > computed:
        problem = _("调减后得分不能高于计算得分{s}").format(s=computed)
    elif adjusted < 0:
        problem = _("调减后得分不能小于0")
    elif not row.adjustment_reason.strip():
        problem = _("请填写调减理由")
    if problem:
        errors.append(("adjusted_score", problem))
        return computed, explanation    # an invalid adjustment never raises or inflates the score
    note = _("调减为 {a}（理由：{r}）").format(a=adjusted, r=row.adjustment_reason.strip())
    if explanation is not None:
        explanation = Explanation(explanation.inputs, explanation.rule, explanation.arithmetic, explanation.source, note)
    return adjusted, explanation

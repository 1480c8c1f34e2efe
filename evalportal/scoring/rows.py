"""One indicator row → its score (domain.md §5.2 quantitative rules, §5.3 qualitative bands, downward adjustment)."""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import NamedTuple

from django.utils.translation import gettext_noop

from evalportal.checks.data import IndicatorData, Rules
from evalportal.scoring.decimals import CENT, ZERO, approx, as_decimal, ceil_cent, plain, to_cent
from evalportal.scoring.explain import Explanation
from evalportal.scoring.language import gettext as _
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
        return _(_BAND_LABELS[self])        # one translation, not all three


_BAND_LABELS = {
    Band.MET: gettext_noop("达成年度指标"),
    Band.PARTIAL: gettext_noop("部分达成年度指标并具有一定效果"),
    Band.NOT_MET: gettext_noop("未达成年度指标且效果较差"),
}


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


class _Verdict(NamedTuple):
    exact: Decimal        # before clamping and rounding
    met: bool
    rule: str
    arithmetic: str       # "{s}" stands for the rounded score
    source: str


def quantitative_outcome(target: ParsedValue, actual: ParsedValue, weight: Decimal, rules: Rules) -> Outcome:
    """§5.2. Both values are parsed and in the same unit (parse_actual guarantees it)."""
    assert target.number is not None and actual.number is not None and target.comparator is not None
    w, t, a, cmp = as_decimal(weight), target.number, actual.number, target.comparator
    if cmp is Comparator.EQ and (t == 0 or not rules.bare_value_at_least):
        verdict = _exactly(t, a, w, rules)
    elif cmp in (Comparator.GE, Comparator.GT, Comparator.EQ):
        verdict = _at_least(t, a, w, cmp, rules)
    else:
        verdict = _at_most(t, a, w, cmp, rules)
    score = to_cent(min(max(verdict.exact, ZERO), w))
    explanation = Explanation(_inputs(target, actual, w), verdict.rule, verdict.arithmetic.format(s=score),
                              verdict.source)
    return Outcome(score, verdict.met, explanation)


def _strict_ok(cmp: Comparator, a: Decimal, t: Decimal, rules: Rules) -> bool:
    """Is an actual equal to the target "met" for > and <? [A] yes by default (strict_counts_as_met)."""
    return a != t or cmp not in (Comparator.GT, Comparator.LT) or rules.strict_counts_as_met


def _all_or_nothing(met: bool, w: Decimal, rule: str, arithmetic: str, source: str) -> _Verdict:
    return _Verdict(w if met else ZERO, met, rule, arithmetic, source)


def _at_least(t: Decimal, a: Decimal, w: Decimal, cmp: Comparator, rules: Rules) -> _Verdict:
    sign = ">" if cmp is Comparator.GT else "≥"
    source = rules.policy_source
    if cmp is Comparator.EQ:
        source = f"{source}；{_CONVENTION}：{_('单独填写的数值按“不低于”计分')}"
    if t == 0:   # a GE target of 0 is met by any a ≥ 0 [A]
        met = a >= 0
        return _all_or_nothing(met, w, _("指标值为0：实际完成值不小于0即达到，得满分；否则不得分"),
                               f"{plain(a)} {'≥' if met else '<'} 0 → {{s}}", _CONVENTION)
    if t < 0:    # a proportion of a negative target means nothing
        met = a >= t
        return _all_or_nothing(met, w, _("指标值为负数：达到得满分，否则不得分"),
                               f"{plain(a)} {'≥' if met else '<'} {plain(t)} → {{s}}", _CONVENTION)
    if a >= t:
        return _Verdict(w, _strict_ok(cmp, a, t, rules), _("达到年度指标值，得满分"),
                        f"{plain(a)} {sign} {plain(t)} → {{s}}", source)
    if a <= 0:
        return _Verdict(ZERO, False, _("实际完成值不大于0，不得分"), f"{plain(a)} ≤ 0 → {{s}}", source)
    exact = w * a / t
    return _Verdict(exact, False, _("未达到年度指标值，按完成比例得分：分值 × 实际完成值 ÷ 年度指标值"),
                    f"{plain(w)} × {plain(a)} ÷ {plain(t)} = {approx(exact)} → {{s}}", source)


def _at_most(t: Decimal, a: Decimal, w: Decimal, cmp: Comparator, rules: Rules) -> _Verdict:
    sign = "<" if cmp is Comparator.LT else "≤"
    if t <= 0:   # 差错率 ≤0 (or a negative ceiling): no proportion exists
        met = a <= t
        return _all_or_nothing(met, w, _("指标值为{t}：实际完成值不超过{t}得满分，否则不得分").format(t=plain(t)),
                               f"{plain(a)} {'≤' if met else '>'} {plain(t)} → {{s}}", _VENDOR_PRACTICE)
    if a <= t:
        return _Verdict(w, _strict_ok(cmp, a, t, rules), _("未超过年度指标值，得满分"),
                        f"{plain(a)} {sign} {plain(t)} → {{s}}", _VENDOR_PRACTICE)
    k = rules.le_zero_factor     # the score falls linearly from w at t to 0 at k·t (k = 2 by default)
    if k <= 1 or a >= k * t:
        return _Verdict(ZERO, False, _("达到或超过年度指标值的{k}倍，不得分").format(k=plain(k)),
                        f"{plain(a)} ≥ {plain(k)} × {plain(t)} → {{s}}", _VENDOR_PRACTICE)
    exact = w * (k - a / t) / (k - 1)
    if k == 2:   # the usual 2t rule reads w × (2 − a/t)
        rule = _("超过年度指标值，按偏离程度得分：分值 × (2 − 实际完成值 ÷ 年度指标值)")
        arithmetic = f"{plain(w)} × (2 − {plain(a)} ÷ {plain(t)})"
    else:
        rule = _("超过年度指标值，按偏离程度得分：分值 × ({k} − 实际完成值 ÷ 年度指标值) ÷ ({k} − 1)").format(k=plain(k))
        arithmetic = f"{plain(w)} × ({plain(k)} − {plain(a)} ÷ {plain(t)}) ÷ ({plain(k)} − 1)"
    return _Verdict(exact, False, rule, f"{arithmetic} = {approx(exact)} → {{s}}", _VENDOR_PRACTICE)


def _exactly(t: Decimal, a: Decimal, w: Decimal, rules: Rules) -> _Verdict:
    if t == 0:   # 差错率 0: the zero-target rule
        met = a == 0
        return _all_or_nothing(met, w, _("指标值为0：实际完成值为0得满分，否则不得分"),
                               f"{plain(a)} {'=' if met else '≠'} 0 → {{s}}", _VENDOR_PRACTICE)
    # bare_value_at_least = False [A]: "=t" can be missed on both sides; below scores like ≥, above like ≤.
    if a == t:
        return _Verdict(w, True, _("等于年度指标值，得满分"), f"{plain(a)} = {plain(t)} → {{s}}", _CONVENTION)
    if t < 0:
        return _all_or_nothing(False, w, _("指标值为负数：等于指标值得满分，否则不得分"),
                               f"{plain(a)} ≠ {plain(t)} → {{s}}", _CONVENTION)
    verdict = _at_least(t, a, w, Comparator.GE, rules) if a < t else _at_most(t, a, w, Comparator.LE, rules)
    return verdict._replace(met=False)


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

    if row.weight is None:
        # No 分值 yet: nothing to score against. Not zero points; the checks make it an error at submit.
        warnings.append(("weight", "请填写分值"))
        return RowScore(weight, target, actual, errors, warnings, is_qualitative=not target.is_quantitative)
    if target.is_quantitative:
        part = _quantitative_part(target, actual, weight, rules)
    else:
        part = _qualitative_part(row, target, actual, weight, rules, errors, warnings)
    final, explanation = _apply_adjustment(row, part.computed, part.explanation, errors)
    return RowScore(
        weight, target, actual, errors, warnings,
        is_qualitative=not target.is_quantitative,
        computed=part.computed,
        final=final,
        lost=None if final is None else weight - final,
        met=part.met,
        ratio=part.ratio,
        overshoot_pct=part.overshoot_pct,
        explanation=explanation,
        suggested_band=part.suggested_band,
        suggested_score=part.suggested_score,
    )


class _Part(NamedTuple):
    """What the quantitative or the qualitative branch contributes to a RowScore."""

    computed: Decimal | None = None
    explanation: Explanation | None = None
    met: bool | None = None
    ratio: Decimal | None = None
    overshoot_pct: Decimal | None = None
    suggested_band: str = ""
    suggested_score: Decimal | None = None


def _quantitative_part(target: ParsedValue, actual: ParsedValue | None, weight: Decimal, rules: Rules) -> _Part:
    if actual is None:
        return _Part()
    outcome = quantitative_outcome(target, actual, weight, rules)
    t, a = target.number, actual.number
    assert t is not None and a is not None
    ratio = a / t if t else None
    overshoot = None
    at_least = target.comparator in (Comparator.GE, Comparator.GT, Comparator.EQ)
    if at_least and ratio is not None and t > 0 and ratio >= 1 + rules.overshoot_threshold / 100:
        overshoot = to_cent((ratio - 1) * 100)     # K07 asks for a reason (and maybe an adjustment)
    return _Part(outcome.score, outcome.explanation, outcome.met, ratio, overshoot)


def _qualitative_part(row: IndicatorData, target: ParsedValue, actual: ParsedValue | None, weight: Decimal,
                      rules: Rules, errors: list[tuple[str, str]], warnings: list[tuple[str, str]]) -> _Part:
    # 有所改善 / 有所 改善: the extraction scatters spaces, so compare without them.
    same = actual is not None and "".join(actual.text.split()) == "".join(target.text.split())
    band: Band | None = None
    if row.band:
        try:
            band = Band(row.band)
        except ValueError:
            errors.append(("band", _("档次「{b}」无效").format(b=row.band)))
            return _Part()
    suggestion = _Part(suggested_band=Band.MET.value, suggested_score=to_cent(weight)) if same and not band else _Part()
    if row.judged_score is None:
        if not suggestion.suggested_band:
            warnings.append(("judged_score", _("定性指标请选择档次并填写得分")))
        return suggestion
    if band is None:
        errors.append(("band", _("定性指标请选择档次")))
        return suggestion
    judged = to_cent(as_decimal(row.judged_score))
    low, high = band_range(band, weight)
    if not low <= judged <= high:   # K08: the score must lie inside the chosen band
        errors.append(("judged_score", _("选择“{b}”时，得分应在{lo}～{hi}分之间").format(b=band.label, lo=low, hi=high)))
        return _Part()
    inputs = _("年度指标值「{t}」；实际完成值「{a}」；分值 {w}").format(
        t=target.canonical, a=actual.canonical if actual else "", w=plain(weight))
    rule = _("定性指标，由填报人评定：{b}（得分区间 {lo}～{hi}）").format(b=band.label, lo=low, hi=high)
    return _Part(judged, Explanation(inputs, rule, _("评定得分 {s}").format(s=judged), rules.policy_source))


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

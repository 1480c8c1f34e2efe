"""预算执行率 row (domain.md §5.4): rate = 全年执行数 ÷ 全年预算数, score = 分值 × min(rate, 1)."""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from evalportal.scoring.language import gettext as _

from evalportal.checks.data import Rules
from evalportal.scoring.decimals import ZERO, approx, as_decimal, plain, to_cent
from evalportal.scoring.explain import Explanation

# BANDS mode [A]: no seed or verified policy fixes the bands, so this default is ours (configurable by passing
# `bands`). Each pair is (lowest rate, share of the weight), checked from the top.
DEFAULT_EXECUTION_BANDS: tuple[tuple[Decimal, Decimal], ...] = (
    (Decimal("1"), Decimal("1")),       # ≥100%: full marks
    (Decimal("0.9"), Decimal("0.8")),   # ≥90%: 80%
    (Decimal("0.8"), Decimal("0.6")),   # ≥80%: 60%
    (Decimal("0.6"), Decimal("0.4")),   # ≥60%: 40%
    (ZERO, ZERO),                       # below 60%: nothing
)


def execution_ratio(budget: Decimal | None, spent: Decimal | None) -> Decimal | None:
    """Unrounded: the score is computed from it and rounded once (§5.4). None when the budget is 0 or blank."""
    if budget is None or budget <= 0:
        return None
    return (spent or ZERO) / budget     # a blank 执行数 sums as 0


def execution_rate_pct(budget: Decimal | None, spent: Decimal | None) -> Decimal | None:
    """The printed rate: 100.00 for 100.00%."""
    ratio = execution_ratio(budget, spent)
    return None if ratio is None else to_cent(ratio * 100)


@dataclass(frozen=True)
class ExecutionScore:
    ratio: Decimal | None
    rate_pct: Decimal | None
    score: Decimal
    explanation: Explanation


def execution_result(
    budget: Decimal | None,
    spent: Decimal | None,
    weight: Decimal,
    rules: Rules | None = None,
    *,
    bands: tuple[tuple[Decimal, Decimal], ...] = DEFAULT_EXECUTION_BANDS,
) -> ExecutionScore:
    rules, weight = rules or Rules(), as_decimal(weight)
    ratio = execution_ratio(budget, spent)
    rate_pct = None if ratio is None else to_cent(ratio * 100)
    inputs = _("全年预算数 {b}；全年执行数 {s}；分值 {w}").format(
        b=_money(budget), s=_money(spent), w=plain(weight))
    if ratio is None:   # 0 or blank: no rate, so no points; K14 tells the filler why
        score = to_cent(ZERO)
        return ExecutionScore(None, None, score, Explanation(
            inputs, _("全年预算数为0或未填，无法计算执行率，不得分"), f"→ {score}", rules.policy_source))
    capped = min(max(ratio, ZERO), Decimal(1))   # above 100% is capped for scoring (K15 warns)
    if rules.execution_scoring == "bands":
        share = next(share for floor, share in bands if capped >= floor)
        score = to_cent(weight * share)
        rule = _("执行率分档计分（{r}%），得分为分值的{p}%").format(r=rate_pct, p=plain(share * 100))
        arithmetic = f"{plain(weight)} × {plain(share)} → {score}"
        source = _("本系统默认分档（可配置）")
    else:
        exact = weight * capped
        score = to_cent(exact)      # rounded once, at the end, from the unrounded rate
        rule = _("得分 = 分值 × min(执行率, 100%)")
        rate_text = f"{plain(spent or ZERO)} ÷ {plain(budget)}" if capped == ratio else "1"
        arithmetic = f"{plain(weight)} × {rate_text} = {approx(exact)} → {score}"
        source = rules.policy_source
    return ExecutionScore(ratio, rate_pct, score, Explanation(inputs, rule, arithmetic, source))


def execution_score(
    budget: Decimal | None, spent: Decimal | None, weight: Decimal, rules: Rules | None = None
) -> Decimal:
    return execution_result(budget, spent, weight, rules).score


def _money(value: Decimal | None) -> str:
    return _("未填") if value is None else f"{to_cent(value)}"

"""One 附件2 or 附件3: its rows, the execution row, the total and the grade (domain.md §5.5)."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from evalportal.checks.data import IndicatorData, Rules
from evalportal.scoring.decimals import ZERO
from evalportal.scoring.execution import ExecutionScore, execution_result
from evalportal.scoring.grades import Grade, grade_for
from evalportal.scoring.language import pinned_language
from evalportal.scoring.rows import RowScore, score_row


@dataclass(frozen=True)
class SheetScore:
    rows: tuple[RowScore, ...]                 # in the order given
    execution: ExecutionScore
    execution_rate: Decimal | None             # percent, 2 dp (100.00)
    execution_score: Decimal
    rows_total: Decimal                        # Σ rounded row finals; unscored rows count 0
    total: Decimal                             # rows_total + execution_score: exact, needs no rounding
    grade: Grade                               # of `total`; meaningful only when `complete`
    complete: bool                             # every row has a final score
    category_totals: dict[str, Decimal] = field(default_factory=dict)   # per 一级, in order of appearance


def score_sheet(
    rows: Sequence[IndicatorData], funds_budget: Decimal | None, funds_spent: Decimal | None, rules: Rules
) -> SheetScore:
    with pinned_language():
        scored = tuple(score_row(row, rules) for row in rows)
        execution = execution_result(funds_budget, funds_spent, rules.execution_weight, rules)
    category_totals: dict[str, Decimal] = {}
    for row, score in zip(rows, scored):
        category_totals[row.category] = category_totals.get(row.category, ZERO) + (score.final or ZERO)
    rows_total = sum((score.final or ZERO for score in scored), ZERO)
    total = rows_total + execution.score
    return SheetScore(
        rows=scored,
        execution=execution,
        execution_rate=execution.rate_pct,
        execution_score=execution.score,
        rows_total=rows_total,
        total=total,
        grade=grade_for(total),
        complete=all(score.final is not None for score in scored),
        category_totals=category_totals,
    )

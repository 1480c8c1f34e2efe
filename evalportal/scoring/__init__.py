"""Pure scoring: target grammar, row scores, budget execution, totals and grades (domain.md §4–§5).

No models, no requests: forms, checks, exporters and tests all call these functions with plain data.
"""
from evalportal.scoring.decimals import CENT
from evalportal.scoring.execution import execution_rate_pct, execution_ratio, execution_score
from evalportal.scoring.explain import Explanation
from evalportal.scoring.grades import Grade, grade_for
from evalportal.scoring.rows import Band, NeedsJudgement, RowScore, band_range, score_indicator, score_row
from evalportal.scoring.sheets import SheetScore, score_sheet
from evalportal.scoring.targets import (
    Comparator,
    ParsedValue,
    TargetError,
    UnitMismatchError,
    ValueKind,
    parse_actual,
    parse_target,
)

__all__ = [
    "CENT", "Band", "Comparator", "Explanation", "Grade", "NeedsJudgement", "ParsedValue", "RowScore", "SheetScore",
    "TargetError", "UnitMismatchError", "ValueKind", "band_range", "execution_rate_pct", "execution_ratio",
    "execution_score", "grade_for", "parse_actual", "parse_target", "score_indicator", "score_row", "score_sheet",
]

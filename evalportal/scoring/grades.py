"""评价等级 from the 2-decimal total (domain.md §5.5): 优 ≥ 90, 良 ≥ 80, 中 ≥ 60, else 差; lower bounds included."""
from __future__ import annotations

from decimal import Decimal
from enum import StrEnum

from evalportal.scoring.language import gettext as _

from evalportal.scoring.decimals import as_decimal, to_cent


class Grade(StrEnum):
    EXCELLENT = "excellent"
    GOOD = "good"
    FAIR = "fair"
    POOR = "poor"

    @property
    def label(self) -> str:
        """Printed in the tables."""
        return {Grade.EXCELLENT: _("优"), Grade.GOOD: _("良"), Grade.FAIR: _("中"), Grade.POOR: _("差")}[self]

    @property
    def narrative_label(self) -> str:
        """Printed in generated sentences: 考评结果为优秀."""
        return {Grade.EXCELLENT: _("优秀"), Grade.GOOD: _("良好"), Grade.FAIR: _("中等"), Grade.POOR: _("差")}[self]


# [P] 财政部预算司 bands, lower bound inclusive.
GRADE_FLOORS: tuple[tuple[Decimal, Grade], ...] = (
    (Decimal("90"), Grade.EXCELLENT),
    (Decimal("80"), Grade.GOOD),
    (Decimal("60"), Grade.FAIR),
)


def grade_for(total: Decimal) -> Grade:
    total = to_cent(as_decimal(total))     # graded on the printed 2-decimal total, so 89.99 is 良
    return next((grade for floor, grade in GRADE_FLOORS if total >= floor), Grade.POOR)

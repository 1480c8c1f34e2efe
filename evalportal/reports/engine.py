"""The one place the apps call the pure engine: derive figures, score, run checks (no request, no ORM)."""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from evalportal.checks.data import PackageData


@dataclass(frozen=True)
class Evaluation:
    total_score: Decimal | None
    grade_label: str
    findings: list = field(default_factory=list)
    derived: object = None

    @property
    def error_count(self) -> int:
        return sum(1 for f in self.findings if f.is_error)

    @property
    def warning_count(self) -> int:
        return sum(1 for f in self.findings if not f.is_error)


def evaluate(pkg: PackageData, *, stage: str = "save") -> Evaluation:
    try:
        from evalportal.checks import derive, run
    except ImportError:      # the check engine lands separately; until then only the score cache is empty
        return Evaluation(total_score=None, grade_label="")
    derived = derive(pkg)
    findings = run(pkg, stage=stage)
    sheet = getattr(derived, "department", None)
    total = getattr(sheet, "total", None)
    grade = getattr(sheet, "grade", None)
    return Evaluation(total_score=total, grade_label=getattr(grade, "label", "") if grade else "",
                      findings=findings, derived=derived)

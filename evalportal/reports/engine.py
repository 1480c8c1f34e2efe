"""The one place the apps call the pure engine: derive figures, score, run checks (no request, no ORM)."""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from evalportal.checks import Derived, Finding, derive, run
from evalportal.checks.data import PackageData


@dataclass(frozen=True)
class Evaluation:
    derived: Derived
    findings: list[Finding] = field(default_factory=list)

    @property
    def total_score(self) -> Decimal | None:
        return self.derived.department.total

    @property
    def grade_label(self) -> str:
        grade = self.derived.department.grade
        return grade.label if grade is not None else ""

    @property
    def error_count(self) -> int:
        return sum(1 for f in self.findings if f.is_error)

    @property
    def warning_count(self) -> int:
        return sum(1 for f in self.findings if not f.is_error)


def evaluate(pkg: PackageData, *, stage: str = "save") -> Evaluation:
    derived = derive(pkg)      # computed once: the checks read the same figures
    return Evaluation(derived=derived, findings=run(pkg, stage=stage, derived=derived))

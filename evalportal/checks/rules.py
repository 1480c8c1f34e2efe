"""run(): every registered check (K01–K39) over one package, in catalogue order.

Stages: "save" runs the consistency checks; any later stage ("submit", "confirm", "approve") also enforces the
submit-time requirements (footer fields, required texts, filled actual values, required amounts).
K01–K37 follow domain.md §6; K38 (year labels) and K39 (list numbering) are documented in k_style.py.
"""
from __future__ import annotations

from . import k_base, k_dates, k_funds, k_narrative, k_rows, k_style  # noqa: F401 - importing registers the checks
from .catalogue import CATALOGUE, Check
from .context import SAVE, Context
from .data import PackageData
from .derive import Derived
from .findings import ERROR, WARNING, Finding

__all__ = ["CATALOGUE", "ERROR", "WARNING", "Check", "Finding", "run", "run_checks"]


def run(pkg: PackageData, *, stage: str = SAVE, derived: Derived | None = None,
        codes: set[str] | None = None) -> list[Finding]:
    """All findings of the package; `codes` limits the run (a save touching one section), `derived` reuses figures."""
    ctx = Context(pkg, stage, derived)
    findings: list[Finding] = []
    for code in sorted(CATALOGUE):
        if codes is None or code in codes:
            findings.extend(CATALOGUE[code].fn(ctx))
    return findings


run_checks = run

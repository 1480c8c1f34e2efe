"""Pure consistency checks K01–K39 (domain.md §6) and the derived figures they read (domain.md §3).

No Django models and no request: `evalportal.reports.selectors.package_data()` builds the plain PackageData,
tests build it by hand (tests/checks/builders.py).
"""
from .catalogue import CATALOGUE, Check
from .derive import Derived, derive
from .findings import ERROR, WARNING, Finding
from .rules import run

__all__ = ["CATALOGUE", "ERROR", "WARNING", "Check", "Derived", "Finding", "derive", "run"]

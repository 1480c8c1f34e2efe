"""The check catalogue: each check is a small function registered with its code, severity and title."""
from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from .findings import Finding

CheckFn = Callable[["object"], Iterable[Finding]]   # takes a checks.context.Context


@dataclass(frozen=True)
class Check:
    code: str
    severity: str        # "error", "warning" or "error/warning" (the finding carries the real one)
    title: str
    fn: CheckFn


CATALOGUE: dict[str, Check] = {}


def check(code: str, severity: str, title: str) -> Callable[[CheckFn], CheckFn]:
    """Register a check; a code registered twice is a programming error, not a silent override."""
    def register(fn: CheckFn) -> CheckFn:
        if code in CATALOGUE:
            raise ValueError(f"check {code} registered twice")
        CATALOGUE[code] = Check(code, severity, title, fn)
        return fn
    return register

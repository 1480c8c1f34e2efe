"""Speed benchmarks run by `python manage.py bench <name> [--json]`.

Each benchmark lives in its own module `evalportal/core/bench/<name>.py` and registers itself with @register;
the command imports every module of this package, so adding a benchmark never edits this file or the command.

    @register("export", help="PDF/Excel 导出耗时")
    def export_bench(options: dict) -> list[Timing]: ...

A benchmark may also accept its own command-line options: @register(..., add_arguments=fn) with
fn(parser) adding them to its subcommand.
"""
from __future__ import annotations

import importlib
import pkgutil
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Timing:
    label: str                   # what was timed: "derive + run, 20 个项目"
    seconds: float               # median of the repeats
    repeats: int = 1
    best: float | None = None
    extra: dict = field(default_factory=dict)   # counts worth printing (pages, findings, bytes)


@dataclass(frozen=True)
class Bench:
    name: str
    help: str
    run: Callable[[dict], list[Timing]]
    add_arguments: Callable | None = None


BENCHES: dict[str, Bench] = {}


def register(name: str, *, help: str = "", add_arguments: Callable | None = None):
    def decorate(fn: Callable[[dict], list[Timing]]):
        if name in BENCHES:
            raise ValueError(f"bench {name} registered twice")
        BENCHES[name] = Bench(name, help, fn, add_arguments)
        return fn
    return decorate


def load_all() -> dict[str, Bench]:
    """Import every bench module of this package (each registers itself)."""
    for module in pkgutil.iter_modules(__path__):
        importlib.import_module(f"{__name__}.{module.name}")
    return BENCHES


def measure(label: str, fn: Callable[[], object], *, repeats: int = 5, **extra) -> Timing:
    """Median wall time of `repeats` calls (perf_counter), with the best run kept as well."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return Timing(label, statistics.median(times), repeats, min(times), dict(extra))

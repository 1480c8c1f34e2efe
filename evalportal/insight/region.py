"""Screening a whole region and year in memory: facts once per package, peer statistics per department
nature, every figure signal, and the copied-text pairs. Pure (plain PackageData in, plain results out), so
that the region recompute and `manage.py bench insight` run the same code.
"""
from __future__ import annotations

import gc
from collections import defaultdict
from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field

from evalportal.checks.data import PackageData

from . import signals as sig
from . import textmatch as tm


@dataclass(frozen=True)
class Entry:
    key: Hashable            # the package's id
    department: Hashable
    region: Hashable         # the department's own region: texts are compared inside it
    year: int
    nature: str              # 行政单位 / 事业单位: peers are departments of the same nature
    visible: bool            # submitted (待财政审核 on): only those count as peers
    pkg: PackageData


@dataclass(frozen=True)
class Owner:
    """Who a passage belongs to, as find_matches sees it."""

    key: Hashable
    department: Hashable
    year: int


def may_pair(year: int):
    """Same department one year apart (one of them the screened year), or two departments in the screened year."""
    def allowed(a: Owner, b: Owner) -> bool:
        if a.department == b.department:
            return abs(a.year - b.year) == 1 and year in (a.year, b.year)
        return a.year == b.year == year
    return allowed


@dataclass(frozen=True)
class Pair:
    """A match oriented for storage: PREVIOUS_YEAR pairs point from the later passage to the earlier."""

    kind: str                # "previous_year" | "same_year"
    source: tm.Indexed
    target: tm.Indexed
    comparison: tm.Comparison


def orient(match: tm.Match) -> Pair:
    a, b = match.a, match.b
    if a.owner.department == b.owner.department:
        later, earlier = (a, b) if a.owner.year > b.owner.year else (b, a)
        return Pair("previous_year", later, earlier, match.comparison)
    return Pair("same_year", a, b, match.comparison)


def copy_summaries(pairs: Sequence[Pair], names: dict[Hashable, str]) -> dict[Hashable, list[sig.CopySummary]]:
    """What each package is told about its matches: a later year copying last year's text is the later
    package's concern; a same-year match concerns both departments."""
    found: dict[Hashable, list[sig.CopySummary]] = defaultdict(list)
    for pair in pairs:
        similarity = round(pair.comparison.containment, 3)
        source, target = pair.source, pair.target
        if pair.kind == "previous_year":
            found[source.owner.key].append(sig.CopySummary(
                "previous_year", source.passage.label, f"本单位{target.owner.year}年度报告", target.passage.label,
                similarity))
            continue
        found[source.owner.key].append(sig.CopySummary(
            "same_year", source.passage.label, names.get(target.owner.key, ""), target.passage.label, similarity))
        found[target.owner.key].append(sig.CopySummary(
            "same_year", target.passage.label, names.get(source.owner.key, ""), source.passage.label, similarity))
    return found


@dataclass
class RegionResult:
    facts: dict[Hashable, sig.PackageFacts] = field(default_factory=dict)
    peers: dict[tuple, sig.PeerStats | None] = field(default_factory=dict)     # (year, region, nature)
    signals: dict[Hashable, list[sig.Signal]] = field(default_factory=dict)     # screened years only
    pairs: list[Pair] = field(default_factory=list)
    boilerplate: dict[tuple, frozenset[int]] = field(default_factory=dict)     # (region, year)
    indexed: dict[Hashable, list[tm.Indexed]] = field(default_factory=dict)


def screen_region(entries: Sequence[Entry], years: int | Sequence[int],
                  stop: frozenset[int] = tm.STANDARD_STOP) -> RegionResult:
    """Screen `years` (one or several); `entries` also holds the year before the first, for the
    year-over-year signals. Facts and passages are derived once per package, whatever the number of years."""
    years = (years,) if isinstance(years, int) else tuple(years)
    enabled = gc.isenabled()
    # Hundreds of thousands of small sets and tuples, no reference cycles: the cyclic collector would only
    # rescan the growing heap again and again (measured: a third of the time at 2,000 departments).
    gc.disable()
    try:
        return _screen(entries, years, stop)
    finally:
        if enabled:
            gc.enable()


def _screen(entries: Sequence[Entry], years: tuple[int, ...], stop: frozenset[int]) -> RegionResult:
    result = RegionResult()
    for entry in entries:
        result.facts[entry.key] = sig.package_facts(entry.pkg)
        owner = Owner(entry.key, entry.department, entry.year)
        result.indexed[entry.key] = [item for passage in tm.passages(entry.pkg)
                                     if (item := tm.index_passage(owner, passage, stop)) is not None]
    by_department_year = {(entry.department, entry.year): entry for entry in entries}
    names = {entry.key: entry.pkg.department_name for entry in entries}
    for year in years:
        _screen_year(result, entries, year, by_department_year, names)
    return result


def _screen_year(result: RegionResult, entries: Sequence[Entry], year: int, by_department_year, names) -> None:
    current = [entry for entry in entries if entry.year == year]
    totals: dict[tuple, list] = defaultdict(list)
    for entry in current:
        if entry.visible:
            totals[(entry.region, entry.nature)].append(result.facts[entry.key].total)
    peers = {group: sig.peer_stats(values, group[1]) for group, values in totals.items()}
    result.peers.update({(year, *group): stats for group, stats in peers.items()})

    by_region: dict[Hashable, list[Entry]] = defaultdict(list)
    for entry in current:
        by_region[entry.region].append(entry)
    pairs: list[Pair] = []
    for region, screened in by_region.items():
        boilerplate = tm.boilerplate_hashes(
            ((entry.department, frozenset().union(*(item.hashes for item in result.indexed[entry.key])))
             for entry in screened),
            departments=len({entry.department for entry in screened}))
        result.boilerplate[(region, year)] = boilerplate
        # Another department in the same year: one LSH pass over the screened year only.
        items = [item for entry in screened for item in result.indexed[entry.key]]
        pairs.extend(orient(match) for match in tm.find_matches(
            items, lambda a, b: a.department != b.department, boilerplate))
        # The same department a year earlier: a handful of passages each, compared department by department.
        for entry in screened:
            before = by_department_year.get((entry.department, year - 1))
            if before is None:
                continue
            own = result.indexed[entry.key] + result.indexed[before.key]
            pairs.extend(orient(match) for match in tm.find_matches(own, lambda a, b: a.year != b.year, boilerplate))
    result.pairs.extend(pairs)

    copies = copy_summaries(pairs, names)
    for entry in current:
        before = by_department_year.get((entry.department, year - 1))
        found = sig.data_signals(result.facts[entry.key], result.facts[before.key] if before else None,
                                 peers.get((entry.region, entry.nature)))
        copied = sig.copied_text(copies.get(entry.key, ()))
        result.signals[entry.key] = found + ([copied] if copied else [])

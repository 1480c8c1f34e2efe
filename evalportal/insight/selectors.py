"""Read-only queries of the insight pages. Every query is scoped through packages_visible_to(user)."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q

from evalportal.accounts.roles import Role
from evalportal.orgs.models import Region
from evalportal.reports.models import ReportPackage
from evalportal.reports.selectors import packages_visible_to

from .models import TextMatch
from .signals import CATALOGUE

# Buckets of the score histogram: most self-evaluations land at 95–100, so the top is split finely.
SCORE_BUCKETS = (("<60", None, Decimal("60")), ("60–80", Decimal("60"), Decimal("80")),
                 ("80–90", Decimal("80"), Decimal("90")), ("90–95", Decimal("90"), Decimal("95")),
                 ("95–98", Decimal("95"), Decimal("98")), ("98–<100", Decimal("98"), Decimal("100")),
                 ("100", Decimal("100"), None))
POINT_BUCKETS = (("0", 0.0), ("≤20", 20.0), ("≤40", 40.0), ("≤60", 60.0), (">60", float("inf")))   # upper bounds
SORTS = ("score", "total", "name", "rate", *(kind.code for kind in CATALOGUE))


def reviewer_regions(user) -> list[Region]:
    """Regions the user surveys: a reviewer's grants (children included later), everything for an admin."""
    if user.is_portal_admin:
        return list(Region.objects.filter(parent__isnull=True))
    return [grant.region for grant in user.grants_cache() if grant.role == Role.REVIEWER and grant.region_id]


def is_reviewer_of(user, package: ReportPackage) -> bool:
    """The insight is the finance bureau's tool: reviewers of the package's region (or above) and admins."""
    if user.is_portal_admin:
        return True
    chain = {place.pk for place in package.department.region.ancestors()}
    return any(grant.role == Role.REVIEWER and grant.region_id in chain for grant in user.grants_cache())


@dataclass
class RegionRow:
    package: ReportPackage
    signals: list[dict] = field(default_factory=list)
    points: dict[str, float] = field(default_factory=dict)
    score: float | None = None       # None: not computed yet
    total: Decimal | None = None
    grade: str = ""
    rate: Decimal | None = None
    key_evaluation: object = None

    @property
    def department(self):
        return self.package.department


def region_rows(user, region_ids: list[int], year: int) -> list[RegionRow]:
    """Every package of the year the user may see in those regions, with its signals: one query."""
    packages = (packages_visible_to(user).filter(year=year, department__region_id__in=region_ids)
                .select_related("insight", "key_evaluation", "key_evaluation__selected_by"))
    rows = []
    for package in packages:
        insight = getattr(package, "insight", None)
        row = RegionRow(package=package, key_evaluation=getattr(package, "key_evaluation", None))
        if insight is not None:
            row.signals = insight.signals
            row.points = {signal["code"]: signal["points"] for signal in insight.signals}
            row.score = float(insight.score)
            row.total, row.grade, row.rate = insight.total_score, insight.grade, insight.execution_rate
        else:
            row.total, row.grade = package.total_score, package.grade
        rows.append(row)
    return rows


def sort_rows(rows: list[RegionRow], sort: str) -> list[RegionRow]:
    descending = not sort.startswith("-")
    key = sort.lstrip("-")
    if key == "name":
        return sorted(rows, key=lambda r: r.department.name, reverse=not descending)
    if key == "total":
        value = lambda r: r.total      # noqa: E731
    elif key == "rate":
        value = lambda r: r.rate       # noqa: E731
    elif key == "score":
        value = lambda r: r.score      # noqa: E731
    else:
        value = lambda r: r.points.get(key, 0.0) if r.score is not None else None   # noqa: E731
    known = [r for r in rows if value(r) is not None]
    unknown = [r for r in rows if value(r) is None]
    known.sort(key=lambda r: (value(r), -r.department.pk), reverse=descending)
    return known + sorted(unknown, key=lambda r: r.department.name)   # not computed: always last


def distributions(rows: list[RegionRow]) -> dict:
    """Histograms of 总分 and of 关注分, and how many packages raise each signal."""
    def score_bucket(value: Decimal) -> str:
        return next(label for label, low, high in SCORE_BUCKETS
                    if (low is None or value >= low) and (high is None or value < high))

    def point_bucket(value: float) -> str:
        return next(label for label, ceiling in POINT_BUCKETS if value <= ceiling)
    totals = Counter(score_bucket(r.total) for r in rows if r.total is not None)
    points = Counter(point_bucket(r.score) for r in rows if r.score is not None)
    per_signal = Counter(code for r in rows for code in r.points)
    return {
        "totals": {"labels": [b[0] for b in SCORE_BUCKETS], "values": [totals.get(b[0], 0) for b in SCORE_BUCKETS]},
        "points": {"labels": [b[0] for b in POINT_BUCKETS], "values": [points.get(b[0], 0) for b in POINT_BUCKETS]},
        "signals": {"labels": [kind.title for kind in CATALOGUE],
                    "values": [per_signal.get(kind.code, 0) for kind in CATALOGUE]},
    }


def department_history(user, package: ReportPackage) -> list[dict]:
    """The department's packages the user may see, oldest first, for the year-over-year chart: one query."""
    packages = (packages_visible_to(user).filter(department_id=package.department_id)
                .select_related("insight").order_by("year"))
    history = []
    for item in packages:
        insight = getattr(item, "insight", None)
        total = insight.total_score if insight and insight.total_score is not None else item.total_score
        history.append({
            "year": item.year, "total": None if total is None else float(total),
            "grade": (insight.grade if insight else "") or item.grade,
            "rate": float(insight.execution_rate) if insight and insight.execution_rate is not None else None,
            "budget": float(insight.budget) if insight and insight.budget is not None else None,
            "score": float(insight.score) if insight else None, "current": item.pk == package.pk,
        })
    return history


def package_matches(user, package: ReportPackage):
    """(matches whose other side the user may see, how many others are hidden), side by side ready."""
    matches = list(TextMatch.objects.filter(
        Q(source_package=package) | Q(target_package=package, kind=TextMatch.Kind.SAME_YEAR))
        .select_related("source", "target", "source_package__department", "target_package__department")
        .order_by("-similarity", "pk"))
    others = {m.target_package_id if m.source_package_id == package.pk else m.source_package_id for m in matches}
    visible = set(packages_visible_to(user).filter(pk__in=others).values_list("pk", flat=True))
    shown, hidden = [], 0
    for match in matches:
        mine_is_source = match.source_package_id == package.pk
        mine, other = (match.source, match.target) if mine_is_source else (match.target, match.source)
        other_package = match.target_package if mine_is_source else match.source_package
        if other_package.pk not in visible:
            hidden += 1
            continue
        shown.append({"match": match, "mine": mine, "other": other, "other_package": other_package})
    return shown, hidden


def signal_summaries(package_ids) -> dict[int, dict]:
    """For a dashboard column: package id → {"score", "titles"} in one query (render insight/_signal_badge.html)."""
    from .models import PackageSignals
    return {row.package_id: {"score": row.score, "titles": [signal["title"] for signal in row.signals]}
            for row in PackageSignals.objects.filter(package_id__in=list(package_ids)).only("package_id", "score",
                                                                                          "signals")}

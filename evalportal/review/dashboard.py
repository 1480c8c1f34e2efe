"""The finance bureau's dashboard: every department of a region for one year, in a constant number of queries.

Departments are the rows (a department without a package still shows up as 未创建); the package of the
year joins in through a FilteredRelation. Reviewers do not see drafts (domain.md §7), so a package that
finance has not received yet reads 未上报 and shows no figures.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Case, CharField, Count, DecimalField, ExpressionWrapper, F, FilteredRelation, Min, Q, \
    Value, When
from django.db.models import OuterRef, Subquery
from django.db.models.functions import TruncDate
from django.utils import timezone

from evalportal.orgs.models import Department, Region
from evalportal.reports.selectors import REVIEWER_VISIBLE_STATES

from .models import AuditEvent, ReviewComment
from .workflow import State

NOT_CREATED = "none"
NOT_SUBMITTED = "unsubmitted"
STATUS_LABELS = {NOT_CREATED: "未创建", NOT_SUBMITTED: "未上报", **{s.value: s.label for s in State}}
# The dashboard's state filter: what finance can know about each department.
STATUS_CHOICES = [(NOT_CREATED, "未创建"), (NOT_SUBMITTED, "未上报"),
                  *[(s.value, s.label) for s in State if s in REVIEWER_VISIBLE_STATES]]
GRADES = ("优", "良", "中", "差")
SORTS = {"name": ("name",), "-name": ("-name",), "state": ("status", "name"), "-state": ("-status", "name"),
         "total": (F("total").asc(nulls_last=True), "name"), "-total": (F("total").desc(nulls_last=True), "name"),
         "submitted": (F("submitted").asc(nulls_last=True), "name"),
         "-submitted": (F("submitted").desc(nulls_last=True), "name")}
RATE_BUCKETS = (("<60%", Decimal("0"), Decimal("60")), ("60–80%", Decimal("60"), Decimal("80")),
                ("80–90%", Decimal("80"), Decimal("90")), ("90–95%", Decimal("90"), Decimal("95")),
                ("95–100%", Decimal("95"), Decimal("100")), ("100%", Decimal("100"), None))


@dataclass(frozen=True)
class Filters:
    year: int
    status: str = ""
    grade: str = ""
    q: str = ""
    sort: str = "name"


def region_ids(regions) -> list[int]:
    ids: list[int] = []
    for region in regions:
        ids.extend(i for i in region.descendant_ids() if i not in ids)
    return ids


def dashboard_rows(region_id_list: list[int], filters: Filters):
    """One row per department with status, submitted date, figures; filtered and sorted, not yet paginated."""
    visible = [s.value for s in REVIEWER_VISIBLE_STATES]
    rows = (Department.objects.filter(region_id__in=region_id_list)
            .annotate(pkg=FilteredRelation("packages", condition=Q(packages__year=filters.year)))
            .annotate(
                package_id=F("pkg__id"),
                raw_state=F("pkg__state"),
                status=Case(When(pkg__id__isnull=True, then=Value(NOT_CREATED)),
                            When(pkg__state__in=visible, then=F("pkg__state")),
                            default=Value(NOT_SUBMITTED), output_field=CharField()),
                submitted=Case(When(pkg__state__in=visible, then=F("pkg__submitted_at")), default=None),
                total=Case(When(pkg__state__in=visible, then=F("pkg__total_score")), default=None,
                           output_field=DecimalField(max_digits=7, decimal_places=2)),
                grade=Case(When(pkg__state__in=visible, then=F("pkg__grade")), default=Value(""),
                           output_field=CharField()),
                errors=Case(When(pkg__state__in=visible, then=F("pkg__error_count")), default=None),
                warnings=Case(When(pkg__state__in=visible, then=F("pkg__warning_count")), default=None),
                budget=F("pkg__department_sheet__full_year_budget"),
                spent=F("pkg__department_sheet__full_year_spent"),
                initial=F("pkg__department_sheet__initial_budget"),
                region_name=F("region__name"),
            ))
    if filters.status:
        rows = rows.filter(status=filters.status)
    if filters.grade:
        rows = rows.filter(grade=filters.grade)
    if filters.q:
        rows = rows.filter(Q(name__icontains=filters.q) | Q(short_name__icontains=filters.q)
                           | Q(code__icontains=filters.q))
    return rows.order_by(*SORTS.get(filters.sort, SORTS["name"]))


def execution_rate(row) -> Decimal | None:
    if row.status in (NOT_CREATED, NOT_SUBMITTED) or not row.budget or row.spent is None:
        return None
    from evalportal.scoring.decimals import to_cent
    return to_cent(Decimal(row.spent) * 100 / Decimal(row.budget))


def open_comment_counts(package_ids: list[int]) -> dict[int, int]:
    return dict(ReviewComment.objects.filter(package_id__in=package_ids, status=ReviewComment.Status.OPEN)
                .values("package_id").annotate(n=Count("pk")).values_list("package_id", "n"))


def status_counts(region_id_list: list[int], year: int) -> list[dict]:
    base = dashboard_rows(region_id_list, Filters(year=year)).order_by()
    counts = dict(base.values("status").annotate(n=Count("pk")).values_list("status", "n"))
    return [{"code": code, "label": label, "n": counts.get(code, 0)} for code, label in STATUS_CHOICES]


def grade_counts(region_id_list: list[int], year: int) -> dict[str, int]:
    base = dashboard_rows(region_id_list, Filters(year=year)).order_by().exclude(grade="")
    counts = dict(base.values("grade").annotate(n=Count("pk")).values_list("grade", "n"))
    return {grade: counts.get(grade, 0) for grade in GRADES}


def rate_distribution(region_id_list: list[int], year: int) -> dict[str, int]:
    """Execution rates of every department finance has received, in buckets (one aggregate query)."""
    visible = [s.value for s in REVIEWER_VISIBLE_STATES]
    rate = ExpressionWrapper(F("department_sheet__full_year_spent") * 100 / F("department_sheet__full_year_budget"),
                             output_field=DecimalField(max_digits=12, decimal_places=4))
    from evalportal.reports.models import ReportPackage
    packages = (ReportPackage.objects.filter(department__region_id__in=region_id_list, year=year, state__in=visible,
                                             department_sheet__full_year_budget__gt=0,
                                             department_sheet__full_year_spent__isnull=False)
                .annotate(rate=rate))
    aggregates = {}
    for i, (_label, low, high) in enumerate(RATE_BUCKETS):
        condition = Q(rate__gte=low) & (Q(rate__lt=high) if high is not None else Q())
        aggregates[f"b{i}"] = Count("pk", filter=condition)    # plain aliases: "%" would break the SQL
    counts = packages.aggregate(**aggregates)
    return {label: counts[f"b{i}"] for i, (label, _low, _high) in enumerate(RATE_BUCKETS)}


def submission_progress(region_id_list: list[int], year: int) -> list[tuple[str, int]]:
    """Cumulative number of packages that reached finance (first 确认上报), by local day: one grouped query."""
    from evalportal.reports.models import ReportPackage
    first_confirm = (AuditEvent.objects.filter(package_id=OuterRef("pk"), kind=AuditEvent.Kind.TRANSITION,
                                               action="confirm")
                     .order_by("created_at").values("created_at")[:1])
    per_day = (ReportPackage.objects.filter(department__region_id__in=region_id_list, year=year)
               .annotate(first=Subquery(first_confirm)).filter(first__isnull=False)
               .annotate(day=TruncDate("first", tzinfo=timezone.get_current_timezone()))
               .values("day").annotate(n=Count("pk")).order_by("day"))
    total, series = 0, []
    for entry in per_day:
        total += entry["n"]
        series.append((entry["day"].isoformat(), total))
    return series


def reviewer_regions(user) -> list[Region]:
    if user.is_portal_admin:
        return list(Region.objects.filter(parent__isnull=True))
    return [grant.region for grant in user.grants_cache() if grant.role == "reviewer" and grant.region_id]


def region_choices(regions) -> list[Region]:
    return list(Region.objects.filter(pk__in=region_ids(regions)))

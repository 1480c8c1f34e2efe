"""bench dashboard: the finance bureau's dashboard on a generated region of 2,000 departments (goal p95 < 150 ms).

Runs in a throw-away test database of the configured engine (SQLite file, or PostgreSQL when DATABASE_URL points
there), so the real database is never touched. Each page variant is requested `--repeats` times through
Django's test client (full middleware, template rendering); the p95 is reported beside the median.
"""
from __future__ import annotations

import random
import statistics
import time
from datetime import timedelta
from decimal import Decimal

from . import Timing, register

VARIANTS = (
    ("看板首页（第1页，按名称）", "?year=2023"),
    ("按状态筛选 待财政审核", "?year=2023&state=pending_finance"),
    ("按等级筛选 + 总分排序", "?year=2023&grade=良&sort=-total"),
    ("按名称搜索", "?year=2023&q=第1"),
    ("第20页，提交日期排序", "?year=2023&sort=-submitted&page=20"),
)


def _arguments(parser):
    parser.add_argument("--departments", type=int, default=2000, help="生成的单位数（默认2000）")
    parser.add_argument("--repeats", type=int, default=40, help="每个页面请求次数（默认40）")


def _generate(departments: int):
    from django.utils import timezone

    from evalportal.accounts.models import RoleGrant, User
    from evalportal.core.demo import loader
    from evalportal.orgs.models import Department, NarrativeOutline, Region, WeightTemplate
    from evalportal.reports.models import DepartmentEvalSheet, ReportPackage
    from evalportal.review.models import AuditEvent
    from evalportal.review.workflow import State

    loader.load_templates()
    province = Region.objects.create(name="测试省")
    city = Region.objects.create(name="基准市", parent=province, finance_bureau="基准市财政局")
    counties = [Region.objects.create(name=f"基准县{i}", parent=city) for i in range(4)]
    template = WeightTemplate.objects.filter(code="HUNAN_2023").first()
    outline = NarrativeOutline.objects.filter(kind=NarrativeOutline.Kind.DEPARTMENT).first()
    rng = random.Random(2023)
    Department.objects.bulk_create(
        Department(region=[city, *counties][i % 5], name=f"基准市第{i}局", short_name=f"第{i}局", code=f"B{i:05d}")
        for i in range(departments))
    states = [State.DRAFT, State.PENDING_HEAD, State.PENDING_FINANCE, State.RETURNED, State.APPROVED,
              State.PUBLISHED]
    grades = [("优", 95), ("良", 85), ("中", 70), ("差", 50)]
    now = timezone.now()
    packages = []
    for department in Department.objects.filter(code__startswith="B").order_by("pk"):
        if rng.random() < 0.05:        # a few departments have not started their package
            continue
        grade, base = rng.choice(grades)
        packages.append(ReportPackage(
            department=department, year=2023, state=rng.choice(states), weight_template=template, outline=outline,
            total_score=Decimal(base) + Decimal(rng.randint(0, 400)) / 100, grade=grade,
            error_count=rng.randint(0, 3), warning_count=rng.randint(0, 6),
            submitted_at=now - timedelta(days=rng.randint(0, 60))))
    ReportPackage.objects.bulk_create(packages, batch_size=500)
    created = list(ReportPackage.objects.filter(department__code__startswith="B"))
    DepartmentEvalSheet.objects.bulk_create(
        (DepartmentEvalSheet(package=p, initial_budget=Decimal(rng.randint(100, 2000)),
                             full_year_budget=Decimal(1000), full_year_spent=Decimal(rng.randint(500, 1000)))
         for p in created), batch_size=500)
    AuditEvent.objects.bulk_create(
        (AuditEvent(package=p, package_label=str(p.pk), kind=AuditEvent.Kind.TRANSITION, action="confirm",
                    from_state=State.PENDING_HEAD, to_state=State.PENDING_FINANCE)
         for p in created if p.state not in (State.DRAFT, State.PENDING_HEAD)), batch_size=500)
    reviewer = User.objects.create_user("bench-reviewer", password="bench-only-password")
    RoleGrant.objects.create(user=reviewer, role="reviewer", region=city)
    return reviewer, len(created)


@register("dashboard", help="财政局汇总看板：生成2000个单位的地区，测每页耗时的 p95（目标 < 150 ms）",
          add_arguments=_arguments)
def dashboard_bench(options: dict) -> list[Timing]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_databases, setup_test_environment, teardown_databases, \
        teardown_test_environment

    departments, repeats = options.get("departments") or 2000, options.get("repeats") or 40
    vendor = connection.vendor
    if vendor == "sqlite":   # a file, not :memory:, so that SQLite pays for its disk like the real thing
        connection.settings_dict.setdefault("TEST", {})["NAME"] = "/tmp/evalportal-bench-dashboard.sqlite3"
    setup_test_environment()
    old_config = setup_databases(verbosity=0, interactive=False)
    try:
        reviewer, packages = _generate(departments)
        # A live database has planner statistics (autovacuum runs ANALYZE after bulk loads); without them
        # PostgreSQL picks nested loops over the fresh tables and the page takes 0.5 s instead of 0.05 s.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        client = Client()
        client.force_login(reviewer)
        timings = []
        for label, query in VARIANTS:
            url = "/review/dashboard/" + query
            assert client.get(url).status_code == 200      # warm-up (and a check that the page works)
            times = []
            for _ in range(repeats):
                start = time.perf_counter()
                client.get(url)
                times.append(time.perf_counter() - start)
            times.sort()
            p95 = times[min(len(times) - 1, int(round(0.95 * len(times))) - 1)]
            timings.append(Timing(f"{label} [{vendor}]", statistics.median(times), repeats, times[0],
                                  {"p95_ms": round(p95 * 1000, 1), "单位": departments, "报告包": packages}))
        start = time.perf_counter()
        response = client.get("/review/dashboard/summary.xlsx?year=2023")
        timings.append(Timing(f"汇总表 Excel 下载 [{vendor}]", time.perf_counter() - start, 1, None,
                              {"bytes": len(response.content)}))
        return timings
    finally:
        teardown_databases(old_config, verbosity=0)
        teardown_test_environment()

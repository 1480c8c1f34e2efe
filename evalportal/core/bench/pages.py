"""bench pages: server time of the package overview and of a 30-row 附件3 form, package of 20 projects (issue 5).

Goal: p95 < 150 ms on SQLite with a number of queries that does not depend on the package's size. The synthetic
package is built inside a transaction that is rolled back, so the command leaves the database as it found it.
"""
from __future__ import annotations

import math
import time

from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from . import Timing, register

GOAL_MS = 150


def _add_arguments(parser):
    parser.add_argument("--projects", type=int, default=20, help="项目数（默认 20）")
    parser.add_argument("--rows", type=int, default=30, help="被测附件3的指标行数（默认 30）")
    parser.add_argument("--repeats", type=int, default=40, help="每个页面请求次数（默认 40）")


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, math.ceil(0.95 * len(ordered)) - 1)]


def _time(client, method: str, url: str, data: dict | None, repeats: int) -> tuple[list[float], int]:
    with CaptureQueriesContext(connection) as queries:
        response = getattr(client, method)(url, data or {})
    assert response.status_code == 200, (url, response.status_code)
    count = sum(1 for q in queries.captured_queries if not q["sql"].startswith(("SAVEPOINT", "RELEASE")))
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        getattr(client, method)(url, data or {})
        times.append(time.perf_counter() - start)
    return times, count


@register("pages", help="总览页与30行附件3表单的服务器耗时（20个项目，SQLite，p95 目标 < 150 ms）",
          add_arguments=_add_arguments)
def pages_bench(options: dict) -> list[Timing]:
    from django.conf import settings
    from django.test import Client
    from django.test.utils import setup_test_environment, teardown_test_environment

    from evalportal.accounts.roles import Role
    from evalportal.core.demo import loader
    from evalportal.orgs.models import Department, Region, WeightTemplate
    from evalportal.reports.synthetic import build_package
    from tests.factories import make_user
    from tests.reports.formdata import page_data

    projects, rows, repeats = options.get("projects", 20), options.get("rows", 30), options.get("repeats", 40)
    timings: list[Timing] = []
    setup_test_environment()            # response.context for building the live-preview POST
    old_hosts = settings.ALLOWED_HOSTS
    settings.ALLOWED_HOSTS = [*old_hosts, "testserver"]
    try:
        with transaction.atomic():
            if not WeightTemplate.objects.filter(code="HUNAN_2023").exists():
                loader.load_templates()
            hunan = Region.objects.get(name="湖南省", parent=None)
            # bench export leaves this region behind (its packages are discarded, the region is shared)
            region, _created = Region.objects.get_or_create(name="基准测试市", parent=hunan)
            department = Department.objects.create(region=region, name="基准测试市行政审批服务局", short_name="行政审批服务局",
                                                   code="BENCH-PAGES")
            package = build_package(department, projects=projects, rows=12, first_project_rows=rows)
            user = make_user(Role.FILLER, department=department, username="bench-pages-filler")
            client = Client()
            client.force_login(user)
            project = package.projects.order_by("order").first()
            overview = f"/packages/{package.pk}/"
            sheet = f"/packages/{package.pk}/projects/{project.pk}/"
            live = f"/packages/{package.pk}/projects/{project.pk}/live/"
            data = page_data(client.get(sheet))
            for label, method, url, payload in (
                    (f"总览页（{projects}个项目）", "get", overview, None),
                    (f"附件3表单（{rows}行）", "get", sheet, None),
                    (f"附件3即时计算（{rows}行）", "post", live, data)):
                client.get(url) if method == "get" else client.post(url, payload)      # warm-up
                times, queries = _time(client, method, url, payload, repeats)
                p95 = _p95(times)
                timings.append(Timing(f"{label} p95", p95, repeats, min(times), {
                    "median_ms": round(sorted(times)[len(times) // 2] * 1000, 1), "queries": queries,
                    "goal": f"<{GOAL_MS}ms", "ok": "是" if p95 * 1000 < GOAL_MS else "否"}))
            transaction.set_rollback(True)
    finally:
        settings.ALLOWED_HOSTS = old_hosts
        teardown_test_environment()
    return timings

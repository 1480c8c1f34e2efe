"""bench insight: a generated region of 2,000 departments × 3 years (issue 10).

Goals: every signal of the region (figures and copied text, all three years) under 30 s, computed from plain
PackageData in memory; and the copied-text index updated for one changed package under 1 s, against a database
holding the whole region's index (bulk-inserted into a throwaway test database, never the configured one).
"""
from __future__ import annotations

import time

from . import Timing, measure, register

YEARS = (2021, 2022, 2023)


def _arguments(parser) -> None:
    parser.add_argument("--departments", type=int, default=2000, help="单位数（默认2000）")
    parser.add_argument("--no-db", action="store_true", help="只测内存中的提示计算，不建测试数据库")


@register("insight", help="审核洞察：2000个单位×3年全部提示（目标<30秒）；单个报告变更后文字索引增量更新（目标<1秒）",
          add_arguments=_arguments)
def insight_bench(options: dict) -> list[Timing]:
    from evalportal.insight import region as screening
    from evalportal.insight import synthetic

    departments = options.get("departments") or 2000
    start = time.perf_counter()
    specs = synthetic.region_specs(departments, years=YEARS)
    entries = [screening.Entry(key=(spec.index, spec.year), department=spec.index, region=1, year=spec.year,
                               nature=spec.nature, visible=True, pkg=synthetic.package_data(spec)) for spec in specs]
    generated = time.perf_counter() - start
    rows = sum(len(e.pkg.department_sheet.rows) + sum(len(p.rows) for p in e.pkg.projects) for e in entries)

    holder: dict = {}

    def screen():
        cpu = time.process_time()
        holder["result"] = screening.screen_region(entries, YEARS[1:])
        holder["cpu"] = time.process_time() - cpu
    timings = [Timing("生成数据（不计入目标）", generated, extra={"packages": len(entries), "rows": rows})]
    timings.append(measure(f"全部提示，{departments}个单位×{len(YEARS)}年", screen, repeats=1))
    result = holder["result"]
    planted = {(spec.index, spec.year) for spec in specs if spec.planted}
    # A copied report's source department is flagged too (a same-year match concerns both).
    sources = {(spec.index - 1, spec.year) for spec in specs if "copied" in spec.planted}
    score = {key: sum(s.points for s in found) for key, found in result.signals.items()}
    lowest_planted = min(score[key] for key in planted) if planted else 0
    timings[-1] = Timing(timings[-1].label, timings[-1].seconds, 1, timings[-1].best, {
        "screened": len(result.signals), "cpu_s": round(holder["cpu"], 1),  # wall time suffers on shared cores
        "pairs": len(result.pairs), "planted": len(planted),
        "planted_flagged": sum(1 for key in planted if score[key]), "lowest_planted": lowest_planted,
        "copy_sources_flagged": sum(1 for key in sources if score.get(key)),
        "other_flagged": sum(1 for key, value in score.items() if value and key not in planted | sources),
        "other_at_or_above_lowest_planted": sum(1 for key, value in score.items()
                                                if key not in planted | sources and value >= lowest_planted),
        "goal": "<30s"})
    if not options.get("no_db"):
        timings.extend(_index_timings(specs, result))
    return timings


def _index_timings(specs, result) -> list[Timing]:
    from django.test.utils import setup_databases, teardown_databases

    config = setup_databases(verbosity=0, interactive=False)
    try:
        return _with_database(specs, result)
    finally:
        teardown_databases(config, verbosity=0)


def _with_database(specs, result) -> list[Timing]:
    from evalportal.core.demo import loader
    from evalportal.insight import services
    from evalportal.insight.models import FingerprintBand, TextFingerprint
    from evalportal.insight.synthetic_db import insert_specs
    from evalportal.orgs.models import NarrativeOutline, Region, WeightTemplate
    from evalportal.reports.models import NarrativeSection
    from evalportal.review.workflow import State

    loader.load_templates()
    province, _ = Region.objects.get_or_create(name="湖南省", parent=None)
    region = Region.objects.create(name="基准测试市", parent=province)
    template = WeightTemplate.objects.get(code="HUNAN_2023")
    outline = NarrativeOutline.objects.get(code="HUNAN_DEPT_2023", kind=NarrativeOutline.Kind.DEPARTMENT)

    start = time.perf_counter()
    packages = insert_specs(specs, region=region, template=template, outline=outline, state=State.PENDING_FINANCE)
    inserted = time.perf_counter() - start
    for package in packages.values():
        package.department.region = region           # index_rebuild reads department.region_id
    start = time.perf_counter()
    stop = services.stop_list()
    loaded = services.index_rebuild(packages, result, stop)
    indexed = time.perf_counter() - start
    timings = [
        Timing("批量写入报告（不计入目标）", inserted, extra={"packages": len(packages)}),
        Timing("批量写入索引（不计入目标）", indexed,
               extra={"fingerprints": TextFingerprint.objects.count(), "bands": FingerprintBand.objects.count(),
                      "matches": loaded.matches}),
    ]
    last = max(spec.year for spec in specs)
    changing = [package for (index, year), package in packages.items() if year == last][::97][:5]
    counter = iter(range(10_000))

    def update():
        package = changing[next(counter) % len(changing)]
        NarrativeSection.objects.filter(package=package, key="S7").update(
            text=f"第{next(counter)}稿：本年度存在的主要问题是预算编制的精细化程度不够，部分项目年中追加调整较多，"
                 "个别专项资金拨付进度偏慢，下一步将加强项目前期论证和执行监控。")
        services.package_insight_update(package)
    timings.append(measure("单个报告变更后增量更新", update, repeats=len(changing) * 2, goal="<1s",
                           packages_in_db=len(packages)))
    return timings

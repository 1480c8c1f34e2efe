"""bench export: our PDF (cold, and after editing one project) against LibreOffice converting our own Excel export.

Per size (5, 20 and 50 projects × 12 indicator rows, a narrative of about three pages, generate.py):
  pages             pages of the package PDF
  pdf_cold_s        package_pdf with nothing reused (every part and the page stamp rendered)
  pdf_after_edit_s  package_pdf after changing one 实际完成值 of one project (unchanged parts reused)
  peak_rss_mb       the largest resident memory of one process (this one or a render worker)
  libreoffice_s     `soffice --headless --convert-to pdf` of our xlsx export, in this run (null without soffice)
  xlsx_*            the Excel engineer's figures (evalportal.exporters.xlsx_bench), when importable
Goals (issue 7): cold ≤ 1.0× LibreOffice at 20 and 50 projects; after one edit ≤ 0.25×; peak < 400 MB at 50.
The render pool is started before timing (a web process keeps it warm); its start-up is reported apart.
"""
from __future__ import annotations

import os
import resource
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from . import register
from .generate import discard_package, generate_package

SIZES = (5, 20, 50)
ROWS = 12


def _soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def _libreoffice_seconds(xlsx: bytes, workdir: Path, soffice: str) -> tuple[float | None, float]:
    """Wall and CPU time of one headless conversion (its own profile, warmed before: no first-start cost)."""
    source = workdir / "package.xlsx"
    source.write_bytes(xlsx)
    command = [soffice, f"-env:UserInstallation=file://{workdir / 'lo-profile'}", "--headless", "--norestore",
               "--convert-to", "pdf", "--outdir", str(workdir), str(source)]
    (workdir / "package.pdf").unlink(missing_ok=True)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, timeout=600, check=False)
    elapsed = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    ok = done.returncode == 0 and (workdir / "package.pdf").exists()
    return (round(elapsed, 2) if ok else None), round(cpu, 2)


def _warm_libreoffice(workdir: Path, soffice: str) -> None:
    """Create the LibreOffice profile once: its first start takes seconds that no office pays daily."""
    from openpyxl import Workbook
    import io
    book = Workbook()
    book.active["A1"] = "预热"
    buffer = io.BytesIO()
    book.save(buffer)
    _libreoffice_seconds(buffer.getvalue(), workdir, soffice)


def _edit_one_project(package) -> None:
    from evalportal.reports.models import IndicatorRow
    row = (IndicatorRow.objects.filter(project_sheet__project__package=package)
           .order_by("project_sheet__project__order", "order").first())
    row.actual_raw = "41234条" if row.actual_raw != "41234条" else "41235条"
    row.save(update_fields=["actual_raw"])


def _xlsx_figures(package) -> dict:
    from evalportal.exporters.xlsx_bench import xlsx_figures
    figures = xlsx_figures(package)
    return {key: figures.get(key) for key in ("xlsx_export_s", "xlsx_plain_s", "xlsx_import_s")} | {
        key: value for key, value in figures.items() if key.startswith("xlsx_")}


def _self_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _add_arguments(parser) -> None:
    parser.add_argument("--sizes", default=",".join(map(str, SIZES)), help="项目数，逗号分隔（默认 5,20,50）")
    parser.add_argument("--no-libreoffice", action="store_true", help="不测 LibreOffice")


@register("export", help="PDF 导出：冷启动、改一个项目后、峰值内存，对比 LibreOffice 转换本系统 Excel",
          add_arguments=_add_arguments)
def export_bench(options: dict) -> list[dict]:
    from evalportal.exporters import pdf, rendering, worker
    from evalportal.exporters.xlsx import package_xlsx

    sizes = [int(size) for size in str(options.get("sizes") or "5,20,50").split(",") if size.strip()]
    soffice = None if options.get("no_libreoffice") else _soffice()
    started = time.perf_counter()
    executor = rendering.pool()
    if executor is not None:       # start every worker (WeasyPrint import, fonts) before timing
        list(executor.map(worker.render, ["<p>预热</p>"] * (2 * rendering.worker_count()),
                          ["@page{size:A4}"] * (2 * rendering.worker_count())))
    pool_start = round(time.perf_counter() - started, 2)
    rows = []
    with tempfile.TemporaryDirectory(prefix="bench-export-") as tmp:
        workdir = Path(tmp)
        if soffice:
            _warm_libreoffice(workdir, soffice)
        for size in sizes:
            package = generate_package(size, ROWS)
            try:
                stats: dict = {}
                started, cpu = time.perf_counter(), time.process_time()
                cold = pdf.build_pdf(package, reuse=False, stats=stats)
                cold_s, cold_cpu = time.perf_counter() - started, time.process_time() - cpu
                _edit_one_project(package)
                edit_stats: dict = {}
                started, cpu = time.perf_counter(), time.process_time()
                pdf.build_pdf(package, stats=edit_stats)
                edit_s, edit_cpu = time.perf_counter() - started, time.process_time() - cpu
                libreoffice_s, libreoffice_cpu = (_libreoffice_seconds(package_xlsx(package), workdir, soffice)
                                                  if soffice else (None, None))
                peak = max(_self_rss_mb(), stats.get("worker_peak_rss_mb", 0), edit_stats.get("worker_peak_rss_mb", 0))
                row = {
                    "projects": size, "rows": ROWS, "pages": stats.get("pages"), "pdf_bytes": len(cold),
                    "pdf_cold_s": round(cold_s, 2), "pdf_after_edit_s": round(edit_s, 2),
                    "parts_rendered_after_edit": edit_stats.get("rendered"),
                    "parts_reused_after_edit": edit_stats.get("reused"),
                    "peak_rss_mb": round(peak), "libreoffice_s": libreoffice_s,
                    "cold_vs_libreoffice": round(cold_s / libreoffice_s, 2) if libreoffice_s else None,
                    "after_edit_vs_libreoffice": round(edit_s / libreoffice_s, 2) if libreoffice_s else None,
                    # CPU seconds (this process + render workers; soffice and its children): the machine may be
                    # shared, and wall time then depends on the others' load as much as on ours.
                    "pdf_cold_cpu_s": round(cold_cpu + stats.get("worker_cpu_s", 0), 2),
                    "pdf_after_edit_cpu_s": round(edit_cpu + edit_stats.get("worker_cpu_s", 0), 2),
                    "libreoffice_cpu_s": libreoffice_cpu,
                    "load_average": round(os.getloadavg()[0], 2),
                    "render_workers": rendering.worker_count(), "pool_start_s": pool_start,
                }
                row |= _xlsx_figures(package)
                rows.append(row)
            finally:
                discard_package(package)
    return rows

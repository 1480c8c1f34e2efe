"""Parts → PDF pieces: reuse the cached ones, render the rest in parallel worker processes.

The parent builds each missing part's HTML (pagination included) and hands it to a pool of long-lived
WeasyPrint processes (one per core, recycled against memory creep); a part whose page tables overflowed the
estimate is paginated again with less room and re-rendered. Rendered pieces go into the RenderedPart cache.
"""
from __future__ import annotations

import atexit
import functools
import hashlib
import importlib.metadata
import json
import logging
import multiprocessing
import os
import threading
from concurrent.futures import Future, ProcessPoolExecutor
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone

from . import layout, worker
from .joining import Piece
from .models import RenderedPart
from .parts import Part, first_room, next_room

logger = logging.getLogger(__name__)

# Bump when the output changes in a way the hashed sources below do not show (fonts, WeasyPrint upgrade).
PRINT_VERSION = "1"
_HERE = Path(__file__).resolve().parent
_VERSIONED_SOURCES = ("layout.py", "parts.py", "rendering.py", "worker.py", "speedups.py", "templates/exporters/print")
SHRINK_STEPS = (1.0, 0.9, 0.78, 0.65)     # room factors tried when a page table overflowed
CACHE_DAYS = 90


@functools.lru_cache(maxsize=1)
def template_version() -> str:
    """A hash of the print templates, CSS and the code that lays out the parts: any edit invalidates the cache."""
    digest = hashlib.sha256(f"{PRINT_VERSION}|weasyprint {importlib.metadata.version('weasyprint')}".encode())
    for name in _VERSIONED_SOURCES:
        path = _HERE / name
        files = sorted(path.rglob("*")) if path.is_dir() else [path]
        for file in files:
            if file.is_file():
                digest.update(file.name.encode())
                digest.update(file.read_bytes())
    return digest.hexdigest()[:16]


@functools.lru_cache(maxsize=1)
def stylesheet() -> str:
    return render_to_string("exporters/print/print.css", {"g": geometry(), "seal_space": 40})


def geometry() -> dict:
    return {
        "top": layout.MARGIN_TOP_MM, "right": layout.MARGIN_RIGHT_MM, "bottom": layout.MARGIN_BOTTOM_MM,
        "left": layout.MARGIN_LEFT_MM, "type_width": layout.TYPE_WIDTH_MM,
        "att_label_line": layout.ATT_LABEL_LINE, "att_label_block": 2 * layout.ATT_LABEL_LINE,
        "att_title_font": layout.ATT_TITLE_FONT, "att_title_line": layout.ATT_TITLE_LINE, "att_title_gap": 10,
        "unit_line": layout.UNIT_LINE, "running_line": layout.RUNNING_LINE, "running_gap": 4,
        "cell_font": layout.CELL_FONT, "value_font": layout.VALUE_FONT, "cell_line": layout.CELL_LINE, "border": layout.BORDER,
        "pad_v": round(layout.CELL_PAD_V / layout.MM, 3), "pad_h": round(layout.CELL_PAD_H / layout.MM, 3),
        "footer_line": layout.FOOTER_LINE,
    }


# --- the worker pool ------------------------------------------------------------------------------------

_pool: ProcessPoolExecutor | None = None
_pool_lock = threading.Lock()


def worker_count() -> int:
    configured = getattr(settings, "EXPORT_WORKERS", None)
    return int(configured) if configured is not None else (os.cpu_count() or 1)


def pool() -> ProcessPoolExecutor | None:
    """The shared pool (None when EXPORT_WORKERS = 0: render in this process)."""
    global _pool
    if worker_count() <= 0:
        return None
    with _pool_lock:
        if _pool is None:
            # forkserver: workers start from a clean process that already imported WeasyPrint (fast, no
            # inherited database connections or threads); max_tasks_per_child bounds WeasyPrint's memory creep.
            context = multiprocessing.get_context("forkserver")
            context.set_forkserver_preload(["evalportal.exporters.worker"])
            _pool = ProcessPoolExecutor(max_workers=worker_count(), mp_context=context,
                                        initializer=worker.init_process,
                                        max_tasks_per_child=getattr(settings, "EXPORT_WORKER_MAX_TASKS", 400))
        return _pool


def shutdown_pool() -> None:
    global _pool
    with _pool_lock:
        if _pool is not None:
            _pool.shutdown(wait=True, cancel_futures=True)
            _pool = None


atexit.register(shutdown_pool)


def _submit(html: str, css: str, check: bool) -> Future:
    executor = pool()
    if executor is None:
        future: Future = Future()
        try:
            future.set_result(worker.render(html, css, check))
        except Exception as error:     # noqa: BLE001  (handed to the caller like a pool future would)
            future.set_exception(error)
        return future
    try:
        return executor.submit(worker.render, html, css, check)
    except RuntimeError:        # a broken pool (a worker was killed): start a fresh one once
        shutdown_pool()
        return pool().submit(worker.render, html, css, check)


# --- parts → HTML ---------------------------------------------------------------------------------------

def part_html(part: Part, shrink: float = 1.0) -> str:
    context = {"c": part.content, "title": part.label}
    table = part.tables.get("main")
    if table is not None:
        has_unit = bool(part.content.get("unit_line"))
        pages = layout.paginate(table, first_room(has_unit) * shrink, next_room() * shrink)
        context.update(pages=pages, widths=table.widths_mm)
    return render_to_string(part.template, context)


def _piece(row: RenderedPart, label: str) -> Piece:
    return Piece(pdf=bytes(row.pdf), pages=row.pages, fonts=row.fonts, label=label)


def render_parts(parts: list[Part], *, reuse: bool = True, stats: dict | None = None) -> list[Piece]:
    """A Piece per part, in order: cached when its key is known, rendered (in parallel) otherwise."""
    version = template_version()
    keys = [part.digest(version) for part in parts]
    cached = {}
    if reuse:
        cached = {row.key: row for row in RenderedPart.objects.filter(key__in=keys)}
    css = stylesheet()
    pending: dict[int, tuple[Future, float]] = {}
    for index, (part, key) in enumerate(zip(parts, keys)):
        if key not in cached:
            pending[index] = (_submit(part_html(part), css, bool(part.tables)), SHRINK_STEPS[0])
    results: dict[str, RenderedPart] = {}
    rendered, worker_peak, worker_cpu = 0, 0.0, 0.0
    while pending:
        index, (future, shrink) = next(iter(pending.items()))
        result = future.result()
        del pending[index]
        part = parts[index]
        if result.overflow and shrink != SHRINK_STEPS[-1]:
            worker_cpu += result.cpu_seconds
            smaller = SHRINK_STEPS[SHRINK_STEPS.index(shrink) + 1]
            logger.info("part %s overflowed on pages %s; paginating with %.0f%% room", part.key, result.overflow,
                        smaller * 100)
            pending[index] = (_submit(part_html(part, smaller), css, True), smaller)
            continue
        rendered += 1
        worker_peak = max(worker_peak, result.peak_rss_mb)
        worker_cpu += result.cpu_seconds
        results[keys[index]] = RenderedPart(key=keys[index], kind=part.key, pdf=result.pdf, pages=result.pages,
                                            fonts=result.fonts)
    if results:
        RenderedPart.objects.bulk_create(results.values(), ignore_conflicts=True)
        _prune()
    if cached:
        _touch([row.pk for row in cached.values()])
    if stats is not None:
        stats["rendered"] = stats.get("rendered", 0) + rendered
        stats["reused"] = stats.get("reused", 0) + len(parts) - rendered
        stats["worker_peak_rss_mb"] = max(stats.get("worker_peak_rss_mb", 0.0), worker_peak)
        stats["worker_cpu_s"] = stats.get("worker_cpu_s", 0.0) + worker_cpu
    by_key = {**cached, **results}
    return [_piece(by_key[key], part.label) for part, key in zip(parts, keys)]


def _touch(pks: list[int]) -> None:
    """Mark cache rows as used, at most once a day each (a write per download would be wasteful)."""
    now = timezone.now()
    RenderedPart.objects.filter(pk__in=pks, used_at__lt=now - timedelta(days=1)).update(used_at=now)


def _prune() -> None:
    RenderedPart.objects.filter(used_at__lt=timezone.now() - timedelta(days=CACHE_DAYS)).delete()


# --- the stamp (page numbers, watermark, footnote) ------------------------------------------------------

_stamps: dict[tuple, Piece] = {}
STAMP_BLOCK = 32                     # stamps are made for 32, 64, 96 … pages


def estimated_pages(parts: list[Part]) -> int:
    """A generous guess of the pages the parts will print, to start the stamp before they are rendered."""
    total = 0
    for part in parts:
        table = part.tables.get("main")
        if table is not None:
            total += 1 + len(table.rows) // 12
        else:
            total += 1 + len(json.dumps(part.content, ensure_ascii=False, default=str)) // 600
    return total


class PendingStamp:
    """A stamp rendering in a worker while the parts render in the others (it used to wait for them)."""

    def __init__(self, pages: int, *, watermark: bool, footnote: str, reuse: bool, stats: dict | None):
        self.capacity = max(STAMP_BLOCK, -(-pages // STAMP_BLOCK) * STAMP_BLOCK)
        self.options = dict(watermark=watermark, footnote=footnote, reuse=reuse, stats=stats)
        self.memo = (watermark, footnote, self.capacity)
        self.ready: Piece | None = _stamps.get(self.memo) if reuse else None
        self.future: Future | None = None
        if self.ready is not None:
            return
        self.html = render_to_string("exporters/print/stamp.html", {
            "numbers": range(1, self.capacity + 1), "watermark": watermark, "footnote": footnote})
        self.css = render_to_string("exporters/print/stamp.css", {
            "pn_top": layout.MARGIN_TOP_MM + layout.TYPE_HEIGHT_MM + 7,
            "pn_right": round(layout.MARGIN_RIGHT_MM + 14 / layout.MM, 2),
            "pn_left": round(layout.MARGIN_LEFT_MM + 14 / layout.MM, 2)})
        self.key = hashlib.sha256(f"stamp|{template_version()}|{self.html}|{self.css}".encode()).hexdigest()
        row = RenderedPart.objects.filter(key=self.key).first() if reuse else None
        if row is not None:
            self.ready = self._remember(Piece(pdf=bytes(row.pdf), pages=row.pages, fonts=row.fonts))
        else:
            self.future = _submit(self.html, self.css, False)

    def piece(self, pages: int) -> Piece:
        """The stamp for `pages` pages: this one, or a larger one rendered now when the guess was short."""
        if pages > self.capacity:
            return start_stamp(pages, **self.options).piece(pages)
        if self.ready is None:
            result = self.future.result()
            stats = self.options["stats"]
            if stats is not None:
                stats["worker_cpu_s"] = stats.get("worker_cpu_s", 0.0) + result.cpu_seconds
            row = RenderedPart(key=self.key, kind="stamp", pdf=result.pdf, pages=result.pages, fonts=result.fonts)
            RenderedPart.objects.filter(key=self.key).delete()
            RenderedPart.objects.bulk_create([row], ignore_conflicts=True)
            self.ready = self._remember(Piece(pdf=result.pdf, pages=result.pages, fonts=result.fonts))
        return self.ready

    def _remember(self, piece: Piece) -> Piece:
        if len(_stamps) > 16:
            _stamps.clear()
        _stamps[self.memo] = piece
        return piece


def start_stamp(pages: int, *, watermark: bool, footnote: str = "", reuse: bool = True,
                stats: dict | None = None) -> PendingStamp:
    """Page numbers, 草稿 watermark and footnote for up to `pages` pages: kept per process and in the part cache."""
    return PendingStamp(pages, watermark=watermark, footnote=footnote, reuse=reuse, stats=stats)

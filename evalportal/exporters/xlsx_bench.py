"""Excel figures for `manage.py bench export` (evalportal/core/bench/export.py merges them into its JSON).

Goals (issue 8): the export takes at most 1.5× a plain openpyxl write of the same cells, and importing a
workbook of 20 projects takes under 1 s.
"""
from __future__ import annotations

import io
import statistics
import time

import openpyxl
from django.db import transaction
from openpyxl import Workbook

from evalportal.exporters.xlsx import package_xlsx
from evalportal.reports.models import ReportPackage

REPEATS = 3


def _median(fn, repeats: int = REPEATS) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _cells(data: bytes) -> list[tuple[str, list[tuple[int, int, object]]]]:
    wb = openpyxl.load_workbook(io.BytesIO(data))
    return [(ws.title, [(c.row, c.column, c.value) for row in ws.iter_rows() for c in row if c.value is not None])
            for ws in wb.worksheets]


def plain_write(sheets: list[tuple[str, list[tuple[int, int, object]]]]) -> bytes:
    """The same values in the same cells, with no style, merge, name, width or print setting."""
    wb = Workbook()
    wb.remove(wb.active)
    for title, cells in sheets:
        ws = wb.create_sheet(title)
        for row, column, value in cells:
            cell = ws.cell(row=row, column=column)
            cell.value = value
            if isinstance(value, str) and value.startswith("="):
                cell.data_type = "s"
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _edited(data: bytes) -> bytes:
    """The export with one money cell of each sheet and one text changed, as a clerk would."""
    wb = openpyxl.load_workbook(io.BytesIO(data))
    for name in ("a2_initial_budget", *(n for n in wb.defined_names if n.endswith("_appropriation_initial"))):
        title, coordinate = next(iter(wb.defined_names[name].destinations))
        cell = wb[title][coordinate.replace("$", "")]
        cell.value = (cell.value or 0) + 1
    title, coordinate = next(iter(wb.defined_names["a2_row_01_deviation"].destinations))
    wb[title][coordinate.replace("$", "")].value = "按导入测试修改的偏差原因"
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def xlsx_figures(package: ReportPackage) -> dict:
    """Seconds (median of 3) for the export, the plain write of its cells, and an import of an edited copy.

    The import is rolled back after each run, so the package is unchanged and every run does the same work:
    read, validate every cell, write the edits, recompute, audit.
    """
    from evalportal.importers.services import package_import

    data = package_xlsx(package)
    sheets = _cells(data)
    edited = _edited(data)

    def import_once():
        with transaction.atomic():
            package_import(package=package, data=edited)
            transaction.set_rollback(True)

    return {
        "xlsx_export_s": round(_median(lambda: package_xlsx(package)), 3),
        "xlsx_plain_s": round(_median(lambda: plain_write(sheets)), 3),
        "xlsx_import_s": round(_median(import_once), 3),
        "xlsx_bytes": len(data),
        "xlsx_cells": sum(len(cells) for _title, cells in sheets),
    }

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

REPEATS = 7


def _medians(*functions, repeats: int = REPEATS) -> list[float]:
    """The median seconds of each function, run in turns after one warm-up run each. Timed one after the other,
    the export's and the plain write's medians of three saw different moments of a shared machine: their ratio
    moved by more than a fifth from one run to the next."""
    times = [[] for _ in functions]
    for function in functions:
        function()
    for _ in range(repeats):
        for function, spent in zip(functions, times):
            start = time.perf_counter()
            function()
            spent.append(time.perf_counter() - start)
    return [statistics.median(spent) for spent in times]


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
    """Seconds for the export and the plain write of its cells (medians of 7, in turns), and for an import of an
    edited copy (median of 3).

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

    export_s, plain_s = _medians(lambda: package_xlsx(package), lambda: plain_write(sheets))
    (import_s,) = _medians(import_once, repeats=3)
    return {
        "xlsx_export_s": round(export_s, 3),
        "xlsx_plain_s": round(plain_s, 3),
        "xlsx_export_vs_plain": round(export_s / plain_s, 2),        # goal ≤ 1.5
        "xlsx_import_s": round(import_s, 3),
        "xlsx_bytes": len(data),
        "xlsx_cells": sum(len(cells) for _title, cells in sheets),
    }

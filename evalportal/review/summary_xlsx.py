"""区域汇总表 (Excel): one line per department with its figures and scores. Rows in, bytes out."""
from __future__ import annotations

import io
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

HEADERS = ("序号", "地区", "预算部门", "状态", "提交日期", "年初预算数（万元）", "全年预算数（万元）", "全年执行数（万元）",
           "执行率", "总分", "评价等级", "错误", "警告")
WIDTHS = (6, 10, 34, 10, 12, 14, 14, 14, 10, 9, 9, 7, 7)
_THIN = Side(style="thin", color="000000")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)


def _cell(ws, row: int, col: int, value, *, number_format: str | None = None):
    cell = ws.cell(row=row, column=col)
    cell.value = value          # Decimal is written as a number by openpyxl; never a formula (values only)
    if isinstance(value, str):
        cell.data_type = "s"       # a name starting with "=" must stay text, never a formula (notes.md)
    if number_format:
        cell.number_format = number_format
    cell.border = _BORDER
    return cell


def region_summary_xlsx(lines: list[dict], *, title: str) -> bytes:
    """lines: dicts with region, name, status, submitted (date|None), initial, budget, spent, rate (percent
    Decimal|None), total, grade, errors, warnings."""
    wb = Workbook()
    ws = wb.active
    ws.title = "汇总表"
    ws.cell(row=1, column=1, value=title).font = Font(bold=True, size=14)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(HEADERS))
    ws.cell(row=1, column=1).alignment = Alignment(horizontal="center")
    for col, header in enumerate(HEADERS, start=1):
        cell = _cell(ws, 2, col, header)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        ws.column_dimensions[get_column_letter(col)].width = WIDTHS[col - 1]
    for i, line in enumerate(lines, start=1):
        r = i + 2
        values = (i, line["region"], line["name"], line["status"], line["submitted"], line["initial"],
                  line["budget"], line["spent"], None if line["rate"] is None else line["rate"] / 100,
                  line["total"], line["grade"], line["errors"], line["warnings"])
        formats = (None, None, None, None, "yyyy-mm-dd", "0.00", "0.00", "0.00", "0.00%", "0.00", None, "0", "0")
        for col, (value, fmt) in enumerate(zip(values, formats), start=1):
            _cell(ws, r, col, value, number_format=fmt)
    ws.freeze_panes = "A3"
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()

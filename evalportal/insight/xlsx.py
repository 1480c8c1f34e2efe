"""The region's screening as a workbook: rows in, bytes out (no formulas, numbers as numbers; notes.md)."""
from __future__ import annotations

from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from .signals import CATALOGUE

_THIN = Side(style="thin", color="999999")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEADER_FILL = PatternFill("solid", fgColor="F1F3F5")


def _text(cell, value: str) -> None:
    # A leading = + - @ would make the cell a formula (notes.md): keep it text.
    cell.value = value
    if value[:1] in "=+-@":
        cell.data_type = "s"
        cell.quotePrefix = True


def region_workbook(rows, title: str) -> bytes:
    """`rows` are selectors.RegionRow in the order shown on screen."""
    book = Workbook()
    sheet = book.active
    sheet.title = "审核提示"
    headers = ["序号", "地区", "预算部门", "单位性质", "状态", "总分", "评价等级", "执行率", "关注分",
               *[kind.title for kind in CATALOGUE], "提示说明", "财政重点评价"]
    sheet.cell(row=1, column=1, value=title).font = Font(bold=True, size=14)
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(headers))
    for column, header in enumerate(headers, start=1):
        cell = sheet.cell(row=2, column=column, value=header)
        cell.font, cell.fill, cell.border = Font(bold=True), _HEADER_FILL, _BORDER
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for number, row in enumerate(rows, start=1):
        line = number + 2
        package = row.package
        values = [number, package.department.region.name, package.department.name,
                  package.department.get_nature_display(), package.get_state_display(),
                  row.total, row.grade, None if row.rate is None else row.rate / 100,
                  row.score, *[row.points.get(kind.code) or None for kind in CATALOGUE]]
        for column, value in enumerate(values, start=1):
            cell = sheet.cell(row=line, column=column)
            if isinstance(value, str):
                _text(cell, value)
            else:
                cell.value = value
            cell.border = _BORDER
        sheet.cell(row=line, column=6).number_format = "0.00"
        sheet.cell(row=line, column=8).number_format = "0.00%"
        sheet.cell(row=line, column=9).number_format = "0.0"
        for offset in range(len(CATALOGUE)):
            sheet.cell(row=line, column=10 + offset).number_format = "0.0"
        if row.score is None:
            explanation = "尚未计算"
        else:
            explanation = "\n".join(f"【{signal['title']}】{signal['message']}" for signal in row.signals)
        note = sheet.cell(row=line, column=len(headers) - 1)
        _text(note, explanation)
        note.alignment = Alignment(wrap_text=True, vertical="top")
        note.border = _BORDER
        chosen = sheet.cell(row=line, column=len(headers), value="是" if row.key_evaluation else "")
        chosen.border = _BORDER
        # openpyxl cannot fit row heights (notes.md): estimate from about 60 characters a line.
        sheet.row_dimensions[line].height = max(15, 15 * sum(1 + len(part) // 60 for part in explanation.split("\n")))
    widths = [6, 10, 30, 10, 10, 8, 8, 9, 8, *[11] * len(CATALOGUE), 80, 12]
    for column, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    sheet.freeze_panes = "D3"
    sheet.auto_filter.ref = f"A2:{get_column_letter(len(headers))}{len(rows) + 2}"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.page_setup.fitToHeight = 0
    sheet.print_title_rows = "2:2"
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()

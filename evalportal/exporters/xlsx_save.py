"""openpyxl's save, with the cells of a sheet formatted as text instead of built as elements.

A package workbook holds some 14,000 cells, most of them the bordered blanks of the printed grid; openpyxl
builds an ElementTree element per cell and serialises it, which took more than half of the export. Here a
cell of the kinds the export writes (blank, number, bool, plain text) becomes its `<c>` string directly;
any other cell (formula, date, rich text, comment, hyperlink, merged) goes through openpyxl's own writer. Each
sheet is written in memory rather than to a temporary file. tests/exporters/test_xlsx_save.py checks that
the sheets are byte-for-byte what openpyxl writes.
"""
from __future__ import annotations

import datetime
import io
from decimal import Decimal
from xml.sax.saxutils import escape
from zipfile import ZIP_DEFLATED, ZipFile

from openpyxl import LXML
from openpyxl.cell._writer import write_cell
from openpyxl.cell.cell import Cell
from openpyxl.comments.comment_sheet import CommentRecord
from openpyxl.compat import safe_string
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._writer import WorksheetWriter
from openpyxl.writer.excel import ExcelWriter

SIMPLE_TYPES = (int, float, Decimal, str, bool)
DATA_TYPES = {"n", "s", "b"}


class FastWorksheetWriter(WorksheetWriter):
    def __init__(self, ws):
        super().__init__(ws, out=io.BytesIO())
        self.letters = [""] + [get_column_letter(i) for i in range(1, ws.max_column + 1)]
        self.style_ids = ws.parent._cell_styles
        self.style_id_of: dict[bytes, int] = {}    # StyleArray hashes in Python; its bytes hash in C

    def write_rows(self):
        if LXML:             # lxml's xmlfile takes no raw text: the library's own path
            return super().write_rows()
        xf = self.xf.send(True)
        with xf.element("sheetData"):
            dimensions = self.ws.row_dimensions
            for row_idx, row in self.rows():
                attributes = "".join(f' {key}="{escape(value)}"' for key, value in dimensions.get(row_idx, {}))
                parts = [f'<row r="{row_idx}"{attributes}>']
                for cell in row:
                    value = cell._value
                    if (type(cell) is not Cell or cell._comment is not None or cell._hyperlink is not None
                            or cell.data_type not in DATA_TYPES
                            or (value is not None and type(value) not in SIMPLE_TYPES)):
                        xf._file("".join(parts))
                        parts.clear()
                        self._library_cell(xf, cell)
                        continue
                    styled = cell.has_style
                    if value is None and not styled:
                        continue
                    parts.append(self._cell_xml(cell, value, styled, row_idx))
                parts.append("</row>")
                xf._file("".join(parts))
        self.xf.send(None)

    def write_merged_cells(self):
        if LXML or not self.ws.merged_cells:
            return super().write_merged_cells()
        ranges = self.ws.merged_cells.ranges
        xf = self.xf.send(True)
        xf._file(f'<mergeCells count="{len(ranges)}">'
                 + "".join(f'<mergeCell ref="{cell_range.coord}" />' for cell_range in ranges) + "</mergeCells>")
        self.xf.send(None)

    def _library_cell(self, xf, cell):
        """openpyxl's write_row body for one cell: everything this writer does not format itself."""
        if cell._comment is not None:
            self.ws._comments.append(CommentRecord.from_cell(cell))
        if cell._value is None and not cell.has_style and not cell._comment:
            return
        write_cell(xf, self.ws, cell, cell.has_style)

    def _cell_xml(self, cell, value, styled: bool, row_idx: int) -> str:
        data_type = cell.data_type
        head = f'<c r="{self.letters[cell.column]}{row_idx}"'
        if styled:
            key = cell._style.tobytes()
            style_id = self.style_id_of.get(key)
            if style_id is None:
                style_id = self.style_id_of[key] = self.style_ids.add(cell._style)
            head += f' s="{style_id}"'
        head += ' t="inlineStr"' if data_type == "s" else f' t="{data_type}"'
        if value is None or value == "":
            return head + " />"
        if data_type == "s":
            text = str(value)
            stripped = text.strip()
            space = ' xml:space="preserve"' if stripped and text != stripped else ""
            return f"{head}><is><t{space}>{escape(text)}</t></is></c>"
        return f"{head}><v>{escape(safe_string(value))}</v></c>"


class FastExcelWriter(ExcelWriter):
    def write_worksheet(self, ws):
        if self.workbook.write_only:
            return super().write_worksheet(ws)
        from openpyxl.drawing.spreadsheet_drawing import SpreadsheetDrawing
        ws._drawing = SpreadsheetDrawing()
        ws._drawing.charts = ws._charts
        ws._drawing.images = ws._images
        writer = FastWorksheetWriter(ws)
        writer.write()
        ws._rels = writer._rels
        self._archive.writestr(ws.path[1:], writer.out.getvalue())
        self.manifest.append(ws)


def workbook_bytes(workbook) -> bytes:
    """What `workbook.save(buffer)` writes, faster."""
    buffer = io.BytesIO()
    archive = ZipFile(buffer, "w", ZIP_DEFLATED, allowZip64=True)
    workbook.properties.modified = datetime.datetime.now(tz=datetime.timezone.utc).replace(tzinfo=None)
    FastExcelWriter(workbook, archive).save()
    return buffer.getvalue()

"""openpyxl's save, with the cells of a sheet formatted as text instead of built as elements.

A package workbook holds some 14,000 cells, most of them the bordered blanks of the printed grid; openpyxl
builds an ElementTree element per cell and serialises it, which took more than half of the export. Here a
cell of the kinds the export writes (blank, number, bool, plain text) becomes its `<c>` string directly;
any other cell (formula, date, rich text, comment, hyperlink, merged) goes through openpyxl's own writer. Each
sheet is written in memory rather than to a temporary file.

The export goes further: its sheets keep their cells in a SheetGrid, as (value, type, style) tuples, instead
of creating an openpyxl Cell per cell, the workbook's thousands of defined names are written as text, and
styles.xml is reused from an earlier save when the caller vouches that the style tables are the same
(workbook_bytes(stylesheet_key=…)).
tests/exporters/test_xlsx_save.py checks that every file of the archive is byte-for-byte what openpyxl writes
for the same workbook with its grids turned into Cells (SheetGrid.materialize).
"""
from __future__ import annotations

import datetime
import functools
import io
import re
from dataclasses import dataclass, field
from decimal import Decimal
from xml.sax.saxutils import escape
from zipfile import ZIP_DEFLATED, ZipFile

from openpyxl import LXML
from openpyxl.cell._writer import write_cell
from openpyxl.cell.cell import Cell
from openpyxl.comments.comment_sheet import CommentRecord
from openpyxl.compat import safe_string
from openpyxl.packaging.extended import ExtendedProperties
from openpyxl.styles.stylesheet import write_stylesheet
from openpyxl.utils import get_column_letter
from openpyxl.workbook._writer import WorkbookWriter
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet._writer import WorksheetWriter
from openpyxl.worksheet.dimensions import RowDimension, SheetDimension
from openpyxl.writer.excel import ExcelWriter
from openpyxl.writer.theme import theme_xml
from openpyxl.xml.constants import (ARC_APP, ARC_CORE, ARC_CUSTOM, ARC_ROOT_RELS, ARC_STYLE, ARC_THEME, ARC_WORKBOOK,
                                    ARC_WORKBOOK_RELS, CPROPS_TYPE)
from openpyxl.xml.functions import tostring

SIMPLE_TYPES = (int, float, Decimal, str, bool)
DATA_TYPES = {"n", "s", "b"}


@dataclass
class SheetGrid:
    """A sheet's cells as (value, data type, StyleArray) by (row, column), and its row heights in points.

    A value is what openpyxl would hold in Cell._value with that data_type ("n", "s", "b" or "e"); the
    StyleArray is shared by every cell of one style and never changed."""
    cells: dict[tuple[int, int], tuple] = field(default_factory=dict)
    heights: dict[int, float] = field(default_factory=dict)
    # What the caller set the sheet's view, columns, protection and page set-up from: sheets with equal settings
    # serialise those identically, so the writer compares these instead of openpyxl's objects. None: compare those.
    settings: tuple | None = None

    def bounds(self) -> str:
        """Worksheet.calculate_dimension() of the same cells."""
        if not self.cells:
            return "A1:A1"
        rows = [row for row, _col in self.cells]
        cols = [col for _row, col in self.cells]
        return f"{get_column_letter(min(cols))}{min(rows)}:{get_column_letter(max(cols))}{max(rows)}"

    def materialize(self, ws) -> None:
        """The same cells and heights as openpyxl objects of `ws` (for comparisons with the library)."""
        for (row, col), (value, data_type, style) in self.cells.items():
            cell = ws._cells[row, col] = Cell(ws, row=row, column=col)
            cell._value, cell.data_type, cell._style = value, data_type, style.__copy__()
        for row, height in self.heights.items():
            ws.row_dimensions[row].height = height


class FastWorksheetWriter(WorksheetWriter):
    def __init__(self, ws, grid: SheetGrid | None = None, fragments: dict | None = None):
        super().__init__(ws, out=io.BytesIO())
        self.grid = grid
        self.fragments = fragments
        last_column = max((col for _row, col in grid.cells), default=1) if grid else ws.max_column
        self.letters = [""] + [get_column_letter(i) for i in range(1, last_column + 1)]
        self.style_ids = ws.parent._cell_styles
        self.style_id_of: dict[bytes, int] = {}    # StyleArray hashes in Python; its bytes hash in C

    # Sheet settings (view, columns, margins, page set-up, footer) are the same on most sheets of a workbook:
    # each distinct one is serialised once per save. The key is the grid's settings when it has them, else the
    # openpyxl object itself (they compare and hash by content).

    def _once(self, kind: str, key, build) -> None:
        """Write the element build() returns, or the text written for an equal key earlier in this save."""
        if LXML or self.fragments is None:
            return self.xf.send(build())
        fragments = self.fragments
        if self.grid is not None and self.grid.settings is not None:
            # settings are plain values that alone decide these parts: what they gave is kept across saves
            fragments = _SETTINGS_FRAGMENTS if len(_SETTINGS_FRAGMENTS) < 1000 else {}
            key = (self.grid.settings, kind == "views" and bool(self.ws.views.sheetView[0].tabSelected))
        elif callable(key):
            key = key()
        try:
            text = fragments.get((kind, key))
        except TypeError:                         # a part that does not hash: no sharing
            return self.xf.send(build())
        if text is None:
            element = build()
            text = fragments[kind, key] = "" if element is None else tostring(element).decode()
        if text:
            xf = self.xf.send(True)
            xf._file(text)
            self.xf.send(None)

    def _part(self, kind: str, part) -> None:
        """One openpyxl settings object, written when set (WorksheetWriter tests each with `if part:`)."""
        if part:
            self._once(kind, part, part.to_tree)

    def write_properties(self):
        self._once("properties", self.ws.sheet_properties, self.ws.sheet_properties.to_tree)

    def write_views(self):
        self._once("views", self.ws.views, self.ws.views.to_tree)

    def write_format(self):
        self.ws.sheet_format.outlineLevelCol = self.ws.column_dimensions.max_outline
        self._once("format", self.ws.sheet_format, self.ws.sheet_format.to_tree)

    def write_cols(self):
        columns = self.ws.column_dimensions
        self._once("cols", lambda: tuple((key, tuple(dimension)) for key, dimension in sorted(columns.items())),
                   columns.to_tree)

    def write_protection(self):
        self._part("protection", self.ws.protection)

    def write_print(self):
        self._part("print", self.ws.print_options)

    def write_margins(self):
        self._part("margins", self.ws.page_margins)

    def write_page(self):
        self._part("page", self.ws.page_setup)

    def write_header(self):
        header = self.ws.HeaderFooter
        if header:       # its parts hash by identity: the key is what they print
            self._once("header", lambda: (tuple(header), tuple(str(getattr(header, part))
                                                                for part in header.__elements__)), header.to_tree)

    def write_dimensions(self):
        if self.grid is None:
            return super().write_dimensions()
        self.xf.send(SheetDimension(self.grid.bounds()).to_tree())

    def write_rows(self):
        if LXML:             # lxml's xmlfile takes no raw text: the library's own path
            if self.grid is not None:
                self.grid.materialize(self.ws)
            return super().write_rows()
        if self.grid is not None:
            return self._write_grid()
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
                    style = cell._style if cell.has_style else None
                    if value is None and style is None:
                        continue
                    parts.append(self._xml(cell.column, row_idx, value, cell.data_type, style))
                parts.append("</row>")
                xf._file("".join(parts))
        self.xf.send(None)

    def _write_grid(self):
        """write_rows() for a SheetGrid: the same rows, attributes and cells."""
        cells, letters = self.grid.cells, self.letters
        columns: dict[int, list[int]] = {row: [] for row in self.grid.heights}
        for row, col in sorted(cells):
            columns.setdefault(row, []).append(col)
        style_attribute: dict[int, str] = {}     # id(StyleArray) → ' s="7"', or "" for the default style
        xf = self.xf.send(True)
        with xf.element("sheetData"):
            for row_idx in sorted(columns):
                parts = [f'<row r="{row_idx}"{self._row_attributes(row_idx)}>']
                for col in columns[row_idx]:
                    value, data_type, style = cells[row_idx, col]
                    attribute = style_attribute.get(id(style))
                    if attribute is None:
                        attribute = style_attribute[id(style)] = f' s="{self._style_id(style)}"' if any(style) else ""
                    if value is None and not attribute:
                        continue
                    head = f'<c r="{letters[col]}{row_idx}"{attribute}'
                    if data_type == "s":
                        parts.append(_inline_string(head, value))
                    elif value is None:
                        parts.append(f'{head} t="{data_type}" />')
                    elif data_type == "n":
                        parts.append(f'{head} t="n"><v>{safe_string(value)}</v></c>')
                    else:
                        parts.append(f'{head} t="{data_type}"><v>{escape(safe_string(value))}</v></c>')
                parts.append("</row>")
                xf._file("".join(parts))
        self.xf.send(None)

    def _row_attributes(self, row_idx: int) -> str:
        height = self.grid.heights.get(row_idx)
        if height is None:
            return ""
        text = _ROW_ATTRIBUTES.get(height)
        if text is None:     # RowDimension's own attributes, in its order, as openpyxl writes them
            dimension = RowDimension(self.ws, index=row_idx, ht=height)
            text = _ROW_ATTRIBUTES[height] = "".join(
                f' {key}="{escape(value)}"' for key, value in dimension if key != "r")
        return text

    def _style_id(self, style) -> int:
        key = style.tobytes()
        style_id = self.style_id_of.get(key)
        if style_id is None:
            style_id = self.style_id_of[key] = self.style_ids.add(style)
        return style_id

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

    def _xml(self, column: int, row_idx: int, value, data_type: str, style) -> str:
        head = f'<c r="{self.letters[column]}{row_idx}"'
        if style is not None:
            head += f' s="{self._style_id(style)}"'
        if data_type == "s":
            return _inline_string(head, value)
        if value is None or value == "":
            return f'{head} t="{data_type}" />'
        return f'{head} t="{data_type}"><v>{escape(safe_string(value))}</v></c>'


_ROW_ATTRIBUTES: dict[float, str] = {}      # row height → its attributes as openpyxl writes them
_SETTINGS_FRAGMENTS: dict[tuple, str] = {}  # (part, (SheetGrid.settings, active sheet)) → its XML


def _inline_string(head: str, value) -> str:
    if value is None or value == "":
        return f'{head} t="inlineStr" />'
    text = str(value)
    stripped = text.strip()
    space = ' xml:space="preserve"' if stripped and text != stripped else ""
    return f'{head} t="inlineStr"><is><t{space}>{_escaped(text)}</t></is></c>'


class FastExcelWriter(ExcelWriter):
    def __init__(self, workbook, archive, grids: dict | None = None, names: dict[str, str] | None = None,
                 stylesheet_key=None):
        super().__init__(workbook, archive)
        self.grids = grids or {}
        self.names = names or {}
        self.stylesheet_key = stylesheet_key
        self.fragments: dict = {}

    def write_worksheet(self, ws):
        if self.workbook.write_only:
            return super().write_worksheet(ws)
        from openpyxl.drawing.spreadsheet_drawing import SpreadsheetDrawing
        ws._drawing = SpreadsheetDrawing()
        ws._drawing.charts = ws._charts
        ws._drawing.images = ws._images
        writer = FastWorksheetWriter(ws, self.grids.get(ws), self.fragments)
        writer.write()
        ws._rels = writer._rels
        self._archive.writestr(ws.path[1:], writer.out.getvalue())
        self.manifest.append(ws)

    def write_data(self):
        """openpyxl 3.1's ExcelWriter.write_data, part by part and in its order, with two parts made faster.

        - The workbook-level names given to workbook_bytes() go into workbook.xml as text: openpyxl builds,
          validates and serialises an object per name, which took a fifth of the export (a name per input cell).
        - With a stylesheet_key, styles.xml is serialised once per distinct list of cell styles (see
          workbook_bytes): the same few dozen styles took a millisecond to turn into XML on every save.
        """
        archive, workbook = self._archive, self.workbook
        names = self.names
        # The names are spliced into the <definedNames> that a sheet's print area always produces; without one (or
        # with lxml, whose writer this does not reproduce) they become DefinedName objects like any other.
        if names and (LXML or not any(ws.print_area for ws in workbook.worksheets)):
            add_defined_names(workbook, names)
            names = {}

        archive.writestr(ARC_APP, _app_properties())
        archive.writestr(ARC_CORE, tostring(workbook.properties.to_tree()))
        archive.writestr(ARC_THEME, workbook.loaded_theme or theme_xml)
        if len(workbook.custom_doc_props) >= 1:
            archive.writestr(ARC_CUSTOM, tostring(workbook.custom_doc_props.to_tree()))
            self.manifest.append(_CustomOverride())

        self._write_worksheets()
        self._write_chartsheets()
        self._write_images()
        self._write_charts()
        self._write_external_links()

        archive.writestr(ARC_STYLE, self._stylesheet())

        writer = WorkbookWriter(workbook)
        archive.writestr(ARC_ROOT_RELS, writer.write_root_rels())
        data = writer.write()
        if names:
            # first, as openpyxl lists workbook-level names before the sheets' own (Print_Area, Print_Titles)
            raw = "".join(f'<definedName name="{_escaped(name, _QUOTE)}">{_escaped(reference)}</definedName>'
                          for name, reference in names.items())
            data = data.replace(b"<definedNames>", b"<definedNames>" + raw.encode(), 1)
        archive.writestr(ARC_WORKBOOK, data)
        archive.writestr(ARC_WORKBOOK_RELS, writer.write_rels())

        self._merge_vba()
        self.manifest._write(archive, workbook)

    def _stylesheet(self) -> bytes:
        if self.stylesheet_key is None or LXML:
            return tostring(write_stylesheet(self.workbook))
        # Written after the sheets: their cells' styles are all in _cell_styles by now, in the order of first use.
        key = (self.stylesheet_key, tuple(style.tobytes() for style in self.workbook._cell_styles))
        data = _STYLESHEETS.get(key)
        if data is None:
            data = tostring(write_stylesheet(self.workbook))
            if len(_STYLESHEETS) < 1000:
                _STYLESHEETS[key] = data
        return data


class _CustomOverride:
    """The manifest entry that openpyxl's write_data adds for custom document properties."""
    path = "/" + ARC_CUSTOM
    mime_type = CPROPS_TYPE


@functools.cache
def _app_properties() -> bytes:
    """docProps/app.xml: openpyxl writes the same default ExtendedProperties into every file."""
    return tostring(ExtendedProperties().to_tree())


_STYLESHEETS: dict[tuple, bytes] = {}       # (stylesheet_key, cell styles as bytes) → styles.xml


_QUOTE = {'"': "&quot;"}
_MARKUP = re.compile('[&<>"]')


def _escaped(text: str, entities: dict[str, str] | None = None) -> str:
    """saxutils.escape(text, entities), skipped for the many texts with nothing to escape (two thirds of its time)."""
    return escape(text, entities or {}) if _MARKUP.search(text) else text


def add_defined_names(workbook, names: dict[str, str]) -> None:
    """One workbook-level DefinedName per entry (name → reference such as "'附件1 基础数据表'!$B$5").
    DefinedName() validates a dozen attributes on every call; the names differ only in name and reference,
    so each is a copy of one."""
    prototype = DefinedName("prototype", attr_text="A1")
    for name, reference in names.items():
        workbook.defined_names[name] = unvalidated(DefinedName, prototype.__dict__, name=name, attr_text=reference)


def unvalidated(cls, copied: dict | None = None, **attributes):
    """An openpyxl object of `cls` with the attributes of `copied` (another one's __dict__) and `attributes`,
    made without running its validating descriptors: for values the exporter computed itself, or copied from
    an object that was validated once. Those descriptors were a tenth to a half of building a workbook."""
    created = object.__new__(cls)
    created.__dict__.update(copied or {}, **attributes)
    return created


def workbook_bytes(workbook, grids: dict | None = None, names: dict[str, str] | None = None,
                   stylesheet_key=None) -> bytes:
    """What `workbook.save(buffer)` writes, faster.

    grids: worksheet → SheetGrid, for sheets whose cells are kept there instead of in openpyxl Cells.
    names: workbook-level defined names (name → reference) that are not in workbook.defined_names: the same
    file as if add_defined_names() had put them there.
    stylesheet_key: a hashable value that the caller promises decides every style table of the workbook but its
    cell styles (fonts, fills, borders, alignments, protections, number formats, named, differential and table
    styles): styles.xml is then reused from an earlier save with the same key and the same cell styles."""
    buffer = io.BytesIO()
    archive = ZipFile(buffer, "w", ZIP_DEFLATED, allowZip64=True)
    workbook.properties.modified = datetime.datetime.now(tz=datetime.timezone.utc).replace(tzinfo=None)
    FastExcelWriter(workbook, archive, grids, names, stylesheet_key).save()
    return buffer.getvalue()

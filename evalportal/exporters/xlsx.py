"""The package as one Excel workbook laid out like the paper forms (domain.md §9): package in, bytes out.

Every attachment is one sheet with the grid, merged cells and texts of §3; inputs carry a defined name
(`a1_authorised_posts`, `a3_2_row_07_actual`) so that evalportal.importers.xlsx can read an edited copy
back. Computed cells hold the engine's values: the workbook contains no formula at all, because
openpyxl writes formulas without cached values and a clerk's program may never recalculate them.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.utils import timezone
from django.utils.functional import Promise
from openpyxl import Workbook
from openpyxl.cell.cell import ERROR_CODES, ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Alignment, Border, Font, Protection, Side
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.utils.exceptions import IllegalCharacterError
from openpyxl.utils.indexed_list import IndexedList
from openpyxl.utils.units import DEFAULT_COLUMN_WIDTH
from openpyxl.worksheet.cell_range import CellRange
from openpyxl.worksheet.dimensions import ColumnDimension

from evalportal.checks.derive import COMPUTED_LINES, Derived, derive, rate_pct
from evalportal.checks.formatting import cn_date
from evalportal.exporters.xlsx_save import SheetGrid, unvalidated, workbook_bytes
from evalportal.reports.models import BaseDataLine, FundTable, ReportPackage
from evalportal.reports.selectors import load_package, package_data
from evalportal.review.workflow import LOCKED_STATES
from evalportal.scoring import ValueKind, parse_actual, parse_target

SCHEMA_VERSION = 1
META_SHEET = "_meta"
MONEY, RATE, COUNT = "0.00", "0.00%", "0"
FORMULA_LIKE = ("=", "+", "-", "@")
FORBIDDEN_IN_SHEET_NAME = re.compile(r"[\[\]:*?/\\]")
SHEET_NAME_MAX = 31

# Hidden columns after the printed grid: the id of the object each row holds (and, for 附件3, the project's
# category; for 附件1 special rows, the linked project). The importer reads them to match rows to records.
A1_COLUMNS, A2_COLUMNS, FUND_COLUMNS = 7, 9, 7
A1_ID_COL, A1_LINK_COL = 8, 9            # H, I
A23_ID_COL, A23_KIND_COL = 10, 11        # J, K
FUND_ID_COL = 8                          # H
QUALITATIVE_FLAG = "定性"

A1_WIDTHS = (34, 9, 9, 9, 9, 9, 9)
A23_WIDTHS = (5, 11, 11, 26, 11, 11, 7, 8, 16)
FUND_WIDTHS = (6, 30, 11, 11, 11, 9, 14)

FOOTER_SEPARATOR = "\u3000\u3000"
NOTE_A1 = "说明：“项目支出”需要填报基本支出以外的所有项目支出情况，“公用经费”填报基本支出中的一般商品和服务支出。"

# 附件1 经费控制情况, in print order; the special rows come right after special_total.
A1_LINES = tuple(BaseDataLine.Line)
A1_SUB_LINES = {"vehicle_purchase", "vehicle_operation", "office_expense", "utilities_travel", "meeting_training"}
A1_COLS = ("prev_final", "cur_budget", "cur_final")

FUND_SHEET_TITLES = {4: "附件4 政府性基金预算支出表", 5: "附件5 国有资本经营预算支出表", 6: "附件6 社会保险基金预算支出表"}
A1_TITLE, A2_TITLE = "附件1 基础数据表", "附件2 部门整体自评表"

# Defined-name anchors of the variable-length tables: the importer reads every row between them,
# so rows a clerk inserted in Excel (which carry no names) are read too.
ROWS_HEAD, ROWS_TOTAL = "rows_head", "rows_total"


# ---------------------------------------------------------------- names and small helpers

def xlsx_filename(package: ReportPackage) -> str:
    return f"{package.year}年度{package.department.name}绩效自评表.xlsx"


def sheet_title(prefix: str, name: str, taken: set[str]) -> str:
    """`附件3-2 电子政务及相关经费`: cut to 31 characters, []:*?/\\ replaced by _, unique in the workbook."""
    base = FORBIDDEN_IN_SHEET_NAME.sub("_", f"{prefix} {name}".strip())[:SHEET_NAME_MAX].strip()
    title, n = base, 2
    while title.lower() in {t.lower() for t in taken} or title == META_SHEET:
        suffix = f"({n})"
        title, n = base[:SHEET_NAME_MAX - len(suffix)] + suffix, n + 1
    taken.add(title)
    return title


def row_name(prefix: str, index: int, column: str) -> str:
    return f"{prefix}_row_{index:02d}_{column}"


def footer_text(filled_by: str, filled_on, phone: str | None, head_name: str | None, *, date_label: str = "填报日期",
                with_phone: bool = True) -> str:
    parts = [f"填表人：{filled_by or ''}", f"{date_label}：{cn_date(filled_on) if filled_on else ''}"]
    if with_phone:
        parts += [f"联系电话：{phone or ''}", f"单位负责人签字：{head_name or ''}"]
    return FOOTER_SEPARATOR.join(parts)


# East Asian wide and full-width characters (CJK, kana, hangul, full-width forms and punctuation).
WIDE = re.compile("[\u1100-\u115f\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff\ua000-\ua4cf"
                  "\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]")


def display_width(text: str) -> int:
    """Columns a text needs in Excel's width unit: a CJK or full-width character takes two.
    A regex count, since unicodedata character by character took a tenth of the export."""
    return len(text) + len(WIDE.findall(text))


def lines_needed(text: str, width: float) -> int:
    # Less than the nominal width: LibreOffice and WPS lay CJK out a little wider than two width units.
    usable = int(max((width - 1.5) * 0.85, 2))
    text = str(text)
    if 2 * len(text) <= usable and "\n" not in text:      # fits even if every character is wide
        return 1
    return sum(max(1, -(-display_width(part) // usable)) for part in text.split("\n"))


def target_display(raw: str, force_qualitative: bool) -> str:
    """年度指标值 as printed: the canonical form (≧ 10% → ≥10%); unreadable text as typed."""
    try:
        return parse_target(raw, force_qualitative=force_qualitative).canonical or raw
    except Exception:          # a stored value the parser rejects is shown as typed, so the clerk can fix it
        return raw


def actual_display(raw: str, target_raw: str, force_qualitative: bool) -> str:
    try:
        target = parse_target(target_raw, force_qualitative=force_qualitative)
        actual = parse_actual(raw, target)
    except Exception:
        return raw
    # An inherited unit is the engine's reading, not what the filler wrote (K10): print what was written.
    if actual.kind != ValueKind.QUANTITATIVE or actual.unit_inherited:
        return raw
    return actual.canonical or raw


def shown_target(score, raw: str) -> str:
    """target_display() from the engine's own parse of the row (the export does not parse twice)."""
    return (score.target.canonical or raw) if score.target is not None else raw


def shown_actual(score, raw: str) -> str:
    actual = score.actual
    if actual is None or actual.kind != ValueKind.QUANTITATIVE or actual.unit_inherited:
        return raw
    return actual.canonical or raw


def ratio(percent: Decimal | None) -> Decimal | None:
    """The engine's percent (100.00) as the ratio a `0.00%` cell holds (1.0000)."""
    return None if percent is None else percent / 100


# ---------------------------------------------------------------- styles

THIN = Side(style="thin", color="000000")
GRID = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
BODY_FONT = Font(name="宋体", size=10.5)
HEAD_FONT = Font(name="黑体", size=10.5)
LINE_HEIGHT = 14.5      # points per wrapped line at 五号
GRID_ROW_HEIGHT = 18.0
VERTICAL_CHAR_HEIGHT = 16.0


@functools.cache
def _style_specs() -> dict[str, dict]:
    """The export's styles (openpyxl style objects are never changed once made, so workbooks share them)."""
    center = dict(horizontal="center", vertical="center", wrap_text=True)
    return {
        "attachment": dict(font=Font(name="黑体", size=16), alignment=Alignment(horizontal="left", vertical="center")),
        "title": dict(font=Font(name="宋体", size=18, bold=True), alignment=Alignment(**center)),
        "unit": dict(font=BODY_FONT, alignment=Alignment(horizontal="left", vertical="center")),
        "unit_right": dict(font=BODY_FONT, alignment=Alignment(horizontal="right", vertical="center")),
        "head": dict(font=HEAD_FONT, border=GRID, alignment=Alignment(**center)),
        "head_vertical": dict(font=HEAD_FONT, border=GRID, alignment=Alignment(text_rotation=255, **center)),
        "label": dict(font=BODY_FONT, border=GRID, alignment=Alignment(**center)),
        "label_left": dict(font=BODY_FONT, border=GRID,
                           alignment=Alignment(horizontal="left", vertical="center", wrap_text=True)),
        "label_indent": dict(font=BODY_FONT, border=GRID,
                             alignment=Alignment(horizontal="left", vertical="center", wrap_text=True, indent=2)),
        "label_right": dict(font=BODY_FONT, border=GRID,
                            alignment=Alignment(horizontal="right", vertical="center", wrap_text=True)),
        "text": dict(font=BODY_FONT, border=GRID,
                     alignment=Alignment(horizontal="left", vertical="center", wrap_text=True)),
        "text_top": dict(font=BODY_FONT, border=GRID,
                         alignment=Alignment(horizontal="left", vertical="top", wrap_text=True)),
        "text_center": dict(font=BODY_FONT, border=GRID, alignment=Alignment(**center)),
        "money": dict(font=BODY_FONT, border=GRID, number_format=MONEY,
                      alignment=Alignment(horizontal="right", vertical="center", indent=1)),
        "rate": dict(font=BODY_FONT, border=GRID, number_format=RATE,
                     alignment=Alignment(horizontal="right", vertical="center", indent=1)),
        "count": dict(font=BODY_FONT, border=GRID, number_format=COUNT,
                      alignment=Alignment(horizontal="right", vertical="center", indent=1)),
        "footer": dict(font=Font(name="宋体", size=12),
                       alignment=Alignment(horizontal="left", vertical="center", wrap_text=True)),
        "note": dict(font=BODY_FONT, alignment=Alignment(horizontal="left", vertical="center", wrap_text=True)),
        "hidden": dict(font=BODY_FONT),
    }


# The tables of a workbook that the export's styles go into (its cell styles are filled as the sheets are saved).
STYLE_TABLES = ("_fonts", "_fills", "_borders", "_alignments", "_protections", "_number_formats")


def _table_sizes(wb: Workbook) -> tuple:
    return (tuple(len(getattr(wb, table)) for table in STYLE_TABLES), len(wb._named_styles),
            len(wb._differential_styles.styles), len(wb._table_styles.tableStyle), wb._colors)


@functools.cache
def _style_prototype() -> tuple[Workbook, dict[tuple[str, bool, bool], StyleArray]]:
    """A workbook holding every style of the export, plain, quoted (a text starting with =) and unlocked, and the
    StyleArray of each: made once per process, in a fixed order."""
    wb = Workbook()
    arrays = {}
    for name, spec in _style_specs().items():
        for quoted in (False, True):
            for unlocked in (False, True):
                cell = Cell(wb.active)
                for attribute, value in spec.items():
                    setattr(cell, attribute, value)
                if quoted:
                    cell.quotePrefix = True
                if unlocked:
                    cell.protection = Protection(locked=False)
                arrays[name, quoted, unlocked] = cell._style     # never changed: the grids share them
    return wb, arrays


class Styles:
    """The export's styles as openpyxl StyleArrays, shared by the cells of the grids and by every workbook.

    Assigning Font/Border/Alignment objects cell by cell hashes them every time and doubled the export time;
    registering them once per workbook still took a tenth of building one. A workbook instead adopts copies of
    the prototype's style tables (_style_prototype), so that the prototype's arrays index into its own tables.
    """

    def __init__(self, workbook: Workbook):
        self.prototype, self.arrays = _style_prototype()
        for table in STYLE_TABLES:
            setattr(workbook, table, IndexedList(getattr(self.prototype, table)))
        self.workbook = workbook

    def unchanged(self) -> bool:
        """Whether the workbook's style tables still hold what the prototype's do: nothing else added a style
        (the tables only grow), and the named, differential and table styles are a new workbook's."""
        return _table_sizes(self.workbook) == _table_sizes(self.prototype)

    @property
    def stylesheet_key(self):
        """For xlsx_save.workbook_bytes: these tables are decided by the prototype, while they are unchanged."""
        return self.prototype if self.unchanged() else None


# ---------------------------------------------------------------- the sheet writer

def cell_text(value: str) -> tuple[str, str]:
    """(value, data_type) that Cell.value = value stores for a text not starting with =, + , - or @."""
    value = value[:32767]              # Excel's limit; openpyxl cuts there too
    if ILLEGAL_CHARACTERS_RE.search(value):
        raise IllegalCharacterError(f"{value} cannot be used in worksheets.")
    return value, "e" if value in ERROR_CODES else "s"


def cell_value(value, worksheet) -> tuple[object, str]:
    """(value, data_type) that Cell.value = value stores, for anything but text."""
    if type(value) in (int, float, Decimal):
        return value, "n"
    if type(value) is bool:
        return value, "b"
    probe = Cell(worksheet)        # dates and the rest: openpyxl's own conversion
    probe.value = value
    return probe._value, probe.data_type


def cell_range(min_col: int, min_row: int, max_col: int, max_row: int) -> CellRange:
    """CellRange(min_col=…) without its four validating descriptors, for bounds the writer computed itself:
    two thousand merges at 50 projects made the validation a tenth of building the workbook."""
    assert 0 < min_col <= max_col and 0 < min_row <= max_row
    return unvalidated(CellRange, min_col=min_col, min_row=min_row, max_col=max_col, max_row=max_row, title=None)


@functools.cache
def _column_prototype(letter: str, width: float, hidden: bool) -> ColumnDimension:
    return ColumnDimension(_style_prototype()[0].active, index=letter, width=width, hidden=hidden)


def column_dimension(ws, letter: str, width: float, hidden: bool) -> ColumnDimension:
    """ColumnDimension(ws, index=letter, width=width, hidden=hidden), copied from one made once per process:
    the constructor validates a dozen descriptors, and the columns were half of finishing a sheet."""
    created = unvalidated(ColumnDimension, _column_prototype(letter, width, hidden).__dict__)
    created.parent, created._style = ws, StyleArray()      # StyleableObject's slots
    return created


@dataclass
class SheetWriter:
    ws: object
    styles: Styles
    widths: tuple[int, ...]
    names: dict[str, str]                 # defined name → "'sheet'!$C$5", shared by the whole workbook
    unlock_inputs: bool = False           # protection on and the package editable: input cells stay open
    protect: bool = False                 # settings.XLSX_PROTECTION (domain.md §9, off by default)
    row: int = 1
    heights: dict[int, float] = field(default_factory=dict)
    vertical: list[tuple[int, int, str]] = field(default_factory=list)    # stacked labels: first, last row, text

    grid: SheetGrid = field(default_factory=SheetGrid)

    def __post_init__(self):
        self.quoted_title = quote_sheetname(self.ws.title)

    def put(self, row: int, col: int, value=None, style: str = "text", name: str | None = None,
            width: float | None = None, fit: bool = True) -> StyleArray:
        """Write a cell into the grid (an openpyxl Cell per cell was a third of the export): its value as
        Cell.value would store it, and its style, which is returned; a blank keeps what the cell held."""
        quoted = False
        if isinstance(value, Promise):       # gettext_lazy labels
            value = str(value)
        if value is None or value == "":
            value, data_type = self.grid.cells.get((row, col), (None, "n"))[:2]
        elif isinstance(value, str):
            if value.startswith(FORMULA_LIKE):
                # A target such as =100% would otherwise become a formula (notes.md): force text, quote prefix.
                data_type, quoted = "s", True
            else:
                value, data_type = cell_text(value)
        else:
            value, data_type = cell_value(value, self.ws)
        array = self.styles.arrays[style, quoted, bool(name) and self.unlock_inputs]
        self.grid.cells[row, col] = (value, data_type, array)
        if name:
            self.names[name] = f"{self.quoted_title}!${get_column_letter(col)}${row}"
        if fit and isinstance(value, str) and value and style not in ("attachment", "title", "hidden"):
            self.fit(row, value, width if width is not None else self.widths[col - 1])
        return array

    def merge(self, row: int, col: int, last_row: int, last_col: int, value=None, style: str = "text",
              name: str | None = None) -> None:
        """Write the top-left cell and style every cell of the range, so that its borders print all round."""
        # A label merged down several rows has their joint height; only one-row merges need a taller row.
        array = self.put(row, col, value, style, name, width=sum(self.widths[col - 1:last_col]), fit=last_row == row)
        if style == "head_vertical" and value:
            self.vertical.append((row, last_row, str(value)))
        if (last_row, last_col) != (row, col):
            cells, blank = self.grid.cells, (None, "n", array)
            for r in range(row, last_row + 1):
                for c in range(col, last_col + 1):
                    if (r, c) != (row, col):
                        held = cells.get((r, c))
                        cells[r, c] = blank if held is None else (held[0], held[1], array)
            # Bypasses merge_cells(), which re-formats the borders of every merged cell and took half the time,
            # and MultiCellRange.add(), which compares the new range with every earlier one.
            self.ws.merged_cells.ranges.add(cell_range(col, row, last_col, last_row))

    def fit(self, row: int, text: str, width: float) -> None:
        """openpyxl cannot auto-fit and LibreOffice does not refit on load: estimate from characters per line."""
        lines = lines_needed(text, width)
        if lines > 1:
            self.heights[row] = max(self.heights.get(row, 0), lines * LINE_HEIGHT + 4)

    def finish(self, *, print_title_row: int | None, freeze_row: int, last_col: int, hidden_cols=()) -> None:
        ws = self.ws
        # Everything below but the row heights and print area follows from these (xlsx_save.SheetGrid.settings).
        self.grid.settings = (self.widths, tuple(hidden_cols), freeze_row, self.protect)
        columns = {index: (width, False) for index, width in enumerate(self.widths, start=1)}
        for col in hidden_cols:
            columns[col] = (columns.get(col, (DEFAULT_COLUMN_WIDTH,))[0], True)
        for index, (width, hidden) in columns.items():
            letter = get_column_letter(index)
            ws.column_dimensions[letter] = column_dimension(ws, letter, width, hidden)
        heights = {row: max(self.heights.get(row, 0), GRID_ROW_HEIGHT) for row in range(3, self.row)}
        for first, last, text in self.vertical:
            # One character per line: the merged rows together must be as tall as the stacked text.
            rows = range(first, last + 1)
            missing = len(text) * VERTICAL_CHAR_HEIGHT + 8 - sum(heights[r] for r in rows)
            if missing > 0:
                for r in rows:
                    heights[r] += missing / len(rows)
        for row, height in heights.items():
            self.grid.heights[row] = round(min(height, 409), 1)     # 409 pt: Excel's maximum
        ws.freeze_panes = f"A{freeze_row}"
        ws.page_setup.paperSize = ws.PAPERSIZE_A4
        ws.page_setup.orientation = "portrait"
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        # GB/T 9704: 天头 37 mm, 订口 28 mm, bottom 35 mm, right 26 mm (inches here).
        ws.page_margins.left, ws.page_margins.right = 1.10, 1.02
        ws.page_margins.top, ws.page_margins.bottom = 1.46, 1.38
        ws.page_margins.footer = 0.9
        ws.print_options.horizontalCentered = True
        ws.oddFooter.center.text = "— &P —"
        ws.oddFooter.center.size = 14
        ws.print_area = f"A1:{get_column_letter(last_col)}{self.row - 1}"
        if print_title_row:
            ws.print_title_rows = f"{print_title_row}:{print_title_row}"
        if self.protect:
            # No password: protection guards against slips, not against a clerk who means to change a label.
            ws.protection.sheet = True
            ws.protection.formatRows = ws.protection.formatColumns = False    # row heights stay adjustable


# ---------------------------------------------------------------- the workbook

class PackageWorkbook:
    def __init__(self, package: ReportPackage, derived: Derived):
        self.package = package
        self.derived = derived
        self.year = package.year
        self.wb = Workbook()
        self.styles = Styles(self.wb)
        self.names: dict[str, str] = {}
        self.taken: set[str] = set()
        self.sheets: list[tuple[str, str, str, str]] = []     # role, title, object id, extra (for _meta)
        self.grids: dict[object, SheetGrid] = {}                # worksheet → its cells (xlsx_save.SheetGrid)
        self.first = True

    def new_sheet(self, title: str, widths: tuple[int, ...]) -> SheetWriter:
        if self.first:
            ws, self.first = self.wb.active, False
            ws.title = title
        else:
            ws = self.wb.create_sheet(title)
        # Protection (configurable, off by default): labels and computed cells locked, inputs open; an
        # approved or published package is locked throughout.
        protect = getattr(settings, "XLSX_PROTECTION", False)
        writer = SheetWriter(ws, self.styles, widths, self.names, protect=protect,
                             unlock_inputs=protect and self.package.state not in LOCKED_STATES)
        self.grids[ws] = writer.grid
        return writer

    def build(self) -> bytes:
        workbook = self.workbook()
        return workbook_bytes(workbook, self.grids, self.names, stylesheet_key=self.styles.stylesheet_key)

    def workbook(self) -> Workbook:
        package = self.package
        self.taken.update({A1_TITLE, A2_TITLE})
        self.base_sheet()
        self.department_sheet()
        projects = list(package.projects.all())
        for index, project in enumerate(projects, start=1):
            self.project_sheet(index, project)
        for table in sorted(package.fund_tables.all(), key=lambda t: t.number):
            if not table.none:
                self.fund_sheet(table)
        self.meta_sheet()
        return self.wb          # its defined names are in self.names (xlsx_save.workbook_bytes writes them)

    # ---- common blocks

    def heading(self, w: SheetWriter, label: str, title: str, last_col: int) -> None:
        w.put(1, 1, label, "attachment")
        w.grid.heights[1] = 24
        w.merge(2, 1, 2, last_col, title, "title")
        w.grid.heights[2] = 36
        w.row = 3

    def footer(self, w: SheetWriter, text: str, last_col: int, name: str) -> None:
        w.merge(w.row, 1, w.row, last_col, text, "footer", name=name)
        w.heights[w.row] = max(w.heights.get(w.row, 0), 22)
        w.row += 1

    # ---- 附件1

    def base_sheet(self) -> None:
        package, year = self.package, self.year
        base = package.base_data
        derived = self.derived.base
        w = self.new_sheet(A1_TITLE, A1_WIDTHS)
        self.sheets.append(("a1", w.ws.title, str(base.pk), ""))
        self.heading(w, "附件1", f"{year}年度部门整体支出绩效评价基础数据表", A1_COLUMNS)
        w.merge(3, 1, 3, A1_COLUMNS, f"填报单位：{package.department.name}", "unit")
        # 财政供养人员情况(人)
        w.merge(4, 1, 5, 1, "财政供养人员情况(人)", "head")
        for col, text in ((2, "编制数"), (4, f"{year}年实际在职人数"), (6, "控制率")):
            w.merge(4, col, 4, col + 1, text, "head")
        w.merge(5, 2, 5, 3, base.authorised_posts, "count", name="a1_authorised_posts")
        w.merge(5, 4, 5, 5, base.actual_staff, "count", name="a1_actual_staff")
        w.merge(5, 6, 5, 7, ratio(derived.staff_control_rate), "rate")
        # 经费控制情况(万元)
        w.put(6, 1, "经费控制情况(万元)", "head")
        for col, text in ((2, f"{year - 1}年决算数"), (4, f"{year}年预算数"), (6, f"{year}年决算数")):
            w.merge(6, col, 6, col + 1, text, "head")
        w.row = 7
        typed = {line.line: line for line in base.lines.all()}
        specials = list(base.special_rows.all())
        for line in A1_LINES:
            values = derived.line(line.value)
            style = "label_indent" if line.value in A1_SUB_LINES else "label_left"
            w.put(w.row, 1, line.label, style)
            if line.value == "special_total":
                w.names["a1_special_total"] = self.anchor(w, w.row)
            if line.value == "public_expense":
                w.names["a1_public_expense"] = self.anchor(w, w.row)
            for index, column in enumerate(A1_COLS):
                computed = self.a1_computed(line.value, column, typed)
                value = getattr(values, column)
                name = None if computed else f"a1_{line.value}_{column}"
                w.merge(w.row, 2 + index * 2, w.row, 3 + index * 2, value, "money", name=name)
            w.row += 1
            if line.value == "special_total":
                for number, (special, row_derived) in enumerate(zip(specials, derived.special_rows), start=1):
                    self.special_row(w, number, special, row_derived)
        # 楼堂馆所控制情况
        start = w.row
        w.merge(start, 1, start + 1, 1, f"楼堂馆所控制情况({year}年完工项目)", "head")
        heads = ("批复规模(m²)", "实际规模(m²)", "规模控制率", "预算投资(万元)", "实际投资(万元)", "投资概算控制率")
        for col, text in enumerate(heads, start=2):
            w.put(start, col, text, "head")
        values = (
            (base.approved_area, "money", "a1_approved_area"), (base.actual_area, "money", "a1_actual_area"),
            (ratio(derived.area_control_rate), "rate", None),
            (base.budget_investment, "money", "a1_budget_investment"),
            (base.actual_investment, "money", "a1_actual_investment"),
            (ratio(derived.investment_control_rate), "rate", None),
        )
        for col, (value, style, name) in enumerate(values, start=2):
            w.put(start + 1, col, value, style, name=name)
        w.row = start + 2
        w.put(w.row, 1, "厉行节约保障措施", "head")
        w.merge(w.row, 2, w.row, A1_COLUMNS, base.austerity_measures, "text", name="a1_austerity_measures")
        w.heights[w.row] = max(w.heights.get(w.row, 0), 30)
        w.row += 1
        w.merge(w.row, 1, w.row, A1_COLUMNS, NOTE_A1, "note")
        w.row += 1
        self.footer(w, footer_text(base.filled_by, base.filled_on, base.phone, base.head_name, date_label="填表日期"),
                    A1_COLUMNS, "a1_footer")
        w.finish(print_title_row=6, freeze_row=4, last_col=A1_COLUMNS, hidden_cols=(A1_ID_COL, A1_LINK_COL))

    @staticmethod
    def anchor(w: SheetWriter, row: int, col: int = 1) -> str:
        return f"{w.quoted_title}!${get_column_letter(col)}${row}"

    def a1_computed(self, line: str, column: str, typed: dict) -> bool:
        """Is this 附件1 cell computed by the engine (and so not read back)?"""
        if line in ("business_funds", "operation_funds"):
            return column != "prev_final"      # Y−1 has no project data, so it is typed
        if line == "vehicle":
            subs = [typed.get(key) for key in ("vehicle_purchase", "vehicle_operation")]
            return any(sub is not None and getattr(sub, column) is not None for sub in subs)
        return line in COMPUTED_LINES

    def special_row(self, w: SheetWriter, number: int, special, row_derived) -> None:
        prefix = f"a1_special_{number:02d}"
        w.put(w.row, 1, special.name, "label_indent", name=f"{prefix}_name")
        linked = special.project_id is not None
        for index, column in enumerate(A1_COLS):
            computed = linked and column != "prev_final"
            w.merge(w.row, 2 + index * 2, w.row, 3 + index * 2, getattr(row_derived.line, column), "money",
                    name=None if computed else f"{prefix}_{column}")
        w.put(w.row, A1_ID_COL, special.pk, "hidden")
        w.put(w.row, A1_LINK_COL, special.project_id, "hidden")
        w.row += 1

    # ---- 附件2 and 附件3

    def department_sheet(self) -> None:
        package = self.package
        sheet = package.department_sheet
        derived = self.derived.department
        w = self.new_sheet(A2_TITLE, A23_WIDTHS)
        self.sheets.append(("a2", w.ws.title, str(sheet.pk), ""))
        self.heading(w, "附件2", f"{self.year}年度部门整体支出绩效自评表", A2_COLUMNS)
        w.merge(3, 1, 3, 2, "预算部门名称", "head")
        w.merge(3, 3, 3, A2_COLUMNS, package.department.name, "text")
        w.row = 4
        p = "a2"
        self.funds_head(w, "年度预算申请(万元)", 7)
        w.merge(w.row, 2, w.row, 3, "年度资金总额", "label")
        for col, field_name in ((4, "initial_budget"), (5, "full_year_budget"), (6, "full_year_spent")):
            w.put(w.row, col, getattr(sheet, field_name), "money", name=f"{p}_{field_name}")
        self.execution_cells(w, derived)
        w.row += 1
        w.merge(w.row, 2, w.row, 5, "按收入性质分：", "label_left")
        w.merge(w.row, 6, w.row, 9, "按支出性质分：", "label_left")
        w.row += 1
        splits = (
            ("其中：一般公共预算：", "income_general", "其中：基本支出：", "basic_expenditure"),
            ("政府性基金拨款：", "income_gov_fund", "项目支出：", None),
            ("纳入专户管理的非税收入拨款：", "income_nontax_special", "", ""),
            ("其他资金：", "income_other", "", ""),
        )
        for left_label, left_field, right_label, right_field in splits:
            w.merge(w.row, 2, w.row, 4, left_label, "label_right")
            w.put(w.row, 5, getattr(sheet, left_field), "money", name=f"{p}_{left_field}")
            if right_field == "":
                w.merge(w.row, 6, w.row, 9, None, "text")
            else:
                w.merge(w.row, 6, w.row, 8, right_label, "label_right")
                if right_field is None:           # 项目支出 = Σ 附件3 全年执行数
                    w.put(w.row, 9, derived.project_expenditure, "money")
                else:
                    w.put(w.row, 9, getattr(sheet, right_field), "money", name=f"{p}_{right_field}")
            w.row += 1
        self.goal_block(w, p, sheet)
        self.indicator_block(w, p, list(sheet.rows.all()), derived)
        self.footer(w, footer_text(sheet.filled_by, sheet.filled_on, sheet.phone, sheet.head_name), A2_COLUMNS,
                    f"{p}_footer")
        w.finish(print_title_row=self.rows_head_row, freeze_row=3, last_col=A2_COLUMNS,
                 hidden_cols=(A23_ID_COL, A23_KIND_COL))

    def project_sheet(self, index: int, project) -> None:
        sheet = project.sheet
        derived = self.derived.by_order[project.order]
        title = sheet_title(f"附件3-{index}", project.name, self.taken)
        w = self.new_sheet(title, A23_WIDTHS)
        self.sheets.append((f"a3_{index}", title, str(project.pk), project.category))
        p = f"a3_{index}"
        self.heading(w, f"附件3-{index}", f"{self.year}年度项目支出绩效自评表", A2_COLUMNS)
        w.put(1, A23_ID_COL, project.pk, "hidden")
        w.put(2, A23_ID_COL, project.category, "hidden")
        w.merge(3, 1, 3, 2, "项目支出名称", "head")
        w.merge(3, 3, 3, A2_COLUMNS, project.name, "text", name=f"{p}_name")
        w.merge(4, 1, 4, 2, "主管部门", "head")
        w.merge(4, 3, 4, 5, sheet.supervising_department, "text", name=f"{p}_supervising_department")
        w.merge(4, 6, 4, 7, "实施单位", "head")
        w.merge(4, 8, 4, 9, sheet.implementing_unit, "text", name=f"{p}_implementing_unit")
        w.row = 5
        self.funds_head(w, "项目资金(万元)", 5)
        w.merge(w.row, 2, w.row, 3, "年度资金总额", "label")
        for col, column in ((4, "initial"), (5, "full_year"), (6, "spent")):
            w.put(w.row, col, getattr(derived.funds, column), "money")
        self.execution_cells(w, derived)
        w.row += 1
        for label, prefix in (("其中：当年财政拨款", "appropriation"), ("上年结转资金", "carryover"),
                              ("其他资金", "other")):
            w.merge(w.row, 2, w.row, 3, label, "label")
            for col, column in ((4, "initial"), (5, "full_year"), (6, "spent")):
                w.put(w.row, col, getattr(sheet, f"{prefix}_{column}"), "money", name=f"{p}_{prefix}_{column}")
            w.merge(w.row, 7, w.row, 9, None, "text")
            w.row += 1
        self.goal_block(w, p, sheet)
        self.indicator_block(w, p, list(sheet.rows.all()), derived)
        self.footer(w, footer_text(sheet.filled_by, sheet.filled_on, sheet.phone, sheet.head_name), A2_COLUMNS,
                    f"{p}_footer")
        w.finish(print_title_row=self.rows_head_row, freeze_row=3, last_col=A2_COLUMNS,
                 hidden_cols=(A23_ID_COL, A23_KIND_COL))

    def funds_head(self, w: SheetWriter, label: str, height: int) -> None:
        w.merge(w.row, 1, w.row + height - 1, 1, label, "head_vertical")
        w.merge(w.row, 2, w.row, 3, None, "head")
        for col, text in enumerate(("年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"), start=4):
            w.put(w.row, col, text, "head")
        w.row += 1

    def execution_cells(self, w: SheetWriter, derived) -> None:
        w.put(w.row, 7, self.package.weight_template.execution_weight, "money")
        w.put(w.row, 8, ratio(derived.execution_rate), "rate")
        w.put(w.row, 9, derived.execution_score, "money")

    def goal_block(self, w: SheetWriter, p: str, sheet) -> None:
        w.merge(w.row, 1, w.row + 1, 1, "年度总体目标", "head_vertical")
        w.merge(w.row, 2, w.row, 5, "预期目标", "head")
        w.merge(w.row, 6, w.row, 9, "实际完成情况", "head")
        w.row += 1
        w.merge(w.row, 2, w.row, 5, sheet.goal_expected, "text_top", name=f"{p}_goal_expected")
        w.merge(w.row, 6, w.row, 9, sheet.goal_achieved, "text_top", name=f"{p}_goal_achieved")
        w.heights[w.row] = max(w.heights.get(w.row, 0), 60)
        w.row += 1

    def indicator_block(self, w: SheetWriter, p: str, rows: list, derived) -> None:
        head = w.row
        self.rows_head_row = head
        last = head + len(rows)
        w.merge(head, 1, last, 1, "绩效指标", "head_vertical")
        for col, text in enumerate(("一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分",
                                    "偏差原因分析及改进措施"), start=2):
            w.put(head, col, text, "head")
        w.names[f"{p}_{ROWS_HEAD}"] = self.anchor(w, head, 2)
        scores = derived.score.rows
        for index, (row, score) in enumerate(zip(rows, scores), start=1):
            r = head + index
            qualitative = row.kind == row.Kind.QUALITATIVE
            w.put(r, 4, row.name, "text", name=row_name(p, index, "name"))
            w.put(r, 5, shown_target(score, row.target_raw), "text_center", name=row_name(p, index, "target"))
            w.put(r, 6, shown_actual(score, row.actual_raw) if row.actual_raw else "", "text_center",
                  name=row_name(p, index, "actual"))
            w.put(r, 7, row.weight, "money", name=row_name(p, index, "weight"))
            # A qualitative row's 得分 is judged by the filler (an input); a quantitative one is computed.
            w.put(r, 8, score.final, "money", name=row_name(p, index, "score") if score.is_qualitative else None)
            w.put(r, 9, row.deviation_reason, "text", name=row_name(p, index, "deviation"))
            w.put(r, A23_ID_COL, row.pk, "hidden")
            w.put(r, A23_KIND_COL, QUALITATIVE_FLAG if qualitative else None, "hidden")
        # 一级 merged per group, 二级 per run of one subcategory inside it.
        for col, key in ((2, lambda row: row.category_id), (3, lambda row: (row.category_id, row.subcategory_id))):
            start = 0
            for index in range(1, len(rows) + 1):
                if index == len(rows) or key(rows[index]) != key(rows[start]):
                    category = rows[start].category
                    # The weight on its own line, so that a narrow column never strands a lone bracket.
                    label = f"{category.name}\n（{category.weight.normalize():f}分）" if col == 2 else \
                        rows[start].subcategory.name
                    w.merge(head + 1 + start, col, head + index, col, label, "label")
                    start = index
        total = last + 1
        w.merge(total, 1, total, 6, "总分", "head")
        w.names[f"{p}_{ROWS_TOTAL}"] = self.anchor(w, total)
        weights = sum((row.weight for row in rows), Decimal("0")) + self.package.weight_template.execution_weight
        w.put(total, 7, weights, "money")
        w.put(total, 8, derived.total, "money")
        w.put(total, 9, None, "text")
        w.row = total + 1

    # ---- 附件4–6

    def fund_sheet(self, table: FundTable) -> None:
        number = table.number
        title = sheet_title(FUND_SHEET_TITLES[number], "", self.taken)
        w = self.new_sheet(title, FUND_WIDTHS)
        self.sheets.append((f"a{number}", title, str(table.pk), table.kind))
        p = f"a{number}"
        self.heading(w, f"附件{number}", f"{self.year}年度{table.get_kind_display()}", FUND_COLUMNS)
        w.merge(3, 1, 3, 4, f"填报单位：{self.package.department.name}", "unit")
        w.merge(3, 5, 3, FUND_COLUMNS, "单位：万元", "unit_right")
        head = 4
        for col, text in enumerate(("序号", "项目（支出功能分类科目）", "年初预算数", "全年预算数", "全年执行数", "执行率",
                                    "备注"), start=1):
            w.put(head, col, text, "head")
        w.names[f"{p}_{ROWS_HEAD}"] = self.anchor(w, head, 2)
        w.row = head + 1
        for index, row in enumerate(table.rows.all(), start=1):
            r = w.row
            w.put(r, 1, index, "count")
            w.put(r, 2, row.subject, "text", name=row_name(p, index, "subject"))
            for col, field_name in ((3, "initial_budget"), (4, "full_year_budget"), (5, "full_year_spent")):
                w.put(r, col, getattr(row, field_name), "money", name=row_name(p, index, field_name))
            w.put(r, 6, ratio(rate_pct(row.full_year_spent, row.full_year_budget)), "rate")
            w.put(r, 7, row.note, "text", name=row_name(p, index, "note"))
            w.put(r, FUND_ID_COL, row.pk, "hidden")
            w.row += 1
        total = self.derived.fund_table(number).total if self.derived.fund_table(number) else None
        w.merge(w.row, 1, w.row, 2, "合计", "head")
        w.names[f"{p}_{ROWS_TOTAL}"] = self.anchor(w, w.row)
        for col, column in ((3, "initial"), (4, "full_year"), (5, "spent")):
            w.put(w.row, col, getattr(total, column) if total else None, "money")
        w.put(w.row, 6, ratio(rate_pct(total.spent, total.full_year)) if total else None, "rate")
        w.put(w.row, 7, None, "text")
        w.row += 1
        self.footer(w, footer_text(table.filled_by, table.filled_on, None, None, with_phone=False), FUND_COLUMNS,
                    f"{p}_footer")
        w.finish(print_title_row=head, freeze_row=head + 1, last_col=FUND_COLUMNS, hidden_cols=(FUND_ID_COL,))

    # ---- _meta

    def meta_sheet(self) -> None:
        package = self.package
        ws = self.wb.create_sheet(META_SHEET)
        ws.sheet_state = "veryHidden"
        grid = self.grids[ws] = SheetGrid()
        # the id and hash only: a snapshot row also holds the whole package as JSON
        snapshot_id, snapshot_sha256 = (package.snapshots.order_by("-number").values_list("pk", "sha256").first()
                                        if hasattr(package, "snapshots") else None) or ("", "")
        rows = [
            ("schema_version", SCHEMA_VERSION),
            ("package_id", package.pk),
            ("package_version", package.version),
            ("department_code", package.department.code),
            ("department", package.department.name),
            ("year", package.year),
            ("state", package.state),
            ("snapshot_id", snapshot_id),
            ("snapshot_sha256", snapshot_sha256),
            ("template_code", package.weight_template.code),
            ("template_version", package.weight_template.version),
            ("exported_at", timezone.localtime().isoformat(timespec="seconds")),
        ]
        rows += [(), ("sheets", "role", "title", "id", "extra")]
        rows += [("sheet", role, title, object_id, extra) for role, title, object_id, extra in self.sheets]
        plain = StyleArray()
        for row_index, row in enumerate(rows, start=1):
            for col, value in enumerate(row, start=1):
                # as Worksheet.append() would store them, except that a text is never a formula
                grid.cells[row_index, col] = (*(cell_text(value) if isinstance(value, str)
                                                else cell_value(value, ws)), plain)


def package_xlsx(package: ReportPackage) -> bytes:
    """One workbook per package (domain.md §9); computed cells hold the engine's values."""
    package = load_package(package.pk, narrative=False)       # the workbook holds no report text
    derived = derive(package_data(package, narrative=False))
    return PackageWorkbook(package, derived).build()

"""Pagination of the attachment tables, done by us rather than by WeasyPrint (pure: no Django, no WeasyPrint).

Why: WeasyPrint leaves a rowspan cell blank on the page after a break and may overflow a rowspan at the page
bottom (notes.md, upstream #663/#2899), while domain.md §8 wants 一级/二级 labels repeated with （续） on every
continuation page, the column headers repeated and the footer kept with the last two rows. So each table is
cut into one <table> per page here, from estimated row heights, and each page computes its own rowspans.
The estimate is deliberately on the safe side; the renderer checks the laid-out pages and re-paginates a
part with less room if a page table ever overflowed (rendering.py).

Sizes are in points (1 pt = 1/72 in); the print CSS is rendered from the same constants (styles.py).
"""
from __future__ import annotations

import functools
from dataclasses import dataclass, field

MM = 72 / 25.4                 # points per millimetre

# Geometry of GB/T 9704 (domain.md §8): A4, 天头 37 mm, 订口 28 mm, type area 156 × 225 mm.
PAGE_WIDTH_MM, PAGE_HEIGHT_MM = 210, 297
MARGIN_TOP_MM, MARGIN_LEFT_MM = 37, 28
TYPE_WIDTH_MM, TYPE_HEIGHT_MM = 156, 225
MARGIN_RIGHT_MM = PAGE_WIDTH_MM - MARGIN_LEFT_MM - TYPE_WIDTH_MM       # 26
MARGIN_BOTTOM_MM = PAGE_HEIGHT_MM - MARGIN_TOP_MM - TYPE_HEIGHT_MM     # 35
TYPE_HEIGHT = TYPE_HEIGHT_MM * MM

# Table text: 五号 10.5 pt on a fixed line pitch, so that the estimate and the layout agree.
CELL_FONT = 10.5
CELL_LINE = 14.0
CELL_PAD_V = 1.2 * MM          # top and bottom padding of a cell
CELL_PAD_H = 0.6 * MM          # left and right padding of a cell
VALUE_FONT = 9.5               # numbers, targets and actuals: 1450.82 and 100.00% fit the narrow columns
VALUE_CLASSES = {"num", "center", "small"}
BORDER = 0.5
FOOTER_FONT = 12.0             # 小四
FOOTER_LINE = 18.0
# Attachment head: 附件N (3号 黑体) on line 1, the title (小二) centred on line 3, then a gap (domain.md §8).
ATT_LABEL_LINE = 29.0
ATT_TITLE_FONT = 18.0
ATT_TITLE_LINE = 26.0
RUNNING_LINE = 20.0            # 附件3-1 …（续） on continuation pages
UNIT_LINE = 20.0               # 填报单位：… / the line under the title
SAFETY = 0.96                  # use 96 % of the room: estimates err, overflow costs a re-render

_NARROW = {
    **{c: 0.56 for c in "0123456789"}, "1": 0.50,
    **{c: 0.66 for c in "abcdefghijklmnopqrstuvwxyz"}, "m": 0.98, "w": 0.84,
    **{c: 0.80 for c in "ABCDEFGHIJKLMNOPQRSTUVWXYZ"}, "M": 0.98, "W": 1.06,
    " ": 0.26, ".": 0.33, ",": 0.33, ":": 0.33, ";": 0.33, "%": 0.93, "-": 0.35, "(": 0.37, ")": 0.37,
    "+": 0.58, "=": 0.58, "/": 0.40, "*": 0.48, "#": 0.6, "&": 0.75, "@": 0.9, "_": 0.5, "'": 0.3, '"': 0.45,
    "<": 0.58, ">": 0.58, "[": 0.37, "]": 0.37, "!": 0.35, "?": 0.5, "~": 0.58, "·": 0.33,
}
# Kinsoku: these never start a line (they stay with the character before) or never end one.
_NO_LINE_START = set("，。、；：！？）》」』】〕”’％…,.;:!?)%")
_NO_LINE_END = set("（《「『【〔“‘(")


def char_em(char: str) -> float:
    """Advance width in em of Noto Serif/Sans CJK SC, rounded up; anything outside ASCII counts 1 em."""
    if char in _NARROW:
        return _NARROW[char]
    return 0.66 if ord(char) < 0x2000 else 1.0


def _tokens(paragraph: str) -> list[float]:
    """Widths of the unbreakable pieces: an ASCII word/number, or one CJK character, with its kinsoku neighbours."""
    tokens: list[float] = []
    word = 0.0
    glue_next = False
    for char in paragraph:
        width = char_em(char)
        is_word = char.isascii() and (char.isalnum() or char in ".%-+/_")
        if char in _NO_LINE_START and tokens and not word:
            tokens[-1] += width
        elif is_word:
            word += width
            continue
        else:
            if word:
                tokens.append(word)
                word = 0.0
            if char in _NO_LINE_START and tokens:
                tokens[-1] += width
            elif glue_next and tokens:
                tokens[-1] += width
            else:
                tokens.append(width)
        glue_next = char in _NO_LINE_END
    if word:
        tokens.append(word)
    return tokens


@functools.lru_cache(maxsize=65536)
def line_count(text: str, width_em: float) -> int:
    """Lines that `text` needs in a box `width_em` wide (greedy wrapping, every paragraph at least one line)."""
    if width_em <= 0:
        return max(1, len(text))
    lines = 0
    for paragraph in (text or "").split("\n"):
        lines += 1
        x = 0.0
        for token in _tokens(paragraph):
            if x and x + token > width_em + 1e-6:
                lines += 1
                x = 0.0
            while token > width_em + 1e-6:   # a word longer than the line is broken (overflow-wrap: anywhere)
                lines += 1
                token -= width_em
            x += token
    return lines


@functools.lru_cache(maxsize=65536)
def has_long_word(text: str, width_em: float) -> bool:
    """Whether a word (or number) of `text` is wider than the line: only such cells get overflow-wrap: anywhere,
    which costs WeasyPrint a break opportunity per character everywhere it applies."""
    return any(token > width_em + 1e-6 for paragraph in (text or "").split("\n") for token in _tokens(paragraph))


def text_height(text: str, width_pt: float, font: float = CELL_FONT, line: float = CELL_LINE,
                pad_h: float = CELL_PAD_H, pad_v: float = CELL_PAD_V) -> float:
    lines = line_count(text, (width_pt - 2 * pad_h) / font)
    return lines * line + 2 * pad_v + BORDER


# --- the table model ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Cell:
    text: str = ""
    span: int = 1
    cls: str = ""              # CSS classes: num, center, head, label, total …
    lines: tuple[str, ...] = ()   # optional pre-split lines (printed as <br>-separated)


@dataclass(frozen=True)
class Group:
    """A label merged down a run of rows in one of the leading columns (A block label, B 一级, C 二级)."""

    key: str                   # rows with the same key (under the same outer groups) merge
    label: str
    continued_suffix: str = "（续）"   # appended when the run started on an earlier page
    cls: str = "group"


@dataclass(frozen=True)
class Row:
    cells: tuple[Cell, ...]
    lead: tuple[Group, ...] = ()       # groups of the leading columns 0 … len(lead)−1
    repeat: tuple["Row", ...] = ()     # rows printed first when this row opens a continuation page
    keep_with_next: bool = False
    cls: str = ""


@dataclass(frozen=True)
class Table:
    widths_mm: tuple[float, ...]
    rows: tuple[Row, ...]
    footer_height: float = 0.0         # the footer line must share the page of the last two rows


@dataclass
class PlacedCell:
    text: str
    colspan: int = 1
    rowspan: int = 1
    cls: str = ""
    lines: tuple[str, ...] = ()


@dataclass
class PlacedRow:
    cells: list[PlacedCell] = field(default_factory=list)
    cls: str = ""


@dataclass
class Page:
    rows: list[PlacedRow]
    first: bool                        # the part's first page (with the attachment head)
    last: bool = False                 # carries the footer
    oversize: bool = False             # holds a row taller than the page: WeasyPrint may split it


def cell_text(cell: Cell) -> str:
    return "\n".join(cell.lines) if cell.lines else cell.text


def cell_font(cls: str) -> float:
    """The font size a cell of these CSS classes prints in (print.css: numbers, targets, actuals are smaller)."""
    return VALUE_FONT if VALUE_CLASSES & set(cls.split()) else CELL_FONT


class Measure:
    """Heights of rows and of runs of merged labels, for one set of column widths."""

    def __init__(self, widths_mm: tuple[float, ...]):
        self.widths = [w * MM for w in widths_mm]
        self._row_heights: dict[int, tuple[Row, float]] = {}

    def span_width(self, start: int, span: int) -> float:
        return sum(self.widths[start:start + span])

    def row_height(self, row: Row) -> float:
        # Pagination asks for the same rows again and again (every block, every page tried).
        known = self._row_heights.get(id(row))
        if known is not None and known[0] is row:
            return known[1]
        height = self._row_height(row)
        self._row_heights[id(row)] = (row, height)
        return height

    def _row_height(self, row: Row) -> float:
        column = len(row.lead)
        height = CELL_LINE + 2 * CELL_PAD_V + BORDER
        for cell in row.cells:
            height = max(height, text_height(cell_text(cell), self.span_width(column, cell.span),
                                             font=cell_font(cell.cls)))
            column += cell.span
        return height

    def needs_wrap(self, text: str, column: int, span: int, cls: str) -> bool:
        return has_long_word(text, (self.span_width(column, span) - 2 * CELL_PAD_H) / cell_font(cls))

    def label_height(self, group: Group, column: int, continued: bool) -> float:
        label = group.label + (group.continued_suffix if continued else "")
        return text_height(label, self.widths[column])

    def block_height(self, rows: list[Row], column: int = 0, continued: frozenset = frozenset()) -> float:
        """Height of consecutive rows sharing groups 0 … column−1: each run of a group at `column` is as tall as
        the larger of its label and its content (the rowspan cell stretches its rows)."""
        total, i = 0.0, 0
        while i < len(rows):
            row = rows[i]
            if len(row.lead) > column:
                key = row.lead[column].key
                j = i
                while j < len(rows) and len(rows[j].lead) > column and rows[j].lead[column].key == key:
                    j += 1
                inner = self.block_height(rows[i:j], column + 1, continued)
                label = self.label_height(row.lead[column], column, (column, key) in continued)
                total += max(inner, label)
                i = j
            else:
                total += self.row_height(row)
                i += 1
        return total


def _wrap_class(cls: str, wrap: bool) -> str:
    return f"{cls} wrap".strip() if wrap else cls


def _page_rows(rows: list[Row], carried: set[tuple[int, str]], measure: Measure) -> list[PlacedRow]:
    """Turn one page's rows into cells with rowspans; a run that began on an earlier page gets （续）."""
    placed: list[PlacedRow] = []
    open_cells: list[tuple[str, PlacedCell]] = []     # per leading column: the run open there (key, its cell)
    started: set[int] = set()      # columns that already began a run on this page: only the first is （续）
    for row in rows:
        out = PlacedRow(cls=row.cls)
        continuing = True          # a run continues only while every outer run continues too
        for column, group in enumerate(row.lead):
            if continuing and column < len(open_cells) and open_cells[column][0] == group.key:
                open_cells[column][1].rowspan += 1
                continue
            continuing = False
            del open_cells[column:]
            suffix = group.continued_suffix if (column, group.key) in carried and column not in started else ""
            started.add(column)
            label = group.label + suffix
            cell = PlacedCell(label, cls=_wrap_class(group.cls, measure.needs_wrap(label, column, 1, group.cls)))
            out.cells.append(cell)
            open_cells.append((group.key, cell))
        del open_cells[len(row.lead):]
        column = len(row.lead)
        for cell in row.cells:
            wrap = measure.needs_wrap(cell_text(cell), column, cell.span, cell.cls)
            out.cells.append(PlacedCell(cell.text, colspan=cell.span, cls=_wrap_class(cell.cls, wrap), lines=cell.lines))
            column += cell.span
        placed.append(out)
    return placed


def paginate(table: Table, first_room: float, next_room: float) -> list[Page]:
    """Cut the rows into pages: whole rows only, keep-with-next honoured, the last two rows with the footer.

    A row taller than a whole page is placed alone and may be split by WeasyPrint (page.oversize).
    """
    measure = Measure(table.widths_mm)
    rows = list(table.rows)
    if len(rows) >= 2:
        rows[-2] = _with_keep(rows[-2])
    pages: list[tuple[list[Row], set]] = []
    current: list[Row] = []
    carried: set[tuple[int, str]] = set()
    room = first_room * SAFETY
    i = 0
    while i < len(rows):
        row = rows[i]
        height = measure.block_height(current + [row], 0, frozenset(carried))
        if i == len(rows) - 1:
            height += table.footer_height
        if height <= room or not _has_body(current):
            current.append(row)
            i += 1
            continue
        # It does not fit: keep-with-next rows at the page end move along, unless the page would be left empty.
        moved: list[Row] = []
        while current and current[-1].keep_with_next and _has_body(current[:-1]):
            moved.insert(0, current.pop())
        pages.append((current, carried))
        opener = moved[0] if moved else row
        carried = _carried_groups(current, opener)
        current = _repeat_rows(opener) + moved
        room = next_room * SAFETY
    pages.append((current, carried))
    result = []
    for index, (page_rows, page_carried) in enumerate(pages):
        page = Page(rows=_page_rows(page_rows, page_carried, measure), first=index == 0)
        page.oversize = measure.block_height(page_rows) > (first_room if index == 0 else next_room)
        result.append(page)
    result[-1].last = True
    return result


def _with_keep(row: Row) -> Row:
    return Row(cells=row.cells, lead=row.lead, repeat=row.repeat, keep_with_next=True, cls=row.cls)


def _has_body(rows: list[Row]) -> bool:
    """A page needs at least one row of its own, not only repeated headers."""
    return any(not row.cls.startswith("repeat") for row in rows)


def _carried_groups(previous: list[Row], row: Row) -> set[tuple[int, str]]:
    """The runs of `row` that already started on the previous page (nested: outer runs first)."""
    if not previous:
        return set()
    last = previous[-1]
    carried = set()
    for column, group in enumerate(row.lead):
        if len(last.lead) > column and last.lead[column].key == group.key:
            carried.add((column, group.key))
        else:
            break
    return carried


def _repeat_rows(row: Row) -> list[Row]:
    """Column headers repeated on a continuation page, tagged so that they do not count as the page's body."""
    return [Row(cells=r.cells, lead=r.lead, cls=("repeat " + r.cls).strip()) for r in row.repeat]

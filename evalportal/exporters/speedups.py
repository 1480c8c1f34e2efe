"""WeasyPrint 70 made cheaper for our print templates: the same pages, a third less CPU.

Profiling a 20-project package (bench export) showed these places where WeasyPrint spends CPU on work
our documents do not need done that way:

- resolve_percentages() ran ~15 % of a render: three nested calls per CSS length, eleven lengths per
  box, several boxes per table cell. The replacement computes the same used values in one function.
- draw_collapsed_borders() wraps every cell edge in its own marked-content block, graphics state and
  stroke (about 8 PDF operators per edge). The replacement draws the same segments, in the same order,
  with one stroke per colour and width; dashed, dotted and other styles keep the original drawing.
- HTML parsing with tinyhtml5 (pure Python) took ~8 %: our templates are well-formed XHTML, so the C
  expat parser reads them; anything else (a stray entity, a control character) goes to tinyhtml5.
- Every piece of text gets a Pango layout, and Layout.setup() made a new Pango context, font description
  and feature list for each (~7 %), although a document uses a handful of fonts. They are now kept per
  font and shared; a layout still gets its own PangoLayout.
- The font cache key of a style was the str() of a tuple of named tuples (~2.5 %); it is now the tuple.
- collapse_table_borders() looked up each box's side styles once per grid edge (~5 %); the replacement
  reads the four sides of a box once and resolves the same conflicts in the same order.
- avoid_collisions() (every block and line box) and layout_box_backgrounds() (every box) do their general
  work when a document has no float and a box no background; those cases now return at once.
- pydyf compresses every stream at zlib level 9; level 6 takes a third of the time for a 1 % larger file.

install() is called by each render worker; it does nothing on another WeasyPrint version, whose
internals these functions replicate. tests/exporters/test_pdf_speedups.py renders every part of the demo
packages with and without them: the same text and the same pixels on every page, and the same bytes
when only the parsing and percentage changes are on.
"""
from __future__ import annotations

import re
import xml.etree.ElementTree as ElementTree
import zlib
from contextlib import contextmanager
from math import inf

SUPPORTED_VERSIONS = ("70.",)
_DOCTYPE = re.compile(r"\s*<!doctype html>", re.IGNORECASE)
_originals: dict[tuple[object, str], object] = {}
_weasy: dict[str, object] = {}
_fallbacks = {"count": 0}


def supported() -> bool:
    import weasyprint
    return weasyprint.__version__.startswith(SUPPORTED_VERSIONS)


def installed() -> bool:
    return bool(_originals)


def install() -> bool:
    """Patch this process's WeasyPrint; True when the speedups are active."""
    if _originals:
        return True
    if not supported():
        return False
    import pydyf
    import weasyprint.draw as draw
    import weasyprint.layout.percent as percent
    from weasyprint.css.functions import check_math
    from weasyprint.draw.color import get_color
    from weasyprint.formatting_structure import boxes, build
    from weasyprint.layout import (absolute, background, block, column, flex, float as floats, grid, inline, page,
                                   table)
    from weasyprint.text import line_break
    from weasyprint.text.constants import LST_TO_ISO, PANGO_DIRECTION
    from weasyprint.text.ffi import ffi, gobject, pango, unicode_to_char_p
    from weasyprint.text.fonts import font_features, get_font_description

    # bound once here: an import statement inside functions called 15,000 times a document costs
    _weasy.update(Box=boxes.Box, PageBox=boxes.PageBox, check_math=check_math, percentage=percent.percentage,
                  adjust_box_sizing=percent.adjust_box_sizing, draw=draw, get_color=get_color,
                  resolve_radii_percentages=percent.resolve_radii_percentages, TRANSPARENT=table.TRANSPARENT,
                  ffi=ffi, gobject=gobject, pango=pango, unicode_to_char_p=unicode_to_char_p, LST_TO_ISO=LST_TO_ISO,
                  PANGO_DIRECTION=PANGO_DIRECTION, font_features=font_features,
                  get_font_description=get_font_description, pydyf=pydyf,
                  # the originals the replacements fall back on
                  draw_collapsed_borders=draw.draw_collapsed_borders, setup=line_break.Layout.setup,
                  avoid_collisions=floats.avoid_collisions, layout_box_backgrounds=background.layout_box_backgrounds)
    for module in (percent, absolute, block, column, flex, floats, grid, inline, page, table):
        if hasattr(module, "resolve_percentages"):
            _replace(module, "resolve_percentages", resolve_percentages)
    _replace(draw, "draw_collapsed_borders", draw_collapsed_borders)
    _replace(line_break.Layout, "setup", layout_setup)
    _replace(line_break, "_font_style_cache_key", font_style_cache_key)
    for module in (table, build):
        _replace(module, "collapse_table_borders", collapse_table_borders)
    for module in (floats, block, inline):      # layout/replaced.py imports it from float.py when called
        _replace(module, "avoid_collisions", avoid_collisions)
    _replace(background, "layout_box_backgrounds", layout_box_backgrounds)
    _replace(pydyf.Stream, "data", property(stream_data))
    return True


def uninstall() -> None:
    for (module, name), original in _originals.items():
        setattr(module, name, original)
    _originals.clear()
    _pango.clear()


@contextmanager
def disabled():
    """WeasyPrint as released, for the comparison tests."""
    was_installed = installed()
    uninstall()
    try:
        yield
    finally:
        if was_installed:
            install()


def _replace(module, name: str, function) -> None:
    _originals[(module, name)] = getattr(module, name)
    setattr(module, name, function)


# ---------------------------------------------------------------- HTML parsing

def parse_html(string: str):
    """The element tree tinyhtml5 would build from our templates, by expat when the text is well-formed."""
    if installed():
        try:
            return ElementTree.fromstring(_DOCTYPE.sub("", string, count=1))
        except ElementTree.ParseError:
            _fallbacks["count"] += 1
    import tinyhtml5
    return tinyhtml5.parse(string, namespace_html_elements=False)


def init_html(html, string: str, url_fetcher) -> None:
    """weasyprint.HTML.__init__ of WeasyPrint 70 for a string without <base>, parsed by parse_html."""
    import cssselect2
    html.base_url = None
    html.url_fetcher = url_fetcher
    html.media_type = "print"
    html.wrapper_element = cssselect2.ElementWrapper.from_html_root(parse_html(string), content_language=None)
    html.etree_element = html.wrapper_element.etree_element


def fallbacks() -> int:
    """How many documents this process could not read with expat (tests use it)."""
    return _fallbacks["count"]


# ---------------------------------------------------------------- percentages (weasyprint/layout/percent.py)

_WIDTH_BASED = ("margin_left", "margin_right", "padding_left", "padding_right", "width", "min_width", "max_width")
_HEIGHT_BASED = ("margin_top", "margin_bottom", "padding_top", "padding_bottom")
_BORDER_WIDTHS = ("border_top_width", "border_right_width", "border_bottom_width", "border_left_width")


def _used(value, style, refer_to):
    """percentage(value, style, refer_to) with its two common cases, px and %, first."""
    unit = getattr(value, "unit", None)
    if unit == "px":
        return value.value
    if unit == "%":
        return refer_to * value.value / 100
    return _weasy["percentage"](value, style, refer_to)


def resolve_percentages(box, containing_block):
    """weasyprint.layout.percent.resolve_percentages: the same used values, without a call per length."""
    if isinstance(containing_block, _weasy["Box"]):
        cb_width, cb_height = containing_block.width, containing_block.height
    else:
        cb_width, cb_height = containing_block
    maybe_height = cb_height if isinstance(box, _weasy["PageBox"]) else cb_width
    style = box.style
    used = box.__dict__
    for name in _WIDTH_BASED:
        used[name] = _used(style[name], style, cb_width)
    if used["min_width"] == "auto":
        used["min_width"] = 0
    for name in _HEIGHT_BASED:
        used[name] = _used(style[name], style, maybe_height)
    if cb_height == "auto":
        height = style["height"]
        if height == "auto" or _weasy["check_math"](height) or height.unit == "%":
            used["height"] = "auto"
        else:
            used["height"] = height.value
        used["min_height"] = _used(style["min_height"], style, 0)
        used["max_height"] = _used(style["max_height"], style, inf)
    else:
        used["height"] = _used(style["height"], style, cb_height)
        used["min_height"] = _used(style["min_height"], style, cb_height)
        used["max_height"] = _used(style["max_height"], style, cb_height)
    if used["min_height"] == "auto":
        used["min_height"] = 0
    collapse = style["border_collapse"] == "collapse"
    for name in _BORDER_WIDTHS:
        # collapsed borders were resolved during the border conflict resolution
        if not (collapse and name in used):
            used[name] = style[name]
    _weasy["adjust_box_sizing"](box, "width")
    _weasy["adjust_box_sizing"](box, "height")


# ---------------------------------------------------------------- collapsed borders (weasyprint/draw/__init__.py)

class _NoMarks:
    """Stands in for the stream while the original computes the segments: no marked content, no q/Q."""

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


class _SegmentRecorder:
    def artifact(self):
        return _NoMarks()

    def stacked(self):
        return _NoMarks()


def draw_collapsed_borders(stream, table):
    """The original's segments, same geometry and paint order; a run of solid edges of one colour and width
    (every edge of our grids) is one stroke."""
    draw = _weasy["draw"]
    original = _weasy["draw_collapsed_borders"]
    draw_line = draw.draw_line
    segments = []
    draw.draw_line = lambda _stream, x1, y1, x2, y2, width, style, color, offset=0: segments.append(
        (x1, y1, x2, y2, width, style, color))
    try:
        original(_SegmentRecorder(), table)
    finally:
        draw.draw_line = draw_line
    run: list = []
    for segment in segments:
        if run and not _same_pen(run[0], segment):
            _stroke(stream, run, draw_line)
            run = []
        run.append(segment)
    if run:
        _stroke(stream, run, draw_line)


def _same_pen(first, segment) -> bool:
    return segment[5] == "solid" and first[5] == "solid" and segment[4] == first[4] and segment[6] == first[6]


def _stroke(stream, run: list, draw_line) -> None:
    x1, y1, x2, y2, width, style, color = run[0]
    if style != "solid":
        for x1, y1, x2, y2, width, style, color in run:
            with stream.artifact(), stream.stacked():
                draw_line(stream, x1, y1, x2, y2, width, style, color)
        return
    with stream.artifact(), stream.stacked():
        stream.set_color(color, stroke=True)
        stream.set_line_width(width)
        for x1, y1, x2, y2, *_pen in run:
            stream.move_to(x1, y1)
            stream.line_to(x2, y2)
        stream.stroke()


# ---------------------------------------------------------------- Pango set-up (weasyprint/text/line_break.py)

_pango: dict[tuple, object] = {}      # per font map: contexts, font descriptions and feature lists in use
_PANGO_KEEP = 512


def _kept(key: tuple, make):
    value = _pango.get(key)
    if value is None:
        if len(_pango) > _PANGO_KEEP:
            _pango.clear()
        value = _pango[key] = make()
    return value


def layout_setup(self, style):
    """weasyprint.text.line_break.Layout.setup with the Pango context, font description and feature list
    shared by every layout of the same font, direction and language (none of them is changed once made)."""
    if style["text_decoration_line"] != "none" or style["font_variation_settings"] != "normal":
        return _weasy["setup"](self, style)      # rare here: the original, which measures the decoration
    font_map = style.font_config.font_map
    try:
        language_key = (style["direction"], style["font_language_override"], style["lang"])
        font_key = (tuple(style["font_family"]), style["font_style"], style["font_stretch"], style["font_weight"],
                    style["font_size"], style["font_variant_caps"])
        features_key = (style["font_kerning"], style["font_variant_ligatures"], style["font_variant_position"],
                        style["font_variant_caps"], style["font_variant_numeric"],
                        style["font_variant_alternates"], style["font_variant_east_asian"],
                        style["font_feature_settings"])
        hash((language_key, font_key, features_key))
    except TypeError:                            # an unhashable computed value: no sharing
        return _weasy["setup"](self, style)
    # Font features go into the layout's attribute list, which set_text() changes in place (spacing,
    # justification): a layout with features keeps the original's list of its own.
    if _kept(("features", features_key), lambda: bool(_weasy["font_features"](*features_key))):
        return _weasy["setup"](self, style)
    ffi, pango = _weasy["ffi"], _weasy["pango"]
    self.style = style
    self.first_line_direction = 0
    # The font map is part of every key and held by the entry, so its id is never reused while cached.
    context, self.language, _map = _kept(("context", id(font_map), language_key),
                                          lambda: _pango_context(style, font_map) + (font_map,))
    description = _kept(("font", id(font_map), font_key), lambda: (_weasy["get_font_description"](style), font_map))[0]
    self.layout = ffi.gc(pango.pango_layout_new(context), _weasy["gobject"].g_object_unref)
    pango.pango_layout_set_auto_dir(self.layout, False)
    pango.pango_layout_set_font_description(self.layout, description)
    self.ascent = self.underline_position = self.strikethrough_position = None


def _pango_context(style, font_map) -> tuple:
    ffi, pango = _weasy["ffi"], _weasy["pango"]
    context = ffi.gc(pango.pango_font_map_create_context(font_map), _weasy["gobject"].g_object_unref)
    pango.pango_context_set_round_glyph_positions(context, False)
    pango.pango_context_set_base_dir(context, _weasy["PANGO_DIRECTION"][style["direction"]])
    override = style["font_language_override"]
    if override != "normal":
        language_p, language = _weasy["unicode_to_char_p"](_weasy["LST_TO_ISO"].get(override.lower(), override))
    elif style["lang"]:
        language_p, language = _weasy["unicode_to_char_p"](style["lang"])
    else:
        return context, pango.pango_language_get_default()
    language = pango.pango_language_from_string(language_p)
    pango.pango_context_set_language(context, language)
    return context, language


def font_style_cache_key(style, include_size=False):
    """weasyprint.text.line_break._font_style_cache_key as a tuple: the same equality, without the str() of
    named tuples that took a tenth of every strut() (one per line box)."""
    key = (style["font_family"], style["font_style"], style["font_stretch"], style["font_weight"],
           style["font_variant_ligatures"], style["font_variant_position"], style["font_variant_caps"],
           style["font_variant_numeric"], style["font_variant_alternates"], style["font_variant_east_asian"],
           style["font_feature_settings"], style["font_variation_settings"], style["font_language_override"],
           style["lang"])
    if include_size:
        key += (style["font_size"], style["line_height"])
    try:
        hash(key)
    except TypeError:
        return str(key)
    return key


# ---------------------------------------------------------------- collapsed borders (weasyprint/layout/table.py)

_STYLE_SCORES = {style: score for score, style in enumerate(reversed([
    "hidden", "double", "solid", "dashed", "dotted", "ridge", "outset", "groove", "inset", "none"]))}
_STYLE_MAP = {"inset": "ridge", "outset": "groove"}


def _sides(box) -> tuple:
    """(score, (style, width, color)) of the box's left, right, top and bottom borders, as set_one_border
    computes them."""
    style = box.style
    get_color = _weasy["get_color"]
    sides = []
    for side in ("left", "right", "top", "bottom"):
        border_style = style[f"border_{side}_style"]
        width = style[f"border_{side}_width"]
        color = get_color(style, f"border_{side}_color")
        score = ((1 if border_style == "hidden" else 0), width, _STYLE_SCORES[border_style])
        sides.append((score, (_STYLE_MAP.get(border_style, border_style), width, color)))
    return tuple(sides)


def collapse_table_borders(table, grid_width, grid_height):
    """weasyprint.layout.table.collapse_table_borders with each box's sides read once, not once per edge."""
    if not (grid_width and grid_height):
        return [], []
    transparent = _weasy["TRANSPARENT"]
    weak_null_border = ((0, 0, _STYLE_SCORES["none"]), ("none", 0, transparent))
    strong_null_border = ((1, 0, _STYLE_SCORES["hidden"]), ("hidden", 0, transparent))
    vertical_borders = [[weak_null_border] * (grid_width + 1) for _ in range(grid_height)]
    horizontal_borders = [[weak_null_border] * grid_width for _ in range(grid_height + 1)]
    ltr = table.style["direction"] == "ltr"

    def set_borders(box, x, y, w, h):
        left, right, top, bottom = _sides(box)
        # Strict < so that the earlier call wins in case of a tie (as in set_one_border).
        if ltr:
            left_x, right_x, xs = x, x + w, range(x, x + w)
        else:
            left_x, right_x, xs = -1 - w - x, -1 - x, range(-1 - x, -1 - x - w, -1)
        for yy in range(y, y + h):
            row = vertical_borders[yy]
            if row[left_x][0] < left[0]:
                row[left_x] = left
            if row[right_x][0] < right[0]:
                row[right_x] = right
        top_row, bottom_row = horizontal_borders[y], horizontal_borders[y + h]
        for xx in xs:
            if top_row[xx][0] < top[0]:
                top_row[xx] = top
            if bottom_row[xx][0] < bottom[0]:
                bottom_row[xx] = bottom

    # Cells, then rows, row groups, columns, column groups and the table, in the original's order.
    grid_y = 0
    for row_group in table.children:
        for row in row_group.children:
            for cell in row.children:
                grid_x, colspan, rowspan = cell.grid_x, cell.colspan, cell.rowspan
                if ltr:
                    vertical_x_range = range(grid_x + 1, grid_x + colspan)
                    horizontal_x_range = range(grid_x, grid_x + colspan)
                else:
                    vertical_x_range = range(-2 - grid_x, -1 - grid_x - colspan, -1)
                    horizontal_x_range = range(-1 - grid_x, -1 - grid_x - colspan, -1)
                for xx in vertical_x_range:
                    for yy in range(grid_y, grid_y + rowspan):
                        vertical_borders[yy][xx] = strong_null_border
                for xx in horizontal_x_range:
                    for yy in range(grid_y + 1, grid_y + rowspan):
                        horizontal_borders[yy][xx] = strong_null_border
                set_borders(cell, grid_x, grid_y, colspan, rowspan)
            grid_y += 1
    grid_y = 0
    for row_group in table.children:
        for row in row_group.children:
            set_borders(row, 0, grid_y, grid_width, 1)
            grid_y += 1
    grid_y = 0
    for row_group in table.children:
        rowspan = len(row_group.children)
        set_borders(row_group, 0, grid_y, grid_width, rowspan)
        grid_y += rowspan
    for column_group in table.column_groups:
        for column in column_group.children:
            set_borders(column, column.grid_x, 0, 1, grid_height)
    for column_group in table.column_groups:
        set_borders(column_group, column_group.grid_x, 0, column_group.span, grid_height)
    set_borders(table, 0, 0, grid_width, grid_height)

    # Transparent borders of the resolved widths on each box; the grid itself is painted separately.
    def remove_borders(box):
        box.border_top_width = box.border_right_width = box.border_bottom_width = box.border_left_width = 0.0

    def max_vertical_width(x, y1, y2):
        return max(grid_row[x][1][1] for grid_row in vertical_borders[y1:y2])

    def max_horizontal_width(x1, y, x2):
        return max(width for _, (_, width, _) in horizontal_borders[y][x1:x2])

    grid_y = 0
    for row_group in table.children:
        remove_borders(row_group)
        for row in row_group.children:
            remove_borders(row)
            for cell in row.children:
                x, y = cell.grid_x, grid_y
                colspan, rowspan = cell.colspan, cell.rowspan
                if ltr:
                    top = max_horizontal_width(x, y, x + colspan)
                    bottom = max_horizontal_width(x, y + rowspan, x + colspan)
                    left = max_vertical_width(x, y, y + rowspan)
                    right = max_vertical_width(x + colspan, y, y + rowspan)
                else:
                    top = max_horizontal_width(-colspan - x, y, -x or None)
                    bottom = max_horizontal_width(-colspan - x, y + rowspan, -x or None)
                    left = max_vertical_width(-1 - colspan - x, y, y + rowspan)
                    right = max_vertical_width(-1 - x, y, y + rowspan)
                cell.border_top_width, cell.border_bottom_width = top / 2, bottom / 2
                cell.border_left_width, cell.border_right_width = left / 2, right / 2
            grid_y += 1
    for column_group in table.column_groups:
        remove_borders(column_group)
        for column in column_group.children:
            remove_borders(column)
    table.border_top_width = max_horizontal_width(0, 0, grid_width) / 2
    table.border_bottom_width = max_horizontal_width(0, grid_height, grid_width) / 2
    # "UAs must compute an initial left and right border width for the table by examining the first and last
    # cells in the first row of the table": h=1, not grid_height.
    table.border_left_width = max_vertical_width(0, 0, 1) / 2
    table.border_right_width = max_vertical_width(grid_width, 0, 1) / 2
    return vertical_borders, horizontal_borders


# ---------------------------------------------------------------- floats and backgrounds (weasyprint/layout)

def avoid_collisions(context, box, containing_block, outer=True):
    """weasyprint.layout.float.avoid_collisions, with the same arithmetic, for the case our documents always
    have: no float on the page, left to right. Anything else goes to the original."""
    if context.excluded_shapes or box.is_floated() or containing_block.style["direction"] != "ltr":
        return _weasy["avoid_collisions"](context, box, containing_block, outer)
    position_y = box.position_y if outer else box.border_box_y()
    max_left_bound = containing_block.content_box_x()
    max_right_bound = max_left_bound + containing_block.width
    if not outer:
        max_left_bound += box.margin_left
        max_right_bound -= box.margin_right
    position_x = max_left_bound
    available_width = max_right_bound - max_left_bound
    if not outer:
        position_x -= box.margin_left
        position_y -= box.margin_top
    return position_x, position_y, available_width


_RADII = tuple(f"border_{corner}_radius" for corner in ("top_left", "top_right", "bottom_right", "bottom_left"))


def layout_box_backgrounds(page, box, get_image_from_uri, layout_children=True, style=None):
    """weasyprint.layout.background.layout_box_backgrounds: a box without background, border image, mask
    border or shadow (nearly all of ours) gets background None, as in the original, without its set-up."""
    computed = box.style
    if all((0, "px") in computed[name] for name in _RADII):
        for name in _RADII:
            setattr(box, name, (0, 0))
    else:
        _weasy["resolve_radii_percentages"](box)
    if layout_children:
        for child in box.all_children():
            layout_box_backgrounds(page, child, get_image_from_uri)
    if style is None:
        style = computed
    if (box is not page and style["border_image_source"][0] == "none" and style["mask_border_source"][0] == "none"
            and not style["box_shadow"]
            and (style["visibility"] == "hidden"
                 or (_weasy["get_color"](style, "background_color").alpha == 0
                     and not any(kind == "url" or value for kind, value in style["background_image"])))):
        box.background = None
        return
    _weasy["layout_box_backgrounds"](page, box, get_image_from_uri, layout_children=False, style=style)


# ---------------------------------------------------------------- streams (pydyf)

def stream_data(self):
    """pydyf.Stream.data with zlib level 6 (pydyf uses 9)."""
    to_bytes = _weasy["pydyf"]._to_bytes
    stream = b"\n".join(to_bytes(item) for item in self.stream)
    extra = _weasy["pydyf"].Dictionary(self.extra.copy())
    if self.compress:
        extra["Filter"] = "/FlateDecode"
        compressor = zlib.compressobj(level=6)
        stream = compressor.compress(stream) + compressor.flush()
    extra["Length"] = len(stream)
    return b"\n".join((extra.data, b"stream", stream, b"endstream"))

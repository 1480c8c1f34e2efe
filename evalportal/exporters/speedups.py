"""WeasyPrint 70 made cheaper for our print templates: the same pages, a fifth less CPU.

Profiling a 20-project package (bench export) showed three places where WeasyPrint spends CPU on work
our documents do not need done that way:

- resolve_percentages() ran ~15 % of a render: three nested calls per CSS length, eleven lengths per
  box, several boxes per table cell. The replacement computes the same used values in one function.
- draw_collapsed_borders() wraps every cell edge in its own marked-content block, graphics state and
  stroke (about 8 PDF operators per edge). The replacement draws the same segments, in the same order,
  with one stroke per colour and width; dashed, dotted and other styles keep the original drawing.
- HTML parsing with tinyhtml5 (pure Python) took ~8 %: our templates are well-formed XHTML, so the C
  expat parser reads them; anything else (a stray entity, a control character) goes to tinyhtml5.

install() is called by each render worker; it does nothing on another WeasyPrint version, whose
internals these functions replicate. tests/exporters/test_pdf_speedups.py renders every part of the demo
packages with and without them: the same text and the same pixels on every page, and the same bytes
when only the parsing and percentage changes are on.
"""
from __future__ import annotations

import re
import xml.etree.ElementTree as ElementTree
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
    import weasyprint.draw as draw
    import weasyprint.layout.percent as percent
    from weasyprint.css.functions import check_math
    from weasyprint.formatting_structure import boxes
    from weasyprint.layout import absolute, block, column, flex, float as floats, grid, inline, page, table

    # bound once here: an import statement inside functions called 15,000 times a document costs
    _weasy.update(Box=boxes.Box, PageBox=boxes.PageBox, check_math=check_math, percentage=percent.percentage,
                  adjust_box_sizing=percent.adjust_box_sizing, draw=draw,
                  draw_collapsed_borders=draw.draw_collapsed_borders)
    for module in (percent, absolute, block, column, flex, floats, grid, inline, page, table):
        if hasattr(module, "resolve_percentages"):
            _replace(module, "resolve_percentages", resolve_percentages)
    _replace(draw, "draw_collapsed_borders", draw_collapsed_borders)
    return True


def uninstall() -> None:
    for (module, name), original in _originals.items():
        setattr(module, name, original)
    _originals.clear()


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

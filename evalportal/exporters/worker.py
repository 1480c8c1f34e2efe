"""The render worker: HTML + CSS in, PDF bytes out (runs in pool processes; no Django, no database).

WeasyPrint is CPU-bound and single-threaded, costs 0.5–0.8 s to import and creeps ~0.85 MiB per render
(notes.md): long-lived worker processes, recycled after a number of tasks, render the parts in parallel.

Font subsetting is left to the joiner (fonts.py): here each embedded font is a 4-byte placeholder and the
result reports, per font, the glyph ids used and how to find the font file again.
"""
from __future__ import annotations

import gc
import hashlib
import resource
import time
from dataclasses import dataclass, field

from . import speedups

_USED_FONTS: dict[str, dict] = {}
_CSS_CACHE: dict[str, object] = {}
_PATCHED = False


@dataclass
class RenderResult:
    pdf: bytes
    pages: int
    overflow: list[str] = field(default_factory=list)    # page tables WeasyPrint had to split
    fonts: dict[str, dict] = field(default_factory=dict)  # BaseFont → {gids, size, head, index, notdef}
    refused: list[str] = field(default_factory=list)      # URLs the fetcher refused
    peak_rss_mb: float = 0.0
    cpu_seconds: float = 0.0                              # CPU time of this render in the worker
    wall_seconds: float = 0.0


class LazyFaceData:
    """The font file behind a HarfBuzz face, read on demand instead of copied.

    WeasyPrint 70 copies the whole file into every Font object (26 MB per CJK face, several faces per
    document), which made a worker grow by ~70 MB a render. We only need its length and first bytes.
    """

    def __init__(self, hb_face):
        from weasyprint.text.ffi import ffi, harfbuzz
        self._ffi, self._hb = ffi, harfbuzz
        self._blob = ffi.gc(harfbuzz.hb_face_reference_blob(hb_face), harfbuzz.hb_blob_destroy)
        with ffi.new("unsigned int *") as length:
            self._data = harfbuzz.hb_blob_get_data(self._blob, length)
            self._length = int(length[0])

    def __len__(self):
        return self._length

    def __getitem__(self, index):
        return bytes(self._ffi.buffer(self._data, self._length)[index])

    def materialize(self) -> bytes:
        return bytes(self._ffi.buffer(self._data, self._length))


def _materialize(font) -> None:
    if isinstance(font.file_content, LazyFaceData):
        font.file_content = font.file_content.materialize()


def _lean_init(self, pango_font, description, font_size):
    """Font.__init__ without the eager copy of the font file (see LazyFaceData)."""
    from weasyprint.pdf import fonts as wp_fonts
    real = wp_fonts.get_hb_object_data
    wp_fonts.get_hb_object_data = lambda hb_object, *args, **kwargs: (
        LazyFaceData(hb_object) if not args and not kwargs else real(hb_object, *args, **kwargs))
    try:
        _ORIGINAL_INIT(self, pango_font, description, font_size)
    finally:
        wp_fonts.get_hb_object_data = real
    if self.bitmap:          # bitmap fonts are read with fontTools when the PDF is written
        _materialize(self)


def _placeholder_clean(self, to_unicode, hinting):
    """Replacement for weasyprint.pdf.fonts.Font.clean: record the glyphs, embed a placeholder."""
    plain = not ({"fvar"} & set(self.tables)) and not (self.png or self.svg or self.colr or self.bitmap)
    if not plain or not to_unicode or self.used_in_forms:
        _materialize(self)
        return _ORIGINAL_CLEAN(self, to_unicode, hinting)
    data = self.file_content
    name = self.name.decode().lstrip("/")
    _USED_FONTS[name] = {
        "key": self.hash,                                             # the name in /Resources /Font
        "widths": {str(gid): width for gid, width in self.widths.items()},
        "unicode": {str(gid): text for gid, text in to_unicode.items()},
        "gids": sorted(set(to_unicode) | set(self.widths)),
        "size": len(data), "head": hashlib.sha1(data[:65536]).hexdigest(), "index": int(self.index),
        "notdef": bool(self.missing), "otf": "CFF " in self.tables or "CFF2" in self.tables,
    }
    self.file_content = b"OTTO" if _USED_FONTS[name]["otf"] else b"\x00\x01\x00\x00"


_ORIGINAL_CLEAN = None
_ORIGINAL_INIT = None


def init(patch_fonts: bool = True) -> None:
    """Import WeasyPrint once per process and switch subsetting over to the joiner."""
    global _PATCHED, _ORIGINAL_CLEAN, _ORIGINAL_INIT
    import weasyprint  # noqa: F401  (the import is the expensive part)
    from weasyprint.pdf import fonts as wp_fonts

    from . import fonts
    speedups.install()
    patchable = hasattr(wp_fonts.Font, "clean") and hasattr(wp_fonts, "get_hb_object_data")
    if patch_fonts and not _PATCHED and patchable and fonts.available():
        _ORIGINAL_CLEAN, _ORIGINAL_INIT = wp_fonts.Font.clean, wp_fonts.Font.__init__
        wp_fonts.Font.clean = _placeholder_clean
        wp_fonts.Font.__init__ = _lean_init
        _PATCHED = True


def init_process() -> None:
    """The pool's initializer: init(), then the modules, fonts and patches it loaded, which live as long as the
    worker, are left out of the collector's full scans (gc.freeze: ~3 % of a render's CPU)."""
    init()
    gc.freeze()


# The few elements our print templates use. WeasyPrint's full HTML5 user-agent sheet is matched against every
# element of every document: a small one saves ~15 % of a render, and our print CSS sets everything else.
LEAN_UA_CSS = """
html, body, div, section, p, h1, h2, h3, h4, h5, h6 { display: block }
head, title, meta, style, script, link, template { display: none }
span, a, code, b, strong, em, img { display: inline }
b, strong { font-weight: bolder }
table { display: table; box-sizing: border-box; border-spacing: 2px; border-collapse: separate; text-indent: initial }
colgroup { display: table-column-group } col { display: table-column }
thead { display: table-header-group } tbody { display: table-row-group; vertical-align: middle }
tfoot { display: table-footer-group }
tr { display: table-row; vertical-align: inherit }
td, th { display: table-cell; vertical-align: inherit; padding: 1px }
th { font-weight: bold }
br::before { content: "\\A"; white-space: pre-line }
"""
_SHARED: dict[str, object] = {}


def _shared(name: str):
    """Per-process WeasyPrint objects reused by every render: the lean UA sheet, the HTML class using it, and one
    FontConfiguration (a new one per document reloads the fonts: ~25 % of a small render)."""
    if not _SHARED:
        from weasyprint import CSS, HTML
        from weasyprint.text.fonts import FontConfiguration
        user_agent = CSS(string=LEAN_UA_CSS)

        class PrintHTML(HTML):
            def __init__(self, string: str, url_fetcher):
                if speedups.installed():
                    speedups.init_html(self, string, url_fetcher)
                else:
                    super().__init__(string=string, url_fetcher=url_fetcher)

            def _ua_stylesheets(self, forms=False):
                return [user_agent]

        _SHARED.update(html=PrintHTML, fonts=FontConfiguration())
    return _SHARED[name]


def _stylesheet(css: str, fetcher):
    from weasyprint import CSS
    key = hashlib.sha1(css.encode()).hexdigest()
    if key not in _CSS_CACHE:
        if len(_CSS_CACHE) > 16:
            _CSS_CACHE.clear()
        _CSS_CACHE[key] = CSS(string=css, url_fetcher=fetcher)
    return _CSS_CACHE[key]


def _chunks_by_page(document) -> dict[str, set[int]]:
    """Which pages each `data-chunk` element (one paginated table page) was laid out on."""
    seen: dict[str, set[int]] = {}
    for number, page in enumerate(document.pages):
        frontier = [page._page_box]
        for _depth in range(5):
            following = []
            for box in frontier:
                element = getattr(box, "element", None)
                chunk = element.get("data-chunk") if element is not None and hasattr(element, "get") else None
                if chunk is not None and getattr(box, "element_tag", "") == "section":
                    seen.setdefault(chunk, set()).add(number)
                    continue
                following.extend(getattr(box, "children", ()) or ())
            frontier = following
    return seen


# CPython 3.11 keeps frames on a stack of 16 KiB chunks and unmaps a chunk as soon as the first frame on it
# returns; WeasyPrint's layout recursion loops across such a boundary, which cost ~75,000 mmap/munmap pairs and
# a quarter of the CPU of a 50-project package (python/cpython#142183, fixed only in 3.13+). Rendering below a
# frame that reserves ROOMY_FRAME_SLOTS pointers puts the next ~70 KiB of frames on one 128 KiB chunk. The
# reservation is address space only: the unused slots are never written, so their pages are never touched.
ROOMY_FRAME_SLOTS = 7300


def _on_roomy_stack(function, *args):
    return function(*args)


_on_roomy_stack.__code__ = _on_roomy_stack.__code__.replace(co_stacksize=ROOMY_FRAME_SLOTS)


def render(html: str, css: str, check_chunks: bool = False) -> RenderResult:
    return _on_roomy_stack(_render, html, css, check_chunks)


def _render(html: str, css: str, check_chunks: bool) -> RenderResult:
    if not _PATCHED:
        init()
    started, wall = time.process_time(), time.perf_counter()

    from .fetching import SafeFetcher
    fetcher = SafeFetcher()
    document = _shared("html")(string=html, url_fetcher=fetcher).render(
        stylesheets=[_stylesheet(css, fetcher)], font_config=_shared("fonts"))
    overflow = []
    if check_chunks:
        overflow = sorted(chunk for chunk, pages in _chunks_by_page(document).items() if len(pages) > 1)
    _USED_FONTS.clear()
    # PDF 1.4: no object streams, so that the joiner (pypdf) parses only the objects it copies (pages and
    # content), never the fonts' big /W arrays that share an object stream with them.
    pdf = document.write_pdf(pdf_version="1.4")
    result = RenderResult(pdf=pdf, pages=len(document.pages), overflow=overflow, fonts=dict(_USED_FONTS),
                          refused=list(fetcher.refused),
                          peak_rss_mb=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                          cpu_seconds=time.process_time() - started, wall_seconds=time.perf_counter() - wall)
    _USED_FONTS.clear()
    return result

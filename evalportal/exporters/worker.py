"""The render worker: HTML + CSS in, PDF bytes out (runs in pool processes; no Django, no database).

WeasyPrint is CPU-bound and single-threaded, costs 0.5–0.8 s to import and creeps ~0.85 MiB per render
(notes.md): long-lived worker processes, recycled after a number of tasks, render the parts in parallel.

Font subsetting is left to the joiner (fonts.py): here each embedded font is a 4-byte placeholder and the
result reports, per font, the glyph ids used and how to find the font file again.
"""
from __future__ import annotations

import hashlib
import resource
from dataclasses import dataclass, field

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


def _placeholder_clean(self, to_unicode, hinting):
    """Replacement for weasyprint.pdf.fonts.Font.clean: record the glyphs, embed a placeholder."""
    plain = not ({"fvar"} & set(self.tables)) and not (self.png or self.svg or self.colr or self.bitmap)
    if not plain or not to_unicode:
        return _ORIGINAL_CLEAN(self, to_unicode, hinting)
    data = self.file_content
    name = self.name.decode().lstrip("/")
    _USED_FONTS[name] = {
        "gids": sorted(set(to_unicode) | set(self.widths)),
        "size": len(data), "head": hashlib.sha1(data[:65536]).hexdigest(), "index": int(self.index),
        "notdef": bool(self.missing), "otf": "CFF " in self.tables or "CFF2" in self.tables,
    }
    self.file_content = b"OTTO" if _USED_FONTS[name]["otf"] else b"\x00\x01\x00\x00"


_ORIGINAL_CLEAN = None


def init(patch_fonts: bool = True) -> None:
    """Import WeasyPrint once per process and switch subsetting over to the joiner."""
    global _PATCHED, _ORIGINAL_CLEAN
    import weasyprint  # noqa: F401  (the import is the expensive part)
    from weasyprint.pdf import fonts as wp_fonts

    from . import fonts
    if patch_fonts and not _PATCHED and hasattr(wp_fonts.Font, "clean") and fonts.available():
        _ORIGINAL_CLEAN = wp_fonts.Font.clean
        wp_fonts.Font.clean = _placeholder_clean
        _PATCHED = True


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


def render(html: str, css: str, check_chunks: bool = False) -> RenderResult:
    if not _PATCHED:
        init()
    from weasyprint import HTML

    from .fetching import SafeFetcher
    fetcher = SafeFetcher()
    document = HTML(string=html, url_fetcher=fetcher).render(stylesheets=[_stylesheet(css, fetcher)])
    overflow = []
    if check_chunks:
        overflow = sorted(chunk for chunk, pages in _chunks_by_page(document).items() if len(pages) > 1)
    _USED_FONTS.clear()
    pdf = document.write_pdf()
    result = RenderResult(pdf=pdf, pages=len(document.pages), overflow=overflow, fonts=dict(_USED_FONTS),
                          refused=list(fetcher.refused),
                          peak_rss_mb=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    _USED_FONTS.clear()
    return result

"""Deny-by-default URL fetcher for WeasyPrint (notes.md, Security).

Every URL in the HTML or CSS we render is fetched by the server: `<img src="file:///etc/passwd">` would read a
local file into the PDF and `http://10.0.0.1/` would reach an internal host. User text is escaped by the
templates, so it prints as text; this fetcher is the second wall: it answers `data:` URLs and the explicitly
allowed assets of this app, and refuses everything else without opening it (no redirects, no network).
No Django import: it runs inside the render workers.
"""
from __future__ import annotations

import base64
import urllib.parse
from collections.abc import Mapping
from pathlib import Path

from weasyprint.urls import URLFetcher, URLFetcherResponse

# The app's own print assets that a stylesheet may reference (fonts come from fontconfig, CSS as strings).
ASSET_DIR = Path(__file__).resolve().parent / "static" / "exporters" / "print"
ASSET_SCHEME = "evalportal-asset:"


class FetchRefused(ValueError):
    """WeasyPrint logs it and renders without the resource."""


def allowed_assets() -> dict[str, Path]:
    """`evalportal-asset:<name>` → file, for the files shipped in ASSET_DIR (none need fetching today)."""
    if not ASSET_DIR.is_dir():
        return {}
    return {f"{ASSET_SCHEME}{path.name}": path for path in ASSET_DIR.iterdir() if path.is_file()}


class SafeFetcher(URLFetcher):
    """Allows `data:` URLs and an explicit allow-list; records and refuses every other URL."""

    def __init__(self, allowed: Mapping[str, Path] | None = None, **kwargs):
        super().__init__(allow_redirects=False, timeout=1, **kwargs)
        self.allowed = dict(allowed if allowed is not None else allowed_assets())
        self.refused: list[str] = []

    def fetch(self, url, headers=None):
        if url.startswith("data:"):
            return _data_response(url)
        path = self.allowed.get(url)
        if path is not None:
            return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": _content_type(path)})
        self.refused.append(url)
        raise FetchRefused(f"evalportal refuses to fetch {url[:200]!r}")

    def __call__(self, url):
        return self.fetch(url)


def _content_type(path: Path) -> str:
    return {".css": "text/css", ".woff2": "font/woff2", ".otf": "font/otf", ".ttf": "font/ttf",
            ".svg": "image/svg+xml", ".png": "image/png"}.get(path.suffix, "application/octet-stream")


def _data_response(url: str) -> URLFetcherResponse:
    """Decode a data: URL ourselves rather than through urllib's opener chain."""
    header, _, payload = url[5:].partition(",")
    is_base64 = header.endswith(";base64")
    media_type = (header[:-7] if is_base64 else header) or "text/plain;charset=US-ASCII"
    body = base64.b64decode(payload) if is_base64 else urllib.parse.unquote_to_bytes(payload)
    content_type, _, params = media_type.partition(";")
    headers = {"Content-Type": media_type}
    return URLFetcherResponse(url, body, headers)

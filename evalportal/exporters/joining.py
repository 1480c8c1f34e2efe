"""Join rendered parts into one PDF: shared font subsets, page numbers and watermark, an outline.

The parts come from the cache or the workers with placeholder fonts (worker.py); here each face gets one real
subset for the whole file (fonts.py). Page numbers, the 草稿 watermark and the sample-data footnote are a
"stamp" document rendered once per page count (stamps.py) and laid *under* each page's content, so that a part's
cached PDF does not depend on where it lands in the package, nor on the workflow state.
"""
from __future__ import annotations

import io
import re
import zlib
from dataclasses import dataclass, field

from pypdf import PdfReader, PdfWriter
from pypdf.generic import (ArrayObject, DecodedStreamObject, DictionaryObject, NameObject, NumberObject,
                           StreamObject, TextStringObject)

from . import fonts


class JoinError(RuntimeError):
    """A font of the rendered parts could not be found again on this machine."""


@dataclass
class Piece:
    pdf: bytes
    pages: int
    fonts: dict = field(default_factory=dict)     # from worker.RenderResult.fonts
    label: str = ""                               # outline entry (empty: none)


def _union_fonts(pieces: list[Piece]) -> dict[str, dict]:
    union: dict[str, dict] = {}
    for piece in pieces:
        for name, info in piece.fonts.items():
            entry = union.setdefault(name, {**info, "gids": set()})
            entry["gids"].update(info["gids"])
            entry["notdef"] = entry["notdef"] or info["notdef"]
    return union


def _font_streams(writer: PdfWriter, union: dict[str, dict]) -> dict[str, tuple[str, object]]:
    """BaseFont → (descriptor key, indirect reference of the one merged font file)."""
    streams = {}
    for name, info in union.items():
        path = fonts.font_path(info["size"], info["head"])
        data = fonts.subset(path, info["index"], info["gids"], info["notdef"]) if path else None
        if data is None:
            raise JoinError(f"font {name} not found among the installed fonts (fc-list)")
        stream = StreamObject()
        stream._data = zlib.compress(data, 6)
        stream[NameObject("/Filter")] = NameObject("/FlateDecode")
        if data[:4] == b"OTTO":
            stream[NameObject("/Subtype")] = NameObject("/OpenType")
            key = "/FontFile3"
        else:
            stream[NameObject("/Length1")] = NumberObject(len(data))
            key = "/FontFile2"
        streams[name] = (key, writer._add_object(stream))
    return streams


def _patch_fonts(reader: PdfReader, streams: dict[str, tuple[str, object]]) -> None:
    """Point every placeholder font file of `reader` at the merged subset (before its pages are copied)."""
    done = set()
    for page in reader.pages:
        resources = page.get("/Resources")
        for font_dicts in _font_dicts(resources):
            for ref in font_dicts.values():
                font = ref.get_object()
                if id(font) in done or font.get("/Subtype") != "/Type0":
                    continue
                done.add(id(font))
                descendant = font["/DescendantFonts"][0].get_object()
                descriptor = descendant["/FontDescriptor"].get_object()
                name = str(font["/BaseFont"]).lstrip("/")
                if name not in streams:
                    continue
                key, stream_ref = streams[name]
                for old in ("/FontFile2", "/FontFile3"):
                    if old in descriptor:
                        del descriptor[old]
                descriptor[NameObject(key)] = stream_ref
                descendant[NameObject("/Subtype")] = NameObject(
                    "/CIDFontType0" if key == "/FontFile3" else "/CIDFontType2")


def _font_dicts(resources) -> list[DictionaryObject]:
    """The /Font dictionaries of a resource dict and of the form XObjects it uses (the watermark is one)."""
    found = []
    if resources is None:
        return found
    resources = resources.get_object()
    if "/Font" in resources:
        found.append(resources["/Font"].get_object())
    for ref in (resources.get("/XObject") or {}).values():
        xobject = ref.get_object()
        if xobject.get("/Subtype") == "/Form":
            found += _font_dicts(xobject.get("/Resources"))
    return found


_NAME = re.compile(rb"/([A-Za-z0-9_.+\-]+)")


@dataclass
class _StampPage:
    content: bytes
    resources: dict[str, dict[str, object]]    # category → {renamed name: source object}


def _stamp_pages(reader: PdfReader) -> list[_StampPage]:
    pages = []
    for page in reader.pages:
        resources = page["/Resources"].get_object()
        renamed: dict[str, dict[str, object]] = {}
        names = set()
        for category, entries in resources.items():
            entries = entries.get_object()
            if not isinstance(entries, DictionaryObject) or not entries:
                continue
            renamed[category] = {f"/evp{key[1:]}": value for key, value in entries.items()}
            names.update(key[1:].encode() for key in entries)
        data = page.get_contents().get_data()
        data = _NAME.sub(lambda m: b"/evp" + m[1] if m[1] in names else m[0], data)
        pages.append(_StampPage(b"q\n" + data + b"\nQ\n", renamed))
    return pages


def _apply_stamp(writer: PdfWriter, page, stamp: _StampPage) -> None:
    content = DecodedStreamObject()
    content.set_data(stamp.content)
    content_ref = writer._add_object(content)
    existing = page.get("/Contents")
    if existing is None:
        contents = ArrayObject([content_ref])
    elif isinstance(existing.get_object(), ArrayObject):
        contents = ArrayObject([content_ref, *existing.get_object()])
    else:
        contents = ArrayObject([content_ref, existing])
    page[NameObject("/Contents")] = contents
    resources = page.get("/Resources")
    merged = DictionaryObject()
    if resources is not None:
        for key, value in resources.get_object().items():
            merged[NameObject(key)] = value
    for category, entries in stamp.resources.items():
        current = merged.get(category)
        combined = DictionaryObject()
        if current is not None:
            combined.update(current.get_object())
        for name, value in entries.items():
            combined[NameObject(name)] = value.clone(writer) if hasattr(value, "clone") else value
        merged[NameObject(category)] = combined
    page[NameObject("/Resources")] = merged


def join(pieces: list[Piece], stamp: Piece | None = None, title: str = "") -> bytes:
    """One PDF: the pieces' pages in order, stamped page by page, fonts shared, an outline of the labels."""
    writer = PdfWriter()
    union = _union_fonts(pieces + ([stamp] if stamp else []))
    streams = _font_streams(writer, union)
    starts = []
    for piece in pieces:
        reader = PdfReader(io.BytesIO(piece.pdf))
        _patch_fonts(reader, streams)
        starts.append(len(writer.pages))
        for page in reader.pages:
            writer.add_page(page)
    if stamp is not None:
        stamp_reader = PdfReader(io.BytesIO(stamp.pdf))
        _patch_fonts(stamp_reader, streams)
        stamp_pages = _stamp_pages(stamp_reader)
        if len(stamp_pages) < len(writer.pages):
            raise ValueError("the stamp has fewer pages than the document")
        for page, stamp_page in zip(writer.pages, stamp_pages):
            _apply_stamp(writer, page, stamp_page)
    for piece, start in zip(pieces, starts):
        if piece.label and piece.pages:
            writer.add_outline_item(piece.label, start)
    writer.add_metadata({"/Title": TextStringObject(title), "/Producer": TextStringObject("evalportal")})
    writer.page_mode = "/UseOutlines" if any(p.label for p in pieces) and len(pieces) > 1 else None
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()

"""Join rendered parts into one PDF: one font per face, page numbers and watermark, an outline.

The parts come from the cache or the workers with placeholder fonts (worker.py), together with the glyph ids,
widths and Unicode text each font used. Here every face becomes one font for the whole file: one subset
(fonts.py), one /W array and one ToUnicode map built from the union, and every page's /Font resources are
pointed at it. So the parts' own font objects are never parsed or copied (pypdf parsing their /W arrays was
most of the joining time) and the file carries each face once.

Page numbers, the 草稿 watermark and the sample-data footnote are a "stamp" document rendered once per page
count (rendering.start_stamp) and laid *under* each page's content, so that a part's cached PDF does not
depend on where it lands in the package nor on the workflow state.
"""
from __future__ import annotations

import io
import re
import zlib
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field

from pypdf import PdfReader, PdfWriter
from pypdf.generic import (ArrayObject, DecodedStreamObject, DictionaryObject, FloatObject, NameObject,
                           NumberObject, StreamObject, TextStringObject)

from . import fonts


_subsetter = ThreadPoolExecutor(max_workers=2, thread_name_prefix="font-subset")


class JoinError(RuntimeError):
    """A font of the rendered parts could not be found again on this machine."""


@dataclass
class Piece:
    pdf: bytes
    pages: int
    fonts: dict = field(default_factory=dict)     # worker.RenderResult.fonts (BaseFont → glyph data)
    label: str = ""                               # outline entry (empty: none)


@dataclass
class _Face:
    name: str                     # BaseFont without the slash: LWGGBP+Noto-Serif-CJK-SC
    key: str                      # resource name: LWGGBP
    size: int
    head: str
    index: int
    otf: bool
    widths: dict[int, int] = field(default_factory=dict)
    unicode: dict[int, str] = field(default_factory=dict)
    notdef: bool = False
    ref: object = None            # the writer's Type0 font


def _faces(pieces: list[Piece]) -> dict[str, _Face]:
    faces: dict[str, _Face] = {}
    for piece in pieces:
        for name, info in piece.fonts.items():
            face = faces.get(name)
            if face is None:
                face = faces[name] = _Face(name=name, key=info.get("key") or name.split("+")[0], size=info["size"],
                                           head=info["head"], index=info["index"], otf=info.get("otf", True))
            face.widths.update((int(gid), width) for gid, width in info.get("widths", {}).items())
            face.unicode.update((int(gid), text) for gid, text in info.get("unicode", {}).items())
            face.notdef = face.notdef or info.get("notdef", False)
    return faces


def _stream(data: bytes, **entries) -> StreamObject:
    stream = StreamObject()
    _set_data(stream, data)
    stream[NameObject("/Filter")] = NameObject("/FlateDecode")
    for key, value in entries.items():
        stream[NameObject(f"/{key}")] = value
    return stream


def _set_data(stream: StreamObject, data: bytes) -> None:
    stream._data = zlib.compress(data, 6)


def _to_unicode(mapping: dict[int, str]) -> bytes:
    """The ToUnicode CMap WeasyPrint writes, for the union of the parts' glyphs."""
    lines = [b"/CIDInit /ProcSet findresource begin", b"12 dict begin", b"begincmap", b"/CIDSystemInfo",
             b"<< /Registry (Adobe)", b"/Ordering (UCS)", b"/Supplement 0", b">> def",
             b"/CMapName /Adobe-Identity-UCS def", b"/CMapType 2 def", b"1 begincodespacerange", b"<0000> <ffff>",
             b"endcodespacerange"]
    items = sorted(mapping.items())
    for start in range(0, len(items), 100):
        batch = items[start:start + 100]
        lines.append(f"{len(batch)} beginbfchar".encode())
        for glyph, text in batch:
            lines.append(f"<{glyph:04x}> <{text.encode('utf-16-be').hex()}>".encode())
        lines.append(b"endbfchar")
    lines += [b"endcmap", b"CMapName currentdict /CMap defineresource pop", b"end", b"end"]
    return b"\n".join(lines)


def _widths(widths: dict[int, int]) -> ArrayObject:
    array = ArrayObject()
    current = None
    for gid in sorted(widths):
        if gid - 1 not in widths:
            current = ArrayObject()
            array += [NumberObject(gid), current]
        current.append(NumberObject(widths[gid]))
    return array


def _template_font(pieces: list[Piece], name: str) -> tuple[DictionaryObject, DictionaryObject, DictionaryObject]:
    """Type0, CIDFont and descriptor of `name` in the first piece using it (read for their metrics)."""
    for piece in pieces:
        if name not in piece.fonts:
            continue
        reader = PdfReader(io.BytesIO(piece.pdf))
        for page in reader.pages:
            for font_dict in _font_dicts(page.get("/Resources")):
                for ref in font_dict.values():
                    font = ref.get_object()
                    if str(font.get("/BaseFont", "")).lstrip("/") == name:
                        descendant = font["/DescendantFonts"][0].get_object()
                        return font, descendant, descendant["/FontDescriptor"].get_object()
    raise JoinError(f"font {name} is not in the parts that claim it")


_DESCRIPTOR_KEYS = ("/Type", "/FontName", "/FontFamily", "/Flags", "/ItalicAngle", "/Ascent", "/Descent", "/CapHeight",
                    "/StemV", "/StemH")


def _subset(face: _Face) -> bytes:
    path = fonts.font_path(face.size, face.head)
    data = fonts.subset(path, face.index, set(face.widths) | set(face.unicode), face.notdef) if path else None
    if data is None:
        raise JoinError(f"font {face.name} not found among the installed fonts (fc-list)")
    return data


def _start_subsets(faces: dict[str, _Face]) -> dict[str, Future]:
    """HarfBuzz subsets the faces in threads (cffi lets go of the GIL) while the pages are copied."""
    return {name: _subsetter.submit(_subset, face) for name, face in faces.items()}


def _fill_font_files(files: dict[str, StreamObject], subsets: dict[str, Future]) -> None:
    for name, stream in files.items():
        data = subsets[name].result()
        otf = stream.get("/Subtype") == "/OpenType"
        if (data[:4] == b"OTTO") != otf:
            raise JoinError(f"font {name}: the subset is not of the flavour the worker reported")
        _set_data(stream, data)
        if not otf:
            stream[NameObject("/Length1")] = NumberObject(len(data))


def _build_fonts(writer: PdfWriter, pieces: list[Piece], faces: dict[str, _Face]) -> dict[str, StreamObject]:
    """The merged fonts, with their font files still empty (filled by _fill_font_files)."""
    files = {}
    for face in faces.values():
        # The worker reported whether the face is CFF-flavoured: its subset keeps the flavour.
        otf = face.otf
        file_stream = _stream(b"", **({"Subtype": NameObject("/OpenType")} if otf else {}))
        files[face.name] = file_stream
        file_ref = writer._add_object(file_stream)
        type0, cidfont, descriptor = _template_font(pieces, face.name)
        new_descriptor = DictionaryObject()
        for key in _DESCRIPTOR_KEYS:
            if key in descriptor:
                new_descriptor[NameObject(key)] = descriptor[key].clone(writer)
        ascent = float(descriptor.get("/Ascent", 0))
        descent = float(descriptor.get("/Descent", 0))
        new_descriptor[NameObject("/FontBBox")] = ArrayObject(
            [NumberObject(0), FloatObject(descent), NumberObject(max(face.widths.values(), default=0)),
             FloatObject(ascent)])
        new_descriptor[NameObject("/FontFile3" if otf else "/FontFile2")] = file_ref
        new_cidfont = DictionaryObject({
            NameObject("/Type"): NameObject("/Font"),
            NameObject("/Subtype"): NameObject("/CIDFontType0" if otf else "/CIDFontType2"),
            NameObject("/BaseFont"): NameObject(f"/{face.name}"),
            NameObject("/CIDSystemInfo"): cidfont["/CIDSystemInfo"].clone(writer),
            NameObject("/CIDToGIDMap"): NameObject("/Identity"),
            NameObject("/W"): _widths(face.widths),
            NameObject("/FontDescriptor"): writer._add_object(new_descriptor),
        })
        new_type0 = DictionaryObject({
            NameObject("/Type"): NameObject("/Font"),
            NameObject("/Subtype"): NameObject("/Type0"),
            NameObject("/BaseFont"): NameObject(f"/{face.name}"),
            NameObject("/ToUnicode"): writer._add_object(_stream(_to_unicode(face.unicode))),
            NameObject("/Encoding"): NameObject("/Identity-H"),
            NameObject("/DescendantFonts"): ArrayObject([writer._add_object(new_cidfont)]),
        })
        face.ref = writer._add_object(new_type0)
    return files


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


def _point_fonts(resources, by_key: dict[str, object], seen: set | None = None) -> None:
    """Replace the /Font entries of `resources` (and of its form XObjects) by the writer's merged fonts,
    before the page is copied, so that the part's own font objects are never read."""
    if resources is None:
        return
    seen = set() if seen is None else seen
    resources = resources.get_object()
    if id(resources) in seen:
        return
    seen.add(id(resources))
    if "/Font" in resources:
        current = resources["/Font"].get_object()
        resources[NameObject("/Font")] = DictionaryObject(
            {NameObject(key): by_key.get(key[1:], value) for key, value in current.items()})
    for ref in (resources.get("/XObject") or {}).values():
        xobject = ref.get_object()
        if xobject.get("/Subtype") == "/Form":
            _point_fonts(xobject.get("/Resources"), by_key, seen)


_NAME = re.compile(rb"/([A-Za-z0-9_.+\-]+)")


@dataclass
class _StampPage:
    content: bytes
    resources: dict[str, dict[str, object]]    # category → {renamed name: object}


def _stamp_pages(reader: PdfReader, by_key: dict[str, object], count: int) -> list[_StampPage]:
    pages = []
    seen: set = set()
    for index, page in enumerate(reader.pages):
        if index == count:      # the stamp is made for 32, 64 … pages: read only those the document has
            break
        data = page.get_contents().get_data()
        used = set(_NAME.findall(data))
        resources = page["/Resources"].get_object()
        renamed: dict[str, dict[str, object]] = {}
        names = set()
        for category, entries in resources.items():
            entries = entries.get_object()
            if not isinstance(entries, DictionaryObject) or not entries:
                continue
            # WeasyPrint shares one resource dict between the pages: keep only what this page draws.
            kept = {key: value for key, value in entries.items() if key[1:].encode() in used}
            if category == "/XObject":
                for value in kept.values():
                    xobject = value.get_object()
                    if xobject.get("/Subtype") == "/Form":
                        _point_fonts(xobject.get("/Resources"), by_key, seen)
            if category == "/Font":
                kept = {key: by_key.get(key[1:], value) for key, value in kept.items()}
            if kept:
                renamed[category] = {f"/evp{key[1:]}": value for key, value in kept.items()}
                names.update(key[1:].encode() for key in kept)
        # Stamp resources are renamed so they cannot collide with the page's own (/a0, /x0 …).
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
    page[NameObject("/Contents")] = contents            # drawn first: under the page's own content
    merged = DictionaryObject()
    resources = page.get("/Resources")
    if resources is not None:
        for key, value in resources.get_object().items():
            merged[NameObject(key)] = value
    for category, entries in stamp.resources.items():
        combined = DictionaryObject()
        if category in merged:
            combined.update(merged[category].get_object())
        for name, value in entries.items():
            combined[NameObject(name)] = value.clone(writer) if hasattr(value, "clone") else value
        merged[NameObject(category)] = combined
    page[NameObject("/Resources")] = merged


def join(pieces: list[Piece], stamp: Piece | None = None, title: str = "") -> bytes:
    """One PDF: the pieces' pages in order, stamped page by page, one font per face, an outline of the labels."""
    writer = PdfWriter()
    writer.pdf_header = b"%PDF-1.7"        # OpenType font files (FontFile3 /OpenType) are PDF 1.6+
    everything = pieces + ([stamp] if stamp else [])
    faces = _faces(everything)
    subsets = _start_subsets(faces)
    font_files = _build_fonts(writer, everything, faces)
    by_key = {face.key: face.ref for face in faces.values()}
    starts = []
    for piece in pieces:
        reader = PdfReader(io.BytesIO(piece.pdf))
        starts.append(len(writer.pages))
        for page in reader.pages:
            _point_fonts(page.get("/Resources"), by_key)
            writer.add_page(page)
    if stamp is not None:
        stamp_pages = _stamp_pages(PdfReader(io.BytesIO(stamp.pdf)), by_key, len(writer.pages))
        if len(stamp_pages) < len(writer.pages):
            raise ValueError("the stamp has fewer pages than the document")
        for page, stamp_page in zip(writer.pages, stamp_pages):
            _apply_stamp(writer, page, stamp_page)
    if len(pieces) > 1:
        for piece, start in zip(pieces, starts):
            if piece.label and piece.pages:
                writer.add_outline_item(title=piece.label, page_number=start)
        writer.page_mode = "/UseOutlines"
    _fill_font_files(font_files, subsets)
    writer.add_metadata({"/Title": TextStringObject(title), "/Producer": TextStringObject("evalportal")})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()

"""One font subset per face for a whole joined PDF.

Why: every WeasyPrint document embeds its own subsets, and a CJK subset keeps the font's glyph ids, so it costs
~80–300 KB even for a few glyphs; a package joined from ~45 separately rendered parts would weigh 10+ MB
(notes.md: 23 documents → 7.8 MB instead of 0.6 MB). The render workers therefore skip subsetting
(worker.py leaves a 4-byte placeholder and reports the glyph ids it used), and the joiner builds one subset
per face from the union of those ids, with the same HarfBuzz calls and flags as WeasyPrint 70
(weasyprint/pdf/fonts.py, retain-gids then trim), so the glyph ids in the content streams stay valid.
"""
from __future__ import annotations

import functools
import hashlib
import os
import subprocess

from cffi import FFI

HEAD_BYTES = 65536     # the start of a font file identifies it (with its size) among the installed fonts

_ffi = FFI()
_ffi.cdef("""
    typedef struct hb_blob_t hb_blob_t;
    typedef struct hb_face_t hb_face_t;
    typedef struct hb_set_t hb_set_t;
    typedef struct hb_subset_input_t hb_subset_input_t;
    typedef uint32_t hb_codepoint_t;
    typedef uint32_t hb_tag_t;
    hb_blob_t * hb_blob_create_from_file_or_fail (const char *file_name);
    void hb_blob_destroy (hb_blob_t *blob);
    const char * hb_blob_get_data (hb_blob_t *blob, unsigned int *length);
    hb_face_t * hb_face_create (hb_blob_t *blob, unsigned int index);
    void hb_face_destroy (hb_face_t *face);
    hb_blob_t * hb_face_reference_blob (hb_face_t *face);
    void hb_set_add (hb_set_t *set, hb_codepoint_t codepoint);
    void hb_set_add_range (hb_set_t *set, hb_codepoint_t first, hb_codepoint_t last);
    hb_tag_t hb_tag_from_string (const char *str, int len);
    hb_subset_input_t * hb_subset_input_create_or_fail (void);
    void hb_subset_input_destroy (hb_subset_input_t *input);
    hb_set_t * hb_subset_input_glyph_set (hb_subset_input_t *input);
    hb_set_t * hb_subset_input_set (hb_subset_input_t *input, int set_type);
    void hb_subset_input_set_flags (hb_subset_input_t *input, unsigned value);
    hb_face_t * hb_subset_or_fail (hb_face_t *source, const hb_subset_input_t *input);
""")

# hb_subset_flags_t and hb_subset_sets_t values (HarfBuzz ≥ 2.9, stable ABI).
RETAIN_GIDS, NO_HINTING, DESUBROUTINIZE, PASSTHROUGH_UNRECOGNIZED, NOTDEF_OUTLINE = 0x2, 0x1, 0x4, 0x10, 0x40
DROP_TABLE_TAG = 3
_DROPPED = (b"BASE", b"DSIG", b"EBDT", b"EBLC", b"EBSC", b"GPOS", b"GSUB", b"JSTF", b"LTSH", b"PCLT", b"SVG ")


@functools.lru_cache(maxsize=1)
def _libs():
    return _ffi.dlopen("libharfbuzz.so.0"), _ffi.dlopen("libharfbuzz-subset.so.0")


def available() -> bool:
    try:
        _libs()
    except OSError:
        return False
    return True


@functools.lru_cache(maxsize=1)
def _installed_files() -> tuple[str, ...]:
    try:
        out = subprocess.run(["fc-list", "--format", "%{file}\n"], capture_output=True, text=True, timeout=30,
                             check=False).stdout
    except (OSError, subprocess.SubprocessError):
        return ()
    return tuple(sorted({line.strip() for line in out.splitlines() if line.strip()}))


@functools.lru_cache(maxsize=64)
def font_path(size: int, head_sha: str) -> str | None:
    """The installed font file whose size and first 64 KB match what the worker's face was loaded from."""
    for path in _installed_files():
        try:
            if os.path.getsize(path) != size:
                continue
            with open(path, "rb") as handle:
                if hashlib.sha1(handle.read(HEAD_BYTES)).hexdigest() == head_sha:
                    return path
        except OSError:
            continue
    return None


def _subset_pass(hb, hbs, face, glyphs, flags: int, drop: bool):
    subset_input = hbs.hb_subset_input_create_or_fail()
    if subset_input == _ffi.NULL:
        raise MemoryError("hb_subset_input_create_or_fail")
    try:
        glyph_set = hbs.hb_subset_input_glyph_set(subset_input)
        if isinstance(glyphs, range):
            hb.hb_set_add_range(glyph_set, glyphs.start, glyphs.stop - 1)
        else:
            for gid in glyphs:
                hb.hb_set_add(glyph_set, gid)
        hbs.hb_subset_input_set_flags(subset_input, flags)
        if drop:
            drop_set = hbs.hb_subset_input_set(subset_input, DROP_TABLE_TAG)
            for tag in _DROPPED:
                hb.hb_set_add(drop_set, hb.hb_tag_from_string(tag, -1))
        return hbs.hb_subset_or_fail(face, subset_input)
    finally:
        hbs.hb_subset_input_destroy(subset_input)


def subset(path: str, index: int, gids: set[int], notdef_outline: bool = False) -> bytes | None:
    """The font file of `path` (face `index`) keeping `gids` at their ids; None when HarfBuzz refuses."""
    hb, hbs = _libs()
    blob = hb.hb_blob_create_from_file_or_fail(path.encode())
    if blob == _ffi.NULL:
        return None
    face = hb.hb_face_create(blob, index)
    extra = NOTDEF_OUTLINE if notdef_outline else 0
    try:
        first = _subset_pass(hb, hbs, face, sorted(gids | {0}), RETAIN_GIDS | PASSTHROUGH_UNRECOGNIZED |
                             DESUBROUTINIZE | extra, drop=True)
        if first == _ffi.NULL:
            return None
        try:
            # Second pass as WeasyPrint does: keep ids 0…max and drop hinting.
            second = _subset_pass(hb, hbs, first, range(0, max(gids | {0}) + 1),
                                  PASSTHROUGH_UNRECOGNIZED | DESUBROUTINIZE | NO_HINTING | extra, drop=False)
            if second == _ffi.NULL:
                return None
            try:
                out_blob = hb.hb_face_reference_blob(second)
                length = _ffi.new("unsigned int *")
                data = hb.hb_blob_get_data(out_blob, length)
                result = bytes(_ffi.buffer(data, length[0])) if length[0] else None
                hb.hb_blob_destroy(out_blob)
                return result
            finally:
                hb.hb_face_destroy(second)
        finally:
            hb.hb_face_destroy(first)
    finally:
        hb.hb_face_destroy(face)
        hb.hb_blob_destroy(blob)

"""PDF export: a package (or one part of it) in, PDF bytes out (domain.md §8).

    package_pdf(package) -> bytes          the whole package in print order
    part_pdf(package, "att3-2") -> bytes   one part: report, att1, att2, att3-k, att4…att6, project_report-k
    pdf_filename(package, part=None)       {Y}年度{单位}绩效自评报告（{状态}）.pdf

Pipeline: parts.py (what is printed) → rendering.py (cache + parallel WeasyPrint workers) → joining.py (one
font subset per face, page numbers and 草稿 watermark stamped under the pages). Approved packages end with a
verification page (verification.py) whose QR code leads to /export/verify/<token>/.
"""
from __future__ import annotations

import hashlib

from django.utils.translation import gettext as _

from evalportal.reports.selectors import is_loaded, load_package
from evalportal.review.workflow import LOCKED_STATES, WATERMARKED_STATES

from . import joining, rendering
from .parts import Part, load_source, package_parts, part_keys

SAMPLE_FOOTNOTE = "本报告含样例数据，仅供演示"


class UnknownPart(LookupError):
    """The package has no part by that name (a 附件 marked 无, a project number past the end)."""


def _loaded(package):
    # load_package prefetches everything the part builders read, in a constant number of queries.
    return package if is_loaded(package) else load_package(package.pk)


def build_pdf(package, parts: list[str] | None = None, *, reuse: bool = True, stats: dict | None = None) -> bytes:
    package = _loaded(package)
    source = load_source(package)
    selected = package_parts(package, source)
    if parts is not None:
        selected = [part for part in selected if part.key in parts]
        if not selected:
            raise UnknownPart(", ".join(parts))
    # Started first, so that it renders beside the parts instead of after them.
    pending_stamp = rendering.start_stamp(rendering.estimated_pages(selected) + 1,
                                          watermark=package.state in WATERMARKED_STATES,
                                          footnote=SAMPLE_FOOTNOTE if package.has_sample_data else "",
                                          reuse=reuse, stats=stats)
    pieces = rendering.render_parts(selected, reuse=reuse, stats=stats)
    record = None
    if package.state in LOCKED_STATES and package.approved_at:
        from . import verification
        record = verification.approval_record(package, source.pkg)
        pieces += rendering.render_parts([verification.verification_part(package, record)], reuse=reuse,
                                         stats=stats)
    total = sum(piece.pages for piece in pieces)
    stamp = pending_stamp.piece(total)
    title = selected[0].label if parts is not None and len(selected) == 1 else package.title
    pdf = joining.join(pieces, stamp, title=title)
    if record is not None:
        from . import verification
        verification.record_issued(record, ",".join(parts or []), pdf)
    if stats is not None:
        stats["pages"] = total
    return pdf


def package_pdf(package) -> bytes:
    """The whole package: narrative, 附件1, 附件2, each 附件3, 附件4–6 unless 无, the project reports."""
    return build_pdf(package)


def part_pdf(package, part: str) -> bytes:
    """One part, numbered from page 1, with the same watermark and fonts as the whole package."""
    return build_pdf(package, [part])


def available_parts(package) -> list[tuple[str, str]]:
    """(key, label) of every part the package prints, for download lists and --part."""
    return part_keys(package)


def pdf_filename(package, part: str | None = None) -> str:
    state = package.get_state_display()
    if part is None:
        return f"{package.year}年度{package.department.name}绩效自评报告（{state}）.pdf"
    label = dict(part_keys(package)).get(part, part).replace(" ", "")
    return f"{package.year}年度{package.department.name}{label}（{state}）.pdf"


def parts_of(package) -> list[Part]:
    return package_parts(_loaded(package))


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


__all__ = ["UnknownPart", "available_parts", "build_pdf", "package_pdf", "part_pdf", "pdf_filename", "_"]

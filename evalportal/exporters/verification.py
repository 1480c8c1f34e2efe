"""A PDF that proves itself: the approved package's last page names its version, approver, approval time and a
content hash, with a QR code to /export/verify/<token>/, where the app confirms or denies that the record is
still the one the file was made from (domain.md §7: approved packages are locked)."""
from __future__ import annotations

import dataclasses
import hashlib
import json
import secrets
from decimal import Decimal

import segno
from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from evalportal.checks.data import PackageData
from evalportal.reports.selectors import load_package, package_data
from evalportal.review.workflow import LOCKED_STATES

from .models import ApprovalRecord, IssuedFile
from .parts import Part


def _default(value):
    if isinstance(value, Decimal):
        return str(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    raise TypeError(type(value))


def content_hash(pkg: PackageData) -> str:
    """SHA-256 of the package's inputs as canonical JSON (the same data always gives the same hash)."""
    data = dataclasses.asdict(pkg)
    data.pop("today", None)
    blob = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=_default)
    return hashlib.sha256(blob.encode()).hexdigest()


def _approver_name(package) -> str:
    user = package.approved_by
    return getattr(user, "display_name", "") or str(user or "")


def approval_record(package, pkg: PackageData | None = None) -> ApprovalRecord:
    """The record of this approval and content, created the first time its PDF is made."""
    digest = content_hash(pkg or package_data(package))
    lookup = dict(package=package, edition=package.edition, content_hash=digest, approved_at=package.approved_at)
    record = ApprovalRecord.objects.filter(**lookup).first()
    if record is None:
        try:
            with transaction.atomic():
                record = ApprovalRecord.objects.create(
                    **lookup, token=secrets.token_urlsafe(18), version=package.version,
                    approved_by_name=_approver_name(package))
        except IntegrityError:       # two downloads at once: the other one created it
            record = ApprovalRecord.objects.get(**lookup)
    return record


def verify_url(record: ApprovalRecord) -> str:
    base = getattr(settings, "SITE_URL", "").rstrip("/")
    return f"{base}{reverse('exporters:verify', args=[record.token])}"


def verification_part(package, record: ApprovalRecord) -> Part:
    url = verify_url(record)
    qr = segno.make(url, error="m")
    approved_at = timezone.localtime(record.approved_at)
    content = {
        "title": package.title, "edition": record.edition, "version": record.version,
        "approver": record.approved_by_name,
        "approved_at": f"{approved_at.year}年{approved_at.month}月{approved_at.day}日 {approved_at:%H:%M}",
        "content_hash": record.content_hash, "verify_url": url,
        "qr_data_uri": qr.svg_data_uri(scale=4, border=2),
    }
    return Part("verification", "电子文件核验信息", "exporters/print/verification.html", content)


def record_issued(record: ApprovalRecord, part: str, pdf: bytes) -> None:
    IssuedFile.objects.get_or_create(record=record, sha256=hashlib.sha256(pdf).hexdigest(),
                                     defaults={"part": part[:40]})


@dataclasses.dataclass
class Verdict:
    valid: bool
    reasons: list[str]
    record: ApprovalRecord | None = None
    file_matches: bool | None = None      # None: no file was uploaded


def verify(token: str, uploaded: bytes | None = None) -> Verdict:
    """Does the record behind `token` still stand, and (optionally) is `uploaded` one of its files?"""
    record = ApprovalRecord.objects.select_related("package").filter(token=token).first()
    if record is None:
        return Verdict(False, ["未找到该核验码对应的审核记录：文件可能不是本系统生成的。"])
    reasons = []
    package = load_package(record.package_id)
    if package.state not in LOCKED_STATES:
        reasons.append(f"该报告当前状态为“{package.get_state_display()}”，审核通过已被撤销或报告已重新打开。")
    if package.edition != record.edition:
        reasons.append(f"该报告已更正为第{package.edition}版，本文件为第{record.edition}版，已被取代。")
    if package.approved_at != record.approved_at:
        reasons.append("该报告的审核通过记录已变更。")
    if content_hash(package_data(package)) != record.content_hash:
        reasons.append("报告内容与文件生成时的锁定记录不一致。")
    file_matches = None
    if uploaded is not None:
        digest = hashlib.sha256(uploaded).hexdigest()
        file_matches = record.files.filter(sha256=digest).exists()
        if not file_matches:
            reasons.append("上传的文件与本系统发放的文件不一致（文件可能被修改过）。")
    return Verdict(not reasons, reasons, record, file_matches)

"""Downloads (PDF of a package or one part, the Excel workbook), the verification page, bulk ZIPs of a region."""
from __future__ import annotations

import logging

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from evalportal.accounts.roles import Role
from evalportal.orgs.models import Region
from evalportal.reports.models import ReportPackage
from evalportal.reports.selectors import load_package, packages_visible_to

from . import bulk, pdf, verification
from .models import ExportJob

logger = logging.getLogger(__name__)
PDF = "application/pdf"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_VERIFY_UPLOAD = 50 * 1024 * 1024


def _download(data: bytes, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
    response["Content-Length"] = str(len(data))
    return response


def _audit(request: HttpRequest, package, fmt: str, part: str = "") -> None:
    """Exports are written to the audit trail (domain.md §7) with the format and the approved snapshot."""
    from evalportal.review.audit import audit_event
    from evalportal.review.models import AuditEvent
    snapshot = package.snapshots.filter(approved=True).order_by("-number").first()
    audit_event(package=package, actor=request.user, kind=AuditEvent.Kind.EXPORT, action=fmt,
                remote_addr=request.META.get("REMOTE_ADDR"), snapshot=snapshot, format=fmt, part=part or "全部")


@login_required
def package_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The whole package, or one part with ?part=att3-2 (404 for a part the package does not print)."""
    try:
        package = load_package(pk, visible_to=request.user)      # 404, not 403: no peeking
    except ReportPackage.DoesNotExist:
        raise Http404 from None
    part = request.GET.get("part") or None
    try:
        data = pdf.part_pdf(package, part) if part else pdf.package_pdf(package)
    except pdf.UnknownPart:
        raise Http404(_("该报告没有这一部分。")) from None
    _audit(request, package, "pdf", part or "")
    return _download(data, pdf.pdf_filename(package, part), PDF)


@login_required
def package_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    package = get_object_or_404(packages_visible_to(request.user), pk=pk)
    from .xlsx import package_xlsx as build_xlsx, xlsx_filename
    data = build_xlsx(package)
    _audit(request, package, "xlsx")
    return _download(data, xlsx_filename(package), XLSX)


class VerifyUploadForm(forms.Form):
    file = forms.FileField(label=_("上传PDF文件核对（可选）"), required=True)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_VERIFY_UPLOAD:
            raise forms.ValidationError(_("文件过大（上限50MB）。"))
        head = upload.read(5)
        upload.seek(0)
        if head != b"%PDF-":
            raise forms.ValidationError(_("这不是PDF文件，请上传本系统导出的PDF。"))
        return upload


@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest, token: str) -> HttpResponse:
    """Public: anyone holding the paper scans the QR code. Shows the locked record and whether it still stands;
    an uploaded PDF is compared with the files issued under it. An unknown token is a denial, not an error."""
    form = VerifyUploadForm(request.POST or None, request.FILES or None)
    uploaded = None
    if request.method == "POST" and form.is_valid():
        uploaded = form.cleaned_data["file"].read()
    verdict = verification.verify(token, uploaded)
    return render(request, "exporters/verify.html", {"verdict": verdict, "form": form, "token": token})


# --- bulk ZIP of a region ------------------------------------------------------------------------------

def _zip_regions(user):
    """Regions whose approved packages the user may download: a reviewer's regions (and children), or all."""
    if user.is_portal_admin:
        return Region.objects.all()
    ids: set[int] = set()
    for grant in user.grants_cache():
        if grant.role == Role.REVIEWER and grant.region_id:
            ids.update(grant.region.descendant_ids())
    if not ids:
        raise PermissionDenied(_("只有财政局审核人和管理员可以批量下载。"))
    return Region.objects.filter(pk__in=ids)


class RegionZipForm(forms.Form):
    region = forms.ModelChoiceField(label=_("地区"), queryset=Region.objects.none(), empty_label=None)
    year = forms.IntegerField(label=_("评价年度"), min_value=2000, max_value=2100)

    def __init__(self, *args, regions=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = regions.order_by("name")

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("region") and cleaned.get("year"):
            count = bulk.approved_packages(cleaned["region"].pk, cleaned["year"]).count()
            if not count:
                raise forms.ValidationError(_("%(region)s%(year)s年度还没有审核通过的报告。") % {
                    "region": cleaned["region"].name, "year": cleaned["year"]})
            cleaned["count"] = count
        return cleaned


@login_required
@require_http_methods(["GET", "POST"])
def region_zip(request: HttpRequest) -> HttpResponse:
    regions = _zip_regions(request.user)
    form = RegionZipForm(request.POST or None, regions=regions, initial=_zip_defaults(regions))
    if request.method == "POST" and form.is_valid():
        job = ExportJob.objects.create(user=request.user, region=form.cleaned_data["region"],
                                       year=form.cleaned_data["year"], total=form.cleaned_data["count"])
        bulk.start_job(job)
        messages.info(request, _("已开始生成，完成后即可下载。"))
        return redirect(f"{_status_url()}?job={job.pk}")
    jobs = ExportJob.objects.filter(user=request.user).select_related("region")[:10]
    return render(request, "exporters/region_zip.html", {"form": form, "jobs": jobs})


def _zip_defaults(regions) -> dict:
    """The latest year with approved packages in the user's regions, and the region that has them."""
    from evalportal.review.workflow import LOCKED_STATES
    latest = (ReportPackage.objects.filter(department__region__in=regions, state__in=LOCKED_STATES)
              .select_related("department__region").order_by("-year").first())
    if latest is None:
        return {"year": timezone.localdate().year - 1, "region": regions.order_by("name").first()}
    return {"year": latest.year, "region": latest.department.region}


def _status_url() -> str:
    from django.urls import reverse
    return reverse("exporters:region_zip_status")


def _own_job(request: HttpRequest) -> ExportJob | None:
    _zip_regions(request.user)            # 403 for everyone who may not download in bulk
    job_id = request.GET.get("job", "")
    if not job_id.isdigit():
        return None
    return get_object_or_404(ExportJob.objects.select_related("region"), pk=int(job_id), user=request.user)


@login_required
def region_zip_status(request: HttpRequest) -> HttpResponse:
    """The job's progress; htmx polls the fragment every second until the job is done."""
    job = _own_job(request)
    if job is None:
        return redirect("exporters:region_zip")
    job.fail_if_stale()
    template = "exporters/_zip_progress.html" if request.headers.get("HX-Request") else "exporters/zip_status.html"
    return render(request, template, {"job": job})


@login_required
def region_zip_download(request: HttpRequest) -> HttpResponse:
    job = _own_job(request)
    if job is None:
        return redirect("exporters:region_zip")
    if job.status != ExportJob.Status.DONE:
        messages.warning(request, _("文件尚未生成完毕。"))
        return redirect(f"{_status_url()}?job={job.pk}")
    try:
        handle = open(job.path, "rb")      # noqa: SIM115  (FileResponse closes it when streamed)
    except OSError:
        raise Http404(_("文件已被清理，请重新生成。")) from None
    return FileResponse(handle, as_attachment=True, filename=job.filename, content_type="application/zip")

"""The upload page: thin views over services.package_import (which validates everything, then writes all or nothing)."""
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect

from evalportal.accounts.roles import Role
from evalportal.reports.selectors import packages_visible_to
from evalportal.review.audit import client_address
from evalportal.review.guards import PackageLocked
from evalportal.review.permissions import roles_of

from . import services
from .forms import WorkbookUploadForm
from .safety import megabytes

RESULT_KEY = "import_result_{pk}"
SHOWN_CHANGES = 500      # the full list is in the audit trail


def _package_for_filler(request: HttpRequest, pk: int):
    package = get_object_or_404(packages_visible_to(request.user), pk=pk)   # 404 outside the scope: no peeking
    if Role.FILLER not in roles_of(request.user, package):
        raise PermissionDenied(_("只有本单位填报人可以导入Excel。"))
    return package


class CappedUploadHandler(FileUploadHandler):
    """Stops storing an upload once it passes the limit, so that a huge file never fills memory or disk."""

    def __init__(self, request=None):
        super().__init__(request)
        self.received = 0

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > settings.IMPORT_MAX_UPLOAD_BYTES:
            self.request.upload_too_large = True
            raise StopUpload(connection_reset=False)     # the rest of the body is read and thrown away
        return raw_data

    def file_complete(self, file_size):
        return None


@csrf_exempt      # the upload handler must be in place before the CSRF check reads the body; checked below
@login_required
def upload(request: HttpRequest, pk: int) -> HttpResponse:
    request.upload_handlers.insert(0, CappedUploadHandler(request))
    return _upload(request, pk)


@csrf_protect
def _upload(request: HttpRequest, pk: int) -> HttpResponse:
    package = _package_for_filler(request, pk)
    form = WorkbookUploadForm(request.POST or None, request.FILES or None)
    valid = request.method == "POST" and package.is_editable and form.is_valid()
    if getattr(request, "upload_too_large", False):
        form.errors["file"] = form.error_class([_("文件过大，上限为%(limit)s。请上传从本系统导出的工作簿。")
                                                % {"limit": megabytes(settings.IMPORT_MAX_UPLOAD_BYTES)}])
        valid = False
    errors: list[str] = []
    if valid:
        try:
            result = services.package_import(package=package, data=form.cleaned_data["file"].read(),
                                             actor=request.user, remote_addr=client_address(request))
        except services.ImportRefused as refused:
            errors = refused.messages
        except PackageLocked as locked:
            errors = [str(locked)]
        else:
            request.session[RESULT_KEY.format(pk=package.pk)] = {
                "summary": result.summary, "sha256": result.sha256, "count": len(result.changes),
                "changes": [[c.ref, c.label, c.field, c.old, c.new] for c in result.changes[:SHOWN_CHANGES]],
                "notices": result.notices,
            }
            return redirect("importers:done", pk=package.pk)
    return render(request, "importers/upload.html", {
        "package": package, "form": form, "errors": errors, "editable": package.is_editable})


@login_required
def done(request: HttpRequest, pk: int) -> HttpResponse:
    package = _package_for_filler(request, pk)
    result = request.session.pop(RESULT_KEY.format(pk=package.pk), None)
    if result is None:          # reloaded, or reached directly: nothing to show
        return redirect("reports:package", pk=package.pk)
    return render(request, "importers/done.html", {"package": package, "result": result,
                                                   "shown": SHOWN_CHANGES})

"""The upload page: thin views over services.package_import (which validates everything, then writes all or nothing)."""
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from evalportal.accounts.roles import Role
from evalportal.reports.selectors import packages_visible_to
from evalportal.review.audit import client_address
from evalportal.review.guards import PackageLocked
from evalportal.review.permissions import roles_of

from . import services
from .forms import WorkbookUploadForm

RESULT_KEY = "import_result_{pk}"
SHOWN_CHANGES = 500      # the full list is in the audit trail


def _package_for_filler(request: HttpRequest, pk: int):
    package = get_object_or_404(packages_visible_to(request.user), pk=pk)   # 404 outside the scope: no peeking
    if Role.FILLER not in roles_of(request.user, package):
        raise PermissionDenied(_("只有本单位填报人可以导入Excel。"))
    return package


@login_required
def upload(request: HttpRequest, pk: int) -> HttpResponse:
    package = _package_for_filler(request, pk)
    form = WorkbookUploadForm(request.POST or None, request.FILES or None)
    errors: list[str] = []
    if request.method == "POST" and package.is_editable and form.is_valid():
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

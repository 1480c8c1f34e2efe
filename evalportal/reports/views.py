from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from .selectors import load_package, packages_visible_to


@login_required
def home(request: HttpRequest) -> HttpResponse:
    packages = packages_visible_to(request.user).order_by("-year", "department__region__name", "department__name")
    return render(request, "reports/home.html", {"packages": packages})


@login_required
def package_overview(request: HttpRequest, pk: int) -> HttpResponse:
    package = get_object_or_404(packages_visible_to(request.user), pk=pk)   # 404, not 403: no peeking
    package = load_package(package.pk)
    return render(request, "reports/package_overview.html", {"package": package})

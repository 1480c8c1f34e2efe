"""Thin views of the insight pages: the region view, its workbook, the 财政重点评价 choice and the package panel."""
from __future__ import annotations

from urllib.parse import quote, urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from evalportal.orgs.models import Region
from evalportal.reports.selectors import packages_visible_to

from . import selectors, services
from .forms import KeyEvaluationForm, ScopeForm
from .signals import CATALOGUE
from .xlsx import region_workbook


def _scope(request: HttpRequest) -> tuple[list[Region], Region | None, list[int], ScopeForm]:
    """(regions the user surveys, the chosen one or None for all, the region ids to show, the bound form).
    403 without a reviewer role; 404 for a region outside the user's scope."""
    regions = selectors.reviewer_regions(request.user)
    if not regions:
        raise PermissionDenied("仅财政局审核人和管理员可以查看审核洞察。")
    allowed: list[int] = []
    for region in regions:
        allowed.extend(i for i in region.descendant_ids() if i not in allowed)
    choices = list(Region.objects.filter(pk__in=allowed).order_by("name"))
    # The latest year with a package in scope, so that the page opens on data rather than on an empty year.
    latest = (packages_visible_to(request.user).filter(department__region_id__in=allowed)
              .order_by("-year").values_list("year", flat=True).first())
    form = ScopeForm(request.GET or None, regions=choices, default_year=latest or timezone.localdate().year - 1)
    chosen = None
    if form.is_valid() and form.cleaned_data["region"]:
        chosen = form.cleaned_data["region"]
    elif request.GET.get("region") and not form.is_valid() and "region" in form.errors:
        raise Http404("不在您的审核范围内。")
    ids = chosen.descendant_ids() if chosen else allowed
    return choices, chosen, ids, form


def _rows(request: HttpRequest):
    choices, chosen, ids, form = _scope(request)
    data = form.cleaned_data if form.is_bound and form.is_valid() else form.initial_values()
    rows = selectors.region_rows(request.user, ids, data["year"])
    if data.get("flagged"):
        rows = [row for row in rows if row.score]
    return choices, chosen, form, data, selectors.sort_rows(rows, data["sort"])


@login_required
def region(request: HttpRequest) -> HttpResponse:
    choices, chosen, form, data, rows = _rows(request)
    computed = [row for row in rows if row.score is not None]
    query = {key: value for key, value in request.GET.items() if key != "sort"}
    return render(request, "insight/region.html", {
        "form": form, "rows": rows, "data": data, "chosen": chosen, "regions": choices,
        "catalogue": CATALOGUE, "charts": selectors.distributions(rows), "computed": len(computed),
        "missing": len(rows) - len(computed), "flagged": sum(1 for row in computed if row.score),
        "chosen_count": sum(1 for row in rows if row.key_evaluation),
        "sort_query": urlencode(query), "query": request.GET.urlencode(),
        "key_form": KeyEvaluationForm(),
    })


@login_required
def region_xlsx(request: HttpRequest) -> HttpResponse:
    choices, chosen, form, data, rows = _rows(request)
    place = chosen.name if chosen else "、".join(r.name for r in selectors.reviewer_regions(request.user))
    title = f"{data['year']}年度{place}部门整体支出绩效自评审核提示"
    response = HttpResponse(region_workbook(rows, title),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(title + '.xlsx')}"
    return response


@login_required
@require_POST
def key_evaluation(request: HttpRequest) -> HttpResponse:
    """Mark or unmark the chosen packages for 财政重点评价; only packages the user may review count."""
    regions = selectors.reviewer_regions(request.user)
    if not regions:
        raise PermissionDenied("仅财政局审核人和管理员可以选定重点评价单位。")
    form = KeyEvaluationForm(request.POST)
    back = request.POST.get("back", "")
    # Back to the same filters; the path is ours, only the query string comes from the form.
    target = reverse("insight:region") + (f"?{back}" if back else "")
    if not form.is_valid():
        messages.error(request, "；".join(str(e) for errors in form.errors.values() for e in errors))
        return redirect(target)
    packages = [p for p in packages_visible_to(request.user).filter(pk__in=form.cleaned_data["packages"])
                .select_related("department__region") if selectors.is_reviewer_of(request.user, p)]
    changed = services.key_evaluation_set(packages=packages, chosen=form.cleaned_data["action"] == "select",
                                          actor=request.user, note=form.cleaned_data["note"])
    verb = "选定为财政重点评价" if form.cleaned_data["action"] == "select" else "取消财政重点评价"
    messages.success(request, f"已将{changed}个单位{verb}。")
    return redirect(target)


@login_required
@require_POST
def recompute(request: HttpRequest) -> HttpResponse:
    """Queue a recompute of the chosen region and year (e.g. after data was imported in bulk)."""
    choices, chosen, ids, form = _scope(request)
    year = form.cleaned_data["year"] if form.is_bound and form.is_valid() else form.initial_values()["year"]
    from evalportal.core.tasks import insight_region
    for region in ([chosen] if chosen else selectors.reviewer_regions(request.user)):
        insight_region.enqueue(region.pk, year)
    messages.info(request, "已开始重新计算审核提示，稍后刷新本页查看结果。")
    return redirect(f"{reverse('insight:region')}?{request.GET.urlencode()}")


def _reviewable(request: HttpRequest, pk: int):
    package = get_object_or_404(packages_visible_to(request.user), pk=pk)
    if not selectors.is_reviewer_of(request.user, package):
        raise PermissionDenied("审核提示仅供财政局审核人查看。")
    return package


@login_required
def package_panel(request: HttpRequest, pk: int) -> HttpResponse:
    """The panel on its own (htmx or a direct link); other pages include the same template."""
    package = _reviewable(request, pk)
    return render(request, "insight/package_panel_page.html", {"package": package})


@login_required
def package_matches(request: HttpRequest, pk: int) -> HttpResponse:
    """Every matched passage of the package beside the passage it matches, shared text marked."""
    from .textmatch import side_by_side
    package = _reviewable(request, pk)
    stop = services.display_stop(package)
    shown, hidden = selectors.package_matches(request.user, package)
    for item in shown:
        item["left"], item["right"], item["comparison"] = side_by_side(item["mine"].paragraph,
                                                                       item["other"].paragraph, stop)
    return render(request, "insight/package_matches.html", {"package": package, "matches": shown, "hidden": hidden})

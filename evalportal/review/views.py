"""Thin views: find the package within the user's scope (404 outside it), call a service, redirect."""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from evalportal.reports.selectors import packages_visible_to

from . import services
from .audit import client_address
from .models import ReviewComment


def _back(request: HttpRequest, fallback: str) -> HttpResponse:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return redirect(target)
    return redirect(fallback)


def _messages_of(error: ValidationError) -> str:
    return "；".join(error.messages)


def _visible_comment(request: HttpRequest, comment_pk: int) -> ReviewComment:
    # A comment is reachable only through a package the user may see: 404 otherwise, never the text.
    return get_object_or_404(ReviewComment.objects.select_related("package").filter(
        package__in=packages_visible_to(request.user)), pk=comment_pk)


@login_required
@require_POST
def comment_add(request: HttpRequest, pk: int) -> HttpResponse:
    package = get_object_or_404(packages_visible_to(request.user), pk=pk)
    row_id = request.POST.get("row_id") or None
    try:
        services.comment_add(package=package, actor=request.user, section_key=request.POST.get("section_key", ""),
                             text=request.POST.get("text", ""), row_id=int(row_id) if row_id and row_id.isdigit()
                             else None, row_label=request.POST.get("row_label", ""),
                             remote_addr=client_address(request))
    except ValidationError as error:
        messages.error(request, _messages_of(error))
    else:
        messages.success(request, "审核意见已保存。")
    return _back(request, f"/review/packages/{package.pk}/")


@login_required
@require_POST
def comment_reply(request: HttpRequest, comment_pk: int) -> HttpResponse:
    comment = _visible_comment(request, comment_pk)
    try:
        services.comment_reply(comment=comment, actor=request.user, text=request.POST.get("text", ""),
                               remote_addr=client_address(request))
    except ValidationError as error:
        messages.error(request, _messages_of(error))
    else:
        messages.success(request, "答复已保存。")
    return _back(request, f"/review/packages/{comment.package_id}/")


def _settle(request: HttpRequest, comment_pk: int, resolve: bool) -> HttpResponse:
    comment = _visible_comment(request, comment_pk)
    services.comment_settle(comment=comment, actor=request.user, resolve=resolve, text=request.POST.get("text", ""),
                            remote_addr=client_address(request))
    messages.success(request, "意见已确认解决。" if resolve else "意见已重新打开。")
    return _back(request, f"/review/packages/{comment.package_id}/")


@login_required
@require_POST
def comment_resolve(request: HttpRequest, comment_pk: int) -> HttpResponse:
    return _settle(request, comment_pk, True)


@login_required
@require_POST
def comment_reopen(request: HttpRequest, comment_pk: int) -> HttpResponse:
    return _settle(request, comment_pk, False)


# ---------------------------------------------------------------- review page, actions, diff, trail

def _visible_package(request: HttpRequest, pk: int):
    return get_object_or_404(packages_visible_to(request.user), pk=pk)   # 404, not 403: no peeking


def _live_content(package):
    """The package laid out like a snapshot (same renderer), with today's findings and explanations."""
    from evalportal.reports.engine import evaluate
    from evalportal.reports.selectors import load_package, package_data

    from .snapshots import generated_sentences, project_titles, snapshot_content
    loaded = load_package(package.pk)
    pkg = package_data(loaded)
    findings = evaluate(pkg, stage="submit").findings
    explanations = {(e.code, e.location): {"explanation": e.explanation, "acknowledged": e.acknowledged_by_id is not None,
                                           "by": e.acknowledged_by}
                    for e in loaded.check_explanations.select_related("acknowledged_by")}
    meta = {"package": package.pk, "year": pkg.year, "department": pkg.department_name}
    content = snapshot_content(pkg, meta=meta, findings=findings, explanations=explanations,
                               generated=generated_sentences(pkg), project_titles=project_titles(loaded))
    return loaded, content, explanations


def _group_of(key: str) -> str:
    parts = key.split(".")
    return ".".join(parts[:2]) if parts[0] in ("att3", "project_report") else parts[0]


def _group_title(head: str, section_title: str) -> str:
    fixed = {"report": "部门整体支出绩效自评报告（正文）", "att1": "附件1 部门整体支出绩效评价基础数据表",
             "att2": "附件2 部门整体支出绩效自评表"}
    if head in fixed:
        return fixed[head]
    return section_title.split(" · ")[0]


def _section_groups(content: dict) -> list[dict]:
    """Sections in print order, grouped under their component (正文, 附件1, 附件2, each 附件3, …)."""
    groups: list[dict] = []
    for key in content["section_order"]:
        section = content["sections"][key]
        head = _group_of(key)
        if not groups or groups[-1]["head"] != head:
            groups.append({"head": head, "title": _group_title(head, section["title"]), "sections": []})
        rows = sorted(section["rows"].items(), key=lambda item: item[1].get("order", 0))
        fields, grid = section["fields"], []
        if key == "att1.expense":     # three columns per line read better as a table than as 48 pairs
            lines: dict[str, list] = {}
            for name, entry in fields.items():
                line, _col = name.rsplit(".", 1)
                lines.setdefault(line, [entry["label"].rsplit("·", 1)[0]]).append(entry["value"])
            grid, fields = list(lines.values()), {}
        groups[-1]["sections"].append({"key": key, "title": section["title"].split(" · ")[-1], "grid": grid,
                                       "fields": fields, "rows": rows, "result": section.get("result"),
                                       "is_indicators": key.endswith(".indicators"),
                                       "commentable": not key.endswith(".footer")})
    return groups


@login_required
def package_review(request: HttpRequest, pk: int) -> HttpResponse:
    from django.shortcuts import render

    from .comments import comment_rights, package_comments
    package = _visible_package(request, pk)
    loaded, content, _explanations = _live_content(package)
    rights = comment_rights(request.user, loaded)
    findings = content["findings"]
    from evalportal.accounts.roles import Role

    from .workflow import State
    can_ack = Role.REVIEWER in rights["roles"] and loaded.state == State.PENDING_FINANCE
    latest = loaded.snapshots.order_by("-number").first()
    return render(request, "review/package_review.html", {
        "package": loaded, "groups": _section_groups(content), "results": content["results"],
        "errors": [f for f in findings if f["severity"] == "error"],
        "warnings": [f for f in findings if f["severity"] != "error"], "can_ack": can_ack,
        "comments": package_comments(loaded), "latest_snapshot": latest,
        "has_returned": loaded.snapshots.filter(returned_at__isnull=False).exists(),
    })


@login_required
@require_POST
def finding_ack(request: HttpRequest, pk: int) -> HttpResponse:
    package = _visible_package(request, pk)
    services.finding_acknowledge(package=package, actor=request.user, code=request.POST.get("code", ""),
                                 location=request.POST.get("location", ""), remote_addr=client_address(request))
    messages.success(request, "已标记为已阅。")
    return _back(request, f"/review/packages/{package.pk}/")


@login_required
def package_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """GET: the confirmation form of one step (reason, publication URL); POST: take the step."""
    from datetime import date as date_cls

    from django.shortcuts import render

    from .permissions import roles_of
    from .workflow import step_for
    package = _visible_package(request, pk)
    step = step_for(package.state, action, roles_of(request.user, package))   # 403 for a wrong role or state
    values = {"comment": request.POST.get("comment", ""), "published_url": request.POST.get("published_url", ""),
              "published_on": request.POST.get("published_on", "")}
    errors: list[str] = []
    if request.method == "POST":
        published_on = None
        if values["published_on"]:
            try:
                published_on = date_cls.fromisoformat(values["published_on"])
            except ValueError:
                errors.append("公开日期格式应为“2024-05-01”。")
        if not errors:
            try:
                services.package_transition(package=package, action=action, actor=request.user,
                                            comment=values["comment"], remote_addr=client_address(request),
                                            published_url=values["published_url"], published_on=published_on)
            except ValidationError as error:
                errors = error.messages
            else:
                messages.success(request, f"已{step.label}：{package}")
                return redirect("reports:package", pk=package.pk)
    elif request.method != "GET":
        from django.http import HttpResponseNotAllowed
        return HttpResponseNotAllowed(["GET", "POST"])
    return render(request, "review/package_action.html", {"package": package, "step": step, "values": values,
                                                          "errors": errors}, status=200)


@login_required
def package_diff(request: HttpRequest, pk: int) -> HttpResponse:
    from django.shortcuts import render

    from .diff import diff_snapshots
    package = _visible_package(request, pk)
    snapshots = list(package.snapshots.order_by("number"))
    new = _pick(snapshots, request.GET.get("new")) or (snapshots[-1] if snapshots else None)
    returned = [s for s in snapshots if s.returned_at and (new is None or s.number < new.number)]
    old = _pick(snapshots, request.GET.get("old")) or (returned[-1] if returned else None)
    if old is None and new is not None:
        earlier = [s for s in snapshots if s.number < new.number]
        old = earlier[-1] if earlier else None
    diff = None
    threads = []
    if old is not None and new is not None:
        from .comments import package_comments
        # The comments written on the returned submission are the ones the new submission answers.
        comments = [c for c in package_comments(package) if c.snapshot_id == old.pk]
        diff = diff_snapshots(old.data, new.data, [{"id": c.pk, "section_key": c.section_key, "row_id": c.row_id}
                                                   for c in comments])
        changed = {cc.comment_id: cc.changed for cc in diff.comments}
        titles = {key: section["title"] for key, section in new.data.get("sections", {}).items()}
        threads = [{"comment": c, "changed": changed.get(c.pk, False), "where": titles.get(c.section_key, c.section_key)}
                   for c in comments]
    return render(request, "review/package_diff.html", {"package": package, "snapshots": snapshots, "old": old,
                                                        "new": new, "diff": diff, "threads": threads})


def _pick(snapshots, number):
    if number and str(number).isdigit():
        return next((s for s in snapshots if s.number == int(number)), None)
    return None


@login_required
def package_audit(request: HttpRequest, pk: int) -> HttpResponse:
    from django.core.paginator import Paginator
    from django.shortcuts import render

    from .models import AuditEvent
    package = _visible_package(request, pk)
    events = (AuditEvent.objects.filter(package_id=package.pk).select_related("snapshot")
              .prefetch_related("changes").order_by("-created_at", "-pk"))
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    return render(request, "review/package_audit.html", {"package": package, "page": page})


@login_required
def snapshot_download(request: HttpRequest, snapshot_pk: int) -> HttpResponse:
    from .models import Snapshot
    from .snapshots import canonical_json
    snapshot = get_object_or_404(Snapshot.objects.filter(package__in=packages_visible_to(request.user)),
                                 pk=snapshot_pk)
    response = HttpResponse(canonical_json(snapshot.data), content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = (f'attachment; filename="snapshot-{snapshot.package_id}-{snapshot.number}'
                                       f'-{snapshot.sha256[:12]}.json"')
    return response


# ---------------------------------------------------------------- finance bureau dashboard, publishing

def _dashboard_scope(request: HttpRequest):
    """(regions the user may survey, chosen region ids, year, filters); 403 for users without a reviewer role."""
    from django.core.exceptions import PermissionDenied
    from django.utils import timezone

    from . import dashboard as dash
    regions = dash.reviewer_regions(request.user)
    if not regions:
        raise PermissionDenied("财政局审核人和管理员才能查看汇总看板。")
    allowed = dash.region_ids(regions)
    chosen = request.GET.get("region", "")
    if chosen.isdigit() and int(chosen) in allowed:
        from evalportal.orgs.models import Region
        ids = dash.region_ids([Region.objects.get(pk=int(chosen))])
    else:
        ids = allowed
        chosen = ""
    year_text = request.GET.get("year", "")
    if year_text.isdigit() and 2000 <= int(year_text) <= 2100:
        year = int(year_text)
    else:
        # The latest year the region has packages for; a fresh region opens on last year (filled in this year).
        from django.db.models import Max

        from evalportal.reports.models import ReportPackage
        latest = ReportPackage.objects.filter(department__region_id__in=ids).aggregate(year=Max("year"))["year"]
        year = latest or timezone.localdate().year - 1
    status = request.GET.get("state", "")
    grade = request.GET.get("grade", "")
    filters = dash.Filters(year=year, status=status if status in dict(dash.STATUS_CHOICES) else "",
                           grade=grade if grade in dash.GRADES else "", q=request.GET.get("q", "").strip()[:50],
                           sort=request.GET.get("sort", "name") if request.GET.get("sort") in dash.SORTS else "name")
    return regions, ids, chosen, filters


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    from django.core.paginator import Paginator
    from django.shortcuts import render

    from evalportal.orgs.models import Region

    from . import dashboard as dash
    regions, ids, chosen, filters = _dashboard_scope(request)
    region_list = list(Region.objects.filter(pk__in=ids if not chosen else dash.region_ids(regions)).order_by("name"))
    rows = dash.dashboard_rows(ids, filters)
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    lines = list(page.object_list)
    open_comments = dash.open_comment_counts([r.package_id for r in lines if r.package_id])
    from evalportal.insight.selectors import signal_summaries
    signals = signal_summaries([r.package_id for r in lines if r.package_id])     # one query for the page
    for row in lines:
        row.signals = signals.get(row.package_id)
        row.status_label = dash.STATUS_LABELS.get(row.status, row.status)
        row.rate = dash.execution_rate(row)
        row.open_comments = open_comments.get(row.package_id, 0)
        row.linkable = row.status not in (dash.NOT_CREATED, dash.NOT_SUBMITTED)
    counts = dash.status_counts(ids, filters.year)
    grades = dash.grade_counts(ids, filters.year)
    rates = dash.rate_distribution(ids, filters.year)
    progress = dash.submission_progress(ids, filters.year)
    charts = {
        "grades": {"labels": list(grades), "values": list(grades.values())},
        "rates": {"labels": list(rates), "values": list(rates.values())},
        "page_rates": {"labels": [r.short_name or r.name for r in lines if r.rate is not None],
                       "values": [float(r.rate) for r in lines if r.rate is not None]},
        "progress": {"labels": [d for d, _n in progress], "values": [n for _d, n in progress]},
    }
    query = request.GET.copy()
    query.pop("page", None)
    sort_query = request.GET.copy()
    sort_query.pop("sort", None)
    sort_query.pop("page", None)
    return render(request, "review/dashboard.html", {
        "page": page, "rows": lines, "filters": filters, "counts": counts, "total": sum(c["n"] for c in counts),
        "status_choices": dash.STATUS_CHOICES, "grades": dash.GRADES, "charts": charts,
        "regions": region_list, "multi_region": len(region_list) > 1, "chosen": chosen,
        "query": query.urlencode(), "sort_query": sort_query.urlencode(),
        "years": range(filters.year + 1, filters.year - 5, -1),
    })


@login_required
def dashboard_xlsx(request: HttpRequest) -> HttpResponse:
    from urllib.parse import quote

    from . import dashboard as dash
    from .summary_xlsx import region_summary_xlsx
    regions, ids, chosen, filters = _dashboard_scope(request)
    lines = []
    for row in dash.dashboard_rows(ids, filters):
        visible = row.status not in (dash.NOT_CREATED, dash.NOT_SUBMITTED)
        lines.append({"region": row.region_name, "name": row.name, "status": str(dash.STATUS_LABELS[row.status]),
                      "submitted": row.submitted.date() if row.submitted else None,
                      "initial": row.initial if visible else None, "budget": row.budget if visible else None,
                      "spent": row.spent if visible else None, "rate": dash.execution_rate(row),
                      "total": row.total, "grade": row.grade, "errors": row.errors, "warnings": row.warnings})
    name = "、".join(r.name for r in regions) if not chosen else next(
        (r.name for r in dash.region_choices(regions) if str(r.pk) == chosen), "")
    title = f"{filters.year}年度{name}部门整体支出绩效自评汇总表"
    response = HttpResponse(region_summary_xlsx(lines, title=title),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(title + '.xlsx')}"
    return response


def public_list(request: HttpRequest) -> HttpResponse:
    """Published packages, without login: only what publishing made public (name, year, score, URL, date)."""
    from django.core.paginator import Paginator
    from django.shortcuts import render

    from evalportal.reports.models import ReportPackage

    from .workflow import State
    packages = (ReportPackage.objects.filter(state=State.PUBLISHED)
                .select_related("department", "department__region")
                .only("pk", "year", "total_score", "grade", "published_url", "published_on", "edition",
                      "department__name", "department__region__name")
                .order_by("-year", "department__region__name", "department__name"))
    q = request.GET.get("q", "").strip()[:50]
    if q:
        packages = packages.filter(department__name__icontains=q)
    page = Paginator(packages, 50).get_page(request.GET.get("page"))
    return render(request, "review/public_list.html", {"page": page, "q": q})

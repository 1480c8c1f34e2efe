"""Guided filling pages (issue 5): the overview and one form per part, with live scores and checks.

Views stay thin: forms validate, services save (one transaction, optimistic locking, audit), and live.py feeds the
unsaved values to the same pure engine the server uses on save.
"""
from __future__ import annotations

import contextvars
from dataclasses import dataclass, field
from functools import wraps
from urllib.parse import urlparse

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import SafeString
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from evalportal.accounts.roles import Role
from evalportal.checks import run as run_checks
from evalportal.core.html import escape_html
from evalportal.review.permissions import roles_of

from . import live, services
from .forms import (ROWS_PREFIX, BaseDataForm, BaseLinesForm, DepartmentSheetForm, ExplanationForm, FixedChoices,
                    FundRowFormSet, FundTableForm, IndicatorFormSet, NewPackageForm, NewProjectForm,
                    PackageNarrativeForm, ProjectForm, ProjectReportForm, ProjectSheetForm, SectionsForm,
                    SpecialRowFormSet, SpendItemFormSet)
from .models import (FundRow, FundTable, Project, ProjectSpendItem, ReportPackage, SpecialFundRow)
from .pages import attach_findings, neighbours, package_parts
from .selectors import load_package, package_data, packages_visible_to


# --- access --------------------------------------------------------------------------------------------------

def login_required_htmx(view):
    """login_required, except that an htmx request of an expired session is sent to log in and back to the page
    it came from (not to the fragment URL)."""
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.user.is_authenticated:
            return view(request, *args, **kwargs)
        if getattr(request, "htmx", False):
            current = urlparse(request.headers.get("HX-Current-URL", "")).path or reverse("reports:home")
            response = HttpResponse(status=204)
            response["HX-Redirect"] = f"{reverse('login')}?next={current}"
            return response
        return redirect_to_login(request.get_full_path())
    return wrapped


def _load(request: HttpRequest, pk: int) -> ReportPackage:
    """The package with everything the forms read, or 404 outside the user's scope (no peeking)."""
    try:
        package = load_package(pk, visible_to=request.user)
    except ReportPackage.DoesNotExist:
        raise Http404(_("报告不存在或无权查看")) from None
    roles = roles_of(request.user, package)
    package.user_roles = roles
    package.can_edit = Role.FILLER in roles and package.is_editable
    _READ_ONLY.set(not package.can_edit)
    return package


def _require_editor(package: ReportPackage) -> None:
    """Only the department's filler writes, and only in 草稿/已退回 (ensure_editable says why not)."""
    from evalportal.review.guards import ensure_editable
    if Role.FILLER not in package.user_roles:
        raise PermissionDenied(_("只有本单位填报人可以修改报告。"))
    ensure_editable(package)


def _project(package: ReportPackage, project_pk: int) -> Project:
    for number, project in enumerate(package.projects.all(), start=1):
        if project.pk == project_pk:
            project.number = number
            return project
    raise Http404(_("项目不存在"))


def _client(request) -> str | None:
    from evalportal.review.audit import client_address
    return client_address(request)


def _version(request) -> int:
    try:
        return int(request.POST.get("version", ""))
    except ValueError:
        return -1


# --- messages beside fields ----------------------------------------------------------------------------------

@dataclass
class Msg:
    level: str          # "error" | "warning"
    text: str
    code: str = ""
    location: str = ""
    explanation: str = ""


@dataclass
class FieldView:
    """One input with its label, its messages (form errors + findings) and its badges.

    Rendered in Python (fast_widget, msgs_html): a 30-row sheet has ~400 inputs, and Django's template-based
    widget rendering plus an include per field cost several hundred milliseconds per page.
    """

    bound: object
    label: str
    msgs: list = field(default_factory=list)
    sample: bool = False
    attrs: dict = field(default_factory=dict)
    hidden: bool = False          # no message container on the page (hidden input, or a line added in the browser)

    @property
    def msg_id(self) -> str:
        return f"msg-{self.bound.html_name}"

    @property
    def has_error(self) -> bool:
        return any(m.level == "error" for m in self.msgs)

    @property
    def widget(self) -> str:
        attrs = {"aria-describedby": self.msg_id, **self.attrs}
        if _READ_ONLY.get():
            attrs["disabled"] = True
        css = self.bound.field.widget.attrs.get("class", "")
        if self.has_error:
            attrs["class"] = f"{css} is-invalid"
            attrs["aria-invalid"] = "true"
        elif any(m.level == "warning" for m in self.msgs):
            attrs["class"] = f"{css} is-warning"
        html = fast_widget(self.bound, attrs)
        if self.sample:     # demo B's sample values: a 样例 badge on the input's corner, the layout unchanged
            return SafeString(f'<div class="input-sample">{escape_html(html)}'
                             '<span class="badge badge-sample" title="演示用样例数据">样例</span></div>')
        return html

    @property
    def msgs_html(self) -> str:
        return msgs_html(self.msgs)

    def _html(self, visible: bool) -> str:
        label_class = "form-label small mb-0" if visible else "visually-hidden"
        return SafeString(f'<label class="{label_class}" for="{escape_html(self.bound.auto_id)}">'
                          f'{escape_html(self.label)}</label>{escape_html(self.widget)}'
                          f'<div class="field-msgs" id="{escape_html(self.msg_id)}" aria-live="polite">'
                          f'{escape_html(self.msgs_html)}</div>')

    @property
    def html(self) -> str:
        return self._html(False)

    @property
    def html_labelled(self) -> str:
        return self._html(True)


# Read-only viewers (head, reviewer, admin, or a locked package) get disabled inputs. A <fieldset disabled> around
# the page would also disable the review-comment forms rendered beside the rows, so it is set per request here.
_READ_ONLY = contextvars.ContextVar("evalportal_forms_read_only", default=False)


def msgs_html(msgs) -> str:
    parts = []
    for m in msgs:
        code = f'<span class="fmsg-code">{escape_html(m.code)}</span>' if m.code else ""
        expl = f'<div class="fmsg-expl">说明：{escape_html(m.explanation)}</div>' if m.explanation else ""
        hidden = "错误：" if m.level == "error" else "警告："
        parts.append(f'<div class="fmsg fmsg-{escape_html(m.level)}">{code}'
                     f'<span class="visually-hidden">{hidden}</span>'
                     f'{escape_html(m.text)}{expl}</div>')
    return SafeString("".join(parts))


def _attrs_html(attrs: dict) -> str:
    out = []
    for key, value in attrs.items():
        if value is True:
            out.append(f" {escape_html(key)}")
        elif value not in (None, False):
            out.append(f' {escape_html(key)}="{escape_html(value)}"')
    return SafeString("".join(out))


def _option_pieces(choices) -> list:
    """A select's options as HTML pieces: a string stays as it is, (key, start, end) is an option, `selected` or not."""
    pieces = []

    def option(key, text):
        key = "" if key is None else str(key)
        pieces.append((key, f'<option value="{escape_html(key)}"', f">{escape_html(text)}</option>"))
    for key, text in choices:
        if isinstance(text, (list, tuple)):
            pieces.append(f'<optgroup label="{escape_html(key)}">')
            for sub_key, sub_text in text:
                option(sub_key, sub_text)
            pieces.append("</optgroup>")
        else:
            option(key, text)
    return pieces


def _options_html(choices, selected: str) -> str:
    """The options of a select with `selected` marked. Choices shared by every row (forms.FixedChoices: 二级, 档次)
    keep their escaped pieces, per language, instead of escaping the same options again for each row."""
    if isinstance(choices, FixedChoices):
        pieces = choices.rendered.get(language := get_language())
        if pieces is None:
            pieces = choices.rendered[language] = _option_pieces(choices)
    else:
        pieces = _option_pieces(choices)
    return "".join(piece if isinstance(piece, str) else
                   f"{piece[1]}{' selected' if piece[0] == selected else ''}{piece[2]}" for piece in pieces)


def fast_widget(bound, extra: dict | None = None) -> str:
    """The HTML Django's widget templates would produce for text, textarea, select, checkbox, date and hidden
    inputs, without a template render per input. Anything else falls back to Django's own rendering."""
    from django.forms import widgets as djforms
    widget = bound.field.widget
    attrs = {**widget.attrs, **(extra or {})}
    attrs.setdefault("id", bound.auto_id)
    if bound.field.disabled:
        attrs["disabled"] = True
    name, value = bound.html_name, bound.value()
    if isinstance(widget, djforms.CheckboxInput):
        checked = " checked" if widget.check_test(value) else ""
        return SafeString(f'<input type="checkbox" name="{escape_html(name)}"{_attrs_html(attrs)}{checked}>')
    if isinstance(widget, djforms.Select) and not isinstance(widget, djforms.SelectMultiple):
        options = _options_html(bound.field.choices, "" if value is None else str(value))
        return SafeString(f'<select name="{escape_html(name)}"{_attrs_html(attrs)}>{options}</select>')
    if isinstance(widget, djforms.Textarea):
        text = widget.format_value(value)
        return SafeString(f'<textarea name="{escape_html(name)}"{_attrs_html(attrs)}>\n'
                          f'{escape_html(text or "")}</textarea>')
    if isinstance(widget, djforms.Input) and not isinstance(widget, (djforms.FileInput, djforms.MultipleHiddenInput)):
        shown = widget.format_value(value)
        value_html = f' value="{escape_html(shown)}"' if shown not in (None, "") else ""
        return SafeString(f'<input type="{escape_html(widget.input_type)}" name="{escape_html(name)}"{value_html}'
                          f'{_attrs_html(attrs)}>')
    return bound.as_widget(attrs=extra)


def _finding_msgs(findings, explanations) -> list[Msg]:
    return [Msg("error" if f.is_error else "warning", f.message, f.code, f.location,
                explanations.get((f.code, f.location), "")) for f in findings]


def _form_msgs(form, name: str) -> list[Msg]:
    if not form.is_bound or not hasattr(form, "cleaned_data"):
        return []
    return [Msg("error", str(e)) for e in form.errors.get(name, [])]


def _merge(*groups) -> list[Msg]:
    seen, out = set(), []
    for group in groups:
        for msg in group:
            core = msg.text.split("」", 1)[-1] if msg.text.startswith("「") else msg.text
            if core in seen:
                continue
            seen.add(core)
            out.append(msg)
    return out


def field_views(form, *, findings_by_field=None, explanations=None, sample_fields=(), labels=None) -> dict:
    findings_by_field, explanations, labels = findings_by_field or {}, explanations or {}, labels or {}
    views = {}
    for name in form.fields:
        bound = form[name]
        views[name] = FieldView(bound, labels.get(name, str(bound.label)),
                                _merge(_form_msgs(form, name),
                                       _finding_msgs(findings_by_field.get(name, []), explanations)),
                                sample=name in (sample_fields or ()))
    return views


def _explanations(package) -> dict:
    return {(e.code, e.location): e.explanation for e in package.check_explanations.all()}


# --- indicator sheets (附件2 and 附件3) ----------------------------------------------------------------------

ROW_FIELDS = ("subcategory", "name", "target_raw", "actual_raw", "weight", "band", "judged_score", "adjusted_score",
              "adjustment_reason", "deviation_reason", "qualitative", "may_exceed_100", "confirm_carried", "order")
ROW_MSG_FIELDS = ("name", "target_raw", "actual_raw", "weight", "judged_score", "deviation_reason", "adjusted_score")


class SheetPage:
    """附件3 of one project, or 附件2 when project is None: forms, rows in print order, live evaluation."""

    def __init__(self, package: ReportPackage, project: Project | None = None, data: QueryDict | None = None, *,
                 show_errors: bool = True):
        self.package, self.project, self.data = package, project, data
        self.show_errors = show_errors
        self.template = package.weight_template
        self.categories = list(self.template.categories.all())
        if project is not None:
            self.sheet = project.sheet
            self.location = f"att3.{project.order}"
            self.comment_key = f"att3.{project.pk}"
            self.project_form = ProjectForm(data, instance=project, package=package, prefix="project")
            self.sheet_form = ProjectSheetForm(data, instance=self.sheet, prefix="sheet")
        else:
            self.sheet = package.department_sheet
            self.location = "att2"
            self.comment_key = "att2"
            self.project_form = None
            self.sheet_form = DepartmentSheetForm(data, instance=self.sheet, prefix="sheet")
        # The rows load_package() holds, in print order: the same objects package_data() reads.
        self.formset = IndicatorFormSet(data, rows=list(self.sheet.rows.all()), prefix=ROWS_PREFIX,
                                        template=self.template)
        self._prefill_suggestions = data is None

    # validation and saving

    def is_valid(self) -> bool:
        forms_ok = self.sheet_form.is_valid() & self.formset.is_valid()
        if self.project_form is not None:
            forms_ok &= self.project_form.is_valid()
        return forms_ok

    def save(self, request) -> ReportPackage:
        common = dict(package=self.package, expected_version=_version(request), actor=request.user,
                      sheet_form=self.sheet_form, row_formset=self.formset, remote_addr=_client(request))
        if self.project is not None:
            return services.project_sheet_save(project=self.project, project_form=self.project_form, **common)
        return services.department_sheet_save(**common)

    # evaluation

    def evaluate(self):
        base = package_data(self.package)
        self.entries = live.row_entries(self.formset)
        if self.project is not None:
            current = next(p for p in base.projects if p.id == self.project.pk)
            pkg = live.replace_project(base, live.project_data_from_forms(
                current, project_form=self.project_form, sheet_form=self.sheet_form, entries=self.entries))
            result = live.evaluate(pkg)
            self.sheet_derived = result.derived.project(next(p for p in pkg.projects if p.id == self.project.pk))
        else:
            from dataclasses import replace
            pkg = replace(base, department_sheet=live.department_sheet_from_forms(
                base.department_sheet, sheet_form=self.sheet_form, entries=self.entries))
            result = live.evaluate(pkg)
            self.sheet_derived = result.derived.department
        self.result = result
        live.attach_scores(self.entries, self.sheet_derived, result.index)
        self.explanations = _explanations(self.package)
        self._build_views()
        return self

    def _build_views(self):
        index = self.result.index
        part = index.under(self.location)
        sheet_level = [f for f in part if f.row_id is None]
        names = set(self.sheet_form.fields) | ({"name", "category"} if self.project_form else set())
        by_field = {}
        for f in sheet_level:
            if f.field in names:
                by_field.setdefault(f.field, []).append(f)
        self.block_findings = {}
        for f in sheet_level:
            if f.field not in names:
                block = f.location[len(self.location):].strip(".").split(".")[0] or "sheet"
                self.block_findings.setdefault(block, []).append(f)
        self.blocks = {key: _finding_msgs(value, self.explanations) for key, value in self.block_findings.items()}
        self.fields = field_views(self.sheet_form, findings_by_field=by_field, explanations=self.explanations,
                                  sample_fields=self.sheet.sample_fields)
        self.project_fields = field_views(self.project_form, findings_by_field=by_field,
                                          explanations=self.explanations,
                                          sample_fields=self.project.sample_fields) if self.project_form else {}
        weights = {}
        for entry in self.entries:
            self._row_views(entry)
            if entry.category is not None and not entry.deleted and not entry.form.is_blank:
                weight = live.lenient_decimal(entry.form.raw("weight"))
                weights[entry.category.pk] = weights.get(entry.category.pk, live.ZERO) + (weight or live.ZERO)
        totals = self.sheet_derived.score.category_totals
        self.groups = live.group_entries(self.entries, self.categories)
        for group in self.groups:
            category = group["category"]
            if category is not None:
                group["weight_sum"] = weights.get(category.pk, live.ZERO)
                group["score_sum"] = totals.get(category.name)
                group["weights_ok"] = group["weight_sum"] == category.weight
                # K04 (分值 under a 一级 ≠ its weight) is shown in the merged 一级 cell it concerns.
                group["msgs"] = _finding_msgs(index.at(f"{self.location}.category.{category.pk}"), self.explanations)
        self.blocks.pop("category", None)
        self.row_count = sum(max(len(g["entries"]), 1) for g in self.groups) + sum(1 for e in self.entries
                                                                                      if e.deleted)
        self.panel = _finding_msgs(part, self.explanations)
        self.block_msgs = {key: self.blocks.get(key, []) for key in ("funds", "goal", "indicators", "sheet")}
        for key, msgs in self.blocks.items():
            if key not in self.block_msgs:
                self.block_msgs["sheet"] = self.block_msgs["sheet"] + msgs
        if self.project is not None:
            self.fund_rows = [(label, [self.fields[f"{source}_{col}"] for col in ("initial", "full_year", "spent")])
                              for source, label in (("appropriation", "其中：当年财政拨款"),
                                                    ("carryover", "上年结转资金"), ("other", "其他资金"))]
        self.comment_sections = [(f"{self.comment_key}.{key}", label) for key, label in
                                 (("funds", "资金情况"), ("goal", "年度总体目标"), ("indicators", "绩效指标"))]

    def _row_views(self, entry):
        form = entry.form
        show = self.show_errors
        findings = entry.findings
        by_field = {}
        for f in findings:
            by_field.setdefault(f.field if f.field in ROW_MSG_FIELDS else "name", []).append(f)
        if not hasattr(self, "_row_numbers"):
            self._row_numbers = {e.row_id: i for i, e in enumerate([e for e in self.entries if not e.deleted],
                                                                  start=1)}
            self._field_labels = {name: str(f.label) for name, f in form.fields.items()}
        label = f"第{self._row_numbers.get(entry.row_id, '')}行"
        entry.views = {}
        errors = form.errors if show and form.is_bound and hasattr(form, "cleaned_data") else {}
        samples = form.instance.sample_fields or ()
        for name in form.fields:
            if name in ("id", "DELETE"):
                continue
            found = by_field.get(name)
            msgs = _merge([Msg("error", str(e)) for e in errors.get(name, [])],
                          _finding_msgs(found, self.explanations) if found else [])
            entry.views[name] = FieldView(form[name], f"{label} {self._field_labels.get(name, name)}", msgs,
                                          sample=name in samples)
        if "subcategory" in entry.views and self.package.can_edit:
            # Choosing a 二级 of another 一级 moves the row there: re-render the block (merged cells stay right).
            entry.views["subcategory"].attrs = {
                "hx-post": self._live_url, "hx-trigger": "change", "hx-vals": '{"op": "regroup"}',
                "hx-target": "#indicator-block", "hx-swap": "outerHTML", "hx-sync": "this:drop"}
        score = entry.score
        entry.qualitative = bool(score is not None and score.is_qualitative) or form.force_qualitative() \
            or bool(form.raw("band")) or form.raw("judged_score") not in ("", None)
        entry.suggested = bool(score is not None and score.suggested_band and not form.raw("band")
                               and form.raw("judged_score") in ("", None))
        if entry.suggested and self._prefill_suggestions:
            # actual == target on a qualitative row: pre-fill 达成 with full marks, still editable (§5.3).
            form.initial["band"] = score.suggested_band
            form.initial["judged_score"] = score.suggested_score
        entry.explanation = str(score.explanation) if score is not None and score.explanation else ""
        entry.label = label
        entry.hidden_html = SafeString((fast_widget(form["id"]) if form.instance.pk else "")
                                       + fast_widget(form["order"]))

    # page context

    def live_url(self) -> str:
        return self._live_url

    @property
    def _live_url(self) -> str:
        if not hasattr(self, "_live_url_cache"):
            self._live_url_cache = (
                reverse("reports:project_sheet_live", args=[self.package.pk, self.project.pk]) if self.project
                else reverse("reports:department_sheet_live", args=[self.package.pk]))
        return self._live_url_cache

    def context(self) -> dict:
        live_url = self.live_url()
        return {"page": self, "package": self.package, "project": self.project, "sheet": self.sheet,
                "live_url": live_url, "panel_errors": sum(1 for m in self.panel if m.level == "error"),
                "panel_warnings": sum(1 for m in self.panel if m.level == "warning"),
                "formset": self.formset, "groups": self.groups, "derived": self.sheet_derived,
                "fields": self.fields, "project_fields": self.project_fields, "panel": self.panel,
                "blocks": self.blocks, "row_count": self.row_count, "editable": self.package.can_edit}


def _apply_row_op(data: QueryDict, op: str, target: str, formset_template) -> tuple[QueryDict, int | None]:
    """Add, delete, restore or move one row in the posted data; the page is re-rendered from the result.

    op: add:<category pk> | delete:<index> | restore:<index> | up:<index> | down:<index> | regroup
    """
    data = data.copy()
    total = int(data.get(f"{ROWS_PREFIX}-TOTAL_FORMS", 0) or 0)
    focus = None
    kind, _, arg = op.partition(":")
    if kind == "add":
        category = next((c for c in formset_template.categories.all() if str(c.pk) == arg), None)
        if category is None:
            return data, None
        subs = list(category.subcategories.all())
        # Put the new row after the last row of this 一级 and take the 二级 of that row (or the first 二级).
        orders = [int(v) for k, v in data.items() if k.startswith(f"{ROWS_PREFIX}-") and k.endswith("-order")
                  and str(v).lstrip("-").isdigit()]
        sub_pk = str(subs[0].pk) if subs else ""
        same = [i for i in range(total) if data.get(f"{ROWS_PREFIX}-{i}-subcategory") in {str(s.pk) for s in subs}
                and not data.get(f"{ROWS_PREFIX}-{i}-DELETE")]
        if same:
            sub_pk = max(same, key=lambda i: (next((s.order for s in subs if str(s.pk) == data.get(
                f"{ROWS_PREFIX}-{i}-subcategory")), 0), int(data.get(f"{ROWS_PREFIX}-{i}-order") or 0)))
            sub_pk = data.get(f"{ROWS_PREFIX}-{sub_pk}-subcategory")
        data[f"{ROWS_PREFIX}-{total}-subcategory"] = sub_pk
        data[f"{ROWS_PREFIX}-{total}-order"] = str(max(orders, default=0) + 1)
        data[f"{ROWS_PREFIX}-TOTAL_FORMS"] = str(total + 1)
        focus = total
    elif kind in ("delete", "restore") and arg.isdigit() and int(arg) < total:
        key = f"{ROWS_PREFIX}-{arg}-DELETE"
        if kind == "delete":
            data[key] = "on"
        elif key in data:
            del data[key]
    elif kind in ("up", "down") and arg.isdigit() and int(arg) < total:
        index = int(arg)
        sub = data.get(f"{ROWS_PREFIX}-{index}-subcategory")
        peers = sorted((int(data.get(f"{ROWS_PREFIX}-{i}-order") or 0), i) for i in range(total)
                       if data.get(f"{ROWS_PREFIX}-{i}-subcategory") == sub
                       and not data.get(f"{ROWS_PREFIX}-{i}-DELETE"))
        # Renumber the 二级 group densely first, so that equal or missing orders still move.
        positions = [i for _order, i in peers]
        if index in positions:
            at = positions.index(index)
            other = at - 1 if kind == "up" else at + 1
            if 0 <= other < len(positions):
                positions[at], positions[other] = positions[other], positions[at]
            base = min((o for o, _i in peers), default=0)
            for offset, i in enumerate(positions):
                data[f"{ROWS_PREFIX}-{i}-order"] = str(base + offset)
        focus = index
    return data, focus


def _sheet_view(request: HttpRequest, package: ReportPackage, project: Project | None, part_key: str,
                template_name: str) -> HttpResponse:
    page = SheetPage(package, project, request.POST if request.method == "POST" else None)
    conflict = None
    if request.method == "POST":
        _require_editor(package)
        if page.is_valid():
            try:
                page.save(request)
            except services.VersionConflict as error:
                conflict = error.current_version
            else:
                messages.success(request, _("已保存。"))
                return _after_save(request, package, part_key)
        else:
            messages.error(request, _("未保存：有内容无法识别，请按各字段下方的提示修改后再保存。已填写的内容均已保留。"))
    page.evaluate()
    return render(request, template_name, {**page.context(), **_nav(package, part_key, request),
                                           "conflict": conflict, "version": _page_version(package, conflict)})


def _page_version(package, conflict) -> int:
    # After a conflict the page carries the new version, so saving again (after reading the message) goes through.
    return conflict if conflict is not None else package.version


def _after_save(request, package, part_key):
    if request.POST.get("then") == "next":
        # The parts follow the package's projects, which no part's save adds or removes: the loaded package will do.
        _prev, _cur, nxt = neighbours(package_parts(package), part_key)
        if nxt is not None:
            return redirect(nxt.url)
        return redirect("reports:package", pk=package.pk)
    return redirect(request.path)


def _nav(package, part_key, request=None) -> dict:
    parts = package_parts(package)
    prev, current, nxt = neighbours(parts, part_key)
    return {"parts": parts, "prev_part": prev, "current_part": current, "next_part": nxt}


def _sheet_live(request: HttpRequest, package: ReportPackage, project: Project | None) -> HttpResponse:
    """The live preview: posted (unsaved) values → scores, totals, findings as out-of-band fragments.

    With `op` (add/delete/move a row) the indicator block itself is re-rendered from the posted values, so typed
    text survives and the merged 一级 cells stay right; nothing is saved either way.
    """
    data = request.POST
    op = data.get("op", "")
    focus = None
    if op:
        data, focus = _apply_row_op(data, op, "", package.weight_template)
    original = data

    def evaluated(values):
        page = SheetPage(package, project, values, show_errors=True)
        page.sheet_form.is_valid()
        for form in page.formset.forms:
            form.is_valid()
        if page.project_form is not None:
            page.project_form.is_valid()
        return page.evaluate()

    page = evaluated(data)
    prefilled = set()
    if not op:
        # actual == target on a qualitative row: pre-fill 达成 with full marks and score the row with it, so the
        # total already counts what the page is about to show (the clerk can still change both).
        suggested = [e for e in page.entries if e.suggested]
        if suggested:
            data = data.copy()
            for entry in suggested:
                data[entry.form.add_prefix("band")] = entry.score.suggested_band
                data[entry.form.add_prefix("judged_score")] = str(entry.score.suggested_score)
                prefilled.add(entry.form.prefix)
            page = evaluated(data)
    context = {**page.context(), "op": op, "focus": focus}
    if not op:
        for entry in page.entries:
            # Show the 档次/评定得分 inputs when the row turned qualitative, or when they were just pre-filled.
            shown = f"{entry.form.prefix}-band" in original
            entry.judge_swap = shown != entry.qualitative or entry.form.prefix in prefilled
            entry.suggested = entry.form.prefix in prefilled
    return render(request, "reports/_sheet_live.html", context)


@login_required
def project_sheet(request: HttpRequest, pk: int, project_pk: int) -> HttpResponse:
    package = _load(request, pk)
    project = _project(package, project_pk)
    return _sheet_view(request, package, project, f"att3.{project.pk}", "reports/project_sheet.html")


@login_required_htmx
@require_POST
def project_sheet_live(request: HttpRequest, pk: int, project_pk: int) -> HttpResponse:
    package = _load(request, pk)
    return _sheet_live(request, package, _project(package, project_pk))


@login_required
def department_sheet(request: HttpRequest, pk: int) -> HttpResponse:
    package = _load(request, pk)
    return _sheet_view(request, package, None, "att2", "reports/department_sheet.html")


@login_required_htmx
@require_POST
def department_sheet_live(request: HttpRequest, pk: int) -> HttpResponse:
    package = _load(request, pk)
    return _sheet_live(request, package, None)


# --- overview, packages and projects -------------------------------------------------------------------------

@login_required
def home(request: HttpRequest) -> HttpResponse:
    packages = packages_visible_to(request.user).order_by("-year", "department__region__name", "department__name")
    fills = [g.department_id for g in request.user.grants_cache() if g.role == Role.FILLER]
    return render(request, "reports/home.html", {"packages": packages, "can_create": bool(fills)})


@login_required
def package_overview(request: HttpRequest, pk: int) -> HttpResponse:
    package = _load(request, pk)
    pkg = package_data(package)
    saved = live.evaluate(pkg, "save")
    submit = run_checks(pkg, stage="submit", derived=saved.derived)
    parts = package_parts(package)
    attach_findings(parts, saved.findings, submit)
    derived = saved.derived
    by_pk = {p.id: derived.project(p) for p in pkg.projects}
    for part in parts:
        if part.key == "att2":
            part.score, part.grade = derived.department.total, derived.department.grade.label
        elif part.key.startswith("att3.") and part.project is not None:
            sheet = by_pk.get(part.project.pk)
            if sheet is not None:
                part.score, part.grade = sheet.total, sheet.grade.label
    placed = {id(f) for part in parts for f in part.findings}
    general = [f for f in submit if id(f) not in placed]
    return render(request, "reports/package_overview.html", {
        "package": package, "parts": parts, "derived": derived, "general_findings": general,
        "errors": sum(1 for f in submit if f.is_error), "warnings": sum(1 for f in submit if not f.is_error),
        "editable": package.can_edit, "new_project_form": NewProjectForm(package=package),
        "first_part": parts[0] if parts else None,
    })


@login_required
def package_new(request: HttpRequest) -> HttpResponse:
    """A filler starts a package for their department: blank, or copied from last year's (issue 5 item 7)."""
    from evalportal.orgs.models import Department
    department_ids = [g.department_id for g in request.user.grants_cache() if g.role == Role.FILLER]
    if not department_ids:
        raise PermissionDenied(_("只有填报人可以新建报告。"))
    departments = list(Department.objects.filter(pk__in=department_ids))
    previous = list(ReportPackage.objects.filter(department_id__in=department_ids).select_related("department"))
    form = NewPackageForm(request.POST or None, departments=departments, previous_packages=previous,
                          initial={"year": max((p.year for p in previous), default=2023) + 1 if previous else 2023})
    if request.method == "POST" and form.is_valid():
        department = next(d for d in departments if d.pk == form.cleaned_data["department"])
        year = form.cleaned_data["year"]
        source = next((p for p in previous if p.pk == form.cleaned_data["copy_from"]), None)
        if ReportPackage.objects.filter(department=department, year=year).exists():
            form.add_error("year", _("%(d)s已有%(y)s年度报告") % {"d": department.name, "y": year})
        elif source is not None and source.department_id != department.pk:
            form.add_error("copy_from", _("只能复制本单位的报告"))
        else:
            try:
                if source is not None:
                    from .copying import package_copy
                    package = package_copy(source=source, year=year, actor=request.user, remote_addr=_client(request))
                else:
                    package = services.package_create(department=department, year=year)
                    services.package_refresh(package)
            except services.PackageSetupError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("已新建%(p)s。") % {"p": package})
                return redirect("reports:package", pk=package.pk)
    return render(request, "reports/package_new.html", {"form": form})


@login_required
def project_new(request: HttpRequest, pk: int) -> HttpResponse:
    package = _load(request, pk)
    form = NewProjectForm(request.POST or None, package=package)
    if request.method == "POST":
        _require_editor(package)
        if form.is_valid():
            project = services.project_add(package=package, expected_version=None, actor=request.user,
                                           name=form.cleaned_data["name"], category=form.cleaned_data["category"],
                                           remote_addr=_client(request))
            messages.success(request, _("已新增项目「%(n)s」，请填写其附件3。") % {"n": project.name})
            return redirect("reports:project_sheet", pk=package.pk, project_pk=project.pk)
    return render(request, "reports/project_new.html", {"package": package, "form": form})


@login_required
@require_POST
def project_delete(request: HttpRequest, pk: int, project_pk: int) -> HttpResponse:
    package = _load(request, pk)
    project = _project(package, project_pk)
    _require_editor(package)
    if request.POST.get("confirm_name", "").strip() != project.name:
        messages.error(request, _("未删除：请输入完整的项目名称以确认删除。"))
        return redirect("reports:project_sheet", pk=package.pk, project_pk=project.pk)
    services.project_remove(package=package, project=project, actor=request.user, remote_addr=_client(request))
    messages.success(request, _("已删除项目「%(n)s」及其附件3和项目报告。") % {"n": project.name})
    return redirect("reports:package", pk=package.pk)


@login_required_htmx
@require_POST
def explanation_save(request: HttpRequest, pk: int) -> HttpResponse:
    """A warning's explanation, written beside the warning (htmx) or from a plain form."""
    package = _load(request, pk)
    _require_editor(package)
    form = ExplanationForm(request.POST)
    if form.is_valid():
        services.explanation_save(package=package, actor=request.user, code=form.cleaned_data["code"],
                                  location=form.cleaned_data["location"],
                                  explanation=form.cleaned_data["explanation"].strip(), remote_addr=_client(request))
        saved = True
    else:
        saved = False
    if getattr(request, "htmx", False):
        return render(request, "reports/_explanation_saved.html", {"form": form, "saved": saved})
    messages.success(request, _("情况说明已保存。")) if saved else messages.error(request, _("情况说明未保存。"))
    return redirect(request.POST.get("next") or reverse("reports:package", args=[package.pk]))


# --- simple parts: 附件1, 附件4–6, narrative, project reports ----------------------------------------------------

class PartPage:
    """Shared by the forms without indicator rows: findings beside fields, computed cells, live preview."""

    location: str = ""
    template_name: str = ""
    live_name: str = ""

    def __init__(self, package: ReportPackage, data: QueryDict | None = None, *, show_errors: bool = True):
        self.package, self.data, self.show_errors = package, data, show_errors
        self.explanations = _explanations(package)

    def forms(self) -> list:
        raise NotImplementedError

    def is_valid(self) -> bool:
        return all([form.is_valid() for form in self.forms()])

    def touch(self) -> None:
        for form in self.forms():
            form.is_valid()

    def build(self, base):
        raise NotImplementedError

    def computed(self, result) -> dict:
        return {}

    def location_of(self, finding) -> str:
        return ""

    def evaluate(self):
        base = package_data(self.package)
        self.result = live.evaluate(self.build(base))
        mine = self.result.index.under(*self.prefixes())
        self.panel = _finding_msgs(mine, self.explanations)
        self.cv = self.computed(self.result)
        self.views = {}
        self.by_field = {}
        for finding in mine:
            self.by_field.setdefault(self.location_of(finding), []).append(finding)
        self.make_views()
        return self

    def prefixes(self) -> tuple:
        return (self.location,)

    def fv(self, form, findings_key=None, **kwargs) -> dict:
        """FieldViews of a form; findings keyed "<prefix>:<field>" or by field name are placed at their field."""
        by_field = {}
        for name in form.fields:
            key = f"{form.prefix}:{name}" if findings_key is None else findings_key(name)
            by_field[name] = self.by_field.get(key, [])
        views = field_views(form, findings_by_field=by_field, explanations=self.explanations, **kwargs)
        if not self.show_errors:
            for view in views.values():
                view.msgs = [m for m in view.msgs if m.code]
        return views

    def msgs(self, key: str) -> list:
        return _finding_msgs(self.by_field.get(key, []), self.explanations)

    def make_views(self):
        pass

    def context(self) -> dict:
        return {"page": self, "package": self.package, "panel": self.panel, "cv": self.cv,
                "editable": self.package.can_edit, "live_url": self.live_url(),
                "panel_errors": sum(1 for m in self.panel if m.level == "error"),
                "panel_warnings": sum(1 for m in self.panel if m.level == "warning")}

    def live_url(self) -> str:
        return reverse(self.live_name, args=[self.package.pk])

    def save(self, request):
        raise NotImplementedError

    def oob_views(self) -> list:
        """Every FieldView whose message container is on the page (hidden inputs have none)."""
        out = []
        for views in self.all_views():
            out.extend(v for name, v in views.items() if name not in ("id", "order", "DELETE")
                       and not getattr(v, "hidden", False))
        return out

    def all_views(self) -> list[dict]:
        return []


def _part_view(request, package, page: PartPage, part_key: str) -> HttpResponse:
    conflict = None
    if request.method == "POST":
        _require_editor(package)
        if page.is_valid():
            try:
                page.save(request)
            except services.VersionConflict as error:
                conflict = error.current_version
            else:
                messages.success(request, _("已保存。"))
                return _after_save(request, package, part_key)
        else:
            messages.error(request, _("未保存：有内容无法识别，请按各字段下方的提示修改后再保存。已填写的内容均已保留。"))
    page.evaluate()
    return render(request, page.template_name, {**page.context(), **_nav(package, part_key),
                                                "conflict": conflict, "version": _page_version(package, conflict)})


def _part_live(request, page: PartPage) -> HttpResponse:
    page.touch()
    page.evaluate()
    return render(request, "reports/_part_live.html", page.context())


def _money_text(value) -> str:
    from evalportal.checks.formatting import money
    return money(value) if value is not None else ""


def _rate_text(value) -> str:
    return f"{value}%" if value is not None else ""


# 附件1 ------------------------------------------------------------------------------------------------------

EXPENSE_LAYOUT = (
    # (line key, kind): "computed" = shown only; "typed" = three inputs; "prev" = Y−1 typed, Y from projects;
    # "vehicle" = typed unless its sub-rows are filled; "special" = the 专项 rows go here.
    ("three_public_total", "computed"), ("vehicle", "vehicle"), ("vehicle_purchase", "typed"),
    ("vehicle_operation", "typed"), ("overseas", "typed"), ("reception", "typed"), ("project_total", "computed"),
    ("business_funds", "prev"), ("operation_funds", "prev"), ("special_total", "computed"), ("special", "special"),
    ("public_expense", "typed"), ("office_expense", "typed"), ("utilities_travel", "typed"),
    ("meeting_training", "typed"), ("procurement_amount", "typed"), ("basic_budget_adjustment", "typed"),
)


class BaseDataPage(PartPage):
    location = "att1"
    template_name = "reports/base_data.html"
    live_name = "reports:base_data_live"

    def __init__(self, package, data=None, **kwargs):
        super().__init__(package, data, **kwargs)
        self.sheet = package.base_data
        self.projects = list(package.projects.all())
        self.sheet_form = BaseDataForm(data, instance=self.sheet, prefix="sheet")
        self.lines_form = BaseLinesForm(data, lines={line.line: line for line in self.sheet.lines.all()},
                                        year=package.year, prefix="lines")
        self.special = SpecialRowFormSet(data, queryset=SpecialFundRow.objects.filter(sheet=self.sheet),
                                         prefix="special", projects=self.projects)

    def forms(self):
        return [self.sheet_form, self.lines_form, self.special]

    def save(self, request):
        return services.base_data_save(package=self.package, expected_version=_version(request), actor=request.user,
                                       sheet_form=self.sheet_form, lines_form=self.lines_form,
                                       special_formset=self.special, remote_addr=_client(request))

    def _special_rows(self):
        from evalportal.checks import data as d
        rows = []
        for form in self.special.forms:
            if live.checked(live._value(form, "DELETE")) if form.is_bound else False:
                continue
            name = live.text(form, "name").strip()
            project_pk = live._value(form, "project")
            project = next((p for p in self.projects if str(p.pk) == str(project_pk or "")), None)
            if not name and project is None and form.instance.pk is None:
                continue
            form.linked = project
            rows.append(d.SpecialRowData(name=name or (project.name if project else ""),
                                         project_name=project.name if project else None,
                                         prev_final=live.money(form, "prev_final"),
                                         cur_budget=live.money(form, "cur_budget"),
                                         cur_final=live.money(form, "cur_final")))
        return tuple(rows)

    def build(self, base):
        from dataclasses import replace

        from evalportal.checks import data as d
        lines = dict(base.base.lines)
        for key in {k for k, kind in EXPENSE_LAYOUT if kind in ("typed", "prev", "vehicle")}:
            values = [live.money(self.lines_form, f"{key}__{col}") if f"{key}__{col}" in self.lines_form.fields
                      else getattr(lines.get(key, d.BaseLine()), col) for col in ("prev_final", "cur_budget",
                                                                                   "cur_final")]
            lines[key] = d.BaseLine(*values)
        f = self.sheet_form
        new_base = replace(base.base, authorised_posts=_int(live._value(f, "authorised_posts")),
                           actual_staff=_int(live._value(f, "actual_staff")), lines=lines,
                           special_rows=self._special_rows(), approved_area=live.money(f, "approved_area"),
                           actual_area=live.money(f, "actual_area"), budget_investment=live.money(f, "budget_investment"),
                           actual_investment=live.money(f, "actual_investment"),
                           austerity_measures=live.text(f, "austerity_measures"),
                           footer=live.footer(f, base.base.footer))
        return replace(base, base=new_base)

    def computed(self, result) -> dict:
        derived = result.derived.base
        cv = {"staff_rate": _rate_text(derived.staff_control_rate), "area_rate": _rate_text(derived.area_control_rate),
              "investment_rate": _rate_text(derived.investment_control_rate)}
        shown = {"computed": ("prev_final", "cur_budget", "cur_final"), "vehicle": ("prev_final", "cur_budget",
                 "cur_final"), "prev": ("cur_budget", "cur_final")}
        for key, kind in EXPENSE_LAYOUT:
            for col in shown.get(kind, ()):       # typed cells have no computed span to refresh
                cv[f"{key}__{col}"] = _money_text(getattr(derived.line(key), col))
        for index, row in enumerate(derived.special_rows):
            if row.project_name:                  # linked rows show their 附件3 figures
                for col in ("cur_budget", "cur_final"):
                    cv[f"special{index}__{col}"] = _money_text(getattr(row.line, col))
        return cv

    def location_of(self, finding) -> str:
        # att1.staff / att1.expense.<line> / att1.expense.special.<n> / att1.buildings / att1.austerity
        parts = finding.location.split(".")
        if finding.field and finding.field in self.sheet_form.fields:
            return f"sheet:{finding.field}"
        if len(parts) >= 3 and parts[1] == "expense":
            return f"line:{'.'.join(parts[2:])}"
        return f"block:{parts[1] if len(parts) > 1 else 'sheet'}"

    def make_views(self):
        self.fields = self.fv(self.sheet_form, sample_fields=self.sheet.sample_fields)
        self.line_views = self.fv(self.lines_form, findings_key=lambda name: f"line:{name.split('__')[0]}")
        self.special_views = []
        computed_specials = list(self.result.derived.base.special_rows)
        visible = 0
        for form in self.special.forms:
            deleted = form.is_bound and live.checked(live._value(form, "DELETE"))
            views = self.fv(form, findings_key=lambda name, i=visible: f"line:special.{i + 1}",
                            sample_fields=form.instance.sample_fields)
            linked = getattr(form, "linked", None)
            if linked is not None or not form.instance.pk:
                # linked rows show computed cells; rows added in the browser have no containers until saved
                for name in (("cur_budget", "cur_final") if form.instance.pk else tuple(views)):
                    views[name].hidden = True
            derived = computed_specials[visible] if not deleted and visible < len(computed_specials) else None
            self.special_views.append({"form": form, "views": views, "linked": linked, "derived": derived,
                                       "deleted": deleted, "index": visible})
            if not deleted:
                visible += 1
        self.expense_rows = []
        for key, kind in EXPENSE_LAYOUT:
            if kind == "special":
                self.expense_rows.append({"key": key, "kind": kind})
                continue
            from .models import BaseDataLine
            cells = []
            for col in ("prev_final", "cur_budget", "cur_final"):
                name = f"{key}__{col}"
                cells.append({"col": col, "fv": self.line_views.get(name), "cv": f"{key}__{col}",
                              "value": self.cv.get(name, "")})
            self.expense_rows.append({"key": key, "kind": kind, "label": BaseDataLine.Line(key).label,
                                      "cells": cells, "msgs": self.msgs(f"line:{key}")})
        split = next(i for i, row in enumerate(self.expense_rows) if row["kind"] == "special")
        self.expense_before, self.expense_after = self.expense_rows[:split], self.expense_rows[split + 1:]
        self.block_msgs = {key: self.msgs(f"block:{key}") for key in ("staff", "expense", "buildings", "austerity",
                                                                      "sheet")}

    def all_views(self):
        return [self.fields, self.line_views, *(s["views"] for s in self.special_views)]

    def context(self):
        return {**super().context(), "fields": self.fields, "sheet": self.sheet, "special": self.special,
                "page_comment_sections": [(f"att1.{k}", v) for k, v in (
                    ("staff", "财政供养人员情况"), ("expense", "经费控制情况"), ("buildings", "楼堂馆所控制情况"),
                    ("austerity", "厉行节约保障措施"))]}


def _int(value):
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return None


@login_required
def base_data(request: HttpRequest, pk: int) -> HttpResponse:
    package = _load(request, pk)
    return _part_view(request, package, BaseDataPage(package, request.POST if request.method == "POST" else None),
                      "att1")


@login_required_htmx
@require_POST
def base_data_live(request: HttpRequest, pk: int) -> HttpResponse:
    package = _load(request, pk)
    return _part_live(request, BaseDataPage(package, request.POST))


# 附件4–6 -----------------------------------------------------------------------------------------------------

class FundTablePage(PartPage):
    template_name = "reports/fund_table.html"

    def __init__(self, package, number: int, data=None, **kwargs):
        super().__init__(package, data, **kwargs)
        self.number = number
        self.location = f"att{number}"
        self.kind = {4: FundTable.Kind.GOV_FUND, 5: FundTable.Kind.STATE_CAPITAL,
                     6: FundTable.Kind.SOCIAL_INSURANCE}[number]
        self.table = next((t for t in package.fund_tables.all() if t.kind == self.kind), None)
        if self.table is None:     # packages made before 附件4–6 existed
            self.table = FundTable.objects.create(package=package, kind=self.kind, none=True)
        self.table_form = FundTableForm(data, instance=self.table, prefix="table")
        self.rows = FundRowFormSet(data, queryset=FundRow.objects.filter(table=self.table), prefix="fr")

    def live_url(self):
        return reverse(f"reports:att{self.number}", args=[self.package.pk]) + "?live=1"

    def forms(self):
        return [self.table_form, self.rows]

    def save(self, request):
        return services.fund_table_save(package=self.package, expected_version=_version(request), actor=request.user,
                                        table_form=self.table_form, row_formset=self.rows,
                                        remote_addr=_client(request))

    def build(self, base):
        from dataclasses import replace

        from evalportal.checks import data as d
        rows = []
        for form in self.rows.forms:
            if form.is_bound and live.checked(live._value(form, "DELETE")):
                continue
            subject = live.text(form, "subject").strip()
            if not subject and form.instance.pk is None and not any(
                    live.money(form, n) is not None for n in ("initial_budget", "full_year_budget", "full_year_spent")):
                continue
            rows.append(d.FundRowData(subject=subject, funds=d.Funds(
                live.money(form, "initial_budget"), live.money(form, "full_year_budget"),
                live.money(form, "full_year_spent")), note=live.text(form, "note")))
        none = live.checked(live._value(self.table_form, "none")) if self.table_form.is_bound else self.table.none
        tables = tuple(replace(t, none=none, rows=tuple(rows)) if t.kind == self.kind else t for t in base.fund_tables)
        return replace(base, fund_tables=tables)

    def computed(self, result) -> dict:
        from evalportal.scoring import execution_rate_pct
        table = result.derived.fund_table(self.number)
        cv = {}
        if table is not None:
            cv.update(total_initial=_money_text(table.total.initial), total_full_year=_money_text(table.total.full_year),
                      total_spent=_money_text(table.total.spent),
                      total_rate=_rate_text(execution_rate_pct(table.total.full_year, table.total.spent)))
        for index, form in enumerate(self.rows.forms):
            if not form.instance.pk:
                continue
            cv[f"rate{index}"] = _rate_text(execution_rate_pct(live.money(form, "full_year_budget"),
                                                               live.money(form, "full_year_spent")))
        return cv

    def location_of(self, finding) -> str:
        return f"table:{finding.field}" if finding.field else "block:sheet"

    def make_views(self):
        self.fields = self.fv(self.table_form, findings_key=lambda name: f"table:{name}")
        self.row_views = [{"form": form, "views": self.fv(form, sample_fields=form.instance.sample_fields),
                           "rate": self.cv.get(f"rate{index}", ""), "index": index}
                          for index, form in enumerate(self.rows.forms)]
        for row in self.row_views:
            if not row["form"].instance.pk:
                for view in row["views"].values():
                    view.hidden = True
        self.block_msgs = {"sheet": self.msgs("block:sheet")}

    def all_views(self):
        return [self.fields, *(r["views"] for r in self.row_views)]

    def context(self):
        return {**super().context(), "fields": self.fields, "table": self.table, "rows": self.rows,
                "number": self.number, "comment_key": f"att{self.number}"}


@login_required_htmx
def fund_table(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    package = _load(request, pk)
    if request.method == "POST" and request.GET.get("live"):
        return _part_live(request, FundTablePage(package, number, request.POST))
    page = FundTablePage(package, number, request.POST if request.method == "POST" else None)
    return _part_view(request, package, page, f"att{number}")


# narrative and project reports -------------------------------------------------------------------------------

def outline_entries(outline_sections) -> list[dict]:
    """Headings numbered by the app (一、（一）1.（1）) from the outline's levels, in outline order."""
    from evalportal.narrative.numbering import heading_number
    counters: dict[str, int] = {}
    entries = []
    for section in outline_sections:
        counters[section.parent_key] = counters.get(section.parent_key, 0) + 1
        level = min(section.level, 4)
        entries.append({"section": section, "key": section.key, "level": level,
                        "number": heading_number(level, counters[section.parent_key])})
    return entries


class NarrativePage(PartPage):
    location = "report"
    template_name = "reports/narrative.html"
    live_name = "reports:narrative_live"

    def __init__(self, package, data=None, **kwargs):
        super().__init__(package, data, **kwargs)
        self.outline = list(package.outline.sections.all())
        stored = {s.key: s for s in package.sections.all()}
        self.stored = stored
        self.package_form = PackageNarrativeForm(data, instance=package, prefix="pkg")
        self.sections_form = SectionsForm(data, outline_sections=self.outline,
                                          texts={k: s.text for k, s in stored.items()},
                                          carried={k for k, s in stored.items() if s.carried_over}, prefix="sec")

    def forms(self):
        return [self.package_form, self.sections_form]

    def save(self, request):
        return services.narrative_save(package=self.package, expected_version=_version(request), actor=request.user,
                                       package_form=self.package_form, sections_form=self.sections_form,
                                       remote_addr=_client(request))

    def build(self, base):
        from dataclasses import replace
        sections = tuple(replace(s, text=self.sections_form.raw_text(s.key)) for s in base.sections)
        return replace(base, sections=sections, personnel_expenditure=live.money(self.package_form,
                                                                                  "personnel_expenditure"),
                       filled_on=live.date_value(self.package_form, "filled_on") or base.filled_on)

    def computed(self, result) -> dict:
        from evalportal.narrative.generate import generated_text
        cv = {}
        for section in self.outline:
            if section.generator:
                try:
                    cv[f"gen_{section.key}"] = generated_text(section.generator, result.pkg, result.derived)
                except (KeyError, ValueError):
                    cv[f"gen_{section.key}"] = ""
        return cv

    def location_of(self, finding) -> str:
        keys = {s.key for s in self.outline}
        key = finding.location[len("report."):] if finding.location.startswith("report.") else ""
        while key and key not in keys:
            key = key.rsplit(".", 1)[0] if "." in key else ""
        if finding.field in ("personnel_expenditure", "filled_on"):
            return f"pkg:{finding.field}"
        return f"sec:s_{key}" if key else "block:sheet"

    def make_views(self):
        self.fields = self.fv(self.package_form)
        self.section_views = self.fv(self.sections_form)
        self.entries = []
        for entry in outline_entries(self.outline):
            key = entry["key"]
            stored = self.stored.get(key)
            entry.update(fv=self.section_views[f"s_{key}"], confirm=self.section_views.get(f"c_{key}"),
                         generated=self.cv.get(f"gen_{key}"), has_generator=bool(entry["section"].generator),
                         carried=bool(stored and stored.carried_over), comment_key=f"report.{key}",
                         sample="text" in (stored.sample_fields if stored else []))
            self.entries.append(entry)
        self.block_msgs = {"sheet": self.msgs("block:sheet")}

    def all_views(self):
        return [self.fields, self.section_views]

    def context(self):
        return {**super().context(), "fields": self.fields, "entries": self.entries}


@login_required
def narrative(request: HttpRequest, pk: int) -> HttpResponse:
    package = _load(request, pk)
    return _part_view(request, package, NarrativePage(package, request.POST if request.method == "POST" else None),
                      "report")


@login_required_htmx
@require_POST
def narrative_live(request: HttpRequest, pk: int) -> HttpResponse:
    package = _load(request, pk)
    return _part_live(request, NarrativePage(package, request.POST))


class ProjectReportPage(PartPage):
    template_name = "reports/project_report.html"

    def __init__(self, package, project, data=None, **kwargs):
        super().__init__(package, data, **kwargs)
        self.project = project
        self.location = f"project_report.{project.order}"
        self.report = project.report
        self.outline = list(package.project_outline.sections.all()) if package.project_outline_id else []
        stored = {s.key: s for s in self.report.sections.all()}
        self.stored = stored
        self.report_form = ProjectReportForm(data, instance=self.report, prefix="rep")
        self.sections_form = SectionsForm(data, outline_sections=self.outline,
                                          texts={k: s.text for k, s in stored.items()},
                                          carried={k for k, s in stored.items() if s.carried_over}, prefix="sec")
        self.items = SpendItemFormSet(data, queryset=ProjectSpendItem.objects.filter(project=project), prefix="items")

    def live_url(self):
        return reverse("reports:project_report_live", args=[self.package.pk, self.project.pk])

    def forms(self):
        return [self.report_form, self.sections_form, self.items]

    def save(self, request):
        return services.project_report_save(package=self.package, project=self.project,
                                            expected_version=_version(request), actor=request.user,
                                            report_form=self.report_form, sections_form=self.sections_form,
                                            items_formset=self.items, remote_addr=_client(request))

    def build(self, base):
        from dataclasses import replace

        from evalportal.checks import data as d
        items = []
        for form in self.items.forms:
            if form.is_bound and live.checked(live._value(form, "DELETE")):
                continue
            amount = live.money(form, "amount")
            name = live.text(form, "name").strip()
            if amount is None and not name:
                continue
            items.append(d.SpendItemData(name=name, amount=amount if amount is not None else live.ZERO))
        current = next(p for p in base.projects if p.id == self.project.pk)
        sections = {s.key: self.sections_form.raw_text(s.key) for s in self.outline}
        updated = replace(current, spend_items=tuple(items), report_sections=sections,
                          eval_start=live.date_value(self.report_form, "eval_start"),
                          eval_end=live.date_value(self.report_form, "eval_end"),
                          basis=live.text(self.report_form, "basis"))
        self.project_data = updated
        return live.replace_project(base, updated)

    def computed(self, result) -> dict:
        from evalportal.narrative.generate import generated_text
        project = next(p for p in result.pkg.projects if p.id == self.project.pk)
        sheet = result.derived.project(project)
        cv = {"spent": _money_text(sheet.funds.spent),
              "items_total": _money_text(sum((i.amount for i in project.spend_items), live.ZERO))}
        for section in self.outline:
            if section.generator:
                try:
                    cv[f"gen_{section.key}"] = generated_text(section.generator, result.pkg, result.derived, project)
                except (KeyError, ValueError):
                    cv[f"gen_{section.key}"] = ""
        return cv

    def location_of(self, finding) -> str:
        rest = finding.location[len(self.location):].strip(".")
        keys = {s.key for s in self.outline}
        if rest in ("eval",) or finding.field in self.report_form.fields:
            return f"rep:{finding.field}" if finding.field in self.report_form.fields else "block:eval"
        if rest == "spend_items":
            return "block:items"
        key = rest
        while key and key not in keys:
            key = key.rsplit(".", 1)[0] if "." in key else ""
        return f"sec:s_{key}" if key else "block:sheet"

    def make_views(self):
        self.fields = self.fv(self.report_form, sample_fields=self.report.sample_fields)
        self.section_views = self.fv(self.sections_form)
        self.item_views = [{"form": form, "views": self.fv(form, sample_fields=form.instance.sample_fields)}
                           for form in self.items.forms]
        for item in self.item_views:
            if not item["form"].instance.pk:      # added in the browser: no message containers until saved
                for view in item["views"].values():
                    view.hidden = True
        self.entries = []
        for entry in outline_entries(self.outline):
            key = entry["key"]
            stored = self.stored.get(key)
            entry.update(fv=self.section_views[f"s_{key}"], confirm=self.section_views.get(f"c_{key}"),
                         generated=self.cv.get(f"gen_{key}"), has_generator=bool(entry["section"].generator),
                         carried=bool(stored and stored.carried_over), generator=entry["section"].generator,
                         comment_key=f"project_report.{self.project.pk}.{key}",
                         sample="text" in (stored.sample_fields if stored else []))
            self.entries.append(entry)
        self.block_msgs = {key: self.msgs(f"block:{key}") for key in ("eval", "items", "sheet")}

    def all_views(self):
        return [self.fields, self.section_views, *(i["views"] for i in self.item_views)]

    def context(self):
        return {**super().context(), "fields": self.fields, "entries": self.entries, "project": self.project,
                "items": self.items}


@login_required
def project_report(request: HttpRequest, pk: int, project_pk: int) -> HttpResponse:
    package = _load(request, pk)
    project = _project(package, project_pk)
    page = ProjectReportPage(package, project, request.POST if request.method == "POST" else None)
    return _part_view(request, package, page, f"project_report.{project.pk}")


@login_required_htmx
@require_POST
def project_report_live(request: HttpRequest, pk: int, project_pk: int) -> HttpResponse:
    package = _load(request, pk)
    return _part_live(request, ProjectReportPage(package, _project(package, project_pk), request.POST))

"""Writes to report packages. Each service is one transaction; views, importers and load_demo call these."""
from __future__ import annotations

from functools import partial

from django.db import transaction

from evalportal.orgs.models import Department, NarrativeOutline, WeightTemplate

from .models import (BaseDataSheet, DepartmentEvalSheet, FundTable, Project, ProjectEvalSheet, ProjectReport,
                     ProjectReportSection, ReportPackage)


class PackageSetupError(Exception):
    """No template or outline covers the department's region and year."""


@transaction.atomic
def package_create(*, department: Department, year: int, **fields) -> ReportPackage:
    """A new empty package with every attachment in place, on the region's current templates."""
    template = fields.pop("weight_template", None) or WeightTemplate.for_region_year(department.region, year)
    outline = fields.pop("outline", None) or NarrativeOutline.for_region_year(department.region, year)
    project_outline = fields.pop("project_outline", None) or NarrativeOutline.for_region_year(
        department.region, year, kind=NarrativeOutline.Kind.PROJECT)
    if template is None or outline is None:
        raise PackageSetupError(f"{department.region}{year}年度没有可用的权重模板或报告提纲，请联系管理员配置。")
    package = ReportPackage.objects.create(department=department, year=year, weight_template=template,
                                           outline=outline, project_outline=project_outline, **fields)
    BaseDataSheet.objects.create(package=package, authorised_posts=department.authorised_posts)
    DepartmentEvalSheet.objects.create(package=package)
    FundTable.objects.bulk_create(FundTable(package=package, kind=kind, none=True) for kind in FundTable.Kind.values)
    return package


@transaction.atomic
def project_create(*, package: ReportPackage, name: str, category: str = Project.Category.SPECIAL,
                   order: int | None = None, **fields) -> Project:
    """A project with its 附件3 and its evaluation report (default texts from the project outline)."""
    if order is None:
        order = (max((p.order for p in package.projects.all()), default=0)) + 1
    project = Project.objects.create(package=package, name=name, category=category, order=order, **fields)
    ProjectEvalSheet.objects.create(project=project, implementing_unit=package.department.name)
    report = ProjectReport.objects.create(project=project)
    if package.project_outline_id:
        ProjectReportSection.objects.bulk_create(
            ProjectReportSection(report=report, key=section.key, text=section.default_text)
            for section in package.project_outline.sections.all() if section.default_text)
    return project


def package_refresh(package: ReportPackage, *, is_current: bool = False) -> ReportPackage:
    """Recompute the cached total, grade and finding counts the dashboards read (after every save).

    is_current: `package` came from load_package() and already holds everything this save wrote (the sheet saves
    read their sheet back), so it is evaluated as it is instead of being loaded a second time.
    """
    from evalportal.reports.selectors import load_package, package_data

    from .engine import evaluate
    result = evaluate(package_data(package if is_current else load_package(package.pk)))
    ReportPackage.objects.filter(pk=package.pk).update(
        total_score=result.total_score, grade=result.grade_label,
        error_count=result.error_count, warning_count=result.warning_count)
    package.total_score, package.grade = result.total_score, result.grade_label
    package.error_count, package.warning_count = result.error_count, result.warning_count
    package.evaluation = result      # callers that also need the derived figures (the importer) reuse them
    # Reviewer insight is advice: it runs after the save has committed, on the task queue, never in its way.
    from evalportal.core.tasks import insight_package
    transaction.on_commit(partial(insight_package.enqueue, package.pk))
    return package


# --- saving the filling forms (issue 5) -------------------------------------------------------------------------
# Each save is one transaction: check the package may be edited, claim the next version with
# "UPDATE … WHERE version = n" (optimistic locking: a stale page gets VersionConflict, never overwrites),
# apply the forms, write one audit event with a FieldChange per changed value, refresh the cached score.

class VersionConflict(Exception):
    """Someone saved this package after the page was opened; nothing was written."""

    def __init__(self, current_version: int):
        super().__init__(current_version)
        self.current_version = current_version


def _claim_version(package: ReportPackage, expected_version: int) -> None:
    from django.db.models import F
    from django.utils import timezone

    from evalportal.review.guards import ensure_editable
    ensure_editable(package)
    claimed = ReportPackage.objects.filter(pk=package.pk, version=expected_version).update(
        version=F("version") + 1, updated_at=timezone.now())
    if not claimed:
        current = ReportPackage.objects.get(pk=package.pk)
        ensure_editable(current)          # a state change (submitted meanwhile) reads as locked, not as a conflict
        raise VersionConflict(current.version)
    package.version = expected_version + 1


def _shown(value) -> str:
    if value is None:
        return ""
    if hasattr(value, "pk"):
        return str(value)
    if isinstance(value, bool):
        return "是" if value else "否"
    return str(value)


def form_changes(form, label: str, obj=None) -> list[tuple[str, str, str, str]]:
    """(object, field, old, new) for every field whose stored value changes; labels are the printed terms."""
    changes = []
    for name in form.changed_data:
        if name in ("order", "DELETE", "confirm_carried") or name.startswith("c_"):
            continue
        field = form.fields[name]
        old = form.initial.get(name)
        new = form.cleaned_data.get(name)
        if _shown(old) == _shown(new):
            continue
        changes.append((label, str(field.label or name), _shown(old), _shown(new)))
    return changes


def _finish(package: ReportPackage, actor, changes, remote_addr, *, is_current: bool = False) -> ReportPackage:
    from evalportal.review.audit import audit_save
    audit_save(package=package, actor=actor, changes=changes, remote_addr=remote_addr)
    return package_refresh(package, is_current=is_current)


def _read_back(package: ReportPackage, sheet) -> bool:
    """After a 附件2/附件3 save: read the sheet and its rows back into the package, when the caller loaded it whole.

    The package then is what load_package() would return now: the save claimed the version the package was loaded
    at, so no other save came in between, and the project's own fields are the instance its form saved.
    """
    from .selectors import is_loaded, reload_sheet
    if not is_loaded(package):
        return False
    reload_sheet(package, sheet)
    return True


def _save_indicator_rows(formset, sheet_kwargs: dict, label: str) -> list:
    """Rows in print order; deleted rows go first, orders are renumbered 1…n in two steps (unique per sheet)."""
    from django.db.models import F

    from .live import row_entries
    from .models import IndicatorRow
    changes = []
    for form in formset.forms:
        if form.is_deleted and form.instance.pk:
            changes.append((f"{label}「{form.instance.name}」", "删除指标行", form.instance.name, ""))
            form.instance.delete()
    entries = [e for e in row_entries(formset) if not e.deleted and not e.form.is_blank]
    # Park the rows that move far above any final number so that renumbering never meets the unique constraint;
    # a row keeping its number stays put (and is not written at all when nothing else in it changed either).
    moving = [e.form.instance.pk for number, e in enumerate(entries, start=1)
              if e.form.instance.pk and e.form.stored["order"] != number]
    IndicatorRow.objects.filter(pk__in=moving).update(order=F("order") + 10000)
    for number, entry in enumerate(entries, start=1):
        form = entry.form
        new = not form.instance.pk
        row = form.apply(form.save(commit=False))
        for key, value in sheet_kwargs.items():
            setattr(row, key, value)
        row.order = number
        edited = any(name in form.changed_data for name in form.CONTENT_FIELDS)
        if row.carried_over and (edited or form.cleaned_data.get("confirm_carried")):
            row.carried_over = False      # edited or confirmed: no longer "unchanged from last year"
        if form.instance_changed():
            row.save()
        name = form.cleaned_data.get("name") or row.name
        if new:
            changes.append((f"{label}「{name}」", "新增指标行", "", name))
        else:
            changes += [(f"{label}「{name}」", *change[1:]) for change in form_changes(form, label)]
    return changes


@transaction.atomic
def project_sheet_save(*, package: ReportPackage, project: Project, expected_version: int, actor,
                       project_form, sheet_form, row_formset, remote_addr: str | None = None) -> ReportPackage:
    """附件3 of one project: its name and category, the sheet's cells and its indicator rows."""
    _claim_version(package, expected_version)
    label = f"附件3 {project.name}"
    changes = form_changes(project_form, label) + form_changes(sheet_form, label)
    project = project_form.save(commit=False)
    edited = [n for n in project_form.changed_data + sheet_form.changed_data if n != "confirm_carried"]
    if project.carried_over and (edited or project_form.cleaned_data.get("confirm_carried")):
        project.carried_over = False     # edited or confirmed: no longer "unchanged from last year"
    if project_form.instance_changed():
        project.save()
    if sheet_form.instance_changed():
        sheet_form.save()
    changes += _save_indicator_rows(row_formset, {"project_sheet": sheet_form.instance, "department_sheet": None},
                                    label)
    return _finish(package, actor, changes, remote_addr, is_current=_read_back(package, sheet_form.instance))


@transaction.atomic
def department_sheet_save(*, package: ReportPackage, expected_version: int, actor, sheet_form, row_formset,
                          remote_addr: str | None = None) -> ReportPackage:
    """附件2: funds, splits, goal, indicator rows and footer."""
    _claim_version(package, expected_version)
    changes = form_changes(sheet_form, "附件2")
    if sheet_form.instance_changed():
        sheet_form.save()
    changes += _save_indicator_rows(row_formset, {"department_sheet": sheet_form.instance, "project_sheet": None},
                                    "附件2")
    return _finish(package, actor, changes, remote_addr, is_current=_read_back(package, sheet_form.instance))


def _save_ordered_formset(formset, parent_kwargs: dict, label: str, name_field: str) -> list:
    """Line items (专项行, 基金行, 支出明细) in the order shown; blank new lines are left out."""
    from django.db.models import F
    changes = []
    model = formset.model
    for form in formset.deleted_forms:
        if form.instance.pk:
            changes.append((label, f"删除「{getattr(form.instance, name_field)}」", str(form.instance), ""))
            form.instance.delete()
    kept = [f for f in formset.forms if f not in formset.deleted_forms and (f.instance.pk or f.has_changed())]
    kept.sort(key=lambda f: (int(f.cleaned_data.get("order") or 0) if f.cleaned_data.get("order") else 9999,
                             formset.forms.index(f)))
    model.objects.filter(pk__in=[f.instance.pk for f in kept if f.instance.pk]).update(order=F("order") + 10000)
    for number, form in enumerate(kept, start=1):
        new = not form.instance.pk
        obj = form.save(commit=False)
        for key, value in parent_kwargs.items():
            setattr(obj, key, value)
        obj.order = number
        obj.save()
        title = f"{label}「{getattr(obj, name_field)}」"
        changes += [(title, "新增", "", str(obj))] if new else [(title, *c[1:]) for c in form_changes(form, title)]
    return changes


@transaction.atomic
def base_data_save(*, package: ReportPackage, expected_version: int, actor, sheet_form, lines_form,
                   special_formset, remote_addr: str | None = None) -> ReportPackage:
    """附件1: staffing, typed expense cells, 专项 rows, buildings, austerity text and footer."""
    from .forms import LINE_COLUMNS
    from .models import BaseDataLine
    _claim_version(package, expected_version)
    sheet = sheet_form.save()
    changes = form_changes(sheet_form, "附件1")
    existing = {line.line: line for line in sheet.lines.all()}
    for name in lines_form.changed_data:
        key, column = name.split("__")
        line = existing.get(key) or BaseDataLine(sheet=sheet, line=key)
        old, new = getattr(line, column), lines_form.cleaned_data[name]
        setattr(line, column, new)
        line.save()
        existing[key] = line
        changes.append(("附件1", str(lines_form.fields[name].label), _shown(old), _shown(new)))
    changes += _save_ordered_formset(special_formset, {"sheet": sheet}, "附件1 本级专项", "name")
    return _finish(package, actor, changes, remote_addr)


@transaction.atomic
def fund_table_save(*, package: ReportPackage, expected_version: int, actor, table_form, row_formset,
                    remote_addr: str | None = None) -> ReportPackage:
    """附件4/5/6. Marking a table 无 keeps its rows out of print and checks; they are deleted only when the clerk
    deletes them, so unticking 无 brings them back."""
    _claim_version(package, expected_version)
    table = table_form.save()
    label = f"附件{table.number}"
    changes = form_changes(table_form, label)
    changes += _save_ordered_formset(row_formset, {"table": table}, label, "subject")
    return _finish(package, actor, changes, remote_addr)


def _save_sections(sections_form, store, label: str) -> list:
    """store: key → existing section object or None; returns changes and writes texts (carried flag cleared)."""
    changes = []
    for section in sections_form.outline_sections:
        key = section.key
        new_text = sections_form.cleaned_data.get(f"s_{key}", "")
        confirmed = bool(sections_form.cleaned_data.get(f"c_{key}"))
        obj = store.get(key)
        old_text = obj.text if obj else ""
        if obj is None and not new_text:
            continue
        if obj is None:
            obj = store.create(key)
        changed = new_text != old_text
        if changed or (obj.carried_over and confirmed):
            obj.text = new_text
            if changed and "text" in (obj.sample_fields or []):
                obj.sample_fields = [f for f in obj.sample_fields if f != "text"]
            obj.carried_over = False
            obj.save()
        if changed:
            changes.append((f"{label} {section.title}", "正文", old_text, new_text))
    return changes


class _SectionStore(dict):
    def __init__(self, objects, factory):
        super().__init__({o.key: o for o in objects})
        self.factory = factory

    def create(self, key):
        obj = self.factory(key)
        self[key] = obj
        return obj


@transaction.atomic
def narrative_save(*, package: ReportPackage, expected_version: int, actor, package_form, sections_form,
                   remote_addr: str | None = None) -> ReportPackage:
    """The department report: one text per outline section, 人员工资福利支出 and the report date."""
    from .models import NarrativeSection
    _claim_version(package, expected_version)
    changes = form_changes(package_form, "报告正文")
    ReportPackage.objects.filter(pk=package.pk).update(**{n: package_form.cleaned_data[n] for n in package_form.fields})
    for name in package_form.fields:
        setattr(package, name, package_form.cleaned_data[name])
    store = _SectionStore(NarrativeSection.objects.filter(package=package),
                          lambda key: NarrativeSection(package=package, key=key))
    changes += _save_sections(sections_form, store, "报告正文")
    return _finish(package, actor, changes, remote_addr)


@transaction.atomic
def project_report_save(*, package: ReportPackage, project: Project, expected_version: int, actor, report_form,
                        sections_form, items_formset, remote_addr: str | None = None) -> ReportPackage:
    """One 项目支出绩效评价报告: evaluation dates and basis, section texts, spending line items."""
    from .models import ProjectReportSection
    _claim_version(package, expected_version)
    label = f"{project.name}项目支出绩效评价报告"
    report = report_form.save()
    changes = form_changes(report_form, label)
    store = _SectionStore(ProjectReportSection.objects.filter(report=report),
                          lambda key: ProjectReportSection(report=report, key=key))
    changes += _save_sections(sections_form, store, label)
    changes += _save_ordered_formset(items_formset, {"project": project}, f"{label} 资金使用明细", "name")
    return _finish(package, actor, changes, remote_addr)


@transaction.atomic
def project_add(*, package: ReportPackage, expected_version: int | None, actor, name: str, category: str,
                remote_addr: str | None = None) -> Project:
    """A new project with its 附件3 and report; version claimed so that two clerks adding at once both see it."""
    from evalportal.review.guards import ensure_editable
    ensure_editable(package)
    if expected_version is not None:
        _claim_version(package, expected_version)
    else:
        ReportPackage.objects.filter(pk=package.pk).update(version=models_F("version") + 1)
    project = project_create(package=package, name=name, category=category)
    _finish(package, actor, [(f"项目「{name}」", "新增项目", "", name)], remote_addr)
    return project


@transaction.atomic
def project_remove(*, package: ReportPackage, project: Project, actor, remote_addr: str | None = None) -> None:
    from evalportal.review.guards import ensure_editable
    ensure_editable(package)
    ReportPackage.objects.filter(pk=package.pk).update(version=models_F("version") + 1)
    name = project.name
    project.delete()
    _finish(package, actor, [(f"项目「{name}」", "删除项目", name, "")], remote_addr)


@transaction.atomic
def explanation_save(*, package: ReportPackage, actor, code: str, location: str, explanation: str,
                     remote_addr: str | None = None):
    """The filler's explanation of a warning (domain.md §6: warnings never block, but may be explained)."""
    from evalportal.review.guards import ensure_editable

    from .models import CheckExplanation
    ensure_editable(package)
    obj, _created = CheckExplanation.objects.get_or_create(package=package, code=code, location=location)
    old = obj.explanation
    obj.explanation = explanation
    obj.save()
    from evalportal.review.audit import audit_save
    audit_save(package=package, actor=actor, changes=[(f"校验{code} {location}", "情况说明", old, explanation)],
               remote_addr=remote_addr)
    return obj


def models_F(name):
    from django.db.models import F
    return F(name)

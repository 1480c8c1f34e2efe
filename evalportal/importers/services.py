"""Import a workbook into a package: validate every cell first, then apply everything in one transaction.

`package_import` is the only writer: the upload page and `manage.py import_report` both call it. Nothing is
written unless every cell is valid; the errors name their cells (`{工作表}!{单元格}：{消息}`), several at once.
Which cells are inputs follows the single source of truth of domain.md §2.1: computed cells (totals, rates,
quantitative scores, linked 专项 Y columns) are never read into the package; their differences from the
engine's values are listed for information after the import.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from evalportal.checks.derive import COMPUTED_LINES, derive, rate_pct
from evalportal.checks.formatting import cn_date
from evalportal.exporters import xlsx as layout
from evalportal.reports import services as report_services
from evalportal.reports.models import (BaseDataLine, FundRow, IndicatorRow, Project, ReportPackage,
                                       SpecialFundRow)
from evalportal.reports.selectors import load_package, package_data
from evalportal.review.audit import audit_event
from evalportal.review.guards import ensure_editable
from evalportal.review.models import AuditEvent
from evalportal.scoring import Band, TargetError, band_range, parse_actual, parse_target

from .xlsx import SheetInput, Value, WorkbookInput, WorkbookUnreadable, read_workbook

CENT = Decimal("0.01")


class ImportRefused(ValidationError):
    """Nothing was written; `messages` lists every problem found (Chinese, each naming its cell)."""


@dataclass(frozen=True)
class Change:
    ref: str          # 工作表!单元格
    label: str        # what changed: 附件3-1 第3行「政务服务事项网上办事率」
    field: str        # 年度指标值
    old: str
    new: str


@dataclass
class ImportResult:
    package: ReportPackage
    sha256: str
    changes: list[Change] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)

    @property
    def summary(self) -> str:
        if not self.changes:
            return _("导入完成：工作簿与报告内容一致，没有改动。")
        return _("导入完成：共改动%(n)d处。") % {"n": len(self.changes)}


def shown(value) -> str:
    """How a value appears in the change list and the audit trail."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value.quantize(CENT), "f") if value.as_tuple().exponent >= -2 else format(value, "f")
    if isinstance(value, date):
        return cn_date(value)
    if isinstance(value, Project):
        return value.name
    if hasattr(value, "name") and not isinstance(value, str):
        return str(value.name)
    return str(value)


def verbose(model, field_name: str) -> str:
    return str(model._meta.get_field(field_name).verbose_name)


# ---------------------------------------------------------------- the plan

@dataclass
class RowPlan:
    obj: object | None          # existing record, or None for a new one
    fields: dict                # model field → new value
    order: int
    refs: dict                  # model field → cell
    link: object = None         # 附件1 special rows: the ProjectPlan or Project it is linked to
    source: object = None       # the RowInput it was read from


@dataclass
class ProjectPlan:
    project: Project | None
    wb_id: int | None
    sheet_input: SheetInput
    name: str
    category: str
    order: int
    sheet_fields: dict = field(default_factory=dict)
    rows: list[RowPlan] = field(default_factory=list)
    deleted: list = field(default_factory=list)
    created: Project | None = None

    @property
    def target(self) -> Project | None:
        return self.project or self.created


SHEET_MONEY = ("appropriation_initial", "appropriation_full_year", "appropriation_spent", "carryover_initial",
               "carryover_full_year", "carryover_spent", "other_initial", "other_full_year", "other_spent")
DEPT_FIELDS = ("initial_budget", "full_year_budget", "full_year_spent", "income_general", "income_gov_fund",
               "income_nontax_special", "income_other", "basic_expenditure", "goal_expected", "goal_achieved")
PROJECT_SHEET_FIELDS = ("supervising_department", "implementing_unit", *SHEET_MONEY, "goal_expected",
                        "goal_achieved")
BASE_FIELDS = ("authorised_posts", "actual_staff", "approved_area", "actual_area", "budget_investment",
               "actual_investment", "austerity_measures")


class Planner:
    """Compares the workbook with the package and decides every write; collects every error first."""

    def __init__(self, package: ReportPackage, workbook: WorkbookInput, force: bool):
        self.package = package
        self.workbook = workbook
        self.force = force
        self.errors: list[str] = list(workbook.errors)
        self.notices: list[str] = list(workbook.notices)
        self.changes: list[Change] = []
        self.categories = {c.name: c for c in package.weight_template.categories.all()}
        self.projects: list[ProjectPlan] = []
        self.updates: list[tuple[object, dict, dict, str]] = []      # (record, fields, refs, label)
        self.department_rows: tuple[list[RowPlan], list] = ([], [])
        self.base_lines: dict[str, dict] = {}
        self.base_line_refs: dict[str, dict] = {}
        self.specials: tuple[list[RowPlan], list] = ([], [])
        self.fund_rows: dict[int, tuple[object, list[RowPlan], list]] = {}
        # The engine's figures as exported, so that a computed cell merely left stale by an edit is not listed.
        self.before_data = package_data(package)
        self.before = derive(self.before_data)

    def error(self, value: Value, message: str) -> None:
        self.errors.append(f"{value.ref}：{message}")

    def match(self, existing: dict, row_id: int | None, matched: set):
        """The record a row's hidden id names; a repeated id (a copied row) or --force-package gives a new one.
        Every record no row matched is deleted: deleting the row in Excel deletes the record."""
        obj = None if self.force or row_id in matched else existing.get(row_id)
        if obj is not None:
            matched.add(obj.pk)
        return obj

    # ---- helpers

    def record_changes(self, label: str, obj, fields: dict, refs: dict, model=None) -> dict:
        """The fields whose value differs from `obj` (all filled ones for a new `model` record), noted as changes."""
        changed = {}
        model = model or type(obj)
        for name, new in fields.items():
            old = getattr(obj, name) if obj is not None else None
            if obj is not None and old == new:
                continue
            if obj is None and new in (None, "", False):
                continue
            changed[name] = new
            self.changes.append(Change(refs.get(name, ""), label, verbose(model, name), shown(old), shown(new)))
        return changed

    def footer_fields(self, sheet: SheetInput, obj, with_phone: bool = True) -> tuple[dict, dict]:
        fields, refs = {}, {}
        for key in ("filled_by", "filled_on", *(("phone",) if with_phone else ())):
            if key in sheet.footer:
                fields[key] = sheet.footer[key].value
                refs[key] = sheet.footer[key].ref
        head = sheet.footer.get("head_name")
        if head is not None and obj is not None and head.value != (getattr(obj, "head_name", "") or ""):
            self.notices.append(_("%(ref)s：单位负责人签字在单位负责人确认上报时自动填写，导入时不作修改")
                                % {"ref": head.ref})
        return fields, refs

    # ---- the whole workbook

    def plan(self) -> None:
        wb = self.workbook
        if wb.base is not None:
            self.plan_base(wb.base)
        if wb.department is not None:
            sheet = self.package.department_sheet
            fields = {key: wb.department.fields[key].value for key in DEPT_FIELDS}
            refs = {key: wb.department.fields[key].ref for key in DEPT_FIELDS}
            footer, footer_refs = self.footer_fields(wb.department, sheet)
            self.updates.append((sheet, {**fields, **footer}, {**refs, **footer_refs}, _("附件2")))
            existing = list(sheet.rows.all())
            self.department_rows = self.plan_indicator_rows(wb.department, existing, _("附件2"))
        self.plan_projects(wb.projects)
        for number, sheet_input in wb.fund_tables.items():
            self.plan_fund_table(number, sheet_input)
        self.link_specials()

    # ---- 附件1

    def plan_base(self, sheet: SheetInput) -> None:
        base = self.package.base_data
        fields = {key: sheet.fields[key].value for key in BASE_FIELDS if key in sheet.fields}
        refs = {key: sheet.fields[key].ref for key in BASE_FIELDS if key in sheet.fields}
        footer, footer_refs = self.footer_fields(sheet, base)
        self.updates.append((base, {**fields, **footer}, {**refs, **footer_refs}, _("附件1")))

        for line in BaseDataLine.Line:
            values = sheet.lines.get(line.value)
            if values is None:
                continue
            inputs = {}
            for column in layout.A1_COLS:
                if self.a1_input(line.value, column, sheet):
                    inputs[column] = values[column]
            if inputs:
                self.base_lines[line.value] = {column: value.value for column, value in inputs.items()}
                self.base_line_refs[line.value] = {column: value.ref for column, value in inputs.items()}

        existing = {row.pk: row for row in base.special_rows.all()}
        plans, matched = [], set()
        for order, row in enumerate(sheet.rows, start=1):
            obj = self.match(existing, row.id, matched)
            name = row.fields["name"]
            if not name.value:
                self.error(name, _("请填写专项名称"))
            fields = {"name": name.value, "prev_final": row.fields["prev_final"].value}
            refs = {key: row.fields[key].ref for key in ("name", "prev_final", "cur_budget", "cur_final")}
            plans.append(RowPlan(obj, fields, order, refs, link=row.link, source=row))
        self.specials = (plans, [row for pk, row in existing.items() if pk not in matched])

    @staticmethod
    def a1_input(line: str, column: str, sheet: SheetInput) -> bool:
        """Is this 附件1 cell typed (read back) rather than computed? Mirrors evalportal.checks.derive."""
        if line in ("business_funds", "operation_funds"):
            return column == "prev_final"      # the Y columns are Σ of the projects
        if line == "vehicle":
            subs = [sheet.lines.get(key, {}).get(column) for key in ("vehicle_purchase", "vehicle_operation")]
            return not any(sub is not None and sub.value is not None for sub in subs)
        return line not in COMPUTED_LINES

    def link_specials(self) -> None:
        """A special row's hidden link names a project by its id in the workbook; find that project now."""
        by_wb_id: dict[int, ProjectPlan] = {}
        for plan in self.projects:      # the exported sheet comes before any copy of it that bears its id
            if plan.wb_id is not None:
                by_wb_id.setdefault(plan.wb_id, plan)
        own = {project.pk: project for project in self.package.projects.all()}
        taken: set[int] = set()
        for plan in self.specials[0]:
            wb_id = plan.link
            target = by_wb_id.get(wb_id) if wb_id is not None else None
            if target is None and wb_id is not None and not self.force:
                target = own.get(wb_id)
            if target is not None and id(target) in taken:
                self.notices.append(_("%(ref)s：该专项与上一行关联同一项目，已改为不关联") % {"ref": plan.refs["name"]})
                target = None
            if target is not None:
                taken.add(id(target))
            plan.link = target
            linked = target is not None
            row = plan.source
            if not linked:    # a 专项 without a 附件3 (e.g. one that ran only in Y−1): its Y columns are typed
                plan.fields["cur_budget"] = row.fields["cur_budget"].value
                plan.fields["cur_final"] = row.fields["cur_final"].value

    # ---- 附件2 and 附件3 rows

    def plan_indicator_rows(self, sheet: SheetInput, existing: list, label: str) -> tuple[list[RowPlan], list]:
        by_id = {row.pk: row for row in existing}
        plans, matched = [], set()
        for order, row in enumerate(sheet.rows, start=1):
            obj = self.match(by_id, row.id, matched)
            plan = self.plan_indicator(row.fields, obj, order)
            if plan is not None:
                plans.append(plan)
        return plans, [row for pk, row in by_id.items() if pk not in matched]

    def plan_indicator(self, cells: dict[str, Value], obj: IndicatorRow | None, order: int) -> RowPlan | None:
        ok = True
        category = self.categories.get(cells["category"].value)
        subcategory = None
        if not cells["category"].value:
            self.error(cells["category"], _("请填写一级指标"))
            ok = False
        elif category is None:
            self.error(cells["category"], _("一级指标“%(v)s”不在本报告的权重模板中，可填：%(options)s")
                       % {"v": cells["category"].value, "options": "、".join(self.categories)})
            ok = False
        else:
            subs = {sub.name: sub for sub in category.subcategories.all()}
            subcategory = subs.get(cells["subcategory"].value)
            if not cells["subcategory"].value:
                self.error(cells["subcategory"], _("请填写二级指标"))
                ok = False
            elif subcategory is None:
                self.error(cells["subcategory"], _("二级指标“%(v)s”不属于“%(c)s”，可填：%(options)s")
                           % {"v": cells["subcategory"].value, "c": category.name, "options": "、".join(subs)})
                ok = False
        if not cells["name"].value:
            self.error(cells["name"], _("请填写三级指标"))
            ok = False
        weight = cells["weight"].value
        # A blank 分值 imports as blank, as the form saves it: K04 asks for it before submitting.

        qualitative_kind = bool(cells["qualitative"].value)
        target_text, actual_text = cells["target_raw"].value, cells["actual_raw"].value
        if obj is not None:
            # The workbook shows targets in canonical form (≧ 10% → ≥10%): an unchanged cell keeps what was typed.
            old_qualitative = obj.kind == IndicatorRow.Kind.QUALITATIVE
            if target_text == layout.target_display(obj.target_raw, old_qualitative):
                target_text = obj.target_raw
            if actual_text and actual_text == layout.actual_display(obj.actual_raw, obj.target_raw, old_qualitative):
                actual_text = obj.actual_raw
        target = None
        try:
            target = parse_target(target_text, force_qualitative=qualitative_kind)
        except TargetError as error:
            self.error(cells["target_raw"], error.messages[0])
            ok = False
        if target is not None and actual_text:
            try:
                parse_actual(actual_text, target)
            except TargetError as error:
                self.error(cells["actual_raw"], error.messages[0])
                ok = False

        fields = {"category": category, "subcategory": subcategory, "name": cells["name"].value,
                  "target_raw": target_text, "actual_raw": actual_text, "weight": weight,
                  "kind": IndicatorRow.Kind.QUALITATIVE if qualitative_kind else IndicatorRow.Kind.AUTO,
                  "deviation_reason": cells["deviation_reason"].value}
        if target is not None and not target.is_quantitative:
            # A qualitative row's 得分 is the filler's judgement; its band follows from the score (§5.3).
            score = cells["score"].value
            if score is not None and weight is not None and score > weight:
                self.error(cells["score"], _("得分%(s)s超出分值%(w)s，应在0～%(w)s之间") % {"s": shown(score),
                                                                                    "w": shown(weight)})
                ok = False
            fields["judged_score"] = score
            fields["band"] = band_for(score, weight) if score is not None and weight else ""
        refs = {key: value.ref for key, value in cells.items()}
        refs["judged_score"] = refs["band"] = cells["score"].ref
        return RowPlan(obj, fields, order, refs) if ok else None

    # ---- 附件3

    def plan_projects(self, sheets: list[SheetInput]) -> None:
        own = list(self.package.projects.all())
        by_pk = {project.pk: project for project in own}
        by_name = {project.name: project for project in own}
        claimed: set[int] = set()
        next_order = max((project.order for project in own), default=0) + 1
        for sheet in sheets:
            project = None
            if self.force:
                project = by_name.get(sheet.fields["name"].value)
            elif sheet.object_id in by_pk:
                project = by_pk[sheet.object_id]
            if project is not None and project.pk in claimed:
                project = None          # a copy of another 附件3 sheet: a new project
            if project is not None:
                claimed.add(project.pk)
                order = project.order
            else:
                order, next_order = next_order, next_order + 1
            name = sheet.fields["name"]
            if not name.value:
                self.error(name, _("请填写项目支出名称"))
            category = sheet.extra if sheet.extra in Project.Category.values else (
                project.category if project else Project.Category.SPECIAL)
            plan = ProjectPlan(project=project, wb_id=sheet.object_id, sheet_input=sheet, name=name.value,
                               category=category, order=order)
            plan.sheet_fields = {key: sheet.fields[key].value for key in PROJECT_SHEET_FIELDS}
            footer, _refs = self.footer_fields(sheet, project.sheet if project else None)
            plan.sheet_fields.update(footer)
            existing = [] if project is None else list(project.sheet.rows.all())
            plan.rows, plan.deleted = self.plan_indicator_rows(sheet, existing, sheet.title)
            self.projects.append(plan)
        names: dict[str, int] = {}
        for plan in self.projects:
            names[plan.name] = names.get(plan.name, 0) + 1
        untouched = {project.name for project in own if project.pk not in claimed}
        for plan in self.projects:
            if plan.name and (names[plan.name] > 1 or plan.name in untouched):
                self.error(plan.sheet_input.fields["name"], _("项目名称“%(n)s”与其他项目重复") % {"n": plan.name})

    # ---- 附件4–6

    def plan_fund_table(self, number: int, sheet: SheetInput) -> None:
        table = next((t for t in self.package.fund_tables.all() if t.number == number), None)
        if table is None:
            return
        footer, refs = self.footer_fields(sheet, None, with_phone=False)
        self.updates.append((table, {"none": False, **footer}, refs, f"附件{number}"))
        existing = {row.pk: row for row in table.rows.all()}
        plans, matched = [], set()
        for order, row in enumerate(sheet.rows, start=1):
            obj = self.match(existing, row.id, matched)
            if not row.fields["subject"].value:
                self.error(row.fields["subject"], _("请填写项目（支出功能分类科目）"))
            fields = {key: row.fields[key].value for key in ("subject", "initial_budget", "full_year_budget",
                                                             "full_year_spent", "note")}
            plans.append(RowPlan(obj, fields, order, {key: v.ref for key, v in row.fields.items()}))
        self.fund_rows[number] = (table, plans, [row for pk, row in existing.items() if pk not in matched])


def band_for(score: Decimal, weight: Decimal) -> str:
    for band in Band:
        low, high = band_range(band, weight)
        if low <= score <= high:
            return band.value
    return ""


# ---------------------------------------------------------------- applying the plan

def save_changed(planner: Planner, obj, fields: dict, refs: dict, label: str) -> None:
    changed = planner.record_changes(label, obj, fields, refs)
    if changed:
        for name, value in changed.items():
            setattr(obj, name, value)
        obj.save(update_fields=list(changed))


def reorder(model, scope: dict, plans: list[RowPlan], deleted: list) -> None:
    """Delete, renumber and update the rows of one table; `order` is unique per table, so in two steps."""
    if deleted:
        model.objects.filter(pk__in=[row.pk for row in deleted]).delete()
    kept = [plan for plan in plans if plan.obj is not None and plan.obj.order != plan.order]
    if kept:
        current = model.objects.filter(**scope).order_by("-order").values_list("order", flat=True).first() or 0
        base = max(current, len(plans)) + 1
        for step, plan in enumerate(kept):
            plan.obj.order = base + step
        model.objects.bulk_update([plan.obj for plan in kept], ["order"])
        for plan in kept:
            plan.obj.order = plan.order
        model.objects.bulk_update([plan.obj for plan in kept], ["order"])


def apply_rows(planner: Planner, model, scope: dict, plans: list[RowPlan], deleted: list, label: str,
               describe) -> None:
    for row in deleted:
        planner.changes.append(Change("", f"{label} {describe(row)}", _("整行"), _("（已删除）"), ""))
    reorder(model, scope, plans, deleted)
    new = []
    for plan in plans:
        row_label = f"{label} 第{plan.order}行"
        if plan.obj is None:
            planner.record_changes(row_label, None, plan.fields, plan.refs, model=model)
            new.append(model(**scope, order=plan.order, **plan.fields))
        else:
            save_changed(planner, plan.obj, plan.fields, plan.refs, f"{row_label}「{describe(plan.obj)}」")
    model.objects.bulk_create(new)


def apply_plan(planner: Planner) -> None:
    package = planner.package
    for obj, fields, refs, label in planner.updates:
        save_changed(planner, obj, fields, refs, label)

    # Projects: renamed ones step through a temporary name, since names are unique per package.
    renamed = [plan for plan in planner.projects if plan.project is not None and plan.project.name != plan.name]
    for plan in renamed:
        Project.objects.filter(pk=plan.project.pk).update(name=f"__import__{plan.project.pk}")
    for plan in planner.projects:
        if plan.project is None:
            plan.created = report_services.project_create(package=package, name=plan.name,
                                                          category=plan.category, order=plan.order)
            planner.changes.append(Change(plan.sheet_input.fields["name"].ref, plan.sheet_input.title,
                                          _("新增项目"), "", plan.name))
        else:
            planner.record_changes(plan.sheet_input.title, plan.project, {"name": plan.name,
                                                                          "category": plan.category},
                                   {"name": plan.sheet_input.fields["name"].ref})
            Project.objects.filter(pk=plan.project.pk).update(name=plan.name, category=plan.category)
        project = plan.target
        sheet = project.sheet
        refs = {key: value.ref for key, value in plan.sheet_input.fields.items()}
        refs.update({key: value.ref for key, value in plan.sheet_input.footer.items()})
        save_changed(planner, sheet, plan.sheet_fields, refs, plan.sheet_input.title)
        apply_rows(planner, IndicatorRow, {"project_sheet": sheet}, plan.rows, plan.deleted,
                   plan.sheet_input.title, lambda row: row.name)

    dept_plans, dept_deleted = planner.department_rows
    if planner.workbook.department is not None:
        apply_rows(planner, IndicatorRow, {"department_sheet": package.department_sheet}, dept_plans, dept_deleted,
                   _("附件2"), lambda row: row.name)

    if planner.workbook.base is not None:
        base = package.base_data
        lines = {line.line: line for line in base.lines.all()}
        for line, values in planner.base_lines.items():
            obj = lines.get(line)
            label = f"附件1 {BaseDataLine.Line(line).label}"
            if obj is None:
                if any(value is not None for value in values.values()):
                    planner.record_changes(label, None, values, planner.base_line_refs[line], model=BaseDataLine)
                    BaseDataLine.objects.create(sheet=base, line=line, **values)
            else:
                save_changed(planner, obj, values, planner.base_line_refs[line], label)
        plans, deleted = planner.specials
        # The link is one-to-one: clear the links that move before setting any.
        for plan in plans:
            target = plan.link.target if isinstance(plan.link, ProjectPlan) else plan.link
            plan.fields["project"] = target
        moving = [plan.obj.pk for plan in plans if plan.obj is not None and plan.obj.project != plan.fields["project"]]
        SpecialFundRow.objects.filter(pk__in=moving).update(project=None)
        for plan in plans:
            if plan.obj is not None and plan.obj.pk in moving:
                plan.obj.project_id = None
        apply_rows(planner, SpecialFundRow, {"sheet": base}, plans, deleted, _("附件1 专项"), lambda row: row.name)

    for number, (table, plans, deleted) in planner.fund_rows.items():
        apply_rows(planner, FundRow, {"table": table}, plans, deleted, f"附件{number}", lambda row: row.subject)


# ---------------------------------------------------------------- computed cells, for information

class Figures:
    """The engine's value of each computed cell, for one state of the package (before or after the import)."""

    def __init__(self, planner: Planner, derived, data, *, after: bool):
        self.derived, self.after = derived, after
        if after:
            return
        package = planner.package
        # Before the import rows are found by their ids; after it, by their position in the workbook.
        self.row_scores = {row.id: score for sheet_rows, result in
                           [(data.department_sheet.rows, derived.department)] +
                           [(p.rows, r) for p, r in zip(data.projects, derived.projects)]
                           for row, score in zip(sheet_rows, result.score.rows)}
        self.projects = {p.id: r for p, r in zip(data.projects, derived.projects)}
        self.specials = {row.pk: d for row, d in zip(package.base_data.special_rows.all(),
                                                     derived.base.special_rows)}
        self.fund_rows = {row.pk: row for table in package.fund_tables.all() for row in table.rows.all()}

    def project(self, plan: ProjectPlan):
        if self.after:
            return self.derived.by_order.get(plan.order)
        return self.projects.get(plan.project.pk) if plan.project is not None else None

    def row_score(self, sheet_result, index: int, row_id):
        if self.after:
            rows = sheet_result.score.rows if sheet_result is not None else ()
            return rows[index] if index < len(rows) else None
        return self.row_scores.get(row_id)

    def special(self, index: int, row_id):
        if self.after:
            rows = self.derived.base.special_rows
            return rows[index] if index < len(rows) else None
        return self.specials.get(row_id)

    def fund_rate(self, row):
        if self.after:
            return rate_pct(row.fields["full_year_spent"].value, row.fields["full_year_budget"].value)
        old = self.fund_rows.get(row.id)
        return rate_pct(old.full_year_spent, old.full_year_budget) if old is not None else None


def computed_differences(planner: Planner, package: ReportPackage, derived) -> list[str]:
    """Computed cells the clerk typed over: neither the value exported nor the value now computed.

    A computed cell is never read into the package. One that still shows the exported value merely became
    stale through an edit of its inputs and is not worth a word; one holding a third value was typed over."""
    notes: list[str] = []
    execution_weight = package.weight_template.execution_weight
    after = Figures(planner, derived, None, after=True)
    before = Figures(planner, planner.before, planner.before_data, after=False)

    def compare(value: Value | None, what: str, pick) -> None:
        if value is None or value.value is None:
            return
        typed = value.value.quantize(CENT, ROUND_HALF_UP)
        wanted, exported = (None if v is None else Decimal(v).quantize(CENT, ROUND_HALF_UP)
                            for v in (pick(after), pick(before)))
        if typed != wanted and typed != exported:
            notes.append(_("%(ref)s：%(what)s由系统计算为%(c)s，表中的%(t)s未导入")
                         % {"ref": value.ref, "what": what, "c": shown(wanted) or _("空白"), "t": shown(typed)})

    def scored(sheet: SheetInput, result_of) -> None:
        f = sheet.fields
        compare(f.get("exec_weight"), _("执行率分值"), lambda fig: execution_weight)
        compare(f.get("exec_rate"), _("执行率"), lambda fig: getattr(result_of(fig), "execution_rate", None))
        compare(f.get("exec_score"), _("执行率得分"), lambda fig: getattr(result_of(fig), "execution_score", None))
        for key, column in (("total_initial", "initial"), ("total_full_year", "full_year"), ("total_spent", "spent")):
            compare(f.get(key), _("年度资金总额"),
                    lambda fig, c=column: getattr(result_of(fig).funds, c) if result_of(fig) else None)
        for index, row in enumerate(sheet.rows):
            score = after.row_score(result_of(after), index, row.id)
            if score is not None and not score.is_qualitative:      # a qualitative 得分 was an input
                compare(row.fields["score"], _("定量指标得分"),
                        lambda fig, i=index, r=row: getattr(fig.row_score(result_of(fig), i, r.id), "final", None))
        compare(f.get("total_weight"), _("分值合计"), lambda fig: None if result_of(fig) is None else
                sum((r.weight for r in result_of(fig).score.rows), Decimal(0)) + execution_weight)
        compare(f.get("total"), _("总分"), lambda fig: getattr(result_of(fig), "total", None))

    wb = planner.workbook
    if wb.base is not None:
        for key, attribute, what in (("staff_control_rate", "staff_control_rate", _("控制率")),
                                     ("area_control_rate", "area_control_rate", _("规模控制率")),
                                     ("investment_control_rate", "investment_control_rate", _("投资概算控制率"))):
            compare(wb.base.fields.get(key), what, lambda fig, a=attribute: getattr(fig.derived.base, a))
        for line, values in wb.base.lines.items():
            for column, value in values.items():
                if line not in planner.base_lines or column not in planner.base_lines[line]:
                    compare(value, str(BaseDataLine.Line(line).label),
                            lambda fig, l=line, c=column: getattr(fig.derived.base.line(l), c))
        for index, row in enumerate(wb.base.rows):
            special = after.special(index, row.id)
            if special is not None and special.project_name:
                for column in ("cur_budget", "cur_final"):
                    compare(row.fields[column], _("关联项目的专项金额"),
                            lambda fig, i=index, r=row, c=column: getattr(getattr(fig.special(i, r.id), "line", None),
                                                                          c, None))
    if wb.department is not None:
        scored(wb.department, lambda fig: fig.derived.department)
        compare(wb.department.fields.get("project_expenditure"), _("项目支出"),
                lambda fig: fig.derived.department.project_expenditure)
    for plan in planner.projects:
        scored(plan.sheet_input, lambda fig, p=plan: fig.project(p))
    for number, sheet in wb.fund_tables.items():
        for key, column in (("total_initial", "initial"), ("total_full_year", "full_year"), ("total_spent", "spent")):
            compare(sheet.fields.get(key), _("合计"),
                    lambda fig, c=column: getattr(getattr(fig.derived.fund_table(number), "total", None), c, None))
        for row in sheet.rows:
            compare(row.fields["rate"], _("执行率"), lambda fig, r=row: fig.fund_rate(r))
    return notes


# ---------------------------------------------------------------- the service

def check_meta(package: ReportPackage, meta: dict[str, str], force: bool) -> list[str]:
    try:
        schema = int(meta.get("schema_version") or 0)
    except ValueError:
        schema = 0
    if schema < layout.SCHEMA_VERSION:
        return [_("文件版本过旧，请重新导出")]
    if schema > layout.SCHEMA_VERSION:
        return [_("该文件由更新版本的系统导出，本系统无法读取，请在本系统中重新导出")]
    if force:
        return []
    if meta.get("package_id") != str(package.pk):
        return [_("该文件不属于本报告（文件属于：%(d)s %(y)s年度）。请从本报告导出Excel后填写再导入。")
                % {"d": meta.get("department", "?"), "y": meta.get("year", "?")}]
    if meta.get("package_version") != str(package.version):
        return [_("本报告在导出该文件之后已被修改（导出时为第%(a)s版，现为第%(b)s版）。为免覆盖这些修改，"
                  "请重新导出Excel，把改动填入新文件后再导入。") % {"a": meta.get("package_version", "?"),
                                                      "b": package.version}]
    return []


def package_import(*, package: ReportPackage, data: bytes, actor=None, force: bool = False,
                   remote_addr: str | None = None) -> ImportResult:
    """Validate the whole workbook, then apply it to `package` in one transaction, or raise ImportRefused.

    `force` (the command's --force-package) imports a workbook of another package: its package id and
    version are not compared, every row is new and projects are matched by name.
    """
    package = load_package(package.pk)       # the current state and version, whatever the caller holds
    ensure_editable(package)
    sha256 = hashlib.sha256(data).hexdigest()
    try:
        workbook = read_workbook(data)
    except WorkbookUnreadable as unreadable:
        raise ImportRefused(unreadable.messages)
    if refusal := check_meta(package, workbook.meta, force):
        raise ImportRefused(refusal)
    planner = Planner(package, workbook, force)
    planner.plan()
    if planner.errors:
        raise ImportRefused(planner.errors)

    with transaction.atomic():
        # Lock the row and look again: a save or a submission may have happened while we validated.
        locked = ReportPackage.objects.select_for_update().get(pk=package.pk)
        ensure_editable(locked)
        if locked.version != planner.package.version:
            raise ImportRefused([_("导入期间本报告已被他人修改，请重新导出后再导入。")])
        apply_plan(planner)
        if planner.changes:      # an import that changes nothing leaves the version, so the file stays current
            ReportPackage.objects.filter(pk=locked.pk).update(version=F("version") + 1)
        audit_event(package=locked, actor=actor, kind=AuditEvent.Kind.IMPORT, remote_addr=remote_addr,
                    note=_("导入Excel工作簿（SHA-256 %(sha)s），改动%(n)d处") % {"sha": sha256,
                                                                      "n": len(planner.changes)},
                    changes=[(f"{c.label}（{c.ref}）" if c.ref else c.label, c.field, c.old, c.new)
                             for c in planner.changes],
                    file_hash=sha256, cells_changed=len(planner.changes), forced=force)
        refreshed = report_services.package_refresh(locked)
        evaluation = getattr(refreshed, "evaluation", None)
        derived = evaluation.derived if evaluation is not None else derive(package_data(load_package(locked.pk)))
        notices = planner.notices + computed_differences(planner, locked, derived)
    locked.refresh_from_db()
    return ImportResult(package=locked, sha256=sha256, changes=planner.changes, notices=notices)

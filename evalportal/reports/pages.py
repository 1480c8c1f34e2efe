"""The package's parts in filling order, their state on the overview, and the 上一步/下一步 path between them.

Part states (issue 5 item 1): 未开始 nothing typed; 有错误 an error the checks raise already at save time;
填写中 something still missing for 提交 (submit-stage errors); 已完成 none of those.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from django.urls import reverse

NOT_STARTED, IN_PROGRESS, COMPLETE, HAS_ERRORS = "not_started", "in_progress", "complete", "has_errors"
STATE_LABELS = {NOT_STARTED: "未开始", IN_PROGRESS: "填写中", COMPLETE: "已完成", HAS_ERRORS: "有错误"}
STATE_BADGES = {NOT_STARTED: "bg-secondary", IN_PROGRESS: "bg-info text-dark", COMPLETE: "bg-success",
                HAS_ERRORS: "bg-danger"}


@dataclass
class Part:
    key: str                     # "report", "att1", "att2", "att3.<pk>", "project_report.<pk>", "att4"…
    label: str
    url: str
    prefixes: tuple[str, ...]    # finding locations of this part (checks address projects by order)
    project: object = None
    has_input: bool = False
    none: bool = False           # 附件4–6 marked 无
    score: object = None
    grade: str = ""
    errors: int = 0
    warnings: int = 0
    save_errors: int = 0
    findings: list = field(default_factory=list)

    @property
    def state(self) -> str:
        if self.save_errors:
            return HAS_ERRORS
        if not self.has_input and not self.none:
            return NOT_STARTED
        return IN_PROGRESS if self.errors else COMPLETE

    @property
    def state_label(self) -> str:
        label = STATE_LABELS[self.state]
        return f"{label}（无）" if self.none and self.state == COMPLETE else label

    @property
    def badge(self) -> str:
        return STATE_BADGES[self.state]


def _filled(*values) -> bool:
    return any(v not in (None, "", [], ()) for v in values)


def package_parts(package) -> list[Part]:
    """Every part in print order (domain.md §2.1): 正文, 附件1, 附件2, 附件3-k, 附件4–6, 项目报告-k."""
    pk = package.pk
    outline_defaults = {s.key: s.default_text for s in package.project_outline.sections.all()} \
        if package.project_outline_id else {}
    parts = [Part("report", "部门整体支出绩效自评报告（正文）", reverse("reports:narrative", args=[pk]), ("report",),
                  has_input=_filled(package.personnel_expenditure,
                                    *(s.text.strip() for s in package.sections.all())))]
    base = getattr(package, "base_data", None)
    parts.append(Part("att1", "附件1 部门整体支出绩效评价基础数据表", reverse("reports:base_data", args=[pk]), ("att1",),
                      has_input=base is not None and _filled(
                          base.actual_staff, base.austerity_measures, base.filled_by, base.approved_area,
                          *(v for line in base.lines.all() for v in (line.prev_final, line.cur_budget, line.cur_final)),
                          *base.special_rows.all())))
    sheet = getattr(package, "department_sheet", None)
    parts.append(Part("att2", "附件2 部门整体支出绩效自评表", reverse("reports:department_sheet", args=[pk]), ("att2",),
                      has_input=sheet is not None and _filled(
                          sheet.initial_budget, sheet.full_year_budget, sheet.full_year_spent, sheet.goal_expected,
                          sheet.basic_expenditure, *sheet.rows.all())))
    projects = list(package.projects.all())
    for number, project in enumerate(projects, start=1):
        ps = getattr(project, "sheet", None)
        parts.append(Part(f"att3.{project.pk}", f"附件3-{number} {project.name}",
                          reverse("reports:project_sheet", args=[pk, project.pk]), (f"att3.{project.order}",),
                          project=project, has_input=ps is not None and _filled(
                              ps.appropriation_initial, ps.appropriation_full_year, ps.appropriation_spent,
                              ps.goal_expected, ps.goal_achieved, *ps.rows.all())))
    tables = {t.kind: t for t in package.fund_tables.all()}
    for kind, number in (("gov_fund", 4), ("state_capital", 5), ("social_insurance", 6)):
        table = tables.get(kind)
        parts.append(Part(f"att{number}", f"附件{number} {table.get_kind_display() if table else ''}",
                          reverse(f"reports:att{number}", args=[pk]), (f"att{number}",),
                          none=bool(table and table.none),
                          has_input=bool(table and (not table.none or table.rows.all()))))
    for number, project in enumerate(projects, start=1):
        report = getattr(project, "report", None)
        typed = [s.text for s in report.sections.all() if s.text.strip() and s.text != outline_defaults.get(s.key)] \
            if report else []
        parts.append(Part(f"project_report.{project.pk}", f"项目支出绩效评价报告-{number} {project.name}",
                          reverse("reports:project_report", args=[pk, project.pk]),
                          (f"project_report.{project.order}",), project=project,
                          has_input=report is not None and _filled(report.eval_start, report.basis, *typed,
                                                                     *project.spend_items.all())))
    return parts


def attach_findings(parts: list[Part], save_findings, submit_findings) -> None:
    for part in parts:
        def mine(finding) -> bool:
            return any(finding.location == p or finding.location.startswith(p + ".") for p in part.prefixes)
        part.findings = [f for f in submit_findings if mine(f)]
        part.errors = sum(1 for f in part.findings if f.is_error)
        part.warnings = sum(1 for f in part.findings if not f.is_error)
        part.save_errors = sum(1 for f in save_findings if mine(f) and f.is_error)


def neighbours(parts: list[Part], key: str) -> tuple[Part | None, Part | None, Part | None]:
    """(previous, current, next) around the part with this key."""
    keys = [p.key for p in parts]
    if key not in keys:
        return None, None, None
    i = keys.index(key)
    return (parts[i - 1] if i else None), parts[i], (parts[i + 1] if i + 1 < len(parts) else None)

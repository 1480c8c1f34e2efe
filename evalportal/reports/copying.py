"""Start a year's package from the previous one (issue 5 item 7).

Copied: the projects (name, category, order, implementing unit, expected goal), every indicator row with its
年度指标值 and 分值, and the narrative and project-report paragraphs. Left empty: this year's money, every
实际完成值 and score, dates, footers. Every copied row, project and paragraph is marked 沿用上年
(`carried_over`) until someone edits or confirms it; each row keeps last year's actual value
(`previous_actual_raw`) so the form can show it beside this year's field. Last year's 决算数 of 附件1 become
this year's {Y−1}年决算数 column, which is a fact, not a carried-over guess.
"""
from __future__ import annotations

from django.db import transaction

from .models import (BaseDataLine, FundTable, IndicatorRow, NarrativeSection, ProjectReportSection, ReportPackage,
                     SpecialFundRow)
from .selectors import load_package, package_data
from .services import package_create, package_refresh, project_create


def _row_copies(rows, sheet_kwargs: dict, categories: dict, subcategories: dict) -> tuple[list, list[str]]:
    """Rows re-attached to this year's template by 一级/二级 name; rows whose names left the template are listed."""
    copies, dropped = [], []
    for order, row in enumerate(rows, start=1):
        category = categories.get(row.category.name)
        sub = subcategories.get((row.category.name, row.subcategory.name))
        if category is None or sub is None:
            dropped.append(row.name)
            continue
        copies.append(IndicatorRow(
            **sheet_kwargs, category=category, subcategory=sub, name=row.name, target_raw=row.target_raw,
            weight=row.weight, kind=row.kind, may_exceed_100=row.may_exceed_100, order=order, carried_over=True,
            previous_actual_raw=row.actual_raw))
    return copies, dropped


@transaction.atomic
def package_copy(*, source: ReportPackage, year: int | None = None, actor=None,
                 remote_addr: str | None = None) -> ReportPackage:
    from evalportal.checks.derive import derive
    year = year or source.year + 1
    source = load_package(source.pk)
    old = derive(package_data(source))
    package = package_create(department=source.department, year=year, created_from=source)
    template = package.weight_template
    categories = {c.name: c for c in template.categories.all()}
    subcategories = {(c.name, s.name): s for c in template.categories.all() for s in c.subcategories.all()}
    dropped: list[str] = []

    NarrativeSection.objects.bulk_create(
        NarrativeSection(package=package, key=s.key, text=s.text, carried_over=True)
        for s in source.sections.all() if s.text.strip())

    base = package.base_data
    base.authorised_posts = source.base_data.authorised_posts or base.authorised_posts
    base.save(update_fields=["authorised_posts"])
    BaseDataLine.objects.bulk_create(
        BaseDataLine(sheet=base, line=key, prev_final=line.cur_final)
        for key, line in old.base.lines.items()
        if line.cur_final is not None and key in BaseDataLine.Line.values
        and key not in ("three_public_total", "project_total", "special_total"))

    rows, lost = _row_copies(source.department_sheet.rows.all(), {"department_sheet": package.department_sheet},
                             categories, subcategories)
    dropped += lost
    IndicatorRow.objects.bulk_create(rows)

    new_projects = {}
    for project in source.projects.all():
        copy = project_create(package=package, name=project.name, category=project.category, order=project.order,
                              carried_over=True)
        new_projects[project.name] = copy
        sheet, old_sheet = copy.sheet, project.sheet
        sheet.supervising_department = old_sheet.supervising_department
        sheet.implementing_unit = old_sheet.implementing_unit or sheet.implementing_unit
        sheet.goal_expected = old_sheet.goal_expected
        sheet.save()
        rows, lost = _row_copies(old_sheet.rows.all(), {"project_sheet": sheet}, categories, subcategories)
        dropped += lost
        IndicatorRow.objects.bulk_create(rows)
        report = copy.report
        defaults = {s.key for s in report.sections.all()}
        for section in project.report.sections.all():
            if not section.text.strip():
                continue
            if section.key in defaults:
                ProjectReportSection.objects.filter(report=report, key=section.key).update(
                    text=section.text, carried_over=True)
            else:
                ProjectReportSection.objects.create(report=report, key=section.key, text=section.text,
                                                    carried_over=True)

    for order, row in enumerate(old.base.special_rows, start=1):
        if row.line.cur_final is None and row.project_name is None:
            continue            # a 专项 that already ended last year has nothing to report this year
        SpecialFundRow.objects.create(sheet=base, name=row.name, project=new_projects.get(row.project_name or ""),
                                      prev_final=row.line.cur_final, order=order)

    for table in source.fund_tables.all():
        FundTable.objects.filter(package=package, kind=table.kind).update(none=table.none)

    from evalportal.review.audit import audit_save
    note = f"从{source}复制（项目、指标与指标值、正文段落，均标记为“沿用上年”）"
    if dropped:
        note += f"；以下指标的一级/二级不在{year}年度权重模板中，未复制：{'、'.join(dropped)}"
    audit_save(package=package, actor=actor, changes=[("报告包", "复制自", "", str(source))], remote_addr=remote_addr,
               note=note[:2000])
    return package_refresh(package)

"""Writes to report packages. Each service is one transaction; views, importers and load_demo call these."""
from __future__ import annotations

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


def package_refresh(package: ReportPackage) -> ReportPackage:
    """Recompute the cached total, grade and finding counts the dashboards read (after every save)."""
    from evalportal.reports.selectors import load_package, package_data

    from .engine import evaluate
    result = evaluate(package_data(load_package(package.pk)))
    ReportPackage.objects.filter(pk=package.pk).update(
        total_score=result.total_score, grade=result.grade_label,
        error_count=result.error_count, warning_count=result.warning_count)
    package.total_score, package.grade = result.total_score, result.grade_label
    package.error_count, package.warning_count = result.error_count, result.warning_count
    return package

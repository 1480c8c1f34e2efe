"""Insert generated packages (synthetic.PackageSpec) into the database with bulk inserts: for the benchmark,
the planted-region tests and manual runs. Never used by the app itself."""
from __future__ import annotations

from collections.abc import Sequence

from django.db import transaction

from evalportal.orgs.models import Department, NarrativeOutline, Region, WeightTemplate
from evalportal.reports.models import (DepartmentEvalSheet, IndicatorRow, NarrativeSection, Project, ProjectEvalSheet,
                                       ReportPackage)

from .synthetic import PackageSpec, RowSpec

BATCH = 2000


@transaction.atomic
def insert_specs(specs: Sequence[PackageSpec], *, region: Region, template: WeightTemplate,
                 outline: NarrativeOutline, state: str) -> dict[tuple[int, int], ReportPackage]:
    """(department index, year) → the new package. Departments are created once per index (by code)."""
    departments: dict[int, Department] = {}
    existing = {d.code: d for d in Department.objects.filter(code__in={spec.code for spec in specs})}
    new = []
    for spec in specs:
        if spec.index in departments:
            continue
        department = existing.get(spec.code) or Department(region=region, name=spec.department,
                                                            short_name=spec.department[-6:], code=spec.code,
                                                            nature=spec.nature, authorised_posts=20)
        departments[spec.index] = department
        if department.pk is None:
            new.append(department)
    Department.objects.bulk_create(new, batch_size=BATCH)

    packages = [ReportPackage(department=departments[spec.index], year=spec.year, weight_template=template,
                              outline=outline, state=state) for spec in specs]
    ReportPackage.objects.bulk_create(packages, batch_size=BATCH)
    sheets = [DepartmentEvalSheet(package=package, initial_budget=spec.budget, full_year_budget=spec.budget,
                                  full_year_spent=spec.spent, income_general=spec.budget,
                                  goal_achieved=spec.goal_achieved)
              for spec, package in zip(specs, packages)]
    DepartmentEvalSheet.objects.bulk_create(sheets, batch_size=BATCH)
    NarrativeSection.objects.bulk_create(
        (NarrativeSection(package=package, key=key, text=text)
         for spec, package in zip(specs, packages) for key, text in spec.texts.items()), batch_size=BATCH)

    projects, project_specs = [], []
    for spec, package in zip(specs, packages):
        for order, project in enumerate(spec.projects, start=1):
            projects.append(Project(package=package, name=project.name, order=order))
            project_specs.append(project)
    Project.objects.bulk_create(projects, batch_size=BATCH)
    project_sheets = []
    for project, project_spec in zip(projects, project_specs):
        initial, full_year, spent = project_spec.appropriation
        carry_initial, carry_full_year, carry_spent = project_spec.carryover
        project_sheets.append(ProjectEvalSheet(
            project=project, implementing_unit=project.package.department.name, appropriation_initial=initial,
            appropriation_full_year=full_year, appropriation_spent=spent, carryover_initial=carry_initial,
            carryover_full_year=carry_full_year, carryover_spent=carry_spent,
            goal_achieved=project_spec.goal_achieved))
    ProjectEvalSheet.objects.bulk_create(project_sheets, batch_size=BATCH)

    categories = {c.name: c for c in template.categories.all()}
    subcategories = {(c.name, s.name): s for c in categories.values() for s in c.subcategories.all()}

    def row(order: int, spec: RowSpec, **owner) -> IndicatorRow:
        return IndicatorRow(category=categories[spec.category], subcategory=subcategories[(spec.category,
                                                                                           spec.subcategory)],
                            name=spec.name, target_raw=spec.target, actual_raw=spec.actual, weight=spec.weight,
                            band=spec.band, judged_score=spec.judged, evidence=spec.evidence,
                            deviation_reason=spec.reason, order=order, **owner)

    rows = [row(order, r, department_sheet=sheet)
            for spec, sheet in zip(specs, sheets) for order, r in enumerate(spec.rows, start=1)]
    rows += [row(order, r, project_sheet=sheet)
             for project_spec, sheet in zip(project_specs, project_sheets)
             for order, r in enumerate(project_spec.rows, start=1)]
    IndicatorRow.objects.bulk_create(rows, batch_size=BATCH)
    return {(spec.index, spec.year): package for spec, package in zip(specs, packages)}

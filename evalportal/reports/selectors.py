"""Read-only queries: who may see what, and a saved package as plain data for the pure engine."""
from __future__ import annotations

from django.db.models import Prefetch, Q, QuerySet, prefetch_related_objects

from evalportal.accounts.roles import Role
from evalportal.checks import data as d
from evalportal.orgs.models import OutlineSection, TemplateCategory, TemplateSubcategory
from evalportal.review.workflow import State

from .models import (BaseDataSheet, DepartmentEvalSheet, FundTable, IndicatorRow, NarrativeSection, Project,
                     ProjectSpendItem, ReportPackage, SpecialFundRow)

# Reviewers see a region's packages from 待财政审核 on; drafts stay with the department (domain.md §7).
REVIEWER_VISIBLE_STATES = (State.PENDING_FINANCE, State.RETURNED, State.APPROVED, State.PUBLISHED)


def package_scope_q(user) -> Q | None:
    """A Q over ReportPackage for what the user may see; None means everything (admin)."""
    if not user.is_authenticated:
        return Q(pk__in=[])
    if user.is_portal_admin:
        return None
    scope = Q(pk__in=[])
    for grant in user.grants_cache():
        if grant.role in (Role.FILLER, Role.HEAD):
            scope |= Q(department_id=grant.department_id)
        elif grant.role == Role.REVIEWER:
            scope |= Q(department__region_id__in=grant.region.descendant_ids(), state__in=REVIEWER_VISIBLE_STATES)
    return scope


def packages_visible_to(user) -> QuerySet[ReportPackage]:
    packages = ReportPackage.objects.select_related("department", "department__region")
    scope = package_scope_q(user)
    return packages if scope is None else packages.filter(scope)


def _funds(initial, full_year, spent) -> d.Funds:
    return d.Funds(initial=initial, full_year=full_year, spent=spent)


def _footer(sheet) -> d.Footer:
    return d.Footer(filled_by=sheet.filled_by, filled_on=sheet.filled_on, phone=sheet.phone,
                    head_name=sheet.head_name)


def indicator_data(row: IndicatorRow) -> d.IndicatorData:
    return d.IndicatorData(
        id=row.pk, category=row.category.name, subcategory=row.subcategory.name, name=row.name,
        target_raw=row.target_raw, actual_raw=row.actual_raw, weight=row.weight,
        force_qualitative=row.kind == IndicatorRow.Kind.QUALITATIVE, band=row.band,
        judged_score=row.judged_score, adjusted_score=row.adjusted_score, adjustment_reason=row.adjustment_reason,
        deviation_reason=row.deviation_reason, evidence=row.evidence, may_exceed_100=row.may_exceed_100,
        order=row.order, stated_score=row.stated_score,
    )


def template_data(template) -> d.TemplateData:
    categories = tuple(
        d.CategoryData(id=category.pk, name=category.name, weight=category.weight,
                       subcategories=tuple(sub.name for sub in category.subcategories.all()),
                       required_subcategories=tuple(sub.name for sub in category.subcategories.all() if sub.required))
        for category in template.categories.all()
    )
    rules = d.Rules(
        execution_weight=template.execution_weight, execution_scoring=template.execution_scoring,
        overshoot_threshold=template.overshoot_threshold, budget_change_threshold=template.budget_change_threshold,
        le_zero_factor=template.le_zero_factor, bare_value_at_least=template.bare_value_at_least,
        strict_counts_as_met=template.strict_counts_as_met, policy_source=template.policy_source,
    )
    return d.TemplateData(code=template.code, categories=categories, rules=rules, version=template.version)


def load_package(pk: int, *, visible_to=None, narrative: bool = True) -> ReportPackage:
    """One package with everything package_data() reads, in a constant number of queries.

    visible_to: a user; a package outside their scope (packages_visible_to) raises ReportPackage.DoesNotExist.
    narrative=False: the tables only (no report text, project reports or spend items), for
    package_data(narrative=False): what the Excel export reads, in 10 queries instead of 15.
    """
    packages = ReportPackage.objects.all() if visible_to is None else packages_visible_to(visible_to)
    # Each prefetch reads the children of one parent. The children's Meta.ordering starts with that parent, and
    # so with the parent's own ordering (joins to the template, the package and its department, compiled on every
    # load): within one parent the orderings below are the same order, without them.
    projects = (Project.objects.select_related("sheet").prefetch_related("sheet__rows")
                .order_by("order", "pk"))
    related = ["department", "department__region", "weight_template", "base_data", "department_sheet"]
    prefetches = [Prefetch("weight_template__categories", queryset=TemplateCategory.objects.order_by("order")),
                  Prefetch("weight_template__categories__subcategories",
                           queryset=TemplateSubcategory.objects.order_by("order")),
                  "base_data__lines", "base_data__special_rows", "department_sheet__rows", "fund_tables__rows"]
    if narrative:
        related += ["outline", "project_outline"]
        sections = OutlineSection.objects.order_by("order")
        prefetches += [Prefetch("outline__sections", queryset=sections),
                       Prefetch("project_outline__sections", queryset=sections),
                       Prefetch("sections", queryset=NarrativeSection.objects.order_by("key"))]
        projects = projects.select_related("report").prefetch_related(
            Prefetch("spend_items", queryset=ProjectSpendItem.objects.order_by("order", "pk")), "report__sections")
    package = packages.select_related(*related).prefetch_related(
        *prefetches, Prefetch("projects", queryset=projects)).get(pk=pk)
    sheets = [package.department_sheet] if getattr(package, "department_sheet", None) else []
    sheets += [p.sheet for p in package.projects.all() if getattr(p, "sheet", None) is not None]
    link_template(package.weight_template, [row for sheet in sheets for row in sheet.rows.all()])
    base = getattr(package, "base_data", None)
    if base is not None:
        link_projects(package, base.special_rows.all())
    package.loaded_whole = narrative
    return package


def is_loaded(package: ReportPackage) -> bool:
    """Whether the package came from load_package() (and so holds everything package_data() reads)."""
    return getattr(package, "loaded_whole", False)


def reload_sheet(package: ReportPackage, sheet) -> None:
    """Read a sheet the package holds (its 附件2 or one project's 附件3) and the sheet's rows back from the database,
    after a save wrote them: two queries instead of loading the whole package again."""
    sheet.refresh_from_db()
    prefetch_related_objects([sheet], "rows")
    link_template(package.weight_template, sheet.rows.all())


# Rows point at objects the package already holds instead of a copy selected with each row: the copies were two in
# five of the instances a package load built, and one query. A row whose 一级/二级 or project the package does not
# hold (the forms never write one) keeps loading its own.

def link_template(template, rows) -> None:
    """Each indicator row's 一级 and 二级: the weight template's objects."""
    categories = {category.pk: category for category in template.categories.all()}
    subcategories = {sub.pk: sub for category in categories.values() for sub in category.subcategories.all()}
    category_field, sub_field = IndicatorRow._meta.get_field("category"), IndicatorRow._meta.get_field("subcategory")
    for row in rows:
        category, sub = categories.get(row.category_id), subcategories.get(row.subcategory_id)
        if category is not None and sub is not None:
            category_field.set_cached_value(row, category)
            sub_field.set_cached_value(row, sub)


def link_projects(package, special_rows) -> None:
    """Each 专项 row's project: the package's project object, which a 附件3 save updates in place."""
    projects, field = {p.pk: p for p in package.projects.all()}, SpecialFundRow._meta.get_field("project")
    for row in special_rows:
        if row.project_id in projects:
            field.set_cached_value(row, projects[row.project_id])


def package_data(package: ReportPackage, *, narrative: bool = True) -> d.PackageData:
    """Convert a saved package into the plain values that scoring and checks read.

    narrative=False leaves out the report text, the project reports and spend items (load_package(narrative=False)
    does not load them): enough for derive(), not for the narrative checks."""
    base: BaseDataSheet | None = getattr(package, "base_data", None)
    sheet: DepartmentEvalSheet | None = getattr(package, "department_sheet", None)
    sections = ()
    if narrative:
        texts = {section.key: section.text for section in package.sections.all()}
        sections = tuple(
            d.SectionData(key=s.key, title=s.title, text=texts.get(s.key, ""), required=s.required,
                          generator=s.generator, parent_key=s.parent_key)
            for s in package.outline.sections.all()
        )
    projects = []
    for project in package.projects.all():
        ps = getattr(project, "sheet", None)
        report = getattr(project, "report", None) if narrative else None
        projects.append(d.ProjectData(
            id=project.pk, name=project.name, category=project.category, order=project.order,
            appropriation=_funds(ps.appropriation_initial, ps.appropriation_full_year, ps.appropriation_spent)
            if ps else d.Funds(),
            carryover=_funds(ps.carryover_initial, ps.carryover_full_year, ps.carryover_spent) if ps else d.Funds(),
            other=_funds(ps.other_initial, ps.other_full_year, ps.other_spent) if ps else d.Funds(),
            rows=tuple(indicator_data(row) for row in ps.rows.all()) if ps else (),
            goal_expected=ps.goal_expected if ps else "", goal_achieved=ps.goal_achieved if ps else "",
            supervising_department=ps.supervising_department if ps else "",
            implementing_unit=ps.implementing_unit if ps else "",
            footer=_footer(ps) if ps else d.Footer(),
            spend_items=tuple(d.SpendItemData(name=i.name, amount=i.amount) for i in project.spend_items.all())
            if narrative else (),
            report_sections={s.key: s.text for s in report.sections.all()} if report else {},
            eval_start=report.eval_start if report else None, eval_end=report.eval_end if report else None,
            basis=report.basis if report else "", has_report=report is not None,
            stated_name=ps.stated_name if ps else "",
            stated_total=_funds(ps.stated_total_initial, ps.stated_total_full_year, ps.stated_total_spent)
            if ps and package.is_legacy else None,
            stated_execution_rate=ps.stated_execution_rate if ps else None,
            stated_execution_score=ps.stated_execution_score if ps else None,
            stated_total_score=ps.stated_total_score if ps else None,
        ))
    base_data = d.BaseData() if base is None else d.BaseData(
        authorised_posts=base.authorised_posts, actual_staff=base.actual_staff,
        stated_staff_control_rate=base.stated_staff_control_rate,
        lines={line.line: d.BaseLine(line.prev_final, line.cur_budget, line.cur_final) for line in base.lines.all()},
        special_rows=tuple(
            d.SpecialRowData(name=row.name, project_name=row.project.name if row.project else None,
                             prev_final=row.prev_final, cur_budget=row.cur_budget, cur_final=row.cur_final)
            for row in base.special_rows.all()),
        approved_area=base.approved_area, actual_area=base.actual_area, budget_investment=base.budget_investment,
        actual_investment=base.actual_investment, austerity_measures=base.austerity_measures, footer=_footer(base),
    )
    department_sheet = d.DepartmentSheetData(funds=d.Funds()) if sheet is None else d.DepartmentSheetData(
        funds=_funds(sheet.initial_budget, sheet.full_year_budget, sheet.full_year_spent),
        income_general=sheet.income_general, income_gov_fund=sheet.income_gov_fund,
        income_nontax_special=sheet.income_nontax_special, income_other=sheet.income_other,
        basic_expenditure=sheet.basic_expenditure, goal_expected=sheet.goal_expected,
        goal_achieved=sheet.goal_achieved, rows=tuple(indicator_data(row) for row in sheet.rows.all()),
        footer=_footer(sheet), stated_project_expenditure=sheet.stated_project_expenditure,
        stated_execution_rate=sheet.stated_execution_rate, stated_execution_score=sheet.stated_execution_score,
        stated_total_score=sheet.stated_total_score,
    )
    fund_tables = tuple(
        d.FundTableData(kind=table.kind, number=table.number, none=table.none,
                        rows=tuple(d.FundRowData(subject=r.subject,
                                                 funds=_funds(r.initial_budget, r.full_year_budget, r.full_year_spent),
                                                 note=r.note) for r in table.rows.all()))
        for table in sorted(package.fund_tables.all(), key=lambda t: FundTable.ATTACHMENT_NUMBER[t.kind])
    )
    return d.PackageData(
        year=package.year, department_name=package.department.name,
        department_short_name=package.department.display_short_name,
        template=template_data(package.weight_template), base=base_data, department_sheet=department_sheet,
        projects=tuple(projects), fund_tables=fund_tables, sections=sections,
        personnel_expenditure=package.personnel_expenditure, previous_three_public=package.previous_three_public,
        filled_on=package.filled_on, is_legacy=package.is_legacy,
    )

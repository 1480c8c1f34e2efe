"""Builds the demo from the hand-written YAML files beside this module (domain.md §10).

The seeds are never parsed at run time: the YAML was transcribed from them, and
tests/core/test_demo_fixtures.py asserts that every value tagged `seed` occurs in the seed text.
"""
from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml
from django.db import transaction

from evalportal.accounts.models import RoleGrant, User
from evalportal.accounts.roles import Role
from evalportal.orgs.models import (Department, NarrativeOutline, OutlineSection, Region, TemplateCategory,
                                    TemplateSubcategory, WeightTemplate)
from evalportal.reports import services
from evalportal.reports.models import (BaseDataLine, FundRow, FundTable, IndicatorRow, NarrativeSection,
                                       ProjectReportSection, ProjectSpendItem, ReportPackage, SpecialFundRow)

DEMO_DIR = Path(__file__).resolve().parent
DEMO_PASSWORD = "evalportal-demo"
DEMO_FILES = ("milo_2023.yaml", "changning_2023.yaml")
AS_PRINTED_FILE = "milo_2023_as_printed.yaml"


def read_yaml(name: str) -> dict:
    with open(DEMO_DIR / name, encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def money(value: Any) -> Decimal | None:
    # Decimal(str(...)): YAML may hand us an int or float for an unquoted number; never keep a float.
    return None if value is None or value == "" else Decimal(str(value))


def as_date(value: Any) -> date | None:
    if value in (None, ""):
        return None
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def deep_merge(base: Any, override: Any) -> Any:
    """Override mapping keys recursively; lists of mappings merge item by item (same position)."""
    if isinstance(base, dict) and isinstance(override, dict):
        merged = dict(base)
        for key, value in override.items():
            merged[key] = deep_merge(base.get(key), value) if key in base else value
        return merged
    if isinstance(base, list) and isinstance(override, list) and all(isinstance(i, dict) for i in override):
        merged = list(base)
        for index, value in enumerate(override):
            if index < len(merged):
                merged[index] = deep_merge(merged[index], value)
            else:
                merged.append(value)
        return merged
    return override


def region_path(names: list[str] | None) -> Region | None:
    region = None
    for name in names or []:
        region, _ = Region.objects.get_or_create(parent=region, name=name)
    return region


@transaction.atomic
def load_templates() -> None:
    data = read_yaml("templates.yaml")
    for spec in data["weight_templates"]:
        # The built-in version 1; an admin's later versions (copies) are left alone.
        template, _ = WeightTemplate.objects.update_or_create(
            code=spec["code"], year_from=spec["year_from"], version=1,
            defaults={"name": spec["name"], "region": region_path(spec.get("region")),
                      "execution_weight": money(spec.get("execution_weight", "10")),
                      "policy_source": spec.get("policy_source", "")})
        for c_order, c_spec in enumerate(spec["categories"], start=1):
            category, _ = TemplateCategory.objects.update_or_create(
                template=template, name=c_spec["name"], defaults={"weight": money(c_spec["weight"]), "order": c_order})
            for s_order, s_name in enumerate(c_spec["subcategories"], start=1):
                TemplateSubcategory.objects.update_or_create(category=category, name=s_name,
                                                             defaults={"order": s_order})
    for spec in data["outlines"]:
        outline, _ = NarrativeOutline.objects.update_or_create(
            code=spec["code"], kind=spec["kind"], year_from=spec["year_from"],
            defaults={"name": spec["name"], "region": region_path(spec.get("region"))})
        for order, s_spec in enumerate(spec["sections"], start=1):
            OutlineSection.objects.update_or_create(
                outline=outline, key=s_spec["key"],
                defaults={"title": s_spec["title"], "parent_key": s_spec.get("parent", ""), "order": order,
                          "required": s_spec.get("required", False), "generator": s_spec.get("generator", ""),
                          "default_text": s_spec.get("default_text", ""), "hint": s_spec.get("hint", "")})


def ensure_user(username: str, full_name: str = "", *, role: str, department=None, region=None) -> User:
    user, created = User.objects.get_or_create(username=username, defaults={"full_name": full_name})
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save()
    RoleGrant.objects.get_or_create(user=user, role=role, department=department, region=region)
    return user


def ensure_admin() -> User:
    admin, created = User.objects.get_or_create(username="admin", defaults={
        "full_name": "系统管理员", "is_staff": True, "is_superuser": True})
    if created:
        admin.set_password(DEMO_PASSWORD)
        admin.save()
    RoleGrant.objects.get_or_create(user=admin, role=Role.ADMIN)
    return admin


# Fixture tag names → model field names (the fixtures tag "target", "appropriation.initial", "values.cur_budget").
_TAG_FIELDS = {"target": "target_raw", "actual": "actual_raw", "values.prev_final": "prev_final",
               "values.cur_budget": "cur_budget", "values.cur_final": "cur_final", "values.initial": "initial_budget",
               "values.full_year": "full_year_budget", "values.spent": "full_year_spent"}


def sample_tags(spec: dict | None, *extra: dict | None) -> list[str]:
    """The model fields tagged as sample values in a fixture object (and its nested footer)."""
    tags = []
    for source in (spec, *extra):
        for tag in (source or {}).get("sample_fields", []) or []:
            if tag.startswith("lines."):
                continue        # belongs to a BaseDataLine, see line_tags()
            tags.append(_TAG_FIELDS.get(tag, tag.replace(".", "_")))
    return tags


def line_tags(base_spec: dict, line: str) -> list[str]:
    tags = []
    for tag in base_spec.get("sample_fields", []) or []:
        parts = tag.split(".")
        if parts[0] == "lines" and parts[1] == line:
            tags.extend(parts[2:] or ["prev_final", "cur_budget", "cur_final"])
    return tags


def _footer(spec: dict | None) -> dict:
    spec = spec or {}
    return {"filled_by": spec.get("filled_by", "") or "", "filled_on": as_date(spec.get("filled_on")),
            "phone": str(spec.get("phone", "") or ""), "head_name": spec.get("head_name", "") or ""}


def _rows(sheet_kwargs: dict, rows: list[dict], template: WeightTemplate) -> None:
    categories = {c.name: c for c in template.categories.all()}
    subcategories = {(s.category_id, s.name): s for s in TemplateSubcategory.objects.filter(category__template=template)}
    objects = []
    for order, spec in enumerate(rows, start=1):
        category = categories[spec["category"]]
        objects.append(IndicatorRow(
            **sheet_kwargs, category=category, subcategory=subcategories[(category.pk, spec["subcategory"])],
            name=spec["name"], target_raw=str(spec.get("target", "") or ""), actual_raw=str(spec.get("actual", "") or ""),
            weight=money(spec["weight"]),
            kind=IndicatorRow.Kind.QUALITATIVE if spec.get("qualitative") else IndicatorRow.Kind.AUTO,
            band=spec.get("band", "") or "", judged_score=money(spec.get("judged_score")),
            adjusted_score=money(spec.get("adjusted_score")), adjustment_reason=spec.get("adjustment_reason", ""),
            deviation_reason=spec.get("deviation_reason", "") or "", evidence=spec.get("evidence", "") or "",
            may_exceed_100=bool(spec.get("may_exceed_100", False)), order=order,
            stated_score=money(spec.get("stated_score")), sample_fields=sample_tags(spec)))
    IndicatorRow.objects.bulk_create(objects)


def _funds3(values: list | None) -> tuple:
    values = values or [None, None, None]
    return tuple(money(v) for v in values)


@transaction.atomic
def build_package(spec: dict) -> ReportPackage:
    """Create one package from a fixture mapping (the schema of milo_2023.yaml)."""
    region = region_path(spec["region"])
    if spec.get("finance_bureau") and region.finance_bureau != spec["finance_bureau"]:
        region.finance_bureau = spec["finance_bureau"]
        region.save(update_fields=["finance_bureau"])
    dept_spec = spec["department"]
    department, _ = Department.objects.update_or_create(
        code=dept_spec["code"], defaults={"region": region, "name": dept_spec["name"],
                                          "short_name": dept_spec.get("short_name", ""),
                                          "nature": dept_spec.get("nature", Department.Nature.ADMINISTRATIVE),
                                          "authorised_posts": spec.get("base_data", {}).get("authorised_posts")})
    users = spec.get("users", {})
    for key, role in (("filler", Role.FILLER), ("head", Role.HEAD)):
        if key in users:
            ensure_user(users[key]["username"], users[key].get("full_name", ""), role=role, department=department)
    if "reviewer" in users:
        ensure_user(users["reviewer"]["username"], users["reviewer"].get("full_name", ""), role=Role.REVIEWER,
                    region=region)

    template = WeightTemplate.objects.filter(code=spec["template"]).order_by("-year_from", "-version").first()
    outline = NarrativeOutline.objects.filter(code=spec["outline"]).order_by("-year_from").first()
    project_outline = NarrativeOutline.objects.filter(code=spec.get("project_outline", "")).first()
    pkg_spec = spec.get("package", {})
    package = services.package_create(
        department=department, year=spec["year"], weight_template=template, outline=outline,
        project_outline=project_outline, filled_on=as_date(pkg_spec.get("filled_on")),
        personnel_expenditure=money(pkg_spec.get("personnel_expenditure")),
        previous_three_public=money(pkg_spec.get("previous_three_public")),
        is_legacy=bool(spec.get("is_legacy", pkg_spec.get("is_legacy", False))),
        has_sample_data=bool(pkg_spec.get("has_sample_data", False)))

    NarrativeSection.objects.bulk_create(
        NarrativeSection(package=package, key=key, text=(text or "").strip(),
                         sample_fields=["text"] if (text or "").lstrip().startswith("【样例】") else [])
        for key, text in (spec.get("sections") or {}).items())

    base_spec = spec.get("base_data", {})
    base = package.base_data
    for field in ("authorised_posts", "actual_staff", "austerity_measures"):
        if field in base_spec:
            setattr(base, field, base_spec[field] if base_spec[field] is not None else
                    ("" if field == "austerity_measures" else None))
    for field in ("approved_area", "actual_area", "budget_investment", "actual_investment",
                  "stated_staff_control_rate"):
        setattr(base, field, money(base_spec.get(field)))
    for field, value in _footer(base_spec.get("footer")).items():
        setattr(base, field, value)
    base.sample_fields = sample_tags(base_spec, base_spec.get("footer"))
    base.save()
    BaseDataLine.objects.bulk_create(
        BaseDataLine(sheet=base, line=line, sample_fields=line_tags(base_spec, line),
                     **dict(zip(("prev_final", "cur_budget", "cur_final"), _funds3(values))))
        for line, values in (base_spec.get("lines") or {}).items())

    sheet_spec = spec.get("department_sheet", {})
    sheet = package.department_sheet
    for field in ("initial_budget", "full_year_budget", "full_year_spent", "income_general", "income_gov_fund",
                  "income_nontax_special", "income_other", "basic_expenditure", "stated_project_expenditure",
                  "stated_execution_rate", "stated_execution_score", "stated_total_score"):
        setattr(sheet, field, money(sheet_spec.get(field)))
    sheet.goal_expected = sheet_spec.get("goal_expected", "") or ""
    sheet.goal_achieved = sheet_spec.get("goal_achieved", "") or ""
    for field, value in _footer(sheet_spec.get("footer")).items():
        setattr(sheet, field, value)
    sheet.sample_fields = sample_tags(sheet_spec, sheet_spec.get("footer"))
    sheet.save()
    _rows({"department_sheet": sheet}, sheet_spec.get("rows", []), template)

    projects_by_name = {}
    for order, p_spec in enumerate(spec.get("projects", []), start=1):
        project = services.project_create(package=package, name=p_spec["name"],
                                          category=p_spec.get("category", "special"), order=order,
                                          sample_fields=sample_tags(p_spec))
        projects_by_name[project.name] = project
        s_spec = p_spec.get("sheet", {})
        ps = project.sheet
        ps.supervising_department = s_spec.get("supervising_department", "") or ""
        ps.implementing_unit = s_spec.get("implementing_unit") or package.department.name
        for prefix in ("appropriation", "carryover", "other"):
            for suffix, value in zip(("initial", "full_year", "spent"), _funds3(s_spec.get(prefix))):
                setattr(ps, f"{prefix}_{suffix}", value)
        if s_spec.get("stated_total"):
            for suffix, value in zip(("initial", "full_year", "spent"), _funds3(s_spec["stated_total"])):
                setattr(ps, f"stated_total_{suffix}", value)
        for field in ("stated_execution_rate", "stated_execution_score", "stated_total_score"):
            setattr(ps, field, money(s_spec.get(field)))
        ps.stated_name = s_spec.get("stated_name", "") or ""
        ps.goal_expected = s_spec.get("goal_expected", "") or ""
        ps.goal_achieved = s_spec.get("goal_achieved", "") or ""
        for field, value in _footer(s_spec.get("footer")).items():
            setattr(ps, field, value)
        ps.sample_fields = sample_tags(s_spec, s_spec.get("footer"))
        ps.save()
        _rows({"project_sheet": ps}, s_spec.get("rows", []), template)
        ProjectSpendItem.objects.bulk_create(
            ProjectSpendItem(project=project, name=item["name"], amount=money(item["amount"]), order=i,
                             sample_fields=sample_tags(item))
            for i, item in enumerate(p_spec.get("spend_items", []), start=1))
        r_spec = p_spec.get("report")
        if r_spec:
            report = project.report
            report.eval_start = as_date(r_spec.get("eval_start"))
            report.eval_end = as_date(r_spec.get("eval_end"))
            report.basis = r_spec.get("basis", "") or ""
            report.save()
            for key, text in (r_spec.get("sections") or {}).items():
                ProjectReportSection.objects.update_or_create(report=report, key=key,
                                                              defaults={"text": (text or "").strip()})

    for order, row in enumerate(base_spec.get("special_rows", []), start=1):
        prev, budget, final = _funds3(row.get("values"))
        SpecialFundRow.objects.create(sheet=base, name=row["name"], project=projects_by_name.get(row.get("project")),
                                      prev_final=prev, cur_budget=budget, cur_final=final, order=order,
                                      sample_fields=sample_tags(row))

    for kind, t_spec in (spec.get("fund_tables") or {}).items():
        table = FundTable.objects.get(package=package, kind=kind)
        table.none = bool(t_spec.get("none", True))
        table.save()
        for order, row in enumerate(t_spec.get("rows", []) or [], start=1):
            initial, full_year, spent = _funds3(row.get("values"))
            FundRow.objects.create(table=table, subject=row["subject"], initial_budget=initial,
                                   full_year_budget=full_year, full_year_spent=spent, note=row.get("note", ""),
                                   order=order, sample_fields=sample_tags(row))
    return package


def demo_spec(name: str, *, as_printed: bool = False) -> dict:
    spec = read_yaml(name)
    if as_printed:
        spec = deep_merge(spec, read_yaml(AS_PRINTED_FILE))
        spec["is_legacy"] = True
    return spec


def package_for(spec: dict) -> ReportPackage | None:
    return ReportPackage.objects.filter(department__code=spec["department"]["code"], year=spec["year"]).first()


def delete_package(package: ReportPackage) -> None:
    package.delete()


def after_build(package: ReportPackage, spec: dict) -> None:
    """Bring the package to the state domain.md §10 asks for (demo A: through 提交 → 确认上报).

    The state is reached through the review service, never set by hand, so demo A has a snapshot and an
    audit trail like any package. Its warnings (K10, K16, K28, K37) get the filler's explanation first,
    because 提交 requires every warning explained; the fixture may give the texts (check_explanations).
    """
    from evalportal.reports.engine import evaluate
    from evalportal.reports.models import CheckExplanation
    from evalportal.reports.selectors import load_package, package_data
    from evalportal.reports.services import package_refresh
    from evalportal.review.services import package_transition
    from evalportal.review.workflow import State

    package_refresh(package)
    target = (spec.get("package") or {}).get("state", State.DRAFT)
    if target not in (State.PENDING_HEAD, State.PENDING_FINANCE):
        return
    users = spec.get("users", {})
    filler = User.objects.get(username=users["filler"]["username"])
    texts = spec.get("check_explanations") or {}
    findings = evaluate(package_data(load_package(package.pk)), stage="submit").findings
    for finding in findings:
        if not finding.is_error:
            CheckExplanation.objects.get_or_create(
                package=package, code=finding.code, location=finding.location[:120],
                defaults={"explanation": texts.get(finding.code, "演示数据按原报告载入，已与原件核对，情况属实。")})
    package_transition(package=package, action="submit", actor=filler)
    if target == State.PENDING_FINANCE:
        head = User.objects.get(username=users["head"]["username"])
        package_transition(package=package, action="confirm", actor=head)
    package.refresh_from_db()      # the caller reports the state it reached
    package_refresh(package)

"""Live computation for the filling forms: the saved package with one part replaced by what the clerk has typed.

The scores, totals, grades, findings and generated sentences come from the same pure code the server uses on
save (evalportal.scoring through evalportal.checks.derive, evalportal.checks.run, evalportal.narrative); this
module only turns unsaved form values into the plain PackageData those functions read. No second implementation.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, replace
from decimal import Decimal

from evalportal.checks import data as d

from . import engine
from .forms import IndicatorRowForm, checked, lenient_decimal

ZERO = Decimal("0")


@dataclass
class Result:
    pkg: d.PackageData
    derived: object
    findings: list
    index: "FindingIndex"


def evaluate(pkg: d.PackageData, stage: str = "save") -> Result:
    evaluation = engine.evaluate(pkg, stage=stage)
    return Result(pkg, evaluation.derived, evaluation.findings, FindingIndex(evaluation.findings))


class FindingIndex:
    """Findings by row id, by (location, field) and by location prefix, for placing them beside fields."""

    def __init__(self, findings):
        self.findings = list(findings)
        self.by_row: dict[int, list] = defaultdict(list)
        for finding in self.findings:
            if finding.row_id is not None:
                self.by_row[finding.row_id].append(finding)

    def row(self, row_id: int | None, fld: str | None = None) -> list:
        found = self.by_row.get(row_id, []) if row_id is not None else []
        if fld is None:
            return found
        return [f for f in found if (f.field or "") == fld]

    def row_other(self, row_id: int | None, shown_fields) -> list:
        return [f for f in self.row(row_id) if (f.field or "") not in shown_fields]

    def under(self, *prefixes: str) -> list:
        """Findings whose location is one of the prefixes or below it (att3.2 → att3.2.funds, att3.2.row.7)."""
        return [f for f in self.findings
                if any(f.location == p or f.location.startswith(p + ".") for p in prefixes)]

    def at(self, location: str, fld: str | None = None) -> list:
        return [f for f in self.findings if f.location == location and (fld is None or (f.field or "") == fld)]

    def fields(self, prefixes, names) -> dict[str, list]:
        """field name → findings, for sheet-level fields (filled_on, phone, goal_expected…)."""
        out: dict[str, list] = defaultdict(list)
        for finding in self.under(*prefixes):
            if finding.row_id is None and finding.field in names:
                out[finding.field].append(finding)
        return out


# --- form values → plain data --------------------------------------------------------------------------------

def _text(form, name: str) -> str:
    return str(form.raw(name) if hasattr(form, "raw") else _value(form, name) or "")


def _value(form, name: str):
    """A bound form's raw input, an unbound form's initial value."""
    if form.is_bound:
        return form.data.get(form.add_prefix(name), "")
    value = form.initial.get(name)
    if value is None:
        value = getattr(form.instance, name, None) if hasattr(form, "instance") else None
    return value


def money(form, name: str) -> Decimal | None:
    value = _value(form, name)
    return value if isinstance(value, Decimal) else lenient_decimal(value)


def text(form, name: str) -> str:
    value = _value(form, name)
    return "" if value is None else str(value)


def date_value(form, name: str):
    """A typed date that does not parse is left out of the preview (the form shows its message)."""
    from datetime import date
    value = _value(form, name)
    if isinstance(value, date) or value is None:
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        return None


def footer(form, base: d.Footer) -> d.Footer:
    return d.Footer(filled_by=text(form, "filled_by"), filled_on=date_value(form, "filled_on"),
                    phone=text(form, "phone").replace("－", "-"), head_name=base.head_name)


@dataclass
class RowEntry:
    """One indicator row as the page shows it: its form, its place and (after evaluation) its score."""

    form: IndicatorRowForm
    index: int
    row_id: int                   # saved id, or −(index + 1) for a row not saved yet
    category: object | None
    subcategory: object | None
    deleted: bool
    score: object = None          # scoring.RowScore
    findings: list = field(default_factory=list)
    data: d.IndicatorData | None = None
    group_first: bool = False
    group_size: int = 0
    sub_first: bool = False
    can_up: bool = False
    can_down: bool = False

    @property
    def prefix(self) -> str:
        return self.form.prefix


def row_entries(formset) -> list[RowEntry]:
    """The rows in print order: 一级 and 二级 in template order, then the typed order (domain.md §3.4)."""
    entries = []
    for index, form in enumerate(formset.forms):
        sub = form.subcategory_obj
        entry = RowEntry(form=form, index=index, row_id=form.instance.pk or -(index + 1),
                         category=sub.category if sub else None, subcategory=sub, deleted=form.is_deleted)
        entries.append(entry)

    def key(entry: RowEntry):
        order = lenient_decimal(entry.form.raw("order")) or ZERO
        return (entry.category.order if entry.category else 9999, entry.subcategory.order if entry.subcategory else 0,
                order, entry.index)
    entries.sort(key=key)
    visible = [e for e in entries if not e.deleted]
    for position, entry in enumerate(visible):
        before = visible[position - 1] if position else None
        after = visible[position + 1] if position + 1 < len(visible) else None
        entry.can_up = before is not None and before.subcategory == entry.subcategory
        entry.can_down = after is not None and after.subcategory == entry.subcategory
    return entries


def indicator_data(entry: RowEntry) -> d.IndicatorData:
    form = entry.form
    instance = form.instance
    weight = lenient_decimal(form.raw("weight"))
    return d.IndicatorData(
        id=entry.row_id, category=entry.category.name, subcategory=entry.subcategory.name,
        name=str(form.raw("name") or ""), target_raw=str(form.raw("target_raw") or ""),
        actual_raw=str(form.raw("actual_raw") or ""),
        weight=weight,    # None: no 分值 yet, so no score (K04 asks for it)
        force_qualitative=form.force_qualitative(), band=str(form.raw("band") or ""),
        judged_score=lenient_decimal(form.raw("judged_score")),
        adjusted_score=lenient_decimal(form.raw("adjusted_score")),
        adjustment_reason=str(form.raw("adjustment_reason") or ""),
        deviation_reason=str(form.raw("deviation_reason") or ""), evidence=instance.evidence or "",
        may_exceed_100=checked(form.raw("may_exceed_100")) if form.is_bound else instance.may_exceed_100,
        order=entry.index, stated_score=instance.stated_score,
    )


def scored_entries(entries: list[RowEntry]) -> list[RowEntry]:
    """Rows that take part in scoring: not deleted, not blank, with a 二级 chosen."""
    return [e for e in entries if not e.deleted and e.subcategory is not None and not e.form.is_blank]


def attach_scores(entries: list[RowEntry], sheet_derived, index: FindingIndex) -> None:
    scored = scored_entries(entries)
    for entry, score in zip(scored, sheet_derived.score.rows):
        entry.score = score
    for entry in entries:
        entry.findings = index.row(entry.row_id)


def group_entries(entries: list[RowEntry], categories) -> list[dict]:
    """一级 groups in template order (empty ones too, so the clerk can add a first row), for merged cells."""
    groups = []
    visible = [e for e in entries if not e.deleted]
    for category in categories:
        members = [e for e in visible if e.category is not None and e.category.pk == category.pk]
        previous_sub = None
        for entry in members:
            entry.sub_first = entry.subcategory != previous_sub
            previous_sub = entry.subcategory
        groups.append({"category": category, "entries": members, "rowspan": max(len(members), 1)})
    orphans = [e for e in visible if e.category is None]
    if orphans:
        groups.append({"category": None, "entries": orphans, "rowspan": len(orphans)})
    return groups


def project_data_from_forms(base: d.ProjectData, *, project_form, sheet_form, entries) -> d.ProjectData:
    rows = tuple(indicator_data(e) for e in scored_entries(entries))
    for e, row in zip(scored_entries(entries), rows):
        e.data = row
    return replace(
        base,
        name=text(project_form, "name").strip() or base.name,
        category=text(project_form, "category") or base.category,
        appropriation=d.Funds(money(sheet_form, "appropriation_initial"), money(sheet_form, "appropriation_full_year"),
                              money(sheet_form, "appropriation_spent")),
        carryover=d.Funds(money(sheet_form, "carryover_initial"), money(sheet_form, "carryover_full_year"),
                          money(sheet_form, "carryover_spent")),
        other=d.Funds(money(sheet_form, "other_initial"), money(sheet_form, "other_full_year"),
                      money(sheet_form, "other_spent")),
        rows=rows, goal_expected=text(sheet_form, "goal_expected"), goal_achieved=text(sheet_form, "goal_achieved"),
        supervising_department=text(sheet_form, "supervising_department"),
        implementing_unit=text(sheet_form, "implementing_unit"), footer=footer(sheet_form, base.footer),
    )


def department_sheet_from_forms(base: d.DepartmentSheetData, *, sheet_form, entries) -> d.DepartmentSheetData:
    rows = tuple(indicator_data(e) for e in scored_entries(entries))
    for e, row in zip(scored_entries(entries), rows):
        e.data = row
    return replace(
        base,
        funds=d.Funds(money(sheet_form, "initial_budget"), money(sheet_form, "full_year_budget"),
                      money(sheet_form, "full_year_spent")),
        income_general=money(sheet_form, "income_general"), income_gov_fund=money(sheet_form, "income_gov_fund"),
        income_nontax_special=money(sheet_form, "income_nontax_special"),
        income_other=money(sheet_form, "income_other"), basic_expenditure=money(sheet_form, "basic_expenditure"),
        goal_expected=text(sheet_form, "goal_expected"), goal_achieved=text(sheet_form, "goal_achieved"),
        rows=rows, footer=footer(sheet_form, base.footer),
    )


def replace_project(pkg: d.PackageData, project: d.ProjectData) -> d.PackageData:
    return replace(pkg, projects=tuple(project if p.id == project.id else p for p in pkg.projects))

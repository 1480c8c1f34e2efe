"""Every figure of a package that can be computed (domain.md §3), derived once from the plain data.

The checks, the generated sentences and the exporters read these values instead of recomputing them.
Money stays Decimal in 万元; a blank input stays None (blank is not zero), and a sum of blanks is None.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from evalportal.scoring import score_sheet
from evalportal.scoring.language import pinned_language

from .data import BaseLine, Funds, IndicatorData, Money, PackageData, ProjectData, Rules
from .formatting import percent_of

# 附件1 lines whose values the engine computes (the rest are typed).
COMPUTED_LINES = ("three_public_total", "vehicle", "project_total", "business_funds", "operation_funds",
                  "special_total")
COLUMNS = ("prev_final", "cur_budget", "cur_final")
COLUMN_LABELS = {"prev_final": "{prev}年决算数", "cur_budget": "{year}年预算数", "cur_final": "{year}年决算数"}
FUND_COLUMNS = ("initial", "full_year", "spent")
FUND_COLUMN_LABELS = {"initial": "年初预算数", "full_year": "全年预算数", "spent": "全年执行数"}


def money_sum(*values: Money) -> Money:
    """Σ of the filled values; None when every value is blank (blank is not zero, domain.md §1)."""
    filled = [value for value in values if value is not None]
    return sum(filled, Decimal("0")) if filled else None


def funds_sum(*funds: Funds) -> Funds:
    return Funds(*(money_sum(*(getattr(f, column) for f in funds)) for column in FUND_COLUMNS))


def line_sum(*lines: BaseLine) -> BaseLine:
    return BaseLine(*(money_sum(*(getattr(line, column) for line in lines)) for column in COLUMNS))


def rate_pct(part: Money | int, whole: Money | int) -> Decimal | None:
    """part ÷ whole × 100 at 2 decimals; None when either is blank or the denominator is 0."""
    if part is None or not whole:
        return None
    return percent_of(Decimal(part), Decimal(whole))


def change_pct(initial: Money, full_year: Money) -> Decimal | None:
    """(全年预算数 − 年初预算数) ÷ 年初预算数 × 100, signed (K16); None without a 年初预算数."""
    if full_year is None or not initial:
        return None
    return percent_of(full_year - initial, initial)


@dataclass(frozen=True)
class SheetDerived:
    """One scored sheet (附件2 or one 附件3): funds, execution row, rows, total and grade."""

    funds: Funds                    # 年度资金总额 per column
    execution_rate: Decimal | None  # percent, 2 dp; None when 全年预算数 is 0 or blank
    execution_score: Decimal
    score: object                   # scoring.SheetScore (row scores, category totals, complete)
    total: Decimal
    grade: object                   # scoring.Grade (.label 优, .narrative_label 优秀)
    budget_change: Decimal | None   # percent, signed


@dataclass(frozen=True)
class ProjectDerived(SheetDerived):
    order: int = 0
    name: str = ""


@dataclass(frozen=True)
class DepartmentDerived(SheetDerived):
    project_expenditure: Money = None   # Σ 附件3 全年执行数


@dataclass(frozen=True)
class SpecialRowDerived:
    name: str
    project_name: str | None
    line: BaseLine                  # linked rows take 年初 / 全年执行数 from the project's 附件3


@dataclass(frozen=True)
class BaseDerived:
    staff_control_rate: Decimal | None
    lines: dict[str, BaseLine]      # every 附件1 line, computed ones included
    special_rows: tuple[SpecialRowDerived, ...]
    area_control_rate: Decimal | None
    investment_control_rate: Decimal | None

    def line(self, key: str) -> BaseLine:
        return self.lines.get(key, BaseLine())


@dataclass(frozen=True)
class FundTableDerived:
    number: int
    kind: str
    none: bool
    total: Funds                    # 合计 row


@dataclass(frozen=True)
class Derived:
    base: BaseDerived
    department: DepartmentDerived
    projects: tuple[ProjectDerived, ...]       # same order as PackageData.projects
    fund_tables: tuple[FundTableDerived, ...]
    by_order: dict[int, ProjectDerived] = field(default_factory=dict)

    def project(self, project: ProjectData) -> ProjectDerived:
        return self.by_order[project.order]

    def fund_table(self, number: int) -> FundTableDerived | None:
        return next((table for table in self.fund_tables if table.number == number), None)


def project_funds(project: ProjectData) -> Funds:
    """年度资金总额 = 当年财政拨款 + 上年结转资金 + 其他资金, per column (K12)."""
    return funds_sum(project.appropriation, project.carryover, project.other)


def _sheet(rows: tuple[IndicatorData, ...], funds: Funds, rules: Rules) -> dict:
    score = score_sheet(rows, funds.full_year, funds.spent, rules)
    return dict(funds=funds, execution_rate=score.execution_rate, execution_score=score.execution_score,
                score=score, total=score.total, grade=score.grade,
                budget_change=change_pct(funds.initial, funds.full_year))


def _projects(pkg: PackageData) -> tuple[ProjectDerived, ...]:
    rules = pkg.template.rules
    return tuple(ProjectDerived(order=p.order, name=p.name, **_sheet(p.rows, project_funds(p), rules))
                 for p in pkg.projects)


def _department(pkg: PackageData, projects: tuple[ProjectDerived, ...]) -> DepartmentDerived:
    sheet = pkg.department_sheet
    project_expenditure = money_sum(*(p.funds.spent for p in projects))
    return DepartmentDerived(project_expenditure=project_expenditure,
                             **_sheet(sheet.rows, sheet.funds, pkg.template.rules))


def _category_line(pkg: PackageData, projects: tuple[ProjectDerived, ...], category: str, typed: BaseLine) -> BaseLine:
    """Y columns = Σ the projects of that category; the Y−1 column is typed (no project data for Y−1)."""
    funds = [d.funds for p, d in zip(pkg.projects, projects) if p.category == category]
    return BaseLine(prev_final=typed.prev_final,
                    cur_budget=money_sum(*(f.initial for f in funds)),
                    cur_final=money_sum(*(f.spent for f in funds)))


def _special_rows(pkg: PackageData, projects: tuple[ProjectDerived, ...]) -> tuple[SpecialRowDerived, ...]:
    by_name = {p.name: d for p, d in zip(pkg.projects, projects)}
    rows = []
    for row in pkg.base.special_rows:
        linked = by_name.get(row.project_name) if row.project_name else None
        if linked is None:      # a 专项 that ran only in Y−1, or one without a 附件3: typed values
            line = BaseLine(row.prev_final, row.cur_budget, row.cur_final)
        else:                   # single source of truth: Y columns come from the project's 附件3
            line = BaseLine(row.prev_final, linked.funds.initial, linked.funds.spent)
        rows.append(SpecialRowDerived(row.name, row.project_name, line))
    return tuple(rows)


def _vehicle(lines: dict[str, BaseLine]) -> BaseLine:
    """公务用车购置和维护经费 = 购置 + 运行维护 when either sub-row is filled, per column; else as typed."""
    typed, purchase, operation = (lines.get(k, BaseLine()) for k in ("vehicle", "vehicle_purchase",
                                                                       "vehicle_operation"))
    values = []
    for column in COLUMNS:
        parts = (getattr(purchase, column), getattr(operation, column))
        values.append(money_sum(*parts) if any(v is not None for v in parts) else getattr(typed, column))
    return BaseLine(*values)


def _base(pkg: PackageData, projects: tuple[ProjectDerived, ...]) -> BaseDerived:
    base = pkg.base
    lines = dict(base.lines)
    lines["vehicle"] = _vehicle(lines)
    lines["three_public_total"] = line_sum(lines["vehicle"], lines.get("overseas", BaseLine()),
                                           lines.get("reception", BaseLine()))
    lines["business_funds"] = _category_line(pkg, projects, "business", lines.get("business_funds", BaseLine()))
    lines["operation_funds"] = _category_line(pkg, projects, "operation", lines.get("operation_funds", BaseLine()))
    special_rows = _special_rows(pkg, projects)
    lines["special_total"] = line_sum(*(row.line for row in special_rows))
    lines["project_total"] = line_sum(lines["business_funds"], lines["operation_funds"], lines["special_total"])
    return BaseDerived(
        staff_control_rate=rate_pct(base.actual_staff, base.authorised_posts),
        lines=lines, special_rows=special_rows,
        area_control_rate=rate_pct(base.actual_area, base.approved_area),
        investment_control_rate=rate_pct(base.actual_investment, base.budget_investment),
    )


def _fund_tables(pkg: PackageData) -> tuple[FundTableDerived, ...]:
    return tuple(FundTableDerived(t.number, t.kind, t.none, funds_sum(*(row.funds for row in t.rows)))
                 for t in pkg.fund_tables)


def derive(pkg: PackageData) -> Derived:
    with pinned_language():          # the language is read once for all the sheets (scoring/language.py)
        projects = _projects(pkg)
        return Derived(base=_base(pkg, projects), department=_department(pkg, projects), projects=projects,
                       fund_tables=_fund_tables(pkg), by_order={p.order: p for p in projects})

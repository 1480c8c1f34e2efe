"""Plain data of one report package: what the pure scoring and check code reads.

`evalportal.reports.selectors.package_data(package)` builds it from the database; tests build it by hand.
Nothing here imports Django models. Money is Decimal in 万元 or None when blank (blank is not zero).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

Money = Decimal | None


@dataclass(frozen=True)
class Rules:
    """The configurable scoring rules of a WeightTemplate (domain.md §5.8)."""

    execution_weight: Decimal = Decimal("10")
    execution_scoring: str = "linear"           # "linear" | "bands"
    overshoot_threshold: Decimal = Decimal("20")  # percent
    budget_change_threshold: Decimal = Decimal("30")  # percent
    le_zero_factor: Decimal = Decimal("2")
    bare_value_at_least: bool = True
    strict_counts_as_met: bool = True
    policy_source: str = "财预〔2020〕10号《项目支出绩效评价管理办法》"


@dataclass(frozen=True)
class CategoryData:
    """一级指标 of the template with its weight and ordered 二级 names."""

    id: int
    name: str
    weight: Decimal
    subcategories: tuple[str, ...] = ()
    required_subcategories: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        return f"{self.name}（{self.weight.normalize():f}分）"


@dataclass(frozen=True)
class TemplateData:
    code: str
    categories: tuple[CategoryData, ...]
    rules: Rules = field(default_factory=Rules)
    version: int = 1


@dataclass(frozen=True)
class IndicatorData:
    id: int | None
    category: str                  # 一级 name
    subcategory: str               # 二级 name
    name: str                      # 三级
    target_raw: str
    actual_raw: str
    weight: Decimal | None          # None: not filled in yet (a draft); no score until it is
    force_qualitative: bool = False
    band: str = ""                 # "met" | "partial" | "not_met" | ""
    judged_score: Decimal | None = None
    adjusted_score: Decimal | None = None
    adjustment_reason: str = ""
    deviation_reason: str = ""
    evidence: str = ""
    may_exceed_100: bool = False
    order: int = 0
    stated_score: Decimal | None = None   # legacy only


@dataclass(frozen=True)
class Funds:
    """年初预算数 / 全年预算数 / 全年执行数 of one funds row."""

    initial: Money = None
    full_year: Money = None
    spent: Money = None


@dataclass(frozen=True)
class Footer:
    filled_by: str = ""
    filled_on: date | None = None
    phone: str = ""
    head_name: str = ""


@dataclass(frozen=True)
class SpendItemData:
    name: str
    amount: Decimal


@dataclass(frozen=True)
class ProjectData:
    id: int | None
    name: str
    category: str                       # "business" | "operation" | "special"
    order: int
    appropriation: Funds                # 其中：当年财政拨款
    carryover: Funds                    # 上年结转资金
    other: Funds                        # 其他资金
    rows: tuple[IndicatorData, ...]
    goal_expected: str = ""
    goal_achieved: str = ""
    supervising_department: str = ""
    implementing_unit: str = ""
    footer: Footer = field(default_factory=Footer)
    spend_items: tuple[SpendItemData, ...] = ()
    report_sections: dict[str, str] = field(default_factory=dict)   # project report S1…S7 texts
    eval_start: date | None = None
    eval_end: date | None = None
    basis: str = ""
    has_report: bool = True
    # legacy (as printed)
    stated_name: str = ""
    stated_total: Funds | None = None
    stated_execution_rate: Decimal | None = None
    stated_execution_score: Decimal | None = None
    stated_total_score: Decimal | None = None


@dataclass(frozen=True)
class BaseLine:
    """One row of 附件1 经费控制情况: prev_final ({Y−1}年决算数), cur_budget ({Y}年预算数), cur_final ({Y}年决算数)."""

    prev_final: Money = None
    cur_budget: Money = None
    cur_final: Money = None


@dataclass(frozen=True)
class SpecialRowData:
    name: str
    project_name: str | None          # linked Project's name, or None
    prev_final: Money = None
    cur_budget: Money = None          # stated/typed; for a linked row the engine uses the project's 附件3 figures
    cur_final: Money = None


@dataclass(frozen=True)
class BaseData:
    authorised_posts: int | None = None
    actual_staff: int | None = None
    stated_staff_control_rate: Decimal | None = None
    lines: dict[str, BaseLine] = field(default_factory=dict)   # keys: BaseDataLine.Line values
    special_rows: tuple[SpecialRowData, ...] = ()
    approved_area: Decimal | None = None
    actual_area: Decimal | None = None
    budget_investment: Money = None
    actual_investment: Money = None
    austerity_measures: str = ""
    footer: Footer = field(default_factory=Footer)


@dataclass(frozen=True)
class DepartmentSheetData:
    """附件2."""

    funds: Funds
    income_general: Money = None
    income_gov_fund: Money = None
    income_nontax_special: Money = None
    income_other: Money = None
    basic_expenditure: Money = None
    goal_expected: str = ""
    goal_achieved: str = ""
    rows: tuple[IndicatorData, ...] = ()
    footer: Footer = field(default_factory=Footer)
    # legacy (as printed)
    stated_project_expenditure: Money = None
    stated_execution_rate: Decimal | None = None
    stated_execution_score: Decimal | None = None
    stated_total_score: Decimal | None = None


@dataclass(frozen=True)
class FundRowData:
    subject: str
    funds: Funds
    note: str = ""


@dataclass(frozen=True)
class FundTableData:
    kind: str            # "gov_fund" | "state_capital" | "social_insurance"
    number: int          # 4 | 5 | 6
    none: bool
    rows: tuple[FundRowData, ...] = ()


@dataclass(frozen=True)
class SectionData:
    """One heading of the narrative outline with the text typed under it."""

    key: str
    title: str
    text: str = ""
    required: bool = False
    generator: str = ""
    parent_key: str = ""


@dataclass(frozen=True)
class PackageData:
    year: int
    department_name: str
    department_short_name: str
    template: TemplateData
    base: BaseData
    department_sheet: DepartmentSheetData
    projects: tuple[ProjectData, ...] = ()
    fund_tables: tuple[FundTableData, ...] = ()
    sections: tuple[SectionData, ...] = ()    # narrative, in outline order
    personnel_expenditure: Money = None
    previous_three_public: Money = None
    filled_on: date | None = None
    is_legacy: bool = False
    today: date | None = None                 # for K36; None means date.today()

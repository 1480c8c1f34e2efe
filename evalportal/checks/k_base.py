"""K19–K26: 附件1 (staffing, expense control, buildings) and its agreement with 附件2/附件3."""
from __future__ import annotations

from decimal import Decimal

from .catalogue import check
from .context import Context
from .data import BaseLine
from .derive import COLUMN_LABELS, COLUMNS, line_sum, money_sum
from .findings import ERROR, WARNING, Finding
from .formatting import money, plain
from .k_funds import PERCENT_TOLERANCE

_SUBSET_LINES = ("office_expense", "utilities_travel", "meeting_training")   # 公用经费 “其中” rows


def column_label(ctx: Context, column: str) -> str:
    return COLUMN_LABELS[column].format(prev=ctx.pkg.year - 1, year=ctx.pkg.year)


def _line(ctx: Context, key: str) -> BaseLine:
    return ctx.pkg.base.lines.get(key, BaseLine())


def _expense(code, severity, message, key, field="") -> Finding:
    return Finding(code, severity, message, f"att1.expense.{key}", "att1.expense", field)


@check("K19", "error/warning", "人员控制率")
def staffing(ctx: Context):
    base, rate = ctx.pkg.base, ctx.derived.base.staff_control_rate
    if ctx.submit and (base.authorised_posts is None or base.actual_staff is None):
        yield Finding("K19", ERROR, "请填写编制数和实际在职人数", "att1.staff", "att1.staff",
                      "authorised_posts" if base.authorised_posts is None else "actual_staff")
        return
    stated = base.stated_staff_control_rate if ctx.pkg.is_legacy else None
    if stated is not None and rate is not None and abs(stated - rate) > PERCENT_TOLERANCE:
        yield Finding("K19", ERROR, f"控制率应为{money(rate)}%（{base.actual_staff}÷{base.authorised_posts}），"
                      f"表中为{plain(stated)}%", "att1.staff", "att1.staff", "staff_control_rate")
    if base.actual_staff is not None and base.authorised_posts is not None and base.actual_staff > base.authorised_posts:
        yield Finding("K19", WARNING, f"实际在职人数{base.actual_staff}超过编制数{base.authorised_posts}", "att1.staff",
                      "att1.staff", "actual_staff")


@check("K20", ERROR, "“三公”经费等于各分项之和")
def three_public(ctx: Context):
    derived = ctx.derived.base
    vehicle, purchase, operation = (_line(ctx, k) for k in ("vehicle", "vehicle_purchase", "vehicle_operation"))
    stated_total = _line(ctx, "three_public_total") if ctx.pkg.is_legacy else BaseLine()
    for column in COLUMNS:
        label = column_label(ctx, column)
        parts = [getattr(purchase, column), getattr(operation, column)]
        typed = getattr(vehicle, column)
        if typed is not None and any(p is not None for p in parts) and typed != money_sum(*parts):
            yield _expense("K20", ERROR, f"{label}：公务用车购置和维护经费{money(typed)}不等于各分项之和"
                           f"{money(money_sum(*parts))}", "vehicle", column)
        stated, computed = getattr(stated_total, column), getattr(derived.line("three_public_total"), column)
        if stated is not None and stated != (computed or Decimal(0)):
            yield _expense("K20", ERROR, f"{label}：“三公”经费{money(stated)}不等于各分项之和{money(computed or 0)}",
                           "three_public_total", column)


@check("K21", ERROR, "项目支出等于明细之和（历史数据）")
def project_lines(ctx: Context):
    # Legacy tables are compared with their own printed rows, so that a row disagreeing with 附件3 shows once (K26).
    if not ctx.pkg.is_legacy:
        return
    rows = [BaseLine(r.prev_final, r.cur_budget, r.cur_final) for r in ctx.pkg.base.special_rows]
    special = line_sum(*rows)
    stated_special = _line(ctx, "special_total")
    typed_special = BaseLine(*(getattr(stated_special, c) if getattr(stated_special, c) is not None
                               else getattr(special, c) for c in COLUMNS))
    detail = line_sum(_line(ctx, "business_funds"), _line(ctx, "operation_funds"), typed_special)
    for column in COLUMNS:
        label = column_label(ctx, column)
        for key, stated, computed in (("special_total", getattr(stated_special, column), getattr(special, column)),
                                      ("project_total", getattr(_line(ctx, "project_total"), column),
                                       getattr(detail, column))):
            if stated is not None and stated != (computed or Decimal(0)):
                name = "本级专项资金" if key == "special_total" else "项目支出"
                yield _expense("K21", ERROR, f"{label}：{name}{money(stated)}不等于明细之和{money(computed or 0)}",
                               key, column)


@check("K22", ERROR, "公用经费“其中”各项不超过公用经费")
def public_expense_subset(ctx: Context):
    public = _line(ctx, "public_expense")
    for column in COLUMNS:
        parts = money_sum(*(getattr(_line(ctx, key), column) for key in _SUBSET_LINES))
        whole = getattr(public, column)
        if parts is not None and parts > (whole or Decimal(0)):
            yield _expense("K22", ERROR, f"{column_label(ctx, column)}：公用经费“其中”各项之和{money(parts)}超过公用经费"
                           f"{money(whole or Decimal(0))}", "public_expense", column)
    if ctx.submit and public.cur_final is None:
        yield _expense("K22", ERROR, f"请填写公用经费{column_label(ctx, 'cur_final')}", "public_expense", "cur_final")


@check("K23", WARNING, "楼堂馆所控制率不超过100%")
def buildings(ctx: Context):
    derived = ctx.derived.base
    for name, rate, field in (("规模控制率", derived.area_control_rate, "area_control_rate"),
                              ("投资概算控制率", derived.investment_control_rate, "investment_control_rate")):
        if rate is not None and rate > 100:
            yield Finding("K23", WARNING, f"{name}{money(rate)}%超过100%，请说明", "att1.buildings", "att1.buildings",
                          field)


def _att1_project_total(ctx: Context) -> BaseLine:
    stated = _line(ctx, "project_total") if ctx.pkg.is_legacy else BaseLine()
    derived = ctx.derived.base.line("project_total")
    return BaseLine(*(getattr(stated, c) if getattr(stated, c) is not None else getattr(derived, c) for c in COLUMNS))


@check("K24", ERROR, "项目支出三处一致")
def project_expenditure_agrees(ctx: Context):
    att1 = _att1_project_total(ctx).cur_final or Decimal(0)
    att3 = money_sum(*(p.funds.spent for p in ctx.derived.projects)) or Decimal(0)
    stated = ctx.pkg.department_sheet.stated_project_expenditure if ctx.pkg.is_legacy else None
    att2 = stated if stated is not None else ctx.derived.department.project_expenditure or Decimal(0)
    if not att1 == att2 == att3:
        yield Finding("K24", ERROR, f"项目支出三处不一致：附件1 {money(att1)}，附件2 {money(att2)}，附件3合计 {money(att3)}",
                      "att1.expense.project_total", "att1.expense", "cur_final")


@check("K25", WARNING, "附件1项目支出预算数等于各项目年初预算数合计")
def project_budget_agrees(ctx: Context):
    att1 = _att1_project_total(ctx).cur_budget or Decimal(0)
    att3 = money_sum(*(p.funds.initial for p in ctx.derived.projects)) or Decimal(0)
    if att1 != att3:
        yield _expense("K25", WARNING, f"附件1项目支出预算数{money(att1)}与各项目年初预算数合计{money(att3)}不一致",
                       "project_total", "cur_budget")


def _has_amount(funds) -> bool:
    return any(getattr(funds, c) for c in ("initial", "full_year", "spent"))


@check("K26", "error/warning", "专项行与项目一致")
def special_rows_match_projects(ctx: Context):
    rows = {r.project_name: (i, r) for i, r in enumerate(ctx.pkg.base.special_rows) if r.project_name}
    for project in ctx.pkg.projects:
        funds = ctx.derived.project(project).funds
        if project.category != "special" or not _has_amount(funds):
            continue    # 业务工作经费 / 运行维护经费 are summed into their own 附件1 lines
        if project.name not in rows:
            yield Finding("K26", ERROR, f"项目「{project.name}」在附件1与附件3中的金额/名称不一致：附件1缺少对应的本级专项资金行",
                          "att1.expense.special", "att1.expense")
            continue
        index, row = rows[project.name]
        location = f"att1.expense.special.{index + 1}"
        if ctx.pkg.is_legacy:   # the app links the row, so only legacy data can disagree
            for column, project_value in (("cur_budget", funds.initial), ("cur_final", funds.spent)):
                stated = getattr(row, column)
                if stated is not None and stated != (project_value or Decimal(0)):
                    yield Finding("K26", ERROR, f"项目「{project.name}」在附件1与附件3中的金额不一致："
                                  f"{column_label(ctx, column)}附件1为{money(stated)}，附件3为{money(project_value)}",
                                  location, "att1.expense", column)
            if row.name != project.name:
                yield Finding("K26", WARNING, f"项目「{project.name}」在附件1与附件3中的名称不一致：附件1为「{row.name}」",
                              location, "att1.expense", "name")

"""K12–K18: the funds block of 附件2 and every 附件3 (年度资金总额, 执行率, 预算调整, the two splits of 附件2)."""
from __future__ import annotations

from decimal import Decimal

from .catalogue import check
from .context import Context, SheetRef
from .derive import FUND_COLUMN_LABELS, FUND_COLUMNS, money_sum
from .findings import ERROR, WARNING, Finding
from .formatting import money, plain

PERCENT_TOLERANCE = Decimal("0.01")   # a stated percentage is consistent within 0.01 points (domain.md §6)


def _funds_finding(code, severity, message, sheet: SheetRef, field="", where="funds") -> Finding:
    return Finding(code, severity, message, f"{sheet.prefix}.{where}", f"{sheet.section_prefix}.funds", field)


@check("K12", ERROR, "年度资金总额等于各来源之和")
def project_funds_add_up(ctx: Context):
    for sheet in ctx.sheets:
        project = sheet.project
        if project is None:
            continue
        if ctx.pkg.is_legacy and project.stated_total is not None:
            for column in FUND_COLUMNS:
                stated, computed = getattr(project.stated_total, column), getattr(sheet.funds, column)
                if stated is not None and computed is not None and stated != computed:
                    yield _funds_finding("K12", ERROR, f"{FUND_COLUMN_LABELS[column]}：年度资金总额{money(stated)}不等于"
                                         f"当年财政拨款、上年结转资金、其他资金之和{money(computed)}", sheet, column)
        if ctx.submit:
            for column in FUND_COLUMNS:
                if getattr(project.appropriation, column) is None:
                    yield _funds_finding("K12", ERROR, f"{FUND_COLUMN_LABELS[column]}：请填写其中“当年财政拨款”（无则填0）",
                                         sheet, f"appropriation_{column}")


@check("K13", ERROR, "填报执行率与计算执行率一致（历史数据）")
def stated_rate_matches(ctx: Context):
    if not ctx.pkg.is_legacy:
        return
    for sheet in ctx.sheets:
        stated, computed = sheet.stated_execution_rate, sheet.derived.execution_rate
        if stated is None or computed is None or abs(stated - computed) <= PERCENT_TOLERANCE:
            continue
        yield _funds_finding("K13", ERROR, f"执行率应为{money(computed)}%（{money(sheet.funds.spent)}÷"
                             f"{money(sheet.funds.full_year)}），表中为{plain(stated)}%", sheet, "execution_rate")


@check("K14", ERROR, "全年预算数为0或未填时无法计算执行率")
def budget_present(ctx: Context):
    for sheet in ctx.sheets:
        funds = sheet.funds
        if funds.spent and funds.spent > 0 and not funds.full_year:
            yield _funds_finding("K14", ERROR, "全年预算数为0或未填，无法计算执行率", sheet, "full_year")
        elif ctx.submit:
            missing = [FUND_COLUMN_LABELS[c] for c in FUND_COLUMNS if getattr(funds, c) is None]
            if missing:
                yield _funds_finding("K14", ERROR, f"年度资金总额的{'、'.join(missing)}未填写", sheet)


@check("K15", WARNING, "全年执行数不超过全年预算数")
def spent_within_budget(ctx: Context):
    for sheet in ctx.sheets:
        funds, rate = sheet.funds, sheet.derived.execution_rate
        if funds.spent is not None and funds.full_year and funds.spent > funds.full_year:
            yield _funds_finding("K15", WARNING, f"全年执行数{money(funds.spent)}超过全年预算数{money(funds.full_year)}"
                                 f"（执行率{money(rate)}%），得分按100%计，请说明超支原因", sheet, "spent")


@check("K16", WARNING, "预算调整幅度")
def budget_change(ctx: Context):
    threshold = ctx.pkg.template.rules.budget_change_threshold
    for sheet in ctx.sheets:
        change = sheet.derived.budget_change
        if change is not None and abs(change) > threshold:
            word = "增加" if change > 0 else "减少"
            yield _funds_finding("K16", WARNING, f"全年预算数较年初预算数{word}{money(abs(change))}%，请说明预算调整原因",
                                 sheet, "full_year")


def _income_total(ctx: Context):
    sheet = ctx.pkg.department_sheet
    return money_sum(sheet.income_general, sheet.income_gov_fund, sheet.income_nontax_special, sheet.income_other)


@check("K17", ERROR, "按收入性质分合计等于全年预算数")
def income_split(ctx: Context):
    total, budget = _income_total(ctx), ctx.pkg.department_sheet.funds.full_year
    if total is None and not ctx.submit:
        return      # not filled in yet
    if (total or Decimal(0)) != (budget or Decimal(0)):
        yield Finding("K17", ERROR, f"按收入性质分合计{money(total or Decimal(0))}，应等于全年预算数{money(budget)}",
                      "att2.funds.income", "att2.funds", "income_general")


@check("K18", ERROR, "基本支出与项目支出之和等于全年执行数")
def expenditure_split(ctx: Context):
    sheet = ctx.pkg.department_sheet
    basic = sheet.basic_expenditure
    if basic is None and not ctx.submit:
        return
    project = ctx.derived.department.project_expenditure or Decimal(0)
    total = (basic or Decimal(0)) + project
    if total != (sheet.funds.spent or Decimal(0)):
        yield Finding("K18", ERROR, f"基本支出{money(basic or Decimal(0))}与项目支出{money(project)}之和{money(total)}，"
                      f"应等于全年执行数{money(sheet.funds.spent)}", "att2.funds.expenditure", "att2.funds",
                      "basic_expenditure")

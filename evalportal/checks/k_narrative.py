"""K27, K29–K35: the narrative texts against the tables, and wording a reviewer would question."""
from __future__ import annotations

import re
from decimal import Decimal

from .catalogue import check
from .context import Context, TextRef, project_report_key
from .findings import ERROR, WARNING, Finding
from .formatting import money, percent_of, plain
from .k_funds import PERCENT_TOLERANCE
from .textscan import NUMBER, amounts, clause, per_text

_BASIC = re.compile(rf"基本支出(?:完成|为|共计|合计)?({NUMBER})万元")
_PERSONNEL = re.compile(rf"(?:人员工资福利支出|人员经费)(?:完成|为|支出)?({NUMBER})万元")
_GOODS = re.compile(rf"(?:商品和服务支出|公用经费)(?:完成|为|支出)?({NUMBER})万元")


def _department_texts(ctx: Context, *prefixes: str) -> list[TextRef]:
    return [t for t in ctx.texts if t.project is None
            and (not prefixes or any(t.location == f"report.{p}" or t.location.startswith(f"report.{p}.")
                                     for p in prefixes))]


@check("K27", ERROR, "基本支出明细与附件一致")
def basic_expenditure_detail(ctx: Context):
    pkg = ctx.pkg
    basic, personnel = pkg.department_sheet.basic_expenditure, pkg.personnel_expenditure
    goods = ctx.derived.base.line("public_expense").cur_final
    if basic is not None and personnel is not None and goods is not None and personnel + goods != basic:
        yield Finding("K27", ERROR, f"基本支出明细与附件不一致：人员工资福利支出{money(personnel)}万元与商品和服务支出"
                      f"{money(goods)}万元之和{money(personnel + goods)}万元，附件2基本支出为{money(basic)}万元",
                      "report.S2.1", "report.S2", "personnel_expenditure")
    if ctx.submit and personnel is None:
        yield Finding("K27", ERROR, "基本支出明细与附件不一致：请填写人员工资福利支出", "report.S2.1", "report.S2",
                      "personnel_expenditure")
    table = (("基本支出", _BASIC, basic, "附件2基本支出"), ("人员工资福利支出", _PERSONNEL, personnel, "人员工资福利支出"),
             ("商品和服务支出", _GOODS, goods, f"附件1公用经费{pkg.year}年决算数"))
    for text in _department_texts(ctx, "S2"):
        for label, pattern, expected, source in table:
            for match in pattern.finditer(text.text):
                stated = Decimal(match.group(1))
                if expected is not None and stated != expected:
                    yield Finding("K27", ERROR, f"基本支出明细与附件不一致：正文“{match.group(0)}”，{source}为"
                                  f"{money(expected)}万元", text.location, text.section_key)


_SCORE = re.compile(rf"(?:得分|总分)(?:为|是|达到)?({NUMBER})分")
_GRADE = re.compile(r"(?:评价等级|考评结果|评价结果|考核等级|等级)(?:为|是)?[“\"「]?(优秀|良好|中等|优|良|中|差)")
_GRADE_WORDS = {"优秀": "优", "良好": "良", "中等": "中"}


@check("K29", ERROR, "正文所述得分、等级与自评表一致")
def quoted_score(ctx: Context):
    for text in ctx.texts:
        sheet = ctx.derived.project(text.project) if text.project else ctx.derived.department
        if not sheet.score.complete:
            continue        # a quoted score can only be compared with a finished sheet
        table_name = "自评表" if text.project is None else "项目自评表"
        scores, grades = _quoted(text.text)
        for stated in scores:
            if stated != sheet.total:
                yield Finding("K29", ERROR, f"报告正文所述得分{plain(stated)}分与{table_name}总分{money(sheet.total)}分不一致",
                              text.location, text.section_key)
        for written in grades:
            if _GRADE_WORDS.get(written, written) != sheet.grade.label:
                yield Finding("K29", ERROR, f"报告正文所述评价等级“{written}”与{table_name}评价等级"
                              f"“{sheet.grade.narrative_label}”不一致", text.location, text.section_key)


@per_text
def _quoted(body: str) -> tuple[tuple[Decimal, ...], tuple[str, ...]]:
    """The scores and the grade words a text quotes."""
    return (tuple(Decimal(m.group(1)) for m in _SCORE.finditer(body)),
            tuple(m.group(1) for m in _GRADE.finditer(body)))


# A stated total followed by a list of its parts: "专项经费为1116.12万元。其中：…41万元；…" / "完成769.3万元，主要为…".
_TOTAL_THEN_LIST = re.compile(
    rf"(?<![\d.])(?P<total>{NUMBER})万元[。，,；;]?\s*(?:其中[：:，,]?|主要为|主要是|主要包括|包括|具体为|分别为)(?P<list>[^。]*)")


@check("K30", "error/warning", "资金使用明细合计等于执行数")
def spend_items_add_up(ctx: Context):
    for project in ctx.pkg.projects:
        if not project.spend_items:
            continue
        spent = ctx.derived.project(project).funds.spent or Decimal(0)
        total = sum((item.amount for item in project.spend_items), Decimal(0))
        if total != spent:
            yield Finding("K30", ERROR, f"项目资金使用明细合计{money(total)}万元，与全年执行数{money(spent)}万元相差"
                          f"{money(abs(spent - total))}万元", f"project_report.{project.order}.spend_items",
                          f"{project_report_key(project)}.S1", "spend_items")
    for text in ctx.texts:
        for shown, stated, listed in _lists_off_their_total(text.text):
            yield Finding("K30", WARNING, f"文中“{shown}…”所列金额合计{money(listed)}万元，"
                          f"与所述总额{money(stated)}万元相差{money(abs(stated - listed))}万元", text.location,
                          text.section_key)


@per_text
def _lists_off_their_total(body: str) -> tuple[tuple[str, Decimal, Decimal], ...]:
    """(clause, stated total, sum of the listed amounts) for each stated total its list does not add up to."""
    found = []
    for match in _TOTAL_THEN_LIST.finditer(body):
        parts = amounts(match.group("list"))
        if len(parts) < 2:
            continue
        stated, listed = Decimal(match.group("total")), sum(parts, Decimal(0))
        if listed != stated:
            found.append((clause(body, match.start(), match.start("list"), ahead=0), stated, listed))
    return tuple(found)


_CHANGE = re.compile(
    rf"(?:(?<![\d.])(?P<current>{NUMBER})万元[，,]?)?(?:比|较)(?:上年|上一年|去年|\d{{4}}年)?(?:同期)?"
    rf"(?P<direction>增加|减少|增长|下降)了?(?P<delta>{NUMBER})万元[，,]?"
    rf"(?:同比)?(?:增加|减少|增长|下降|增幅|降幅|增长率|下降率)?(?:为|了)?(?P<pct>{NUMBER})%")


def _known_base(ctx: Context, text: str, start: int) -> Decimal | None:
    """The Y−1 amount a change refers to when the sentence does not state the current amount."""
    if "三公" in text[max(0, start - 20):start]:
        line = ctx.derived.base.line("three_public_total")
        return ctx.pkg.previous_three_public if ctx.pkg.previous_three_public is not None else line.prev_final
    return None


@check("K31", WARNING, "增减幅度计算正确")
def change_percentages(ctx: Context):
    for text in ctx.texts:
        for start, shown, current, direction, delta, stated in _changes(text.text):
            decrease = direction in ("减少", "下降")
            if current is not None:
                base = current + delta if decrease else current - delta
            else:
                base = _known_base(ctx, text.text, start)
            if not base or base <= 0:
                continue      # the base is unknown: nothing to recompute
            computed = percent_of(delta, base)
            if abs(computed - stated) > PERCENT_TOLERANCE:
                yield Finding("K31", WARNING, f"文中“{shown}”：按{plain(delta)}÷{money(base)}"
                              f"计算应为{money(computed)}%，请核对", text.location, text.section_key)


@per_text
def _changes(body: str) -> tuple[tuple, ...]:
    """(start, clause, current amount or None, direction, change, stated %) for each stated change of the text."""
    return tuple((match.start(), clause(body, *match.span()),
                  Decimal(match.group("current")) if match.group("current") else None, match.group("direction"),
                  Decimal(match.group("delta")), Decimal(match.group("pct")))
                 for match in _CHANGE.finditer(body))


_RATE = re.compile(rf"(?P<name>[\u4e00-\u9fa5]{{0,8}}率)(?:为|达|达到|是)?(?P<pct>{NUMBER})%")
_GROWTH = ("增长率", "增速", "增幅", "完成率")   # may legitimately pass 100%


@check("K32", WARNING, "文中比率不超过100%")
def text_rates(ctx: Context):
    for text in ctx.texts:
        for shown in _rates_over_100(text.text):
            yield Finding("K32", WARNING, f"文中“{shown}”比率超过100%，请核实", text.location, text.section_key)


@per_text
def _rates_over_100(body: str) -> tuple[str, ...]:
    return tuple(clause(body, *match.span(), reach=0) for match in _RATE.finditer(body)
                 if Decimal(match.group("pct")) > 100 and not any(w in match.group("name") for w in _GROWTH))


_FUND_GENERATORS = {"gov_fund": 4, "state_capital": 5, "social_insurance": 6}
_NOT_ARRANGED = re.compile(r"未安排|^\s*无[。.]?\s*$")


def _subtree_text(ctx: Context, key: str) -> str:
    return "\n".join(s.text for s in ctx.pkg.sections if s.key == key or s.key.startswith(key + "."))


def _section_label(ctx: Context, key: str) -> str:
    section = next(s for s in ctx.pkg.sections if s.key == key)
    return f"第{ctx.section_number(key)}部分“{section.title}”"


@check("K33", ERROR, "正文与附件4–6一致")
def fund_sections(ctx: Context):
    for section in ctx.pkg.sections:
        number = _FUND_GENERATORS.get(section.generator)
        if number is None:
            continue
        text = _subtree_text(ctx, section.key)
        table = ctx.derived.fund_table(number)
        label = f"正文{_section_label(ctx, section.key)}与附件{number}不一致"
        cited = amounts(text)
        location, key = f"report.{section.key}", f"report.{section.key.split('.')[0]}"
        if table is None or table.none:
            if cited:
                yield Finding("K33", ERROR, f"{label}：附件{number}标为“无”，正文却列有金额"
                              f"{'、'.join(plain(a) for a in cited)}万元", location, key)
            continue
        if _NOT_ARRANGED.search(text):
            yield Finding("K33", ERROR, f"{label}：附件{number}有支出{money(table.total.spent)}万元，正文却写“未安排”或“无”",
                          location, key)
        rows = next(t for t in ctx.pkg.fund_tables if t.number == number).rows
        known = {r.funds.spent for r in rows} | {table.total.spent}
        for amount in cited:
            if amount not in known:
                yield Finding("K33", ERROR, f"{label}：正文金额{plain(amount)}万元在附件{number}中没有对应的行", location, key)


def _problems_section(ctx: Context):
    return next((s for s in ctx.pkg.sections if not s.parent_key and "存在的问题" in s.title),
                next((s for s in ctx.pkg.sections if s.key == "S7"), None))


def _lost_points_or_adjusted(ctx: Context) -> bool:
    threshold = ctx.pkg.template.rules.budget_change_threshold
    for sheet in ctx.sheets:
        d = sheet.derived
        if any(s.lost for s in d.score.rows if s.lost) or d.execution_score < ctx.pkg.template.rules.execution_weight:
            return True
        funds = sheet.funds
        if funds.spent is not None and funds.full_year and funds.spent > funds.full_year:
            return True       # K15
        if d.budget_change is not None and abs(d.budget_change) > threshold:
            return True       # K16
    return False


@check("K34", "error/warning", "必填章节与“无”")
def required_texts(ctx: Context):
    pkg = ctx.pkg
    if ctx.submit:
        for section in pkg.sections:
            if section.parent_key or not section.required:
                continue
            subtree = [s for s in pkg.sections if s.key == section.key or s.key.startswith(section.key + ".")]
            if not any(s.text.strip() for s in subtree) and not any(s.generator for s in subtree[1:]):
                yield Finding("K34", ERROR, f"第{ctx.section_number(section.key)}部分“{section.title}”不能为空",
                              f"report.{section.key}", f"report.{section.key}", "text")
        for sheet in ctx.sheets:
            for field, label, value in (("goal_expected", "预期目标", sheet.goal_expected),
                                        ("goal_achieved", "实际完成情况", sheet.goal_achieved)):
                if not value.strip():
                    yield Finding("K34", ERROR, f"{sheet.title}年度总体目标的“{label}”不能为空", f"{sheet.prefix}.goal",
                                  f"{sheet.section_prefix}.goal", field)
        if not pkg.base.austerity_measures.strip():
            yield Finding("K34", WARNING, "附件1“厉行节约保障措施”未填写", "att1.austerity", "att1.austerity",
                          "austerity_measures")
    problems = _problems_section(ctx)
    if problems is not None and re.fullmatch(r"\s*无[。.]?\s*", _subtree_text(ctx, problems.key)) \
            and _lost_points_or_adjusted(ctx):
        yield Finding("K34", WARNING, f"存在失分或预算调整，第{ctx.section_number(problems.key)}部分不宜填写“无”",
                      f"report.{problems.key}", f"report.{problems.key}", "text")


_PARTIAL_YEAR = re.compile(
    r"(?:截止|截至)(?:至|到)?(?:目前|当前|现在|(?:[1-9]|1[01]|[一二三四五六七八九]|十|十一)月(?:底|末|份)?)"
    r"|(?<!\d)1\s*[-－—~～至到]\s*(?:[1-9]|1[01])\s*月")


@check("K35", WARNING, "自评应反映全年数据")
def partial_year(ctx: Context):
    for text in ctx.texts:
        for wording in _partial_year_wordings(text.text):
            yield Finding("K35", WARNING, f"自评应反映全年数据，文中出现“{wording}”，请核实", text.location,
                          text.section_key)


@per_text
def _partial_year_wordings(body: str) -> tuple[str, ...]:
    # One finding per wording and section: "截止目前" four times in §六 is one thing to explain.
    return tuple(dict.fromkeys(m.group(0) for m in _PARTIAL_YEAR.finditer(body)))

"""The generated sentences of domain.md §2.2/§2.3: recomputed on every render from the derived figures.

Each generator code of the outline templates (core/demo/templates.yaml) maps to one function taking
(pkg, derived, project) and returning the sentence; a generator with nothing to say returns "".
"""
from __future__ import annotations

from collections.abc import Callable

from evalportal.checks.data import PackageData, ProjectData
from evalportal.checks.derive import Derived
from evalportal.checks.formatting import cn_date, money, percent_of

Generator = Callable[[PackageData, Derived, "ProjectData | None"], str]

# 附件4–6: the sentence when the table is marked 无, and the one quoting its 合计 otherwise (§2.2 S3–S5).
_FUND_SENTENCES = {
    4: ("本单位未安排政府性基金预算支出。", "{year}年度政府性基金预算财政拨款支出{total}万元，详见附件4。"),
    5: ("本单位未安排国有资本经营预算支出。", "{year}年度国有资本经营预算财政拨款支出{total}万元，详见附件5。"),
    6: ("本单位未安排社会保险基金预算支出。", "{year}年度社会保险基金预算支出{total}万元，详见附件6。"),
}
_ATTACHMENT_NAMES = {1: "部门整体支出绩效评价基础数据表", 2: "部门整体支出绩效自评表", 3: "项目支出绩效自评表",
                     4: "政府性基金预算财政拨款支出情况表", 5: "国有资本经营预算财政拨款支出情况表",
                     6: "社会保险基金预算支出情况表"}


def special_funds_total(pkg: PackageData, derived: Derived, project: ProjectData | None = None) -> str:
    return f"{pkg.year}年度{pkg.department_short_name}专项经费为{money(derived.department.project_expenditure)}万元。"


def _three_public_change(pkg: PackageData, derived: Derived) -> str:
    line = derived.base.line("three_public_total")
    # The package's typed Y−1 figure wins; blank means "take 附件1's {Y−1}年决算数".
    previous = pkg.previous_three_public if pkg.previous_three_public is not None else line.prev_final
    current = line.cur_final
    if previous is None or current is None:
        return ""
    prefix = f"“三公经费”总体较{pkg.year - 1}年"
    if current == previous:
        return f"“三公经费”总体与{pkg.year - 1}年持平。"
    change = current - previous
    word, rate_word = ("增加", "增幅") if change > 0 else ("减少", "降幅")
    sentence = f"{prefix}{word}了{money(abs(change))}万元"
    if not previous:        # from zero there is no percentage to print
        return sentence + "。"
    return f"{sentence}，{rate_word}为{money(percent_of(abs(change), previous))}%。"


def basic_expenditure(pkg: PackageData, derived: Derived, project: ProjectData | None = None) -> str:
    public = derived.base.line("public_expense").cur_final
    first = (f"全年基本支出{money(pkg.department_sheet.basic_expenditure)}万元，"
             f"其中人员工资福利支出{money(pkg.personnel_expenditure)}万元、商品和服务支出{money(public)}万元。")
    return first + _three_public_change(pkg, derived)


def project_list(pkg: PackageData, derived: Derived, project: ProjectData | None = None) -> str:
    items = [f"{p.name}{money(derived.project(p).funds.spent)}万元" for p in pkg.projects
             if derived.project(p).funds.spent is not None]
    text = special_funds_total(pkg, derived)
    return f"{text}其中：{'；'.join(items)}。" if items else text


def _fund_table(number: int) -> Generator:
    def sentence(pkg: PackageData, derived: Derived, project: ProjectData | None = None) -> str:
        table = derived.fund_table(number)
        none_text, amount_text = _FUND_SENTENCES[number]
        if table is None or table.none:
            return none_text
        return amount_text.format(year=pkg.year, total=money(table.total.spent))
    return sentence


def department_score(pkg: PackageData, derived: Derived, project: ProjectData | None = None) -> str:
    department = derived.department
    return (f"绩效综合评价得分为{money(department.total)}分，"
            f"评价等级为“{department.grade.narrative_label}”。")


def attachment_list(pkg: PackageData) -> list[str]:
    """The narrative's 附件 note: only attachments actually attached (附件4–6 marked 无 are left out).

    Each entry keeps its attachment number (1.部门整体支出绩效评价基础数据表 … 6.社会保险基金预算支出情况表), so the
    note agrees with the 附件N label on the attachment page even when 附件4 or 附件5 is omitted.
    """
    numbers = [1, 2] + ([3] if pkg.projects else [])
    numbers += [t.number for t in sorted(pkg.fund_tables, key=lambda t: t.number) if not t.none]
    return [f"{n}.{_ATTACHMENT_NAMES[n]}" for n in numbers]


def attachment_note(pkg: PackageData, derived: Derived, project: ProjectData | None = None) -> str:
    """附件：1.… on the first line, the others on their own lines, no final punctuation (§8)."""
    entries = attachment_list(pkg)
    return "附件：" + "\n".join(entries) if entries else ""


def _require(project: ProjectData | None) -> ProjectData:
    if project is None:
        raise ValueError("a project report generator needs the project")
    return project


def project_amount(pkg: PackageData, derived: Derived, project: ProjectData | None = None) -> str:
    project = _require(project)
    return f"{pkg.year}年度{project.name}全年执行数为{money(derived.project(project).funds.spent)}万元。"


def project_spend_items(pkg: PackageData, derived: Derived, project: ProjectData | None = None) -> str:
    items = [f"{item.name}{money(item.amount)}万元" for item in _require(project).spend_items]
    return "；".join(items) + "。" if items else ""


def _period(start, end) -> str:
    """2024年4月15日到4月25日: the end date drops the year it shares with the start."""
    end_text = cn_date(end)
    if end.year == start.year:
        end_text = end_text.split("年", 1)[1]
    return f"{cn_date(start)}到{end_text}"


def project_eval_work(pkg: PackageData, derived: Derived, project: ProjectData | None = None) -> str:
    project = _require(project)
    if project.eval_start and project.eval_end:
        when = f"于{_period(project.eval_start, project.eval_end)}"
    elif project.eval_start or project.eval_end:
        when = f"于{cn_date(project.eval_start or project.eval_end)}"
    else:
        when = ""
    basis = f"按照{project.basis}" if project.basis else ""
    return f"本单位{when}{'，' if when and basis else ''}{basis}对{project.name}的使用情况开展了绩效自评。"


def project_score(pkg: PackageData, derived: Derived, project: ProjectData | None = None) -> str:
    sheet = derived.project(_require(project))
    return f"自评得分{money(sheet.total)}分。考评结果为{sheet.grade.narrative_label}。"


GENERATORS: dict[str, Generator] = {
    "special_funds_total": special_funds_total,
    "basic_expenditure": basic_expenditure,
    "project_list": project_list,
    "gov_fund": _fund_table(4),
    "state_capital": _fund_table(5),
    "social_insurance": _fund_table(6),
    "department_score": department_score,
    "attachment_note": attachment_note,
    "project_amount": project_amount,
    "project_spend_items": project_spend_items,
    "project_eval_work": project_eval_work,
    "project_score": project_score,
}


def generated_text(generator: str, pkg: PackageData, derived: Derived, project: ProjectData | None = None) -> str:
    """The sentence of one generator code; "" for an empty code, KeyError for an unknown one."""
    if not generator:
        return ""
    return GENERATORS[generator](pkg, derived, project)

"""What each printed part of a package contains, as plain data (domain.md §2.1 print order, §3, §8).

`package_parts(package)` turns one loaded package into an ordered list of `Part`s: the narrative report, 附件1,
附件2, each 附件3-k, 附件4–6 unless 无, and each project evaluation report. A part's `content` is everything
that is printed on it and nothing else, so its hash (plus the template version) is the key of the part cache:
a changed figure changes only the parts that print it. Figures come from the engine (checks.derive and the
generated sentences), never from arithmetic here.
"""
from __future__ import annotations

import dataclasses
import hashlib
import json
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from evalportal.checks.data import PackageData, ProjectData
from evalportal.checks.derive import Derived, derive
from evalportal.checks.formatting import cn_date, money, plain
from evalportal.narrative import attachment_list, generated_text, heading_number
from evalportal.reports.selectors import package_data

from .layout import (ATT_LABEL_LINE, ATT_TITLE_LINE, FOOTER_LINE, RUNNING_LINE, TYPE_HEIGHT, UNIT_LINE, Cell,
                     Group, Row, Table)

# Column widths in mm (domain.md §8): 附件2/3 A–I, 附件1 A–G, 附件4–6.
# 附件2/3 follow §8 except D 40 → 37 and H 12 → 15 mm: "100.00%" (执行率) does not fit 12 mm at a legible size.
SHEET_WIDTHS = (8, 18, 18, 37, 16, 16, 10, 15, 18)
BASE_WIDTHS = (46, 18, 18, 18, 18, 19, 19)
FUND_WIDTHS = (12, 50, 20, 20, 20, 16, 18)
FOOTER_HEIGHT = 2 * FOOTER_LINE + 8      # two footer lines and the gap above them
NOTE_HEIGHT = 3 * 16.0 + 6                # 附件1's 说明 (up to three lines at 11 pt)

# Generated sentences that close their section; the others open it (seed 001 puts 得分 and 专项经费 last).
GENERATED_LAST = {"special_funds_total", "department_score", "project_score"}
ATTACHMENT_NOTE = "attachment_note"

ATTACHMENT_TITLES = {
    1: "{year}年度部门整体支出绩效评价基础数据表",
    2: "{year}年度部门整体支出绩效自评表",
    3: "{year}年度项目支出绩效自评表",
}


@dataclass
class Part:
    key: str                   # report, att1, att2, att3-1 …, att4 … att6, project_report-1 …, verification
    label: str                 # what the download list shows: 附件3-1 政务中心大厅运行经费
    template: str
    content: dict              # JSON-able: everything printed on the part
    tables: dict[str, Table] = field(default_factory=dict)   # paginated at render time (layout.paginate)

    def digest(self, template_version: str) -> str:
        payload = {"key": self.key, "template": self.template, "version": template_version,
                   "content": self.content, "tables": {k: _table_json(t) for k, t in self.tables.items()}}
        blob = json.dumps(payload, ensure_ascii=False, sort_keys=True, default=_json_default)
        return hashlib.sha256(blob.encode()).hexdigest()


def _json_default(value):
    if isinstance(value, Decimal):
        return str(value)
    if dataclasses.is_dataclass(value):
        return dataclasses.asdict(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    raise TypeError(f"not JSON-able: {type(value)}")


def _table_json(table: Table) -> str:
    # The dataclasses' repr holds every field; asdict() deep-copied the whole table and took 7 % of an export.
    return repr(table)


# --- formatting -----------------------------------------------------------------------------------------

def amount(value: Decimal | None) -> str:
    """Money, scores and weights print with 2 decimals; blank stays blank (domain.md §1)."""
    return money(value)


def rate(value: Decimal | None) -> str:
    return "" if value is None else f"{money(value)}%"


def date_text(value) -> str:
    return cn_date(value) if value else ""


def num(text: str, span: int = 1) -> Cell:
    return Cell(text, span, "num")


def txt(text: str, span: int = 1, cls: str = "") -> Cell:
    return Cell(text or "", span, cls)


def head(text: str, span: int = 1) -> Cell:
    return Cell(text, span, "head")


# --- package → parts ------------------------------------------------------------------------------------

@dataclass
class Source:
    """Everything the part builders read: the model (names, outline, workflow), plain data and derived figures."""

    package: object
    pkg: PackageData
    derived: Derived


def load_source(package) -> Source:
    pkg = package_data(package)
    return Source(package=package, pkg=pkg, derived=derive(pkg))


def package_parts(package, source: Source | None = None) -> list[Part]:
    """Every part of the package in print order (domain.md §2.1)."""
    source = source or load_source(package)
    pkg = source.pkg
    parts = [report_part(source), base_part(source), department_sheet_part(source)]
    for index, project in enumerate(pkg.projects, start=1):
        parts.append(project_sheet_part(source, project, index))
    for table in sorted(pkg.fund_tables, key=lambda t: t.number):
        if not table.none:
            parts.append(fund_table_part(source, table))
    outline = _project_outline(source.package)
    for index, project in enumerate(pkg.projects, start=1):
        if project.has_report:
            parts.append(project_report_part(source, project, index, outline))
    return parts


def part_keys(package) -> list[tuple[str, str]]:
    """(key, label) of every part, cheaply, for download links (no figures computed)."""
    keys = [("report", _("部门整体支出绩效自评报告")), ("att1", _("附件1 部门整体支出绩效评价基础数据表")),
            ("att2", _("附件2 部门整体支出绩效自评表"))]
    projects = list(package.projects.all())
    keys += [(f"att3-{i}", _("附件3-%(n)s %(name)s") % {"n": i, "name": p.name}) for i, p in enumerate(projects, 1)]
    for table in sorted(package.fund_tables.all(), key=lambda t: t.number):
        if not table.none:
            keys.append((f"att{table.number}", _("附件%(n)s %(name)s") % {"n": table.number,
                                                                          "name": table.get_kind_display()}))
    keys += [(f"project_report-{i}", _("%(name)s项目支出绩效评价报告") % {"name": p.name})
             for i, p in enumerate(projects, 1) if hasattr(p, "report")]
    return keys


def _common(source: Source) -> dict:
    pkg = source.pkg
    return {"year": pkg.year, "department": pkg.department_name}


# --- narrative ------------------------------------------------------------------------------------------

def _numbered(sections) -> list[tuple[object, int, str]]:
    """(section, level, number) in outline order; numbers count siblings under the same parent."""
    counters: dict[str, int] = {}
    result = []
    for section in sections:
        parent = section.parent_key or ""
        counters[parent] = counters.get(parent, 0) + 1
        level = section.key.count(".") + 1
        result.append((section, level, heading_number(level, counters[parent])))
    return result


def _paragraphs(text: str) -> list[str]:
    return [line.strip() for line in (text or "").replace("\r\n", "\n").split("\n") if line.strip()]


def _section_blocks(sections, texts: dict[str, str], sentence) -> list[dict]:
    """Headings and paragraphs; the generated sentence opens or closes its section's typed text."""
    keys_with_children = {s.parent_key for s in sections if s.parent_key}
    blocks = []
    for section, level, number in _numbered(sections):
        blocks.append({"kind": "heading", "level": level, "text": f"{number}{section.title}"})
        generated = "" if section.generator == ATTACHMENT_NOTE else sentence(section.generator)
        typed = _paragraphs(texts.get(section.key, ""))
        body = typed + [generated] if section.generator in GENERATED_LAST else [generated] + typed
        body = [p for p in body if p]
        if not body and section.key not in keys_with_children:
            body = [_("无。")]     # an empty leaf heading still says so, as the paper forms do
        blocks += [{"kind": "p", "text": paragraph} for paragraph in body]
    return blocks


TITLE_CHARS_PER_LINE = 20      # 2号 (22 pt) in the 156 mm type area


def title_lines(head: str, tail: str) -> list[str]:
    """A 2号 title on one line, or broken where its sense breaks (unit | kind of report), never mid-word."""
    if len(head + tail) <= TITLE_CHARS_PER_LINE or not head:
        return [head + tail]
    return [head, tail]


def report_part(source: Source) -> Part:
    pkg, derived = source.pkg, source.derived
    texts = {s.key: s.text for s in pkg.sections}
    blocks = _section_blocks(pkg.sections, texts, lambda code: generated_text(code, pkg, derived))
    notes = attachment_list(pkg)
    content = {
        **_common(source),
        "title": f"{pkg.year}年度{pkg.department_name}部门整体支出绩效自评报告",
        "title_lines": title_lines(f"{pkg.year}年度{pkg.department_name}", "部门整体支出绩效自评报告"),
        "blocks": blocks,
        "attachments": notes,
        "signature_unit": pkg.department_name,
        "signature_date": date_text(pkg.filled_on) or "　　年　　月　　日",
    }
    return Part("report", _("部门整体支出绩效自评报告"), "exporters/print/report.html", content)


def _project_outline(package) -> list:
    outline = getattr(package, "project_outline", None)
    if outline is None:
        return []
    from evalportal.checks.data import SectionData
    return [SectionData(key=s.key, title=s.title, generator=s.generator, parent_key=s.parent_key)
            for s in outline.sections.all()]


def project_report_part(source: Source, project: ProjectData, index: int, outline: list) -> Part:
    pkg, derived = source.pkg, source.derived
    blocks = _section_blocks(outline, project.report_sections,
                             lambda code: generated_text(code, pkg, derived, project))
    content = {**_common(source), "title": f"{project.name}项目支出绩效评价报告",
               "title_lines": title_lines(project.name, "项目支出绩效评价报告"), "blocks": blocks}
    return Part(f"project_report-{index}", _("%(name)s项目支出绩效评价报告") % {"name": project.name},
                "exporters/print/project_report.html", content)


# --- attachments ----------------------------------------------------------------------------------------

def _footer(footer, head_name: str | None = None) -> dict:
    return {"filled_by": footer.filled_by, "filled_on": date_text(footer.filled_on), "phone": footer.phone,
            "head_name": head_name if head_name is not None else footer.head_name}


def _attachment(source: Source, number: str, label: str, template: str, *, table: Table, title: str,
                unit_line: str, footer: dict | None, extra: dict | None = None, running: str = "") -> Part:
    content = {**_common(source), "number": number, "title": title, "unit_line": unit_line, "footer": footer,
               "running": running or f"{number} {label}（续）", **(extra or {})}
    return Part(key=_key_for(number), label=f"{number} {label}", template=template, content=content,
                tables={"main": table})


def _key_for(number: str) -> str:
    return "att" + number.removeprefix("附件")


def first_room(has_unit_line: bool = True) -> float:
    """Room for the table on an attachment's first page: 附件N, a blank line, the title, then the unit line."""
    return TYPE_HEIGHT - ATT_LABEL_LINE * 2 - ATT_TITLE_LINE - 10 - (UNIT_LINE if has_unit_line else 0)


def next_room() -> float:
    return TYPE_HEIGHT - RUNNING_LINE - 4


def base_part(source: Source) -> Part:
    """附件1: a 7-column grid; A holds the block labels (merged down the staffing and buildings blocks)."""
    pkg, derived = source.pkg, source.derived
    base, computed = pkg.base, derived.base
    year = pkg.year
    rows: list[Row] = []
    staff = Group("staff", "财政供养人员情况(人)", continued_suffix="")
    rows.append(Row((head("编制数", 2), head(f"{year}年实际在职人数", 2), head("控制率", 2)), lead=(staff,),
                    keep_with_next=True))
    rows.append(Row((num(_int(base.authorised_posts), 2), num(_int(base.actual_staff), 2),
                     num(rate(computed.staff_control_rate), 2)), lead=(staff,)))
    expense_head = Row((head("经费控制情况(万元)"), head(f"{year - 1}年决算数", 2), head(f"{year}年预算数", 2),
                        head(f"{year}年决算数", 2)), cls="subhead", keep_with_next=True)
    rows.append(expense_head)
    labels = dict(_line_labels())

    def line_row(label: str, line, cls: str = "") -> Row:
        return Row((txt(label, cls=("rowlabel " + cls).strip()), num(amount(line.prev_final), 2),
                    num(amount(line.cur_budget), 2), num(amount(line.cur_final), 2)), repeat=(expense_head,))

    for key in ("three_public_total", "vehicle", "vehicle_purchase", "vehicle_operation", "overseas", "reception",
                "project_total", "business_funds", "operation_funds", "special_total"):
        rows.append(line_row(labels[key], computed.line(key), "indent" if key.startswith("vehicle_") else ""))
    for special in computed.special_rows:
        rows.append(line_row(special.name, special.line, "indent"))
    for key in ("public_expense", "office_expense", "utilities_travel", "meeting_training", "procurement_amount",
                "basic_budget_adjustment"):
        rows.append(line_row(labels[key], computed.line(key)))
    buildings = Group("buildings", f"楼堂馆所控制情况({year}年完工项目)", continued_suffix="")
    rows.append(Row(tuple(head(t) for t in ("批复规模(m²)", "实际规模(m²)", "规模控制率", "预算投资(万元)",
                                             "实际投资(万元)", "投资概算控制率")), lead=(buildings,),
                    keep_with_next=True))
    rows.append(Row((num(amount(base.approved_area)), num(amount(base.actual_area)),
                     num(rate(computed.area_control_rate)), num(amount(base.budget_investment)),
                     num(amount(base.actual_investment)), num(rate(computed.investment_control_rate))),
                    lead=(buildings,)))
    rows.append(Row((head("厉行节约保障措施"), txt(base.austerity_measures, 6, "text"))))
    note = ("说明：“项目支出”需要填报基本支出以外的所有项目支出情况，“公用经费”填报基本支出中的一般商品和服务支出。")
    table = Table(BASE_WIDTHS, tuple(rows), footer_height=FOOTER_HEIGHT + NOTE_HEIGHT)
    return _attachment(source, "附件1", "部门整体支出绩效评价基础数据表", "exporters/print/attachment.html",
                       table=table, title=ATTACHMENT_TITLES[1].format(year=year),
                       unit_line=f"填报单位：{pkg.department_name}",
                       footer={**_footer(base.footer), "date_label": "填表日期"}, extra={"note": note})


def _line_labels():
    from evalportal.reports.models import BaseDataLine
    return [(choice.value, str(choice.label)) for choice in BaseDataLine.Line]


def _int(value) -> str:
    return "" if value is None else str(value)


def _value_text(parsed, raw: str) -> str:
    """年度指标值 / 实际完成值 as printed: the parsed canonical form (≧ → ≥), else the text as typed."""
    if parsed is None or not parsed.canonical or getattr(parsed, "unit_inherited", False):
        return raw
    return parsed.canonical


def _indicator_rows(rows, scored, execution_weight, category_labels: dict[str, str]) -> tuple[list[Row], Decimal]:
    """Header row and one Row per indicator, with 一级/二级 runs merged and repeated with （续） across pages."""
    block = Group("indicators", "绩效指标", continued_suffix="")
    header = Row((head("一级指标"), head("二级指标"), head("三级指标"), head("年度指标值"), head("实际完成值"),
                  head("分值"), head("得分"), head("偏差原因分析及改进措施")), lead=(block,), keep_with_next=True,
                 cls="colhead")
    result = [header]
    weights = sum((row.weight or Decimal("0") for row in rows), Decimal("0"))
    for position, (row, score) in enumerate(zip(rows, scored)):
        category = Group(f"c:{row.category}", category_labels.get(row.category, row.category))
        subcategory = Group(f"s:{row.category}/{row.subcategory}", row.subcategory)
        final = score.final if score is not None else None
        result.append(Row((txt(row.name, cls="text"), txt(_value_text(score.target if score else None, row.target_raw),
                                                           cls="center"),
                           txt(_value_text(score.actual if score else None, row.actual_raw), cls="center"),
                           num(amount(row.weight)), num(amount(final)), txt(row.deviation_reason, cls="small")),
                          lead=(block, category, subcategory), repeat=(header,),
                          keep_with_next=position == 0))    # never the column header with a single row
    return result, weights + (execution_weight or 0)


def _funds_rows(group_label: str, funds, execution_weight, execution_rate, execution_score, lines) -> list[Row]:
    block = Group("funds", group_label, continued_suffix="")
    rows = [Row((head("", 2), head("年初预算数"), head("全年预算数"), head("全年执行数"), head("分值"),
                 head("执行率"), head("得分")), lead=(block,), keep_with_next=True),
            Row((txt("年度资金总额", 2, "rowlabel"), num(amount(funds.initial)), num(amount(funds.full_year)),
                 num(amount(funds.spent)), num(amount(execution_weight)), num(rate(execution_rate)),
                 num(amount(execution_score))), lead=(block,))]
    rows += [Row(cells, lead=(block,)) for cells in lines]
    return rows


def _goal_rows(expected: str, achieved: str) -> list[Row]:
    block = Group("goal", "年度总体目标", continued_suffix="")
    return [Row((head("预期目标", 4), head("实际完成情况", 4)), lead=(block,), keep_with_next=True),
            Row((Cell("", 4, "text goal", tuple(_paragraphs(expected))),
                 Cell("", 4, "text goal", tuple(_paragraphs(achieved)))),
                lead=(block,))]


def _total_row(weights: Decimal, total: Decimal) -> Row:
    # 分值 prints as the form does ("100"): "100.00" does not fit the 10 mm column.
    return Row((head("总分", 6), num(plain(weights)), num(amount(total)), txt("")), cls="total")


def department_sheet_part(source: Source) -> Part:
    pkg, derived = source.pkg, source.derived
    sheet, computed = pkg.department_sheet, derived.department
    execution_weight = pkg.template.rules.execution_weight
    split = lambda label, value: f"{label}{amount(value)}"   # noqa: E731
    lines = [
        (txt("按收入性质分：", 4, "text"), txt("按支出性质分：", 4, "text")),
        (txt(split("其中：一般公共预算：", sheet.income_general), 4, "text"),
         txt(split("其中：基本支出：", sheet.basic_expenditure), 4, "text")),
        (txt(split("政府性基金拨款：", sheet.income_gov_fund), 4, "text"),
         txt(split("项目支出：", computed.project_expenditure), 4, "text")),
        (txt(split("纳入专户管理的非税收入拨款：", sheet.income_nontax_special), 4, "text"), txt("", 4)),
        (txt(split("其他资金：", sheet.income_other), 4, "text"), txt("", 4)),
    ]
    rows = [Row((head("预算部门名称", 2), txt(pkg.department_name, 7, "text")))]
    rows += _funds_rows("年度预算申请(万元)", computed.funds, execution_weight, computed.execution_rate,
                        computed.execution_score, lines)
    rows += _goal_rows(sheet.goal_expected, sheet.goal_achieved)
    indicator_rows, weights = _indicator_rows(sheet.rows, computed.score.rows, execution_weight,
                                             _category_labels(pkg))
    rows += indicator_rows
    rows.append(_total_row(weights, computed.total))
    table = Table(SHEET_WIDTHS, tuple(rows), footer_height=FOOTER_HEIGHT)
    return _attachment(source, "附件2", "部门整体支出绩效自评表", "exporters/print/attachment.html", table=table,
                       title=ATTACHMENT_TITLES[2].format(year=pkg.year), unit_line="",
                       footer=_footer(sheet.footer))


def project_sheet_part(source: Source, project: ProjectData, index: int) -> Part:
    pkg, derived = source.pkg, source.derived
    computed = derived.project(project)
    execution_weight = pkg.template.rules.execution_weight

    def source_row(label, funds):
        return (txt(label, 2, "rowlabel"), num(amount(funds.initial)), num(amount(funds.full_year)),
                num(amount(funds.spent)), txt("", 3))

    lines = [source_row("其中：当年财政拨款", project.appropriation), source_row("上年结转资金", project.carryover),
             source_row("其他资金", project.other)]
    rows = [Row((head("项目支出名称", 2), txt(project.name, 7, "text"))),
            Row((head("主管部门", 2), txt(project.supervising_department, 3, "text"), head("实施单位", 2),
                 txt(project.implementing_unit, 2, "text")))]
    rows += _funds_rows("项目资金(万元)", computed.funds, execution_weight, computed.execution_rate,
                        computed.execution_score, lines)
    rows += _goal_rows(project.goal_expected, project.goal_achieved)
    indicator_rows, weights = _indicator_rows(project.rows, computed.score.rows, execution_weight,
                                             _category_labels(pkg))
    rows += indicator_rows
    rows.append(_total_row(weights, computed.total))
    table = Table(SHEET_WIDTHS, tuple(rows), footer_height=FOOTER_HEIGHT)
    number = f"附件3-{index}"
    return _attachment(source, number, project.name, "exporters/print/attachment.html", table=table,
                       title=ATTACHMENT_TITLES[3].format(year=pkg.year), unit_line="",
                       footer=_footer(project.footer))


def fund_table_part(source: Source, table_data) -> Part:
    pkg, derived = source.pkg, source.derived
    total = derived.fund_table(table_data.number).total
    from evalportal.reports.models import FundTable
    name = str(FundTable.Kind(table_data.kind).label)
    header = Row(tuple(head(t) for t in ("序号", "项目（支出功能分类科目）", "年初预算数", "全年预算数",
                                           "全年执行数", "执行率", "备注")), keep_with_next=True, cls="colhead")
    rows = [header]
    for index, row in enumerate(table_data.rows, start=1):
        rows.append(Row((txt(str(index), cls="center"), txt(row.subject, cls="text"), num(amount(row.funds.initial)),
                         num(amount(row.funds.full_year)), num(amount(row.funds.spent)),
                         num(rate(_rate(row.funds.spent, row.funds.full_year))), txt(row.note, cls="small")),
                        repeat=(header,)))
    rows.append(Row((head("合计", 2), num(amount(total.initial)), num(amount(total.full_year)),
                     num(amount(total.spent)), num(rate(_rate(total.spent, total.full_year))), txt("")),
                    cls="total"))
    sheet_footer = pkg.department_sheet.footer
    fund_table = next((t for t in source.package.fund_tables.all() if t.kind == table_data.kind), None)
    footer = {"filled_by": getattr(fund_table, "filled_by", "") or sheet_footer.filled_by,
              "filled_on": date_text(getattr(fund_table, "filled_on", None) or sheet_footer.filled_on),
              "phone": sheet_footer.phone, "head_name": sheet_footer.head_name}
    number = f"附件{table_data.number}"
    return _attachment(source, number, name, "exporters/print/attachment.html",
                       table=Table(FUND_WIDTHS, tuple(rows), footer_height=FOOTER_HEIGHT),
                       title=f"{pkg.year}年度{name}", unit_line=f"填报单位：{pkg.department_name}（单位：万元）",
                       footer=footer)


def _rate(part: Decimal | None, whole: Decimal | None) -> Decimal | None:
    from evalportal.checks.derive import rate_pct
    return rate_pct(part, whole)


def _category_labels(pkg: PackageData) -> dict[str, str]:
    """一级 labels print with their template weight: 产出指标（30分）."""
    return {category.name: category.label for category in pkg.template.categories}

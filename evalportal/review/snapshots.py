"""Snapshots (domain.md §7): the whole package at one 提交 as canonical JSON, with its SHA-256.

`snapshot_content(pkg, ...)` is pure (plain PackageData in, JSON-ready dict out) and lays the package out
by review section key, so that diff.py can compare two snapshots section by section, row by row.
`snapshot_freeze(package, actor)` reads the database and stores a Snapshot row.
"""
from __future__ import annotations

import dataclasses
import hashlib
import json
from datetime import date, datetime
from decimal import Decimal
from enum import Enum

from evalportal.checks import data as d
from evalportal.scoring import score_sheet

SCHEMA_VERSION = 1

LINE_LABELS = {
    "three_public_total": "“三公”经费", "vehicle": "1、公务用车购置和维护经费", "vehicle_purchase": "其中：公车购置",
    "vehicle_operation": "公车运行维护", "overseas": "2、出国经费", "reception": "3、公务接待",
    "project_total": "项目支出", "business_funds": "1、业务工作经费", "operation_funds": "2、运行维护经费",
    "special_total": "3、本级专项资金", "public_expense": "公用经费", "office_expense": "其中：办公经费",
    "utilities_travel": "水费、电费、差旅费", "meeting_training": "会议费、培训费", "procurement_amount": "政府采购金额",
    "basic_budget_adjustment": "部门基本支出预算调整",
}
BASE_COLUMNS = (("prev_final", "上年决算数"), ("cur_budget", "本年预算数"), ("cur_final", "本年决算数"))
FUND_COLUMNS = (("initial", "年初预算数"), ("full_year", "全年预算数"), ("spent", "全年执行数"))
FUND_SOURCES = (("appropriation", "当年财政拨款"), ("carryover", "上年结转资金"), ("other", "其他资金"))
ROW_FIELDS = (("category", "一级指标"), ("subcategory", "二级指标"), ("name", "三级指标"), ("target_raw", "年度指标值"),
              ("actual_raw", "实际完成值"), ("weight", "分值"), ("band", "档次"), ("judged_score", "评定得分"),
              ("adjusted_score", "调减后得分"), ("adjustment_reason", "调减理由"),
              ("deviation_reason", "偏差原因分析及改进措施"), ("evidence", "佐证说明"))
FOOTER_FIELDS = (("filled_by", "填表人"), ("filled_on", "填报日期"), ("phone", "联系电话"), ("head_name", "单位负责人"))
FUND_TABLE_KEYS = {4: "att4", 5: "att5", 6: "att6"}
FUND_TABLE_TITLES = {4: "附件4 政府性基金预算财政拨款支出情况表", 5: "附件5 国有资本经营预算财政拨款支出情况表",
                     6: "附件6 社会保险基金预算支出情况表"}


def plain(value):
    """A JSON-ready value: Decimal and dates as strings (never floats), blanks as None."""
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, Decimal):
        return f"{value:f}"
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, Enum):
        return plain(value.value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [plain(v) for v in value]
    return str(value)


def canonical_json(data: dict) -> str:
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def sha256_of(data: dict) -> str:
    return hashlib.sha256(canonical_json(data).encode("utf-8")).hexdigest()


def _field(label: str, value) -> dict:
    return {"label": label, "value": plain(value)}


def _money_sum(*values):
    filled = [v for v in values if v is not None]
    return sum(filled, Decimal("0")) if filled else None


def _pct(part, whole):
    if part is None or not whole:
        return None
    from evalportal.scoring.decimals import to_cent
    return to_cent(Decimal(part) * 100 / Decimal(whole))


def _section(title: str, fields: dict | None = None, rows: dict | None = None, **extra) -> dict:
    return {"title": title, "fields": fields or {}, "rows": rows or {}, **extra}


def _footer_fields(footer: d.Footer) -> dict:
    return {name: _field(label, getattr(footer, name)) for name, label in FOOTER_FIELDS}


def _sheet_result(rows, funds: d.Funds, rules: d.Rules) -> tuple[dict, dict]:
    """Scores per row id and the sheet's execution row, total and grade."""
    score = score_sheet(rows, funds.full_year, funds.spent, rules)
    per_row = {str(row.id): plain(result.final) for row, result in zip(rows, score.rows)}
    result = {"execution_rate": plain(score.execution_rate), "execution_score": plain(score.execution_score),
              "rows_total": plain(score.rows_total), "total": plain(score.total),
              "grade": score.grade.label if score.complete else "", "complete": score.complete}
    return per_row, result


def _indicator_rows(rows, scores: dict) -> dict:
    return {str(row.id): {"label": row.name, "order": row.order, "score": scores.get(str(row.id)),
                          "fields": {name: _field(label, getattr(row, name)) for name, label in ROW_FIELDS}}
            for row in rows}


def _funds_fields(prefix_label: str, funds: d.Funds, prefix: str = "") -> dict:
    return {f"{prefix}{col}": _field(f"{prefix_label}{label}", getattr(funds, col)) for col, label in FUND_COLUMNS}


def _key_order(key: str) -> tuple:
    """S2 < S2.1 < S2.10 < S10: numeric order of dotted section keys."""
    return tuple(int(part) if part.isdigit() else 0 for part in key.lstrip("S").split("."))


def snapshot_content(pkg: d.PackageData, *, meta: dict, findings=(), explanations: dict | None = None,
                     generated: dict | None = None, project_titles: dict | None = None) -> dict:
    """Pure: lay out one package by review section key (domain.md §7) with every computed result.

    project_titles: project-report outline key → heading (the outline is not part of PackageData).
    """
    explanations, generated, project_titles = explanations or {}, generated or {}, project_titles or {}
    sections: dict[str, dict] = {}
    rules = pkg.template.rules

    # Comments attach to the top headings (report.S1…S10); sub-headings are fields of their top section.
    titles = {section.key: section.title for section in pkg.sections}
    for section in pkg.sections:
        top = section.key.split(".")[0]
        target = sections.setdefault(f"report.{top}", _section(f"报告正文 · {titles.get(top, top)}"))
        label = "正文" if section.key == top else section.title
        target["fields"][section.key] = _field(label, section.text)
        if section.key in generated:
            target["fields"][f"{section.key}.generated"] = _field(f"{label}（生成语句）", generated[section.key])

    base = pkg.base
    sections["att1.staff"] = _section("附件1 财政供养人员情况", {
        "authorised_posts": _field("编制数", base.authorised_posts),
        "actual_staff": _field("实际在职人数", base.actual_staff),
        "staff_control_rate": _field("控制率(%)", _pct(base.actual_staff, base.authorised_posts))})
    expense = {}
    for line, label in LINE_LABELS.items():
        values = base.lines.get(line)
        if values is None:
            continue
        for col, col_label in BASE_COLUMNS:
            expense[f"{line}.{col}"] = _field(f"{label}·{col_label}", getattr(values, col))
    special = {f"special:{row.name}": {"label": row.name, "order": i, "score": None, "fields": {
        "project_name": _field("对应项目", row.project_name),
        **{col: _field(col_label, getattr(row, col)) for col, col_label in BASE_COLUMNS}}}
        for i, row in enumerate(base.special_rows)}
    sections["att1.expense"] = _section("附件1 经费控制情况", expense, special)
    sections["att1.buildings"] = _section("附件1 楼堂馆所控制情况", {
        "approved_area": _field("批复规模(m²)", base.approved_area), "actual_area": _field("实际规模(m²)", base.actual_area),
        "budget_investment": _field("预算投资(万元)", base.budget_investment),
        "actual_investment": _field("实际投资(万元)", base.actual_investment)})
    sections["att1.austerity"] = _section("附件1 厉行节约保障措施",
                                          {"austerity_measures": _field("厉行节约保障措施", base.austerity_measures)})
    sections["att1.footer"] = _section("附件1 填表信息", _footer_fields(base.footer))

    sheet = pkg.department_sheet
    dept_scores, dept_result = _sheet_result(sheet.rows, sheet.funds, rules)
    project_expenditure = _money_sum(*(_money_sum(p.appropriation.spent, p.carryover.spent, p.other.spent)
                                       for p in pkg.projects))
    sections["att2.funds"] = _section("附件2 年度预算申请", {
        **_funds_fields("年度资金总额·", sheet.funds),
        "income_general": _field("一般公共预算", sheet.income_general),
        "income_gov_fund": _field("政府性基金拨款", sheet.income_gov_fund),
        "income_nontax_special": _field("纳入专户管理的非税收入拨款", sheet.income_nontax_special),
        "income_other": _field("其他资金", sheet.income_other),
        "basic_expenditure": _field("基本支出", sheet.basic_expenditure),
        "project_expenditure": _field("项目支出（计算）", project_expenditure),
        "execution_rate": _field("执行率(%)（计算）", dept_result["execution_rate"]),
        "execution_score": _field("执行率得分（计算）", dept_result["execution_score"])})
    sections["att2.goal"] = _section("附件2 年度总体目标", {"goal_expected": _field("预期目标", sheet.goal_expected),
                                                      "goal_achieved": _field("实际完成情况", sheet.goal_achieved)})
    sections["att2.indicators"] = _section("附件2 绩效指标", rows=_indicator_rows(sheet.rows, dept_scores),
                                           result=dept_result)
    sections["att2.footer"] = _section("附件2 填表信息", _footer_fields(sheet.footer))

    project_results = {}
    for number, project in enumerate(pkg.projects, start=1):
        pk = project.id
        funds = d.Funds(*(_money_sum(*(getattr(getattr(project, src), col) for src, _l in FUND_SOURCES))
                          for col, _label in FUND_COLUMNS))
        scores, result = _sheet_result(project.rows, funds, rules)
        result.update(name=project.name, number=number)
        project_results[str(pk)] = result
        title = f"附件3-{number} {project.name}"
        fund_fields = {"name": _field("项目名称", project.name),
                       "supervising_department": _field("主管部门", project.supervising_department),
                       "implementing_unit": _field("实施单位", project.implementing_unit),
                       **_funds_fields("年度资金总额·", funds, "total_")}
        for src, src_label in FUND_SOURCES:
            fund_fields.update(_funds_fields(f"{src_label}·", getattr(project, src), f"{src}_"))
        fund_fields["execution_rate"] = _field("执行率(%)（计算）", result["execution_rate"])
        fund_fields["execution_score"] = _field("执行率得分（计算）", result["execution_score"])
        sections[f"att3.{pk}.funds"] = _section(f"{title} · 项目资金", fund_fields)
        sections[f"att3.{pk}.goal"] = _section(f"{title} · 年度总体目标", {
            "goal_expected": _field("预期目标", project.goal_expected),
            "goal_achieved": _field("实际完成情况", project.goal_achieved)})
        sections[f"att3.{pk}.indicators"] = _section(f"{title} · 绩效指标", rows=_indicator_rows(project.rows, scores),
                                                     result=result)
        sections[f"att3.{pk}.footer"] = _section(f"{title} · 填表信息", _footer_fields(project.footer))
        report_title = f"{project.name}项目支出绩效评价报告"
        keys = sorted({*project.report_sections, "S1", "S2"}, key=_key_order)
        for key in keys:
            top = key.split(".")[0]
            target = sections.setdefault(f"project_report.{pk}.{top}", _section(
                f"{report_title} · {project_titles.get(top, top)}"))
            if key in project.report_sections or key != top:
                label = "正文" if key == top else project_titles.get(key, key)
                target["fields"][key] = _field(label, project.report_sections.get(key, ""))
        sections[f"project_report.{pk}.S1"]["rows"] = {
            f"item:{i}": {"label": item.name, "order": i, "score": None,
                          "fields": {"name": _field("支出内容", item.name), "amount": _field("金额（万元）", item.amount)}}
            for i, item in enumerate(project.spend_items)}
        sections[f"project_report.{pk}.S2"]["fields"].update(
            eval_start=_field("评价开始日期", project.eval_start), eval_end=_field("评价结束日期", project.eval_end),
            basis=_field("评价依据", project.basis))

    for table in pkg.fund_tables:
        key = FUND_TABLE_KEYS.get(table.number, f"att{table.number}")
        rows = {f"row:{i}:{row.subject}": {"label": row.subject, "order": i, "score": None, "fields": {
            **_funds_fields("", row.funds), "note": _field("备注", row.note)}} for i, row in enumerate(table.rows)}
        sections[key] = _section(FUND_TABLE_TITLES.get(table.number, key), {"none": _field("无此项支出", table.none)}, rows)

    finding_list = [{
        "code": f.code, "severity": f.severity, "message": f.message, "location": f.location,
        "section_key": f.section_key, "row_id": f.row_id,
        "explanation": explanations.get((f.code, f.location), {}).get("explanation", ""),
        "acknowledged": bool(explanations.get((f.code, f.location), {}).get("acknowledged")),
    } for f in findings]
    return {
        "schema": SCHEMA_VERSION,
        "meta": plain(meta),
        "section_order": list(sections),
        "sections": sections,
        "results": {"department": dept_result, "projects": project_results},
        "findings": finding_list,
        "inputs": plain(pkg),
    }


def generated_sentences(pkg) -> dict:
    from evalportal.checks import derive
    from evalportal.narrative.generate import generated_text
    derived = derive(pkg)
    return {s.key: generated_text(s.generator, pkg, derived) for s in pkg.sections if s.generator}


def project_titles(loaded) -> dict[str, str]:
    outline = loaded.project_outline
    return {section.key: section.title for section in outline.sections.all()} if outline else {}


def snapshot_freeze(package, actor):
    """Store Snapshot n+1 of `package` (call inside the transition's transaction)."""
    from evalportal.reports.engine import evaluate
    from evalportal.reports.selectors import load_package, package_data

    from .models import Snapshot

    loaded = load_package(package.pk)
    pkg = package_data(loaded)
    evaluation = evaluate(pkg, stage="submit")
    explanations = {(e.code, e.location): {"explanation": e.explanation, "acknowledged": e.acknowledged_by_id is not None}
                    for e in loaded.check_explanations.all()}
    number = (package.snapshots.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    meta = {"package": package.pk, "number": number, "year": pkg.year, "department": pkg.department_name,
            "edition": package.edition, "template_code": pkg.template.code, "template_version": pkg.template.version}
    content = snapshot_content(pkg, meta=meta, findings=evaluation.findings, explanations=explanations,
                               generated=generated_sentences(pkg), project_titles=project_titles(loaded))
    result = content["results"]["department"]
    return Snapshot.objects.create(
        package=package, number=number, edition=package.edition, created_by=actor, schema_version=SCHEMA_VERSION,
        template_code=pkg.template.code, template_version=pkg.template.version, data=content,
        sha256=sha256_of(content), total_score=Decimal(result["total"]) if result["total"] is not None else None,
        grade=result["grade"])

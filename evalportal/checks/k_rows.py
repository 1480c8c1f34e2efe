"""K01–K11 and K28: indicator rows, weights and the execution row of 附件2 and every 附件3."""
from __future__ import annotations

import re
import unicodedata
from decimal import Decimal

from .catalogue import check
from .context import Context, SheetRef
from .findings import ERROR, WARNING, Finding
from .formatting import money, plain

EXECUTION_ROW = "预算执行率"
_BAND_LABELS = {"met": "达成年度指标", "partial": "部分达成年度指标并具有一定效果", "not_met": "未达成年度指标且效果较差"}


def _row_finding(code, severity, message, sheet: SheetRef, index, row, field="") -> Finding:
    return Finding(code, severity, message, sheet.row_location(row, index), f"{sheet.section_prefix}.indicators", field,
                   row.id)


def _execution_finding(code, severity, message, sheet: SheetRef, field="") -> Finding:
    return Finding(code, severity, message, f"{sheet.prefix}.funds", f"{sheet.section_prefix}.funds", field)


def _out_of_range(name: str, value: Decimal, weight: Decimal) -> str:
    return f"「{name}」得分{plain(value)}超出分值{plain(weight)}，应在0～{plain(weight)}之间"


@check("K01", ERROR, "得分应在0～分值之间")
def score_within_weight(ctx: Context):
    for sheet, index, row, score in ctx.rows():
        candidates = [("judged_score", row.judged_score)]    # adjusted scores: the engine's own errors below
        if ctx.pkg.is_legacy:
            candidates.append(("stated_score", row.stated_score))
        for field, value in candidates:
            if value is not None and row.weight is not None and not Decimal(0) <= value <= row.weight:
                yield _row_finding("K01", ERROR, _out_of_range(row.name, value, row.weight), sheet, index, row, field)
        for field, message in score.errors:
            if field == "adjusted_score":     # 调减后得分 above the computed score, below 0, or without a reason
                yield _row_finding("K01", ERROR, f"「{row.name}」{message}", sheet, index, row, field)
    weight = ctx.pkg.template.rules.execution_weight
    for sheet in ctx.sheets:
        stated = sheet.stated_execution_score if ctx.pkg.is_legacy else None
        if stated is not None and not Decimal(0) <= stated <= weight:
            yield _execution_finding("K01", ERROR, _out_of_range(EXECUTION_ROW, stated, weight), sheet,
                                     "execution_score")


@check("K02", ERROR, "填报得分与计算得分一致（历史数据）")
def stated_score_matches(ctx: Context):
    if not ctx.pkg.is_legacy:
        return
    for sheet, index, row, score in ctx.rows():
        if row.stated_score is not None and score.final is not None and row.stated_score != score.final:
            yield _row_finding("K02", ERROR, f"「{row.name}」得分应为{money(score.final)}，表中为{plain(row.stated_score)}",
                               sheet, index, row, "stated_score")
    for sheet in ctx.sheets:
        stated, computed = sheet.stated_execution_score, sheet.derived.execution_score
        if stated is not None and stated != computed:
            yield _execution_finding("K02", ERROR, f"「{EXECUTION_ROW}」得分应为{money(computed)}，表中为{plain(stated)}",
                                     sheet, "execution_score")


@check("K03", ERROR, "总分等于各项得分之和（历史数据）")
def stated_total_matches(ctx: Context):
    if not ctx.pkg.is_legacy:
        return
    for sheet in ctx.sheets:
        stated, computed = sheet.stated_total_score, sheet.derived.total
        if stated is not None and stated != computed:
            yield Finding("K03", ERROR, f"总分应为各项得分之和{money(computed)}，表中为{plain(stated)}",
                          f"{sheet.prefix}.total", f"{sheet.section_prefix}.indicators", "total_score")


@check("K04", ERROR, "一级指标下分值合计等于模板权重")
def category_weights(ctx: Context):
    categories = ctx.pkg.template.categories
    known = {c.name for c in categories}
    for sheet in ctx.sheets:
        for category in categories:
            total = sum((r.weight or Decimal(0) for r in sheet.rows if r.category == category.name), Decimal(0))
            if total != category.weight:
                yield Finding("K04", ERROR, f"「{category.name}」下各指标分值合计{plain(total)}分，应为{plain(category.weight)}分",
                              f"{sheet.prefix}.category.{category.id}", f"{sheet.section_prefix}.indicators", "weight")
        for index, row in enumerate(sheet.rows):
            if row.weight is None:      # a draft may leave it blank; it is needed before submitting
                yield _row_finding("K04", ERROR if ctx.submit else WARNING, f"「{row.name}」请填写分值", sheet,
                                   index, row, "weight")
            if row.category not in known:
                yield _row_finding("K04", ERROR, f"「{row.name}」的一级指标「{row.category}」不在权重模板中", sheet,
                                   index, row, "category")


@check("K05", ERROR, "一级指标权重与执行率分值合计100分")
def template_weights(ctx: Context):
    template = ctx.pkg.template
    total = sum((c.weight for c in template.categories), Decimal(0)) + template.rules.execution_weight
    if total != 100:
        yield Finding("K05", ERROR, f"一级指标权重与预算执行率分值合计{plain(total)}分，应为100分", "template",
                      "att2.indicators")


@check("K06", ERROR, "未得满分须填写偏差原因")
def deviation_reason_required(ctx: Context):
    for sheet, index, row, score in ctx.rows():
        lost = score.lost if score.lost is not None else Decimal(0)
        if (lost > 0 or row.band in ("partial", "not_met")) and not row.deviation_reason.strip():
            yield _row_finding("K06", ERROR, f"「{row.name}」未得满分（失{money(lost)}分），请填写偏差原因分析及改进措施",
                               sheet, index, row, "deviation_reason")


@check("K07", WARNING, "超额完成须说明原因")
def overshoot_explained(ctx: Context):
    for sheet, index, row, score in ctx.rows():
        if score.overshoot_pct is not None and not row.deviation_reason.strip():
            yield _row_finding(
                "K07", WARNING, f"「{row.name}」实际完成值{score.actual.canonical}超出指标值{score.target.canonical}"
                f"{money(score.overshoot_pct)}%，请说明原因（指标值是否设定过低）", sheet, index, row, "deviation_reason")


@check("K08", ERROR, "定性指标得分在所选档次范围内")
def band_range_respected(ctx: Context):
    for sheet, index, row, score in ctx.rows():
        if row.judged_score is not None and row.weight is not None and not Decimal(0) <= row.judged_score <= row.weight:
            continue        # K01 already reports it; one mistake, one message
        for field, message in score.errors:
            if field in ("band", "judged_score"):
                yield _row_finding("K08", ERROR, f"「{row.name}」{message}", sheet, index, row, field)
        if ctx.submit and score.is_qualitative and score.final is None and not score.errors:
            yield _row_finding("K08", ERROR, f"「{row.name}」为定性指标，请选择档次并填写得分", sheet, index, row,
                               "judged_score")


@check("K09", "error/warning", "年度指标值、实际完成值可识别")
def values_parse(ctx: Context):
    for sheet, index, row, score in ctx.rows():
        for field, message in score.errors:
            if field in ("target_raw", "actual_raw"):
                yield _row_finding("K09", ERROR, f"「{row.name}」{message}", sheet, index, row, field)
        for field, message in score.warnings:
            if field == "actual_raw" and not row.actual_raw.strip():
                # Blank is not zero: fine while drafting, an error once the package is submitted.
                yield _row_finding("K09", ERROR if ctx.submit else WARNING, f"「{row.name}」{message}", sheet, index,
                                   row, field)
            elif field == "target_raw" or (field == "actual_raw" and not score.actual.unit_inherited):
                # (an inherited unit is K10's warning, not a parse problem)
                yield _row_finding("K09", WARNING, f"「{row.name}」{message}", sheet, index, row, field)


@check("K10", WARNING, "实际完成值未写单位")
def actual_unit_inherited(ctx: Context):
    for sheet, index, row, score in ctx.rows():
        if score.actual is not None and score.actual.unit_inherited:
            yield _row_finding("K10", WARNING, f"「{row.name}」实际完成值未写单位，已按“{score.actual.unit}”处理",
                               sheet, index, row, "actual_raw")


_RATE_NAME = re.compile(r"率|满意度")


@check("K11", ERROR, "比率指标不超过100%")
def rates_capped(ctx: Context):
    for sheet, index, row, score in ctx.rows():
        if row.may_exceed_100 or not _RATE_NAME.search(row.name):
            continue
        for field, value in (("target_raw", score.target), ("actual_raw", score.actual)):
            if value is not None and value.is_quantitative and value.unit == "%" and value.number > 100:
                yield _row_finding("K11", ERROR, f"「{row.name}」为比率指标，{value.canonical}超过100%，请核实", sheet,
                                   index, row, field)


def name_key(name: str) -> str:
    """三级指标 name with whitespace and punctuation removed (full-width folded), for cross-matching (§3.4)."""
    return "".join(ch for ch in unicodedata.normalize("NFKC", name) if ch.isalnum())


@check("K28", WARNING, "同名指标实际完成值一致")
def same_indicator_same_actual(ctx: Context):
    # Only the actual is compared: a project may legitimately set a different target than the department,
    # but one indicator measured in one year has one result (seed 001: 社会公众满意度 ≥95% and ≧98%, both 98%).
    first_seen: dict[str, tuple] = {}
    for sheet, index, row, score in ctx.rows():
        if score.actual is None:
            continue
        key = name_key(row.name)
        value = (score.actual.number, score.actual.unit) if score.actual.is_quantitative else score.actual.canonical
        if key not in first_seen:
            first_seen[key] = (sheet, row, value)
            continue
        first_sheet, first_row, first_value = first_seen[key]
        if value != first_value:
            yield _row_finding("K28", WARNING, f"指标「{row.name}」在{first_sheet.label}为{first_row.actual_raw.strip()}，"
                               f"在{sheet.label}为{row.actual_raw.strip()}，请核对", sheet, index, row, "actual_raw")

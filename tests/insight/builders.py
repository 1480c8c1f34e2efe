"""Small hand-made PackageData for the insight tests (no database)."""
from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from evalportal.checks.data import (BaseData, CategoryData, DepartmentSheetData, Funds, IndicatorData, PackageData,
                                    ProjectData, SectionData, TemplateData)


def D(value) -> Decimal | None:  # noqa: N802 - reads like a literal
    return None if value is None else Decimal(str(value))


def funds(initial, full_year, spent) -> Funds:
    return Funds(D(initial), D(full_year), D(spent))


TEMPLATE = TemplateData(code="TEST", categories=(
    CategoryData(1, "产出指标", Decimal("30"), ("数量指标", "质量指标", "时效指标")),
    CategoryData(2, "效益指标", Decimal("30"), ("社会效益指标", "生态效益指标", "可持续影响指标")),
    CategoryData(3, "满意度指标", Decimal("10"), ("服务对象满意度指标",)),
    CategoryData(4, "成本指标", Decimal("20"), ("经济成本指标", "社会成本指标")),
))


def row(name: str, target: str, actual: str, weight=5, extra: dict | None = None, *, order: int = 0
        ) -> IndicatorData:
    """A row; a numberless target is qualitative and gets band MET at full weight unless told otherwise."""
    values = dict(id=order or None, category="产出指标", subcategory="数量指标", name=name, target_raw=target,
                  actual_raw=actual, weight=D(weight), order=order)
    if not any(ch.isdigit() for ch in target):
        values.update(band="met", judged_score=D(weight))
    values.update(extra or {})
    return IndicatorData(**values)


def rows(*specs) -> tuple[IndicatorData, ...]:
    return tuple(row(*spec, order=index) for index, spec in enumerate(specs, start=1))


# An ordinary sheet: quantitative rows met above their target, one row short of it (with a reason), and two
# qualitative rows. No signal fires on it.
ORDINARY = (
    ("业务培训次数", "≥4次", "3次", 10, {"deviation_reason": "受场地改造影响，第四季度培训推迟至次年一月举办。"}),
    ("政务服务事项网上办事率", "≥95%", "97.3%", 10),
    ("政府网站上传信息数量", "≥40000条", "42412条", 10),
    ("大厅行政审批事项办结率", "100%", "100%", 10),
    ("咨询投诉件办理时限", "≤2天", "1.5天", 10),
    ("社会公众满意度", "≥95%", "98%", 10),
    ("审批事项承诺时限压缩率", "≥10%", "12.5%", 10),
    ("生态环境改善情况", "有所改善", "有所改善", 10),
    ("实现可持续发展", "有所提升", "有所提升", 10),
)


def package(indicator_rows=None, *, year: int = 2023, name: str = "测试市行政审批服务局", budget=100, spent=100,
            projects: tuple[ProjectData, ...] = (), texts: dict[str, str] | None = None,
            goal_achieved: str = "") -> PackageData:
    sheet = DepartmentSheetData(funds=funds(budget, budget, spent),
                                rows=indicator_rows if indicator_rows is not None else rows(*ORDINARY),
                                goal_achieved=goal_achieved)
    sections = tuple(SectionData(key, title, (texts or {}).get(key, ""))
                     for key, title in (("S1", "部门基本情况"), ("S6", "部门整体支出绩效情况"), ("S7", "存在的问题及原因分析"),
                                        ("S8", "下一步改进措施")))
    return PackageData(year=year, department_name=name, department_short_name=name[-5:], template=TEMPLATE,
                       base=BaseData(), department_sheet=sheet, projects=projects, sections=sections)


def project(name: str, *, order: int = 1, appropriation=(50, 50, 50), carryover=(None, None, None),
            indicator_rows=None, report: dict[str, str] | None = None) -> ProjectData:
    return ProjectData(id=order, name=name, category="special", order=order, appropriation=funds(*appropriation),
                       carryover=funds(*carryover), other=Funds(),
                       rows=indicator_rows if indicator_rows is not None else rows(*ORDINARY[:3]),
                       report_sections=report or {})


def with_rows(pkg: PackageData, indicator_rows) -> PackageData:
    return replace(pkg, department_sheet=replace(pkg.department_sheet, rows=indicator_rows))

"""bench checks: derive() + run() on synthetic packages of 5, 20 and 50 projects (12 indicator rows each)."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

from evalportal.checks import derive, run
from evalportal.checks.data import (BaseData, BaseLine, CategoryData, DepartmentSheetData, Footer, Funds,
                                    FundTableData, IndicatorData, PackageData, ProjectData, SectionData,
                                    SpecialRowData, SpendItemData, TemplateData)

from . import Timing, measure, register

SIZES = (5, 20, 50)
_TEMPLATE = TemplateData("HUNAN_2023", (
    CategoryData(1, "产出指标", Decimal(30), ("数量指标", "质量指标", "时效指标")),
    CategoryData(2, "效益指标", Decimal(30), ("经济效益指标", "社会效益指标", "生态效益指标", "可持续影响指标")),
    CategoryData(3, "满意度指标", Decimal(10), ("服务对象满意度指标",)),
    CategoryData(4, "成本指标", Decimal(20), ("经济成本指标", "社会成本指标", "生态环境成本指标")),
))
# 12 rows: (一级, 二级, 三级, 年度指标值, 实际完成值, 分值) — every comparator kind and a qualitative row or two.
_ROWS = (
    ("产出指标", "数量指标", "政府网站上传信息数量", "≥40000条", "41560", 10),
    ("产出指标", "数量指标", "政务服务事项网上办事率", "≥95%", "93%", 10),
    ("产出指标", "质量指标", "政务大厅办事差错率", "0", "0", 5),
    ("产出指标", "时效指标", "咨询投诉件办理时限", "≦2天", "3天", 5),
    ("效益指标", "经济效益指标", "提升内部行政效能", "≧50%", "50%", 10),
    ("效益指标", "社会效益指标", "“一门集中、一窗集成”改革率", "100%", "100%", 10),
    ("效益指标", "生态效益指标", "生态环境改善情况", "有所改善", "有所改善", 5),
    ("效益指标", "可持续影响指标", "实现可持续发展", "有所提升", "有所提升", 5),
    ("满意度指标", "服务对象满意度指标", "服务对象满意率", "≧95%", "98%", 10),
    ("成本指标", "经济成本指标", "整体运维成本", "≦20万 元", "20万元", 10),
    ("成本指标", "社会成本指标", "对社会发展可能造成的负面影响", "无", "无", 5),
    ("成本指标", "生态环境成本指标", "对自然生态环境造成的负面影响", "无", "无", 5),
)
_TEXT = ("2023年，我局持续推进行政审批提速，全年基本支出334.70万元，其中人员工资福利支出289.15万元、商品和服务支出"
         "45.55万元。“三公经费”总体较2022年减少了3.7万元，降幅为91.36%。一是细化预算编制；二是加强财务管理；"
         "三是控制三公经费。截至11月，回访率101.6%。根据汨府阅（2019）9号文件，（一）深化改革。（二）优化服务。") * 4


def _rows(start: int) -> tuple[IndicatorData, ...]:
    rows = []
    for i, (category, sub, name, target, actual, weight) in enumerate(_ROWS):
        qualitative = not any(ch.isdigit() for ch in target)
        rows.append(IndicatorData(
            id=start + i, category=category, subcategory=sub, name=name, target_raw=target, actual_raw=actual,
            weight=Decimal(weight), band="met" if qualitative else "", judged_score=Decimal(weight) if qualitative else None,
            deviation_reason="" if i % 3 else "偏差原因说明", order=i))
    return tuple(rows)


def synthetic_package(projects: int) -> PackageData:
    """A package of `projects` 附件3 sheets with narrative texts that exercise the text checks."""
    items = []
    for n in range(1, projects + 1):
        amount = Decimal(n * 10)
        items.append(ProjectData(
            id=n, name=f"专项经费项目{n}", category="special", order=n,
            appropriation=Funds(amount, amount + 5, amount + 3), carryover=Funds(Decimal(0), Decimal(0), Decimal(0)),
            other=Funds(), rows=_rows(n * 100), goal_expected="预期目标", goal_achieved="实际完成情况",
            implementing_unit="测试局", footer=Footer("填表人", date(2024, 4, 25), "0730-0000000", "负责人"),
            spend_items=(SpendItemData("办公费", amount), SpendItemData("维修费", Decimal(3))),
            report_sections={"S1.1": _TEXT, "S3": _TEXT, "S5": _TEXT},
            eval_start=date(2024, 4, 15), eval_end=date(2024, 4, 25), basis="《项目支出绩效评价指标体系》"))
    spent = sum((p.appropriation.spent for p in items), Decimal(0))
    sections = tuple(SectionData(f"S{i}", f"第{i}部分", _TEXT, required=i in (1, 2, 6, 7, 8, 9)) for i in range(1, 11))
    return PackageData(
        year=2023, department_name="测试市行政审批服务局", department_short_name="行政审批服务局", template=_TEMPLATE,
        base=BaseData(authorised_posts=28, actual_staff=28,
                      lines={"reception": BaseLine(Decimal("4.05"), Decimal("2.8"), Decimal("0.35")),
                             "public_expense": BaseLine(Decimal("44.8"), Decimal("50.01"), Decimal("45.55"))},
                      special_rows=tuple(SpecialRowData(p.name, p.name, Decimal(1)) for p in items)),
        department_sheet=DepartmentSheetData(
            funds=Funds(Decimal(1000), spent + Decimal("334.70"), spent + Decimal("334.70")),
            income_general=spent + Decimal("334.70"), basic_expenditure=Decimal("334.70"),
            goal_expected="预期目标", goal_achieved="实际完成情况", rows=_rows(1)),
        projects=tuple(items), fund_tables=(FundTableData("gov_fund", 4, True),), sections=sections,
        personnel_expenditure=Decimal("289.15"), filled_on=date(2024, 4, 26), today=date(2024, 9, 1))


@register("checks", help="一致性校验：derive() + run()，5/20/50 个项目（每个12行指标）")
def checks_bench(options: dict) -> list[Timing]:
    timings = []
    for size in SIZES:
        pkg = synthetic_package(size)
        findings = run(pkg, stage="submit")

        def once(pkg=pkg):
            run(pkg, stage="submit", derived=derive(pkg))
        timings.append(measure(f"derive + run，{size}个项目", once, repeats=5, findings=len(findings),
                               rows=(size + 1) * len(_ROWS)))
    return timings

"""A package of N projects × M indicator rows in the database, for the query-count tests and `bench pages`."""
from __future__ import annotations

from decimal import Decimal

from .models import IndicatorRow, ReportPackage
from .services import package_create, project_create

# (一级, 二级, 三级, 年度指标值, 实际完成值, 分值) cycled to fill a sheet; qualitative rows carry a band.
_ROWS = (
    ("产出指标", "数量指标", "政府网站上传信息数量", "≥40000条", "41560", "2"),
    ("产出指标", "数量指标", "政务服务事项网上办事率", "≥95%", "93%", "2"),
    ("产出指标", "质量指标", "政务大厅办事差错率", "0", "0", "2"),
    ("产出指标", "时效指标", "咨询投诉件办理时限", "≦2天", "3天", "2"),
    ("效益指标", "经济效益指标", "提升内部行政效能", "≧50%", "50%", "2"),
    ("效益指标", "社会效益指标", "改革率", "100%", "100%", "2"),
    ("效益指标", "生态效益指标", "生态环境改善情况", "有所改善", "有所改善", "2"),
    ("效益指标", "可持续影响指标", "实现可持续发展", "有所提升", "有所提升", "2"),
    ("满意度指标", "服务对象满意度指标", "服务对象满意率", "≧95%", "98%", "2"),
    ("成本指标", "经济成本指标", "整体运维成本", "≦20万元", "20万元", "2"),
    ("成本指标", "社会成本指标", "对社会发展可能造成的负面影响", "无", "无", "2"),
    ("成本指标", "生态环境成本指标", "对自然生态环境造成的负面影响", "无", "无", "2"),
)


def add_rows(template, count: int, **sheet_kwargs) -> None:
    categories = {c.name: c for c in template.categories.all()}
    subs = {(c.name, s.name): s for c in template.categories.all() for s in c.subcategories.all()}
    rows = []
    for i in range(count):
        category, sub, name, target, actual, weight = _ROWS[i % len(_ROWS)]
        if category not in categories or (category, sub) not in subs:
            category, sub = next(iter(subs))
        qualitative = not any(ch.isdigit() for ch in target)
        rows.append(IndicatorRow(**sheet_kwargs, category=categories[category], subcategory=subs[(category, sub)],
                                 name=f"{name}{i + 1}", target_raw=target, actual_raw=actual, weight=Decimal(weight),
                                 band="met" if qualitative else "", judged_score=Decimal(weight) if qualitative else None,
                                 order=i + 1))
    IndicatorRow.objects.bulk_create(rows)


def build_package(department, *, year: int = 2023, projects: int = 20, rows: int = 12,
                  first_project_rows: int | None = None) -> ReportPackage:
    package = package_create(department=department, year=year)
    template = package.weight_template
    add_rows(template, rows, department_sheet=package.department_sheet)
    for n in range(1, projects + 1):
        project = project_create(package=package, name=f"专项经费项目{n}", order=n)
        sheet = project.sheet
        amount = Decimal(n * 10)
        sheet.appropriation_initial, sheet.appropriation_full_year, sheet.appropriation_spent = amount, amount, amount
        sheet.save()
        add_rows(template, first_project_rows if n == 1 and first_project_rows else rows, project_sheet=sheet)
    return package

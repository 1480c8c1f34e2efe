"""Synthetic packages in the database for the benchmarks: `generate_package(projects, rows=12)`.

Realistic in shape: the Hunan template, a narrative of about three printed pages, 附件1 with one 专项 row per
project, 附件2 and one 附件3 per project with `rows` indicator rows each (every comparator kind, qualitative
rows, a few deviation reasons). Project evaluation reports are left out by default (`project_reports=False`),
so that the PDF holds what LibreOffice converts from the Excel export, plus the narrative.
This module registers no benchmark; it is a library for them (bench modules import it).
"""
from __future__ import annotations

import itertools
import uuid
from datetime import date
from decimal import Decimal

from django.db import transaction

from evalportal.core.demo import loader
from evalportal.orgs.models import Department, NarrativeOutline, Region, TemplateSubcategory, WeightTemplate
from evalportal.reports import services
from evalportal.reports.models import (BaseDataLine, IndicatorRow, NarrativeSection, ProjectReport,
                                       ProjectReportSection, ProjectSpendItem, ReportPackage, SpecialFundRow)

YEAR = 2023
# (一级, 二级, 三级, 年度指标值, 实际完成值, 分值 share of the 一级 weight); cycled to reach `rows`.
_ROWS = (
    ("产出指标", "数量指标", "政府网站上传信息数量", "≥40000条", "41560条"),
    ("产出指标", "数量指标", "政务服务事项网上办事率", "≥95%", "93%"),
    ("产出指标", "质量指标", "政务大厅办事差错率", "0", "0"),
    ("产出指标", "时效指标", "完成政府门户网站网上办事大厅咨询投诉件的时限", "≦2天", "2天"),
    ("效益指标", "经济效益指标", "提升全市各级政务部门内部行政效能", "≧50%", "50%"),
    ("效益指标", "社会效益指标", "全市所有乡镇“一门集中、一窗集成”改革率", "100%", "100%"),
    ("效益指标", "生态效益指标", "生态环境改善情况", "有所改善", "有所改善"),
    ("效益指标", "可持续影响指标", "实现可持续发展", "有所提升", "有所提升"),
    ("满意度指标", "服务对象满意度指标", "服务对象满意率", "≧95%", "98%"),
    ("成本指标", "经济成本指标", "整体运维成本不超过20万元", "≦20万元", "20万元"),
    ("成本指标", "社会成本指标", "对社会发展可能造成的负面影响", "无", "无"),
    ("成本指标", "生态环境成本指标", "对自然生态环境造成的负面影响", "无", "无"),
)
_PARAGRAPH = ("2023年，我局持续围绕推进行政审批提速、营商环境优化、群众满意度提升和数据共享建设为工作目标，"
              "全力落实好市委、市政府“三个一”行动，抓住推进“一窗受理，集成服务”一大重点，推动全生命周期"
              "“一件事一次办”主题服务创新，加快推进审批服务便民化，全面实现政务服务项目“一次办好”。")
# About three printed pages of narrative over the ten sections (22 lines × 28 characters a page).
_SECTION_TEXT = {"S1": 3, "S2.1": 1, "S2.2": 2, "S6.1": 3, "S6.2.1": 1, "S6.2.2": 1, "S6.2.3": 1, "S6.2.4": 1,
                 "S7": 1, "S8": 2, "S9": 1}
_REPORT_TEXT = {"S1.2.2": 1, "S1.2.3": 1, "S1.3": 1, "S4.1": 1, "S4.2": 1, "S4.3": 1, "S5": 1, "S6": 1}


def _region() -> Region:
    province, _ = Region.objects.get_or_create(name="湖南省", parent=None)
    city, _ = Region.objects.get_or_create(name="基准测试市", parent=province,
                                           defaults={"finance_bureau": "基准测试市财政局"})
    return city


def _weights(template: WeightTemplate, rows: int) -> list[tuple]:
    """`rows` indicator specs whose weights add up to each 一级's template weight (K04 holds)."""
    specs = list(itertools.islice(itertools.cycle(_ROWS), rows))
    weights = {c.name: c.weight for c in template.categories.all()}
    counts: dict[str, int] = {}
    for spec in specs:
        counts[spec[0]] = counts.get(spec[0], 0) + 1
    result, given = [], {}
    for spec in specs:
        category = spec[0]
        given[category] = given.get(category, 0) + 1
        share = (weights[category] / counts[category]).quantize(Decimal("0.01"))
        if given[category] == counts[category]:      # the last row takes the rounding remainder
            share = weights[category] - share * (counts[category] - 1)
        result.append((*spec, share))
    return result


def _indicator_rows(sheet_kwargs: dict, template: WeightTemplate, rows: int, salt: int) -> list[IndicatorRow]:
    categories = {c.name: c for c in template.categories.all()}
    subs = {(s.category_id, s.name): s for s in TemplateSubcategory.objects.filter(category__template=template)}
    objects = []
    for order, (category, sub, name, target, actual, weight) in enumerate(_weights(template, rows), start=1):
        qualitative = not any(char.isdigit() for char in target) and target != "无"
        none_row = target == "无"
        cat = categories[category]
        objects.append(IndicatorRow(
            **sheet_kwargs, category=cat, subcategory=subs[(cat.pk, sub)], name=f"{name}（{salt}）" if order % 4 == 0
            else name, target_raw=target, actual_raw=actual, weight=weight,
            kind=IndicatorRow.Kind.QUALITATIVE if qualitative or none_row else IndicatorRow.Kind.AUTO,
            band="met" if qualitative or none_row else "", judged_score=weight if qualitative or none_row else None,
            deviation_reason="受系统升级影响，办事率略低于目标，下一步加强线上引导。" if actual == "93%" else "",
            order=order))
    return objects


@transaction.atomic
def generate_package(projects: int, rows: int = 12, *, project_reports: bool = False) -> ReportPackage:
    """A new package of a new department in 基准测试市 (delete it with `discard_package`)."""
    if not WeightTemplate.objects.filter(code="HUNAN_2023").exists():
        loader.load_templates()
    template = WeightTemplate.objects.get(code="HUNAN_2023")
    tag = uuid.uuid4().hex[:8]
    department = Department.objects.create(region=_region(), name=f"基准测试局{tag}", short_name="基准测试局",
                                           code=f"BENCH-{tag}", authorised_posts=30)
    package = services.package_create(
        department=department, year=YEAR, weight_template=template,
        outline=NarrativeOutline.objects.get(code="HUNAN_DEPT_2023"),
        project_outline=NarrativeOutline.objects.get(code="HUNAN_PROJECT_2023"), filled_on=date(2024, 4, 26),
        personnel_expenditure=Decimal("289.15"))
    NarrativeSection.objects.bulk_create(NarrativeSection(package=package, key=key, text="\n".join([_PARAGRAPH] * n))
                                         for key, n in _SECTION_TEXT.items())
    footer = {"filled_by": "张三", "filled_on": date(2024, 4, 26), "phone": "0730-5244006", "head_name": "李四"}
    base = package.base_data
    base.actual_staff, base.austerity_measures = 28, "制定了《财务管理制度》等相关制度保障厉行节约实施到位"
    base.approved_area = base.actual_area = base.budget_investment = base.actual_investment = Decimal("0.00")
    for field, value in footer.items():
        setattr(base, field, value)
    base.save()
    lines = {"vehicle": ("0", "0", "0"), "reception": ("4.05", "2.8", "0.35"),
             "public_expense": ("44.8", "50.01", "45.55"), "office_expense": ("3.52", "3.64", "2.88"),
             "utilities_travel": ("7.94", "7.84", "12.15"), "procurement_amount": ("320", "5.6", "5.6")}
    BaseDataLine.objects.bulk_create(BaseDataLine(sheet=base, line=line, prev_final=Decimal(a), cur_budget=Decimal(b),
                                                  cur_final=Decimal(c)) for line, (a, b, c) in lines.items())
    spent_total = Decimal("0")
    for n in range(1, projects + 1):
        project = services.project_create(package=package, name=f"专项业务经费项目{n:02d}", order=n)
        amount = Decimal(20 + n * 7)
        sheet = project.sheet
        sheet.appropriation_initial, sheet.appropriation_full_year, sheet.appropriation_spent = amount, amount, amount
        sheet.carryover_initial = sheet.carryover_full_year = sheet.carryover_spent = Decimal("0")
        sheet.goal_expected = "1、完成“三集中、三到位”，加强大厅窗口规范化管理；2、推进政务公开，营造公开透明的政务环境。"
        sheet.goal_achieved = _PARAGRAPH
        for field, value in {**footer, "filled_on": date(2024, 4, 25)}.items():
            setattr(sheet, field, value)
        sheet.save()
        IndicatorRow.objects.bulk_create(_indicator_rows({"project_sheet": sheet}, template, rows, n))
        ProjectSpendItem.objects.bulk_create([ProjectSpendItem(project=project, name="办公费", amount=amount - 3, order=1),
                                              ProjectSpendItem(project=project, name="维修费", amount=Decimal(3),
                                                               order=2)])
        SpecialFundRow.objects.create(sheet=base, name=project.name, project=project, prev_final=amount, order=n)
        spent_total += amount
        if project_reports:
            report = project.report
            report.eval_start, report.eval_end = date(2024, 4, 15), date(2024, 4, 25)
            report.basis = "《基准测试市项目支出绩效评价指标体系》"
            report.save()
            ProjectReportSection.objects.bulk_create(
                ProjectReportSection(report=report, key=key, text="\n".join([_PARAGRAPH] * k))
                for key, k in _REPORT_TEXT.items())
        else:
            ProjectReport.objects.filter(project=project).delete()
    sheet = package.department_sheet
    basic = Decimal("334.70")
    sheet.initial_budget, sheet.full_year_budget = spent_total + basic, spent_total + basic
    sheet.full_year_spent = sheet.income_general = spent_total + basic
    sheet.basic_expenditure = basic
    sheet.goal_expected = "目标1：通过预算执行，保障在职人员的工资及单位的正常办公。\n目标2：纵深推进“最多跑一次”改革。"
    sheet.goal_achieved = _PARAGRAPH
    for field, value in footer.items():
        setattr(sheet, field, value)
    sheet.save()
    IndicatorRow.objects.bulk_create(_indicator_rows({"department_sheet": sheet}, template, max(rows, 12), 0))
    return package


def discard_package(package: ReportPackage) -> None:
    department = package.department
    package.delete()
    department.delete()

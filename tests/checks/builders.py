"""PackageData built by hand (no database): demo A from domain.md §3, its as-printed variant, and demo-B-style data.

Doubles as a fixture for other tests: `from tests.checks.builders import demo_a`. Every builder returns a fresh
frozen PackageData; use `dataclasses.replace` (or the helpers below) to vary one value per test.
"""
from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

from evalportal.checks.data import (BaseData, BaseLine, CategoryData, DepartmentSheetData, Footer, FundRowData,
                                    FundTableData, Funds, IndicatorData, PackageData, ProjectData, SectionData,
                                    SpecialRowData, SpendItemData, TemplateData)

from . import demo_a_texts as texts


def D(value) -> Decimal | None:  # noqa: N802 - reads like a literal
    return None if value is None else Decimal(str(value))


def funds(initial, full_year, spent) -> Funds:
    return Funds(D(initial), D(full_year), D(spent))


def line(prev, budget, final) -> BaseLine:
    return BaseLine(D(prev), D(budget), D(final))


PRODUCT, BENEFIT, SATISFACTION, COST = "产出指标", "效益指标", "满意度指标", "成本指标"


def hunan_template() -> TemplateData:
    return TemplateData(code="HUNAN_2023", categories=(
        CategoryData(1, PRODUCT, Decimal("30"), ("数量指标", "质量指标", "时效指标")),
        CategoryData(2, BENEFIT, Decimal("30"), ("经济效益指标", "社会效益指标", "生态效益指标", "可持续影响指标")),
        CategoryData(3, SATISFACTION, Decimal("10"), ("服务对象满意度指标",)),
        CategoryData(4, COST, Decimal("20"), ("经济成本指标", "社会成本指标", "生态环境成本指标")),
    ))


_QUALITATIVE_HINT = ("有所", "无", "加大", "经济平稳")


def row(id_, category, subcategory, name, target, actual, weight, **extra) -> IndicatorData:
    """One indicator row at full marks; a qualitative row gets band MET and the full weight (the form's pre-fill)."""
    values = dict(id=id_, category=category, subcategory=subcategory, name=name, target_raw=target,
                  actual_raw=actual, weight=D(weight), order=id_)
    if not any(ch.isdigit() for ch in target):
        values.update(band="met", judged_score=D(weight))
    values.update(extra)
    return IndicatorData(**values)


def _rows(start: int, spec: list[tuple]) -> tuple[IndicatorData, ...]:
    return tuple(row(start + i, *item) for i, item in enumerate(spec))


NEGATIVE_SOCIAL = ("社会成本指标", "对社会发展可能造成的负面影响", "无", "无", 5)
NEGATIVE_NATURE = ("生态环境成本指标", "对自然生态环境造成的负面影响", "无", "无", 5)
FUNDS_IN_PLACE = ("经济成本指标", "资金到位率", "≧90%", "100%", 10)
ECOLOGY = ("生态效益指标", "生态环境改善情况", "有所改善", "有所改善", 5)
EFFICIENCY = ("经济效益指标", "提升全市各级政务部门内部行政效能", "≧50%", "50%", 10)


def _cat(category: str, items: list[tuple]) -> list[tuple]:
    return [(category, *item) for item in items]


DEPARTMENT_ROWS = (
    _cat(PRODUCT, [
        ("数量指标", "政务服务事项网上办事率", "≥95%", "95%", 2),
        ("数量指标", "12345热线工单办结率", "100%", "100%", 2),
        ("数量指标", "部门预决算网上公开率", "100%", "100%", 2),
        ("数量指标", "政府网站上传信息数量", "≥40000条", "42412条", 2),
        ("数量指标", "大厅行政审批事项办结率", "100%", "100%", 2),
        ("质量指标", "审批效率政务大厅办事差错率", "0", "0", 10),
        ("时效指标", "完成政府门户网站网上办事大厅咨询投拆件的时限", "≦2天", "2天", 5),
        ("时效指标", "落实政务服务标准化便利化建设，行政许可事项承诺时限较法定时限压缩率", "≧ 10%", "10%", 5)])
    + _cat(BENEFIT, [
        ("经济效益指标", "提升全市各级政务部门内部行政效能", "≧50%", "50%", 5),
        ("经济效益指标", "形成政企合作、政银合作力度等更多可运营的智慧城市合作", "加大合作力度", "加大合作力度", 5),
        ("社会效益指标", "全市所有乡镇“一门集中、一窗集成”改革率", "100%", "100%", 10),
        ECOLOGY, ("可持续影响指标", "实现可持续发展", "有所提升", "有所提升", 5)])
    + _cat(SATISFACTION, [("服务对象满意度指标", "社会公众满意度", "≥95%", "98%", 10)])
    + _cat(COST, [("经济成本指标", "资金到位率", "≧90%", "100%", 10), NEGATIVE_SOCIAL, NEGATIVE_NATURE])
)

_COST_ROWS = _cat(COST, [FUNDS_IN_PLACE, NEGATIVE_SOCIAL, NEGATIVE_NATURE])

PROJECT_ROWS = {
    1: _cat(PRODUCT, [
        ("数量指标", "政务服务事项网上办事率", "≥95%", "95%", 2),
        ("数量指标", "部门预决算网上公开率", "100%", "100%", 2),
        ("数量指标", "政府网站上传信息数量", "≥40000条", "41560", 2),
        ("数量指标", "12345热线工单办结率", "100%", "100%", 2),
        ("数量指标", "大厅行政审批事项办结率", "100%", "100%", 2),
        ("质量指标", "政务大厅办事差错率", "0", "0", 10),
        ("时效指标", "完成政府门户网站网上办事大厅咨询投拆件的时限", "≦2天", "2天", 5),
        ("时效指标", "落实政务服务标准化便利化建设，行政许可事项承诺时限较法定时限压缩率", "≧10%", "10%", 5)])
    + _cat(BENEFIT, [
        EFFICIENCY,
        ("社会效益指标", "推动企业和群众办事线上“一网通办”，线下“只进一扇门”（一门），现场办理“最多跑一次”（一次），"
                   "让企业和群众到政府办事像“网购”一样方便。", "≥95%", "95%", 10),
        ECOLOGY, ("可持续影响指标", "实现可持续发展", "有所提升", "有所提升", 5)])
    + _cat(SATISFACTION, [("服务对象满意度指标", "服务对象满意率", "≧95%", "98%", 10)]) + _COST_ROWS,
    2: _cat(PRODUCT, [
        ("数量指标", "“互联网+政务服务”村（社区）覆盖率", "100%", "100%", 10),
        ("质量指标", "优化简化服务事项网上申请、受理、审查、决定、传达等流程，缩短办事时限，降低企业和群众办事成本。"
                 "推进办事材料目录化、标准化、电子化，开展在线填报、在线提交和在线审查。", "100%", "100%", 10),
        ("时效指标", "电子化公共服务打破时间的限制，没有休息日和假日，将政府部门的办公服务模式转化为7×24（7个工作日×24小时）。",
         "100%", "100%", 10)])
    + _cat(BENEFIT, [
        EFFICIENCY,
        ("社会效益指标", "电子政务通过网络技术、通信技术等的应用，使政府电子化公共服务具有突破时空限制的特性，"
                   "可以让公众随时随地接受政府服务。", "100%", "100%", 10),
        ECOLOGY,
        ("可持续影响指标", "打通信息壁垒，构建全流程一体化的在线服务平台，助力建设人民满意的服务型政府。", "100%", "100%", 5)])
    + _cat(SATISFACTION, [("服务对象满意度指标", "社会公众满意度", "≧95%", "98%", 10)]) + _COST_ROWS,
    3: _cat(PRODUCT, [
        ("数量指标", "组织10名政府雇员参加放管服改革集中培训", "≧1次", "1次", 10),
        ("质量指标", "打造一支业务精湛，作风优良的政务服务队伍。", "100%", "100%", 10),
        ("时效指标", "企业开办时间减少一半，项目审批时间减少一半，“一件事一次办”，“最多跑一次”。", "100%", "100%", 5),
        ("时效指标", "每月20日之前政府雇员工资发放到位", "100%", "100%", 5)])
    + _cat(BENEFIT, [
        EFFICIENCY,
        ("社会效益指标", "改善营商环境、优化政务服务、提升群众幸福感和获得感。", "100%", "100%", 10),
        ECOLOGY,
        ("可持续影响指标", "构建方便快捷、公平普惠、优质高效的网上政务服务体系，推进审批服务便民化。", "≥95%", "95%", 5)])
    + _cat(SATISFACTION, [("服务对象满意度指标", "服务对象满意率", "≥95%", "98%", 10)]) + _COST_ROWS,
    4: _cat(PRODUCT, [
        ("数量指标", "网站年度发布稿件不少于300万中文字", "≧300万字", "325万字", 10),
        ("质量指标", "12345热线工单办结率", "100%", "100%", 10),
        ("时效指标", "运维时间为1年", "≧1年", "1年", 10)])
    + _cat(BENEFIT, [
        ("经济效益指标", "促进经济平稳发展", "经济平稳发展", "经济平稳发展", 10),
        ("社会效益指标", "对社会发展产生积极影响", "有所提高", "有所提高", 10),
        ECOLOGY, ("可持续影响指标", "实现可持续发展", "有所提升", "有所提升", 5)])
    + _cat(SATISFACTION, [("服务对象满意度指标", "社会公众满意度", "≧98%", "98%", 10)])
    + _cat(COST, [("经济成本指标", "整体运维成本不超过20万元", "≦20万 元", "20万元", 10), NEGATIVE_SOCIAL,
                  NEGATIVE_NATURE]),
}

HALL, EGOV, EMPLOYEES = "政务中心大厅运行经费", "电子政务及相关经费", "政府雇员经费"
HOTLINE = "12345热线平台运维、政府门户网站维护、培训、管理专项经费"
HOTLINE_ATT1 = "12345热线平台运维、政府门户网站维护、培训管理专项经费"   # 附件1's spelling (K26, legacy only)
UNIT = "汨罗市行政审批服务局"

SHEET_FOOTER = Footer("彭雁", date(2024, 4, 26), "0730-5244006", "黎柳平")
PROJECT_FOOTER = Footer("彭雁", date(2024, 4, 25), "0730-5244006", "黎柳平")

_ZERO = funds(0, 0, 0)
# order: (name, 当年财政拨款, 上年结转资金, 其他资金, goal_expected, goal_achieved, spend items)
PROJECTS = {
    1: (HALL, funds(222, 1004.12, 1004.12), _ZERO, _ZERO,
        "1、完成“三集中、三到位”，加强大厅窗口规范化管理，推进政务服务，推动简政放权、放管结合、优化服务改革；"
        "2、全市政务公开工作总体水平迈上新台阶，为我市经济社会发展营造更加公开透明的政务环境。",
        "2023年，我局持续围绕推进行政审批提速、营商环境优化、群众满意度提升和数据共享建设为工作目标，全面实现政务服务项目"
        "“一次办好”。",
        [("办公费", 10), ("大厅水费、电话费、电费", 90.1), ("大厅物业费", 10), ("大厅维修费", 3),
         ("政务中心食堂补贴", 136.9), ("政务服务中心搬迁工程", 754.12)]),
    2: (EGOV, funds(41, 41, 41), _ZERO, _ZERO,
        "推动行政权力在网上规范、公开、透明、高效运行，实现各项行政流程标准化、审批网络化、信息公开化、监察全程化，"
        "建立与省、岳阳市相连并覆盖乡镇场的网上审批和电子监察系统。",
        "建成覆盖全市各乡镇场和各部门单位的政务服务系统、信息化办公系统和电子监察系统，形成电子政务外网，构建网上审批系统，"
        "并对每个审批事项的办理全程实时监察、预警纠错、绩效评估，通过网站向公众提供及时的信息服务。",
        [("电信、移动网络使用费", 33), ("电子政务维护运行经费", 8)]),
    3: (EMPLOYEES, funds(51, 51, 51), Funds(), Funds(),
        "1、打造一支业务精湛，作风优良的政务服务队伍；2、加速推进“一件事一次办”“最多跑一次”改革落地见效。",
        "通过优化岗位设置，强化综合受理业务素养，进一步推动专窗向综窗的转变，以10名综合受理人员取代30名专窗人员，"
        "实现200项以上原来由部门专窗受理的审批服务业务由10个综合受理窗口办理。",
        [("政府雇员工资", 45), ("政府雇员办公经费", 6)]),
    4: (HOTLINE, funds(20, 20, 20), _ZERO, _ZERO,
        "1、政府门户网站争创全省先进。2、保障12345热线平台正常运行，工单按期办结率达100%。",
        "保障了政府网站和12345热线平台的正常运行，满足了省、岳阳市政府对政府网站、12345热线平台绩效考核要求。",
        [("12345热线平台运维经费", 10), ("政府门户网站维护、培训管理专项经费", 10)]),
}

DEPARTMENT_OUTLINE = (
    ("S1", "部门基本情况", True, "special_funds_total", ""),
    ("S2", "一般公共预算财政拨款支出情况", True, "", ""),
    ("S2.1", "基本支出情况", False, "basic_expenditure", "S2"),
    ("S2.2", "项目支出情况", False, "project_list", "S2"),
    ("S3", "政府性基金预算财政拨款支出情况", False, "gov_fund", ""),
    ("S4", "国有资本经营预算财政拨款支出情况", False, "state_capital", ""),
    ("S5", "社会保险基金预算支出情况", False, "social_insurance", ""),
    ("S6", "部门整体支出绩效情况", True, "", ""),
    ("S6.1", "专项组织实施情况", False, "", "S6"),
    ("S6.2", "主要绩效情况分析", False, "", "S6"),
    ("S6.2.1", "经济性评价", False, "", "S6.2"),
    ("S6.2.2", "效率性评价", False, "", "S6.2"),
    ("S6.2.3", "有效性评价", False, "", "S6.2"),
    ("S6.2.4", "财政资金使用评价情况", False, "department_score", "S6.2"),
    ("S7", "存在的问题及原因分析", True, "", ""),
    ("S8", "下一步改进措施", True, "", ""),
    ("S9", "部门整体支出绩效自评结果拟应用和公开情况", True, "", ""),
    ("S10", "其他需要说明的情况", False, "attachment_note", ""),
)


def sections(department_texts: dict[str, str]) -> tuple[SectionData, ...]:
    return tuple(SectionData(key, title, department_texts.get(key, ""), required, generator, parent)
                 for key, title, required, generator, parent in DEPARTMENT_OUTLINE)


def _project(order: int, *, legacy: bool) -> ProjectData:
    name, appropriation, carryover, other, expected, achieved, items = PROJECTS[order]
    report = dict(texts.PROJECTS[order])
    if legacy:
        report["S3"] += texts.PROJECT_SCORE_AS_PRINTED
    rows = _rows(order * 100 + 1, PROJECT_ROWS[order])
    project = ProjectData(
        id=order, name=name, category="special", order=order, appropriation=appropriation, carryover=carryover,
        other=other, rows=rows, goal_expected=expected, goal_achieved=achieved, implementing_unit=UNIT,
        footer=PROJECT_FOOTER, spend_items=tuple(SpendItemData(n, D(a)) for n, a in items), report_sections=report,
        eval_start=date(2024, 4, 15), eval_end=date(2024, 4, 25), basis="《汨罗市项目支出绩效评价指标体系》")
    if not legacy:
        return project
    total = Funds(*(sum((getattr(f, c) or Decimal(0) for f in (appropriation, carryover, other)), Decimal(0))
                    for c in ("initial", "full_year", "spent")))
    return replace(project, stated_name=name, stated_total=total, stated_execution_rate=D("100"),
                   stated_execution_score=D("10"), stated_total_score=D("100"),
                   rows=tuple(replace(r, stated_score=r.weight) for r in rows))


def _base(*, legacy: bool) -> BaseData:
    lines = {
        "vehicle": line(0, 0, 0), "reception": line(4.05, 2.8, 0.35),
        "public_expense": line(44.8, 50.01, 45.55), "office_expense": line(3.52, 3.64, 2.88),
        "utilities_travel": line(7.94, 7.84, 12.15), "meeting_training": line(None, 2.8, None),
        "procurement_amount": line(320, 5.6, 5.6),
    }
    special = [SpecialRowData(HOTLINE_ATT1 if legacy else HOTLINE, HOTLINE, D(20), D(20), D(20)),
               SpecialRowData(HALL, HALL, D(250), D(222), D("1004.12")),
               SpecialRowData(EGOV, EGOV, D(41), D(41), D(41)),
               SpecialRowData(EMPLOYEES, EMPLOYEES, D(51), D(51), D(51)),
               SpecialRowData("政务服务中心搬迁工程专项", None, D("648.3"))]
    stated = {}
    if legacy:    # the seed prints the computed lines too; legacy data keeps them for K19–K21
        stated = {"three_public_total": line(4.05, 2.8, 0.35), "project_total": line(1010.3, 334, 1116.12),
                  "special_total": line(1010.3, 334, 1116.12)}
    return BaseData(
        authorised_posts=28, actual_staff=28, stated_staff_control_rate=D("100.00") if legacy else None,
        lines={**lines, **stated}, special_rows=tuple(special), approved_area=D("0.00"), actual_area=D("0.00"),
        budget_investment=D("0.00"), actual_investment=D("0.00"),
        austerity_measures="制定了《财务管理制度》、《建设项目管理内部控制制度》、《预算管理内部控制制度》等相关制度保障"
                           "厉行节约实施到位",
        footer=SHEET_FOOTER)


def _department_sheet(*, legacy: bool) -> DepartmentSheetData:
    rows = _rows(1, DEPARTMENT_ROWS)
    sheet = DepartmentSheetData(
        funds=funds(671.45, 1450.82, 1450.82), income_general=D("1450.82"), basic_expenditure=D("334.70"),
        goal_expected="目标1：通过预算执行，保障在职人员28人、退休人员2人的工资及生活补助及单位的正常办公。"
                      "目标2：进一步营造“最多跑一次”改革浓厚氛围。目标3：纵深推进“最多跑一次”改革。"
                      "目标4：进一步推进“最多跑一次”改革向镇村延伸。目标5：进一步强化“最多跑一次”改革的考核。",
        goal_achieved="2023年，我局持续围绕推进行政审批提速、营商环境优化、群众满意度提升和数据共享建设为工作目标，"
                      "全面实现政务服务项目“一次办好”。",
        rows=rows, footer=SHEET_FOOTER)
    if not legacy:
        return sheet
    # As printed: 执行率 100.00%, 得分 100 on the 10-point row, no 总分 row (so no stated total).
    return replace(sheet, rows=tuple(replace(r, stated_score=r.weight) for r in rows),
                   stated_project_expenditure=D("1116.12"), stated_execution_rate=D("100.00"),
                   stated_execution_score=D("100"))


def no_fund_tables() -> tuple[FundTableData, ...]:
    return tuple(FundTableData(kind, number, True) for kind, number in
                 (("gov_fund", 4), ("state_capital", 5), ("social_insurance", 6)))


def demo_a(*, legacy: bool = False) -> PackageData:
    """Demo A (汨罗市行政审批服务局 2023) as the app holds it: every total 100.00 / 优."""
    department_texts = dict(texts.DEPARTMENT)
    if legacy:
        department_texts["S6.2.4"] += texts.S6_2_4_SCORE_AS_PRINTED
    return PackageData(
        year=2023, department_name=UNIT, department_short_name="行政审批服务局", template=hunan_template(),
        base=_base(legacy=legacy), department_sheet=_department_sheet(legacy=legacy),
        projects=tuple(_project(order, legacy=legacy) for order in (1, 2, 3, 4)),
        fund_tables=no_fund_tables(), sections=sections(department_texts),
        personnel_expenditure=D("289.15"), previous_three_public=D("4.05"), filled_on=date(2024, 4, 26),
        is_legacy=legacy, today=date(2024, 9, 1))


def demo_a_as_printed() -> PackageData:
    """Demo A exactly as seed 001 prints it (legacy data: stated scores, the 100 on the 10-point row, 99.55)."""
    return demo_a(legacy=True)


# --- small edits for tests -----------------------------------------------------------------------------------------

def with_section(pkg: PackageData, key: str, text: str) -> PackageData:
    return replace(pkg, sections=tuple(replace(s, text=text) if s.key == key else s for s in pkg.sections))


def with_project(pkg: PackageData, order: int, **changes) -> PackageData:
    return replace(pkg, projects=tuple(replace(p, **changes) if p.order == order else p for p in pkg.projects))


def with_department_row(pkg: PackageData, row_id: int, **changes) -> PackageData:
    sheet = pkg.department_sheet
    rows = tuple(replace(r, **changes) if r.id == row_id else r for r in sheet.rows)
    return replace(pkg, department_sheet=replace(sheet, rows=rows))


def with_department_sheet(pkg: PackageData, **changes) -> PackageData:
    return replace(pkg, department_sheet=replace(pkg.department_sheet, **changes))


def with_base(pkg: PackageData, **changes) -> PackageData:
    return replace(pkg, base=replace(pkg.base, **changes))


def with_line(pkg: PackageData, key: str, value: BaseLine) -> PackageData:
    return with_base(pkg, lines={**pkg.base.lines, key: value})


# --- demo-B style (常宁市行政审批服务局 2023, domain.md §10) ------------------------------------------------------------

B_S2_1 = ("2023年度，单位一般公共预算基本支出完成368.15万元，比上年增加35.78万元，增加10.77%，其中人员经费完成319.12万元，"
          "比上年增加5.18万元，增加1.65%；公用经费完成49.03万元，比上年增加30.6万元，增加166.07%。")
B_S2_2 = ("2023年度，单位一般公共预算项目支出完成769.3万元，主要为政务服务中心运转经费157.30万元、12345政府服务热线外包费"
          "75.40万元、全市信息网络平台租赁及服务费52.48万元、协同办公系统和扩容建设72.63万元、前期项目322.08万元。")
B_S5 = "机关事业单位基本养老保险缴费32.98万元、职工基本医疗保险缴费15.18万元。"
B_S6 = ("截止11月，全市已完成“湘易办”超级服务端注册数44.95万人次，完成百分比为124%。"
        "热线中心共接听电话64047个，受理群众有效事务类诉求41733件，接通率100%，在线办结率72.12%，按时办结率100%，"
        "回访率101.6%，满意率100%。截止目前，常宁市录入监管行为数据16844条。")
B_PROJECTS = (("政务服务中心运转经费", 157.30), ("12345政府服务热线外包费", 75.40), ("全市信息网络平台租赁及服务费", 52.48),
              ("协同办公系统和扩容建设", 72.63), ("前期项目", 322.08), ("其他项目支出（样例）", 89.41))

B_DEPARTMENT_ROWS = (
    _cat(PRODUCT, [
        ("数量指标", "“湘易办”超级服务端注册数", "≥36.25万人次", "44.95万人次", 5),
        ("数量指标", "录入监管行为数据", "≥15000条", "16844条", 5),
        ("数量指标", "汇聚电子证照数量", "≥12000个", "13625个", 5),
        ("质量指标", "12345热线接通率", "100%", "100%", 5),
        ("质量指标", "12345热线回访率", "100%", "101.6%", 5),
        ("时效指标", "12345热线按时办结率", "100%", "100%", 5)])
    + _cat(BENEFIT, [
        ("经济效益指标", "网上中介超市发布中介服务采购需求", "≥150项", "177项", 10),
        ("社会效益指标", "政务服务“好差评”评分", "≥95分", "98.88分", 10),
        ECOLOGY, ("可持续影响指标", "梳理告知承诺事项", "≥50项", "57项", 5)])
    + _cat(SATISFACTION, [("服务对象满意度指标", "12345热线满意率", "≥95%", "100%", 10)])
    + _cat(COST, [("经济成本指标", "资金到位率", "≥90%", "100%", 10), NEGATIVE_SOCIAL, NEGATIVE_NATURE])
)

_B_PROJECT_SKELETON = (
    _cat(PRODUCT, [("数量指标", "完成工作任务数", "≥10项", "10项", 10), ("质量指标", "工作验收合格率", "100%", "100%", 10),
                   ("时效指标", "按时完成率", "100%", "100%", 10)])
    + _cat(BENEFIT, [("经济效益指标", "服务企业群众办事成本", "有所降低", "有所降低", 10),
                     ("社会效益指标", "政务服务水平", "有所提升", "有所提升", 10), ECOLOGY,
                     ("可持续影响指标", "服务持续运行", "有所提升", "有所提升", 5)])
    + _cat(SATISFACTION, [("服务对象满意度指标", "服务对象满意率", "≥95%", "98%", 10)]) + _COST_ROWS
)


def demo_b() -> PackageData:
    """Demo-B-style data (常宁市 2023): seed values, derived values and samples as domain.md §10 lists them.

    附件6 is marked 无 here (as seed 002 had no tables), so its §五 amounts fire K33.
    """
    projects = []
    for order, (name, amount) in enumerate(B_PROJECTS, start=1):
        initial = 300 if name == "前期项目" else amount
        projects.append(ProjectData(
            id=1000 + order, name=name, category="special", order=order,
            appropriation=funds(initial, amount, amount), carryover=Funds(), other=Funds(),
            rows=_rows(1000 * order + 1, _B_PROJECT_SKELETON), goal_expected="【样例】预期目标",
            goal_achieved="【样例】实际完成情况", implementing_unit="常宁市行政审批服务局",
            footer=Footer("样例填表人", date(2024, 8, 26), "0734-0000000", "样例负责人"),
            spend_items=(SpendItemData(name, D(amount)),), report_sections={"S5": "【样例】无明显问题。"},
            eval_start=date(2024, 8, 1), eval_end=date(2024, 8, 20), basis="《常宁市项目支出绩效评价指标体系》"))
    footer = Footer("样例填表人", date(2024, 8, 26), "0734-0000000", "样例负责人")
    base = BaseData(
        authorised_posts=32, actual_staff=30,
        lines={"reception": line(3.20, 3.00, 2.60), "public_expense": line(18.43, 50.00, 49.03)},
        special_rows=tuple(SpecialRowData(name, name, None) for name, _ in B_PROJECTS),
        austerity_measures="【样例】厉行节约措施", footer=footer)
    department_texts = {"S1": "【样例】主要职能……2023年本单位年末实有人数30人，与上年持平。", "S2.1": B_S2_1, "S2.2": B_S2_2,
                        "S3": "无", "S4": "无", "S5": B_S5, "S6": B_S6, "S7": "无。", "S8": "（一）持续开展政务服务“三化”建设。"}
    return PackageData(
        year=2023, department_name="常宁市行政审批服务局", department_short_name="行政审批服务局",
        template=hunan_template(), base=base,
        department_sheet=DepartmentSheetData(
            funds=funds(1000.00, 1137.45, 1137.45), income_general=D("1137.45"), basic_expenditure=D("368.15"),
            goal_expected="【样例】预期目标", goal_achieved="【样例】实际完成情况", rows=_rows(1, B_DEPARTMENT_ROWS),
            footer=footer),
        projects=tuple(projects), fund_tables=no_fund_tables(), sections=sections(department_texts),
        personnel_expenditure=D("319.12"), previous_three_public=D("3.20"), filled_on=date(2024, 8, 26),
        today=date(2024, 9, 1))


def with_fund_table(pkg: PackageData, number: int, rows: tuple[FundRowData, ...]) -> PackageData:
    tables = tuple(replace(t, none=not rows, rows=rows) if t.number == number else t for t in pkg.fund_tables)
    return replace(pkg, fund_tables=tables)

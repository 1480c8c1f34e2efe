"""A generated region of departments over several years, with planted implausible reports (issue 10).

One generator, two sinks: `package_data(spec)` gives plain PackageData for the pure screening (benchmark,
tests), and tests/benchmark insert the same specs into the database. Deterministic for a given seed.

Honest departments miss a target now and then, land above or below their targets, raise their targets year
by year, attach evidence to some qualitative rows and write new text each year. Planted ones:
- "inflated": every row at full marks, every actual exactly on its target, no evidence, and in the last year
  targets lowered by 15% while the score rose;
- "copied": the last year's narrative reuses last year's paragraphs (numbers changed, sentences reordered)
  and a paragraph of another department of the same year;
- "carryover": 100% execution of a project that carries money over, after claiming 100% the year before.
"""
from __future__ import annotations

import random
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from evalportal.checks.data import (BaseData, CategoryData, DepartmentSheetData, Funds, IndicatorData, PackageData,
                                    ProjectData, SectionData, TemplateData)

PLANTED_KINDS = ("inflated", "copied", "carryover")

COUNTIES = ("汨罗市", "湘阴县", "平江县", "岳阳县", "华容县", "临湘市", "常宁市", "耒阳市", "衡南县", "衡东县",
            "祁东县", "衡山县", "攸县", "茶陵县", "炎陵县", "醴陵市", "湘乡市", "韶山市", "宁乡市", "浏阳市",
            "望城区", "长沙县", "双峰县", "新化县", "涟源市")
# (unit, nature, the nouns its texts and indicators are about)
UNITS = (
    ("交通运输局", "administrative", ("农村公路", "城乡客运", "桥梁养护", "公交线路", "治超站点", "道路安防")),
    ("教育局", "administrative", ("义务教育学位", "校舍改造", "教师培训", "学生资助", "课后服务", "校园安全")),
    ("卫生健康局", "administrative", ("家庭医生签约", "健康档案", "基层卫生院", "疫苗接种", "慢病管理", "妇幼保健")),
    ("农业农村局", "administrative", ("高标准农田", "耕地地力补贴", "农机购置", "畜禽防疫", "农村改厕", "种粮大户")),
    ("民政局", "administrative", ("城乡低保", "特困供养", "养老服务", "殡葬改革", "儿童福利", "社区治理")),
    ("住房和城乡建设局", "administrative", ("老旧小区改造", "雨污分流", "保障性住房", "燃气管网", "建筑工地扬尘", "物业管理")),
    ("自然资源局", "administrative", ("不动产登记", "国土空间规划", "地质灾害点", "耕地保护", "矿山修复", "测绘成果")),
    ("文化旅游广电局", "administrative", ("送戏下乡", "公共文化场馆", "文物保护", "旅游市场监管", "应急广播", "农家书屋")),
    ("人力资源和社会保障局", "administrative", ("职业技能培训", "创业担保贷款", "城镇新增就业", "根治欠薪", "社保扩面", "人才引进")),
    ("市场监督管理局", "administrative", ("食品安全抽检", "特种设备", "价格监督", "知识产权", "计量检定", "经营主体登记")),
    ("水利局", "administrative", ("山塘清淤", "农村饮水安全", "河道治理", "防汛物资", "水土保持", "灌区改造")),
    ("生态环境分局", "administrative", ("空气质量监测", "污水处理厂", "固体废物", "环境执法", "饮用水源地", "噪声治理")),
    ("应急管理局", "administrative", ("安全生产检查", "森林防火", "应急演练", "救灾物资", "危化品监管", "隐患排查")),
    ("司法局", "administrative", ("法律援助", "人民调解", "社区矫正", "普法宣传", "公证服务", "行政复议")),
    ("统计局", "administrative", ("经济普查", "统计执法", "数据质量核查", "调查队伍", "统计信息化", "统计公报")),
    ("疾病预防控制中心", "public_institution", ("传染病监测", "预防接种门诊", "职业病防治", "健康教育", "病媒生物", "实验室检测")),
    ("政务服务中心", "public_institution", ("政务大厅窗口", "一件事一次办", "12345热线", "帮办代办", "电子证照", "跨省通办")),
    ("图书馆", "public_institution", ("图书借阅", "数字资源", "阅读推广", "分馆建设", "古籍保护", "少儿阅览")),
    ("公路建设养护中心", "public_institution", ("路面修复", "边坡治理", "养护机械", "危桥改造", "路域环境", "应急抢通")),
    ("机关事务服务中心", "public_institution", ("公务用车", "公共机构节能", "办公用房", "机关食堂", "会务保障", "资产管理")),
)

SUBJECTS = ("我局", "本单位", "局党组", "局机关各科室", "下属事业单位", "局领导班子", "各业务股室", "局办公室", "计划财务股",
            "项目实施单位", "局属二级机构", "各工作专班")
VERBS = ("认真落实", "持续推进", "扎实开展", "全面加强", "着力完善", "深入实施", "稳步推进", "严格执行", "积极探索", "统筹推进",
         "不断优化", "大力推进", "切实加强", "有序推进", "全力保障", "协调推动", "规范开展", "重点抓好")
SUFFIXES = ("建设", "管理", "改革", "提质增效工作", "专项治理", "标准化建设", "信息化建设", "监督检查", "考核评价", "宣传培训",
            "台账管理", "常态长效机制", "督查督办", "示范创建")
ADVERBIALS = ("", "", "在全市范围内", "按照时间节点", "以问题为导向", "对照年度目标", "在年度预算内", "分阶段",
              "会同相关部门", "依托信息平台", "在重点乡镇", "按季度", "通过购买服务方式", "结合专项审计意见",
              "按照上级要求", "在巩固去年成果基础上", "以点带面", "对标省定标准", "按照“清单制”要求", "从严从实")
CLAUSES = ("", "", "", "，坚持问题导向", "，压实主体责任", "，强化部门协作", "，细化工作方案", "，建立周调度机制",
           "，落实专人负责", "，对标先进地区经验", "，推行清单化管理", "，主动接受社会监督", "，加强资金全过程监管",
           "，引入第三方评估", "，实行挂图作战", "，健全激励约束机制", "，开展交叉检查", "，聚焦群众急难愁盼")
RESULTS = ("，全年完成{n}项重点任务", "，累计投入资金{m}万元", "，服务群众{k}人次", "，相关指标同比提高{p}个百分点",
           "，整改问题{n}个", "，形成制度文件{s}项", "，覆盖{n}个乡镇（街道）", "，惠及群众{k}余人", "，较上年增长{p}%",
           "，按期完成率达{q}%", "，组织专题培训{s}期", "，开展实地督导{n}次", "，新增服务网点{s}个",
           "，办理群众诉求{k}件", "，节约财政资金{m}万元", "，完成年度计划的{q}%", "，建成示范点{s}个",
           "，印发工作指引{s}份", "，发现并移交问题线索{s}条", "，群众满意率提升至{q}%")
OPENERS = ("", "", "", "同时，", "此外，", "年内，", "针对{noun}薄弱环节，", "围绕{noun}目标，", "结合上级部署，")
REGION_WORDING = ("为全面实施预算绩效管理，根据市财政局关于开展部门整体支出绩效自评工作的通知要求，我单位成立了绩效自评工作"
                  "领导小组，由主要负责人任组长，对本单位部门整体支出的经济性、效率性、有效性进行了全面自评。")

_CENT = Decimal("0.01")


def _cent(value: float | Decimal) -> Decimal:
    return Decimal(str(value)).quantize(_CENT, ROUND_HALF_UP)


def _sentence(rng: random.Random, nouns: tuple[str, ...]) -> str:
    noun = rng.choice(nouns)
    opener = rng.choice(OPENERS).format(noun=rng.choice(nouns))
    result = rng.choice(RESULTS).format(n=rng.randint(3, 90), m=rng.randint(20, 900), k=rng.randint(800, 90000),
                                       p=round(rng.uniform(0.5, 15), 1), s=rng.randint(2, 12),
                                       q=round(rng.uniform(90, 100), 1))
    return (f"{opener}{rng.choice(SUBJECTS)}{rng.choice(ADVERBIALS)}{rng.choice(VERBS)}{noun}{rng.choice(SUFFIXES)}"
            f"{rng.choice(CLAUSES)}{result}。")


def _paragraph(rng: random.Random, nouns: tuple[str, ...], sentences: int = 4) -> str:
    return "".join(_sentence(rng, nouns) for _ in range(sentences))


def _renumber(rng: random.Random, text: str) -> str:
    """Last year's paragraph with new numbers and its sentences rotated: what a copy-forward looks like."""
    out, digits = [], False
    for char in text:
        if char.isdigit():
            if not digits:
                out.append(str(rng.randint(2, 99)))
            digits = True
            continue
        digits = False
        out.append(char)
    sentences = [s + "。" for s in "".join(out).split("。") if s]
    return "".join(sentences[1:] + sentences[:1])


@dataclass
class RowSpec:
    category: str
    subcategory: str
    name: str
    target: str
    actual: str
    weight: Decimal
    band: str = ""
    judged: Decimal | None = None
    evidence: str = ""
    reason: str = ""


@dataclass
class ProjectSpec:
    name: str
    appropriation: tuple[Decimal, Decimal, Decimal]
    carryover: tuple[Decimal | None, Decimal | None, Decimal | None]
    rows: list[RowSpec]
    goal_achieved: str = ""


@dataclass
class PackageSpec:
    index: int                  # department number in the region
    code: str
    department: str
    nature: str
    year: int
    budget: Decimal
    spent: Decimal
    rows: list[RowSpec]
    projects: list[ProjectSpec]
    texts: dict[str, str]
    goal_achieved: str
    planted: frozenset[str] = field(default_factory=frozenset)


TEMPLATE = TemplateData(code="HUNAN_2023", categories=(
    CategoryData(1, "产出指标", Decimal("30"), ("数量指标", "质量指标", "时效指标")),
    CategoryData(2, "效益指标", Decimal("30"), ("经济效益指标", "社会效益指标", "生态效益指标", "可持续影响指标")),
    CategoryData(3, "满意度指标", Decimal("10"), ("服务对象满意度指标",)),
    CategoryData(4, "成本指标", Decimal("20"), ("经济成本指标", "社会成本指标", "生态环境成本指标")),
))

# (category, subcategory, name pattern, unit, comparator, base low, base high, weight)
_QUANTITATIVE = (
    ("产出指标", "数量指标", "{a}完成数量", "个", "≥", 20, 300, 5),
    ("产出指标", "数量指标", "{a}覆盖率", "%", "≥", 80, 92, 5),
    ("产出指标", "数量指标", "{a}办结率", "%", "", 100, 100, 5),
    ("产出指标", "质量指标", "{a}验收合格率", "%", "≥", 88, 96, 10),
    ("产出指标", "时效指标", "{a}按时完成率", "%", "≥", 85, 95, 5),
    ("效益指标", "经济效益指标", "{a}带动社会投资", "万元", "≥", 100, 2000, 10),
    ("效益指标", "社会效益指标", "{a}受益人次", "人次", "≥", 2000, 60000, 10),
    ("满意度指标", "服务对象满意度指标", "{a}服务对象满意度", "%", "≥", 85, 93, 10),
    ("成本指标", "经济成本指标", "{a}单位成本", "万元", "≤", 5, 80, 10),
)
_QUALITATIVE = (
    ("效益指标", "生态效益指标", "生态环境改善情况", "有所改善", 5),
    ("效益指标", "可持续影响指标", "{a}长效机制", "有所提升", 5),
    ("成本指标", "社会成本指标", "对社会发展可能造成的负面影响", "无", 5),
    ("成本指标", "生态环境成本指标", "对自然生态环境造成的负面影响", "无", 5),
)


def _number(value: float, unit: str, precise: bool = False) -> str:
    """Targets are round (≥95%, ≥120个); an actual is sometimes measured to one decimal."""
    if unit == "万元" or precise:
        text = f"{value:.1f}".rstrip("0").rstrip(".")
    elif unit in ("人次",):
        text = str(int(round(value, -2)))
    else:
        text = str(int(round(value)))
    return f"{text}{unit}"


def _rows(rng: random.Random, nouns, year_index: int, *, inflated: bool, lowered: bool, department: str,
          year: int) -> list[RowSpec]:
    rows = []
    for category, subcategory, pattern, unit, comparator, low, high, weight in _QUANTITATIVE:
        name = pattern.format(a=nouns[len(rows) % len(nouns)])
        base = random.Random(f"{department}{name}").uniform(low, high)     # the same every year for a department
        if comparator == "≥" and unit != "%":
            target = base * (1.06 ** year_index)
        elif comparator == "≤":
            target = base * (0.97 ** year_index)
        else:
            target = min(base + year_index, 98.0) if comparator else 100.0
        if lowered and comparator:      # the last year of an inflated department: easier targets
            target = target * 0.85 if comparator == "≥" else target * 1.15
        target_text = f"{comparator}{_number(target, unit)}"
        target = float(target_text.lstrip("≥≤").rstrip(unit))      # the value as written
        if inflated:
            actual, reason = target, ""
        else:
            factor = rng.uniform(0.94, 1.12) if comparator != "≤" else rng.uniform(0.85, 1.06)
            actual = target * factor
            if not comparator:
                actual = 100.0 if rng.random() < 0.8 else rng.uniform(96, 99.9)
            if unit == "%":
                actual = min(actual, 100.0)
            reason = ""
        actual_text = _number(actual, unit, precise=not inflated and unit == "%" and rng.random() < 0.3)
        missed = (comparator == "≤" and actual > target) or (comparator != "≤" and actual < target)
        if missed and not inflated:
            reason = "未完全达到年度目标。" + _paragraph(rng, nouns, 2)
        rows.append(RowSpec(category, subcategory, name, target_text, actual_text, Decimal(weight), reason=reason))
    for category, subcategory, pattern, text, weight in _QUALITATIVE:
        name = pattern.format(a=nouns[0])
        band, judged, evidence = "met", Decimal(weight), ""
        if not inflated:
            if rng.random() < 0.6:
                evidence = f"见《{department}{year}年度工作总结》第{rng.randint(2, 30)}页及相关台账"
            if rng.random() < 0.15:
                band, judged = "partial", Decimal(weight) * Decimal("0.7")
        rows.append(RowSpec(category, subcategory, name, text, text, Decimal(weight), band, judged, evidence,
                            "" if band == "met" else "部分达成。" + _paragraph(rng, nouns, 2)))
    return rows


def region_specs(departments: int = 40, years: tuple[int, ...] = (2021, 2022, 2023), seed: int = 1,
                 planted: dict[int, set[str]] | None = None) -> list[PackageSpec]:
    """Specs for every department and year. `planted` maps department index → kinds (default: 2% of
    departments per kind, spread over the region)."""
    if planted is None:
        planted = {}
        for offset, kind in zip((7, 23, 41), PLANTED_KINDS):
            for index in range(offset % min(50, departments), departments, 50):
                planted.setdefault(index, set()).add(kind)
    specs: list[PackageSpec] = []
    last_year = years[-1]
    paragraphs: dict[tuple[int, int], dict[str, str]] = {}
    for index in range(departments):
        county = COUNTIES[(index // len(UNITS)) % len(COUNTIES)]
        unit, nature, nouns = UNITS[index % len(UNITS)]
        round_ = index // (len(UNITS) * len(COUNTIES))
        name = f"{county}{unit}" + (f"（{round_ + 1}）" if round_ else "")
        kinds = frozenset(planted.get(index, ()))
        for year_index, year in enumerate(years):
            rng = random.Random(f"{seed}-{index}-{year}")
            final = year == last_year
            inflated = "inflated" in kinds and final      # planted kinds show in the last year only
            rows = _rows(rng, nouns, year_index, inflated=inflated, lowered=inflated, department=name, year=year)
            budget = _cent(rng.uniform(300, 3000))
            spent = budget if rng.random() < 0.3 or inflated else _cent(float(budget) * rng.uniform(0.9, 0.995))
            projects = []
            for number in range(2):
                p_rng = random.Random(f"{seed}-{index}-{year}-p{number}")
                amount = _cent(p_rng.uniform(20, 600))
                carry = (None, None, None)
                spent_p = amount if p_rng.random() < 0.4 else _cent(float(amount) * p_rng.uniform(0.85, 0.99))
                if "carryover" in kinds and number == 0:
                    spent_p = amount          # 100% every year…
                    if final:                 # …yet money carried over from the year it claimed 100%
                        carry = (_cent(30), _cent(30), _cent(30))
                projects.append(ProjectSpec(
                    f"{nouns[number + 1]}专项经费", (amount, amount, spent_p), carry,
                    _rows(p_rng, nouns[number + 1:] + nouns[:number + 1], year_index, inflated=inflated,
                          lowered=inflated, department=name, year=year),
                    _paragraph(p_rng, nouns, 2)))
            texts = {
                "S1": f"{name}是主管{nouns[0]}等工作的政府工作部门。" + _paragraph(rng, nouns, 3),
                "S6": "（一）专项组织实施情况\n" + REGION_WORDING + "\n" + _paragraph(rng, nouns),
                "S6.2.1": _paragraph(rng, nouns),
                "S7": _paragraph(rng, nouns, 3),
                "S8": _paragraph(rng, nouns, 5),
            }
            paragraphs[(index, year)] = texts
            spec = PackageSpec(index=index, code=f"G{index:05d}", department=name, nature=nature, year=year,
                               budget=budget, spent=spent, rows=rows, projects=projects, texts=texts,
                               goal_achieved=_paragraph(rng, nouns, 3), planted=kinds if final else frozenset())
            if "copied" in kinds and final and (index, year - 1) in paragraphs:
                before = paragraphs[(index, year - 1)]
                texts["S7"] = _renumber(rng, before["S7"])
                texts["S8"] = _renumber(rng, before["S8"])
                neighbour = paragraphs.get((index - 1, year))
                if neighbour:
                    texts["S6.2.1"] = neighbour["S6.2.1"].replace("我局", "本单位", 1)
            specs.append(spec)
    return specs


def _indicator(order: int, row: RowSpec) -> IndicatorData:
    return IndicatorData(id=None, category=row.category, subcategory=row.subcategory, name=row.name,
                         target_raw=row.target, actual_raw=row.actual, weight=row.weight, band=row.band,
                         judged_score=row.judged, deviation_reason=row.reason, evidence=row.evidence, order=order)


SECTION_TITLES = {"S1": "部门基本情况", "S6": "部门整体支出绩效情况", "S6.2.1": "经济性评价", "S7": "存在的问题及原因分析",
                  "S8": "下一步改进措施"}


def package_data(spec: PackageSpec) -> PackageData:
    projects = tuple(
        ProjectData(id=None, name=p.name, category="special", order=number,
                    appropriation=Funds(*p.appropriation), carryover=Funds(*p.carryover), other=Funds(),
                    rows=tuple(_indicator(order, row) for order, row in enumerate(p.rows, start=1)),
                    goal_achieved=p.goal_achieved)
        for number, p in enumerate(spec.projects, start=1))
    sheet = DepartmentSheetData(funds=Funds(spec.budget, spec.budget, spec.spent),
                                rows=tuple(_indicator(order, row) for order, row in enumerate(spec.rows, start=1)),
                                goal_achieved=spec.goal_achieved)
    sections = tuple(SectionData(key, title, spec.texts.get(key, "")) for key, title in SECTION_TITLES.items())
    return PackageData(year=spec.year, department_name=spec.department, department_short_name=spec.department,
                       template=TEMPLATE, base=BaseData(), department_sheet=sheet, projects=projects,
                       sections=sections)

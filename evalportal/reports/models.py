"""The report package of one department and one year, and every attachment in it (domain.md §2–§3).

Only inputs are stored. Every figure that can be derived (totals, rates, scores, generated sentences)
is computed by evalportal.scoring / evalportal.checks from `selectors.package_data()`.
`stated_*` fields exist only for legacy data (load_demo --as-printed, old forms) so that K02/K03/K13
can compare what a printed report claimed with what the engine computes.
"""
from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from evalportal.review.workflow import EDITABLE_STATES, State

ZERO = Decimal("0")


def money_field(label: str, **kwargs) -> models.DecimalField:
    """万元, two places, never negative; blank is NULL (not filled in), never zero."""
    kwargs.setdefault("null", True)
    kwargs.setdefault("blank", True)
    return models.DecimalField(label, max_digits=14, decimal_places=2, validators=[MinValueValidator(ZERO)], **kwargs)


def score_field(label: str, **kwargs) -> models.DecimalField:
    kwargs.setdefault("null", True)
    kwargs.setdefault("blank", True)
    return models.DecimalField(label, max_digits=5, decimal_places=2, validators=[MinValueValidator(ZERO)], **kwargs)


def rate_field(label: str) -> models.DecimalField:
    """A stated percentage as printed on a legacy form (100.00 means 100.00%)."""
    return models.DecimalField(label, max_digits=9, decimal_places=2, null=True, blank=True)


def non_negative(model_name: str, *fields: str) -> list[models.CheckConstraint]:
    return [models.CheckConstraint(condition=Q(**{f"{field}__gte": 0}) | Q(**{f"{field}__isnull": True}),
                                   name=f"{model_name}_{field}_non_negative") for field in fields]


phone_validator = RegexValidator(r"^[0-9\-\s()（）转]*$", _("联系电话只能包含数字、“-”和空格"))


class SampleMarked(models.Model):
    """Demo B tags sample values: the UI shows a 样例 badge beside each field named here."""

    sample_fields = models.JSONField(_("样例字段"), default=list, blank=True)

    class Meta:
        abstract = True


class AttachmentFooter(models.Model):
    """填表人 / 填报日期 / 联系电话 / 单位负责人签字, printed under every table (domain.md §3.0)."""

    filled_by = models.CharField(_("填表人"), max_length=20, blank=True)
    filled_on = models.DateField(_("填报日期"), null=True, blank=True)
    phone = models.CharField(_("联系电话"), max_length=30, blank=True, validators=[phone_validator])
    head_name = models.CharField(_("单位负责人"), max_length=20, blank=True)
    head_confirmed_at = models.DateTimeField(_("负责人确认时间"), null=True, blank=True)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self.phone = (self.phone or "").replace("－", "-")   # full-width minus as in seed 001's 附件2
        super().save(*args, **kwargs)


class ReportPackage(models.Model):
    """自评报告包: one per department and year."""

    department = models.ForeignKey("orgs.Department", verbose_name=_("预算部门"), on_delete=models.PROTECT,
                                   related_name="packages")
    year = models.PositiveIntegerField(_("评价年度"))
    state = models.CharField(_("状态"), max_length=20, choices=State.choices, default=State.DRAFT, db_index=True)
    version = models.PositiveIntegerField(_("修改版本号"), default=1,
                                          help_text=_("每次保存加一；保存时版本号不符即为并发冲突"))
    edition = models.PositiveIntegerField(_("版次"), default=1, help_text=_("更正重开后加一"))
    weight_template = models.ForeignKey("orgs.WeightTemplate", verbose_name=_("权重模板"), on_delete=models.PROTECT,
                                        related_name="packages")
    outline = models.ForeignKey("orgs.NarrativeOutline", verbose_name=_("报告提纲"), on_delete=models.PROTECT,
                                related_name="packages")
    project_outline = models.ForeignKey("orgs.NarrativeOutline", verbose_name=_("项目报告提纲"), null=True, blank=True,
                                        on_delete=models.PROTECT, related_name="project_packages")
    filled_on = models.DateField(_("报告日期"), null=True, blank=True, help_text=_("正文落款日期，各附件填报日期的默认值"))
    personnel_expenditure = money_field(_("人员工资福利支出"))
    previous_three_public = money_field(_("上年“三公”经费决算"),
                                        help_text=_("留空时取附件1“三公”经费上年决算数"))
    is_legacy = models.BooleanField(_("历史数据（按原表录入）"), default=False,
                                    help_text=_("按印刷原样录入的旧报告：保留原表所填得分、合计与比率以供校验"))
    has_sample_data = models.BooleanField(_("含样例数据"), default=False)
    created_from = models.ForeignKey("self", verbose_name=_("复制自"), null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="copies")
    # Cached results of the engine, refreshed on every save, so that dashboards need no recomputation.
    total_score = score_field(_("总分"))
    grade = models.CharField(_("评价等级"), max_length=10, blank=True)
    error_count = models.PositiveIntegerField(_("错误数"), default=0)
    warning_count = models.PositiveIntegerField(_("警告数"), default=0)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("审核通过人"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="approved_packages")
    approved_at = models.DateTimeField(_("审核通过时间"), null=True, blank=True)
    published_url = models.URLField(_("公开网址"), blank=True)
    published_on = models.DateField(_("公开日期"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("自评报告包")
        verbose_name_plural = _("自评报告包")
        ordering = ["-year", "department__name"]
        constraints = [
            models.UniqueConstraint(fields=["department", "year"], name="package_one_per_department_year"),
            models.CheckConstraint(condition=Q(year__gte=2000) & Q(year__lte=2100), name="package_year_plausible"),
            *non_negative("package", "personnel_expenditure", "previous_three_public"),
        ]
        indexes = [models.Index(fields=["year", "state"])]

    def __str__(self) -> str:
        return f"{self.year}年度{self.department.name}"

    @property
    def title(self) -> str:
        return f"{self.year}年度{self.department.name}部门整体支出绩效自评报告"

    @property
    def is_editable(self) -> bool:
        return self.state in EDITABLE_STATES


class NarrativeSection(SampleMarked):
    """Free text under one heading of the package's outline (key = OutlineSection.key)."""

    package = models.ForeignKey(ReportPackage, verbose_name=_("报告包"), on_delete=models.CASCADE,
                                related_name="sections")
    key = models.CharField(_("章节代码"), max_length=20)
    text = models.TextField(_("正文"), blank=True)
    carried_over = models.BooleanField(_("沿用上年未改"), default=False)

    class Meta:
        verbose_name = _("报告正文章节")
        verbose_name_plural = _("报告正文章节")
        ordering = ["package", "key"]
        constraints = [models.UniqueConstraint(fields=["package", "key"], name="section_unique_key")]

    def __str__(self) -> str:
        return f"{self.package} · {self.key}"


class BaseDataSheet(AttachmentFooter, SampleMarked):
    """附件1 部门整体支出绩效评价基础数据表."""

    package = models.OneToOneField(ReportPackage, verbose_name=_("报告包"), on_delete=models.CASCADE,
                                   related_name="base_data")
    authorised_posts = models.PositiveIntegerField(_("编制数"), null=True, blank=True)
    actual_staff = models.PositiveIntegerField(_("实际在职人数"), null=True, blank=True)
    stated_staff_control_rate = rate_field(_("控制率（原表）"))
    approved_area = models.DecimalField(_("批复规模(m²)"), max_digits=12, decimal_places=2, null=True, blank=True,
                                        validators=[MinValueValidator(ZERO)])
    actual_area = models.DecimalField(_("实际规模(m²)"), max_digits=12, decimal_places=2, null=True, blank=True,
                                      validators=[MinValueValidator(ZERO)])
    budget_investment = money_field(_("预算投资(万元)"))
    actual_investment = money_field(_("实际投资(万元)"))
    austerity_measures = models.TextField(_("厉行节约保障措施"), max_length=1000, blank=True)

    class Meta:
        verbose_name = _("附件1 基础数据表")
        verbose_name_plural = _("附件1 基础数据表")
        constraints = non_negative("basedata", "approved_area", "actual_area", "budget_investment",
                                   "actual_investment")

    def __str__(self) -> str:
        return f"{self.package} · 附件1"


class BaseDataLine(SampleMarked):
    """One row of 附件1's 经费控制情况 block with its three columns.

    Computed rows (“三公”经费, 项目支出, 本级专项资金 and the Y columns of 业务/运行维护经费) are only
    stored for legacy data, where they hold the printed (stated) values that K20/K21 compare.
    """

    class Line(models.TextChoices):
        THREE_PUBLIC_TOTAL = "three_public_total", _("“三公”经费")
        VEHICLE = "vehicle", _("1、公务用车购置和维护经费")
        VEHICLE_PURCHASE = "vehicle_purchase", _("其中：公车购置")
        VEHICLE_OPERATION = "vehicle_operation", _("公车运行维护")
        OVERSEAS = "overseas", _("2、出国经费")
        RECEPTION = "reception", _("3、公务接待")
        PROJECT_TOTAL = "project_total", _("项目支出：")
        BUSINESS_FUNDS = "business_funds", _("1、业务工作经费")
        OPERATION_FUNDS = "operation_funds", _("2、运行维护经费")
        SPECIAL_TOTAL = "special_total", _("3、本级专项资金（一个专项一行）")
        PUBLIC_EXPENSE = "public_expense", _("公用经费")
        OFFICE_EXPENSE = "office_expense", _("其中：办公经费")
        UTILITIES_TRAVEL = "utilities_travel", _("水费、电费、差旅费")
        MEETING_TRAINING = "meeting_training", _("会议费、培训费")
        PROCUREMENT_AMOUNT = "procurement_amount", _("政府采购金额")
        BASIC_BUDGET_ADJUSTMENT = "basic_budget_adjustment", _("部门基本支出预算调整")

    sheet = models.ForeignKey(BaseDataSheet, verbose_name=_("附件1"), on_delete=models.CASCADE, related_name="lines")
    line = models.CharField(_("行"), max_length=30, choices=Line.choices)
    prev_final = money_field(_("上年决算数"))
    cur_budget = money_field(_("本年预算数"))
    cur_final = money_field(_("本年决算数"))

    class Meta:
        verbose_name = _("附件1 经费行")
        verbose_name_plural = _("附件1 经费行")
        constraints = [
            models.UniqueConstraint(fields=["sheet", "line"], name="basedataline_unique_line"),
            *non_negative("basedataline", "prev_final", "cur_budget", "cur_final"),
        ]

    def __str__(self) -> str:
        return self.get_line_display()


class Project(SampleMarked):
    """一级项目. One record per project, so 附件1, 附件2, 附件3 and the narratives cannot disagree on its name."""

    class Category(models.TextChoices):
        BUSINESS = "business", _("业务工作经费")
        OPERATION = "operation", _("运行维护经费")
        SPECIAL = "special", _("本级专项资金")

    package = models.ForeignKey(ReportPackage, verbose_name=_("报告包"), on_delete=models.CASCADE,
                                related_name="projects")
    name = models.CharField(_("项目名称"), max_length=100)
    category = models.CharField(_("项目类别"), max_length=20, choices=Category.choices, default=Category.SPECIAL)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)
    carried_over = models.BooleanField(_("沿用上年未改"), default=False)

    class Meta:
        verbose_name = _("项目")
        verbose_name_plural = _("项目")
        ordering = ["package", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["package", "name"], name="project_unique_name"),
            models.UniqueConstraint(fields=["package", "order"], name="project_unique_order"),
        ]

    def __str__(self) -> str:
        return self.name


class SpecialFundRow(SampleMarked):
    """附件1 本级专项资金, one row per 专项. Linked to a Project, its Y columns come from that project's 附件3."""

    sheet = models.ForeignKey(BaseDataSheet, verbose_name=_("附件1"), on_delete=models.CASCADE,
                              related_name="special_rows")
    name = models.CharField(_("专项名称"), max_length=100)
    project = models.OneToOneField(Project, verbose_name=_("对应项目"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="special_row")
    prev_final = money_field(_("上年决算数"))
    cur_budget = money_field(_("本年预算数"), help_text=_("仅未关联项目或历史数据时填写"))
    cur_final = money_field(_("本年决算数"), help_text=_("仅未关联项目或历史数据时填写"))
    order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("附件1 专项行")
        verbose_name_plural = _("附件1 专项行")
        ordering = ["sheet", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["sheet", "order"], name="specialfundrow_unique_order"),
            *non_negative("specialfundrow", "prev_final", "cur_budget", "cur_final"),
        ]

    def __str__(self) -> str:
        return self.name


class DepartmentEvalSheet(AttachmentFooter, SampleMarked):
    """附件2 部门整体支出绩效自评表."""

    package = models.OneToOneField(ReportPackage, verbose_name=_("报告包"), on_delete=models.CASCADE,
                                   related_name="department_sheet")
    initial_budget = money_field(_("年初预算数"))
    full_year_budget = money_field(_("全年预算数"))
    full_year_spent = money_field(_("全年执行数"))
    income_general = money_field(_("一般公共预算"))
    income_gov_fund = money_field(_("政府性基金拨款"))
    income_nontax_special = money_field(_("纳入专户管理的非税收入拨款"))
    income_other = money_field(_("其他资金"))
    basic_expenditure = money_field(_("基本支出"))
    goal_expected = models.TextField(_("预期目标"), max_length=2000, blank=True)
    goal_achieved = models.TextField(_("实际完成情况"), max_length=2000, blank=True)
    stated_project_expenditure = money_field(_("项目支出（原表）"))
    stated_execution_rate = rate_field(_("执行率（原表）"))
    stated_execution_score = models.DecimalField(_("执行率得分（原表）"), max_digits=7, decimal_places=2,
                                                 null=True, blank=True)
    stated_total_score = models.DecimalField(_("总分（原表）"), max_digits=7, decimal_places=2, null=True, blank=True)

    class Meta:
        verbose_name = _("附件2 部门整体支出绩效自评表")
        verbose_name_plural = _("附件2 部门整体支出绩效自评表")
        constraints = non_negative("deptsheet", "initial_budget", "full_year_budget", "full_year_spent",
                                   "income_general", "income_gov_fund", "income_nontax_special", "income_other",
                                   "basic_expenditure")

    def __str__(self) -> str:
        return f"{self.package} · 附件2"


class ProjectEvalSheet(AttachmentFooter, SampleMarked):
    """附件3 项目支出绩效自评表, one per project."""

    project = models.OneToOneField(Project, verbose_name=_("项目"), on_delete=models.CASCADE, related_name="sheet")
    supervising_department = models.CharField(_("主管部门"), max_length=100, blank=True)
    implementing_unit = models.CharField(_("实施单位"), max_length=100, blank=True)
    appropriation_initial = money_field(_("当年财政拨款·年初预算数"))
    appropriation_full_year = money_field(_("当年财政拨款·全年预算数"))
    appropriation_spent = money_field(_("当年财政拨款·全年执行数"))
    carryover_initial = money_field(_("上年结转资金·年初预算数"))
    carryover_full_year = money_field(_("上年结转资金·全年预算数"))
    carryover_spent = money_field(_("上年结转资金·全年执行数"))
    other_initial = money_field(_("其他资金·年初预算数"))
    other_full_year = money_field(_("其他资金·全年预算数"))
    other_spent = money_field(_("其他资金·全年执行数"))
    goal_expected = models.TextField(_("预期目标"), max_length=2000, blank=True)
    goal_achieved = models.TextField(_("实际完成情况"), max_length=2000, blank=True)
    stated_name = models.CharField(_("项目名称（原表）"), max_length=100, blank=True)
    stated_total_initial = money_field(_("年度资金总额·年初（原表）"))
    stated_total_full_year = money_field(_("年度资金总额·全年（原表）"))
    stated_total_spent = money_field(_("年度资金总额·执行（原表）"))
    stated_execution_rate = rate_field(_("执行率（原表）"))
    stated_execution_score = models.DecimalField(_("执行率得分（原表）"), max_digits=7, decimal_places=2,
                                                 null=True, blank=True)
    stated_total_score = models.DecimalField(_("总分（原表）"), max_digits=7, decimal_places=2, null=True, blank=True)

    class Meta:
        verbose_name = _("附件3 项目支出绩效自评表")
        verbose_name_plural = _("附件3 项目支出绩效自评表")
        constraints = non_negative("projsheet", "appropriation_initial", "appropriation_full_year",
                                   "appropriation_spent", "carryover_initial", "carryover_full_year",
                                   "carryover_spent", "other_initial", "other_full_year", "other_spent")

    def __str__(self) -> str:
        return f"{self.project} · 附件3"


class IndicatorRow(SampleMarked):
    """One scored 三级 row of 附件2 (department_sheet) or of one 附件3 (project_sheet)."""

    class Kind(models.TextChoices):
        AUTO = "auto", _("按指标值自动判断")
        QUALITATIVE = "qualitative", _("定性")

    class Band(models.TextChoices):
        MET = "met", _("达成年度指标")
        PARTIAL = "partial", _("部分达成年度指标并具有一定效果")
        NOT_MET = "not_met", _("未达成年度指标且效果较差")

    department_sheet = models.ForeignKey(DepartmentEvalSheet, verbose_name=_("附件2"), null=True, blank=True,
                                         on_delete=models.CASCADE, related_name="rows")
    project_sheet = models.ForeignKey(ProjectEvalSheet, verbose_name=_("附件3"), null=True, blank=True,
                                      on_delete=models.CASCADE, related_name="rows")
    category = models.ForeignKey("orgs.TemplateCategory", verbose_name=_("一级指标"), on_delete=models.PROTECT,
                                 related_name="+")
    subcategory = models.ForeignKey("orgs.TemplateSubcategory", verbose_name=_("二级指标"), on_delete=models.PROTECT,
                                    related_name="+")
    name = models.CharField(_("三级指标"), max_length=200)
    target_raw = models.CharField(_("年度指标值"), max_length=50, blank=True)
    actual_raw = models.CharField(_("实际完成值"), max_length=50, blank=True)
    # Blank while a draft is being written (a save never requires completeness); required at submit (K04).
    weight = models.DecimalField(_("分值"), max_digits=5, decimal_places=2, null=True, blank=True,
                                 validators=[MinValueValidator(ZERO)])
    kind = models.CharField(_("指标类型"), max_length=20, choices=Kind.choices, default=Kind.AUTO)
    band = models.CharField(_("档次"), max_length=10, choices=Band.choices, blank=True)
    judged_score = score_field(_("评定得分"), help_text=_("定性指标由填报人在档次范围内评定"))
    adjusted_score = score_field(_("调减后得分"))
    adjustment_reason = models.CharField(_("调减理由"), max_length=500, blank=True)
    deviation_reason = models.TextField(_("偏差原因分析及改进措施"), max_length=500, blank=True)
    evidence = models.TextField(_("佐证说明"), max_length=1000, blank=True)
    may_exceed_100 = models.BooleanField(_("可超过100%"), default=False)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)
    stated_score = models.DecimalField(_("得分（原表）"), max_digits=7, decimal_places=2, null=True, blank=True)
    carried_over = models.BooleanField(_("沿用上年未改"), default=False)
    previous_actual_raw = models.CharField(_("上年实际完成值"), max_length=50, blank=True)

    class Meta:
        verbose_name = _("绩效指标")
        verbose_name_plural = _("绩效指标")
        ordering = ["category__order", "subcategory__order", "order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(department_sheet__isnull=False, project_sheet__isnull=True)
                           | Q(department_sheet__isnull=True, project_sheet__isnull=False)),
                name="indicatorrow_belongs_to_one_sheet",
            ),
            models.CheckConstraint(condition=Q(weight__gt=0) | Q(weight__isnull=True), name="indicatorrow_weight_positive"),
            models.UniqueConstraint(fields=["department_sheet", "order"], condition=Q(department_sheet__isnull=False),
                                    name="indicatorrow_unique_order_dept"),
            models.UniqueConstraint(fields=["project_sheet", "order"], condition=Q(project_sheet__isnull=False),
                                    name="indicatorrow_unique_order_project"),
        ]

    def __str__(self) -> str:
        return self.name


class FundTable(models.Model):
    """附件4/5/6: government funds, state-capital operations, social-insurance funds; or 无."""

    class Kind(models.TextChoices):
        GOV_FUND = "gov_fund", _("政府性基金预算财政拨款支出情况表")
        STATE_CAPITAL = "state_capital", _("国有资本经营预算财政拨款支出情况表")
        SOCIAL_INSURANCE = "social_insurance", _("社会保险基金预算支出情况表")

    ATTACHMENT_NUMBER = {Kind.GOV_FUND: 4, Kind.STATE_CAPITAL: 5, Kind.SOCIAL_INSURANCE: 6}

    package = models.ForeignKey(ReportPackage, verbose_name=_("报告包"), on_delete=models.CASCADE,
                                related_name="fund_tables")
    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices)
    none = models.BooleanField(_("无此项支出"), default=True)
    filled_by = models.CharField(_("填表人"), max_length=20, blank=True)
    filled_on = models.DateField(_("填报日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("附件4–6 基金支出表")
        verbose_name_plural = _("附件4–6 基金支出表")
        constraints = [models.UniqueConstraint(fields=["package", "kind"], name="fundtable_unique_kind")]

    def __str__(self) -> str:
        return f"附件{self.number} {self.get_kind_display()}"

    @property
    def number(self) -> int:
        return self.ATTACHMENT_NUMBER[self.kind]


class FundRow(SampleMarked):
    table = models.ForeignKey(FundTable, verbose_name=_("附件4–6"), on_delete=models.CASCADE, related_name="rows")
    subject = models.CharField(_("项目（支出功能分类科目）"), max_length=100)
    initial_budget = money_field(_("年初预算数"))
    full_year_budget = money_field(_("全年预算数"))
    full_year_spent = money_field(_("全年执行数"))
    note = models.CharField(_("备注"), max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("基金支出行")
        verbose_name_plural = _("基金支出行")
        ordering = ["table", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["table", "order"], name="fundrow_unique_order"),
            *non_negative("fundrow", "initial_budget", "full_year_budget", "full_year_spent"),
        ]

    def __str__(self) -> str:
        return self.subject


class ProjectReport(SampleMarked):
    """项目支出绩效评价报告 of one project; section texts are ProjectReportSection rows keyed by the outline."""

    project = models.OneToOneField(Project, verbose_name=_("项目"), on_delete=models.CASCADE, related_name="report")
    eval_start = models.DateField(_("评价开始日期"), null=True, blank=True)
    eval_end = models.DateField(_("评价结束日期"), null=True, blank=True)
    basis = models.CharField(_("评价依据"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("项目支出绩效评价报告")
        verbose_name_plural = _("项目支出绩效评价报告")

    def __str__(self) -> str:
        return f"{self.project.name}项目支出绩效评价报告"


class ProjectReportSection(SampleMarked):
    report = models.ForeignKey(ProjectReport, verbose_name=_("项目报告"), on_delete=models.CASCADE,
                               related_name="sections")
    key = models.CharField(_("章节代码"), max_length=20)
    text = models.TextField(_("正文"), blank=True)
    carried_over = models.BooleanField(_("沿用上年未改"), default=False)

    class Meta:
        verbose_name = _("项目报告章节")
        verbose_name_plural = _("项目报告章节")
        ordering = ["report", "key"]
        constraints = [models.UniqueConstraint(fields=["report", "key"], name="projectsection_unique_key")]


class ProjectSpendItem(SampleMarked):
    """项目资金实际使用明细: their sum must equal the project's 全年执行数 (K30)."""

    project = models.ForeignKey(Project, verbose_name=_("项目"), on_delete=models.CASCADE, related_name="spend_items")
    name = models.CharField(_("支出内容"), max_length=100)
    amount = money_field(_("金额（万元）"), null=False, blank=False)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("项目资金使用明细")
        verbose_name_plural = _("项目资金使用明细")
        ordering = ["project", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["project", "order"], name="spenditem_unique_order"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="spenditem_amount_non_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.name}{self.amount}万元"


class CheckExplanation(models.Model):
    """The filler's explanation of a warning (or the reviewer's 已阅), keyed by check code and location."""

    package = models.ForeignKey(ReportPackage, verbose_name=_("报告包"), on_delete=models.CASCADE,
                                related_name="check_explanations")
    code = models.CharField(_("校验代码"), max_length=8)
    location = models.CharField(_("位置"), max_length=120, blank=True)
    explanation = models.TextField(_("说明"), max_length=1000, blank=True)
    acknowledged_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("确认人"), null=True, blank=True,
                                        on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("校验说明")
        verbose_name_plural = _("校验说明")
        constraints = [models.UniqueConstraint(fields=["package", "code", "location"], name="explanation_unique")]

    def __str__(self) -> str:
        return f"{self.code} {self.location}"

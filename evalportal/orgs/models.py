"""Regions, departments and the per-region, per-year templates (weights, scoring rules, narrative outline).

Regions differ, so nothing here is hard-coded: the Hunan framework and seed 001's outline are rows
that load_demo creates and an admin edits.
"""
from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class Region(models.Model):
    name = models.CharField(_("地区名称"), max_length=50)
    parent = models.ForeignKey("self", verbose_name=_("上级地区"), null=True, blank=True, on_delete=models.PROTECT,
                               related_name="children")
    finance_bureau = models.CharField(_("财政局名称"), max_length=50, blank=True, help_text=_("如：汨罗市财政局"))
    code = models.CharField(_("行政区划代码"), max_length=12, blank=True)

    class Meta:
        verbose_name = _("地区")
        verbose_name_plural = _("地区")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["parent", "name"], name="region_unique_name_under_parent")]

    def __str__(self) -> str:
        return self.name

    def ancestors(self) -> list["Region"]:
        """This region first, then its parents up to the province."""
        chain, region = [], self
        while region is not None:
            chain.append(region)
            region = region.parent
        return chain

    def descendant_ids(self) -> list[int]:
        ids, frontier = [self.pk], [self.pk]
        while frontier:
            frontier = list(Region.objects.filter(parent_id__in=frontier).values_list("pk", flat=True))
            ids.extend(frontier)
        return ids


class Department(models.Model):
    class Nature(models.TextChoices):
        ADMINISTRATIVE = "administrative", _("行政单位")
        PUBLIC_INSTITUTION = "public_institution", _("事业单位")
        OTHER = "other", _("其他")

    region = models.ForeignKey(Region, verbose_name=_("地区"), on_delete=models.PROTECT, related_name="departments")
    name = models.CharField(_("单位名称"), max_length=100)
    short_name = models.CharField(_("简称"), max_length=50, blank=True, help_text=_("如：行政审批服务局"))
    code = models.CharField(_("单位代码"), max_length=30, unique=True, help_text=_("预算单位编码，脚本和命令用它指明单位"))
    nature = models.CharField(_("单位性质"), max_length=30, choices=Nature.choices, default=Nature.ADMINISTRATIVE)
    authorised_posts = models.PositiveIntegerField(_("编制数"), null=True, blank=True)

    class Meta:
        verbose_name = _("预算部门")
        verbose_name_plural = _("预算部门")
        ordering = ["region__name", "name"]
        constraints = [models.UniqueConstraint(fields=["region", "name"], name="department_unique_name_in_region")]

    def __str__(self) -> str:
        return self.name

    @property
    def display_short_name(self) -> str:
        return self.short_name or self.name


class WeightTemplate(models.Model):
    """权重模板：一级/二级 structure, weights and the configurable scoring rules of domain.md §5.8."""

    class ExecutionScoring(models.TextChoices):
        LINEAR = "linear", _("按执行率线性计分")
        BANDS = "bands", _("按执行率分档计分")

    code = models.CharField(_("模板代码"), max_length=40)
    name = models.CharField(_("模板名称"), max_length=100)
    region = models.ForeignKey(Region, verbose_name=_("适用地区"), null=True, blank=True, on_delete=models.PROTECT,
                               related_name="weight_templates", help_text=_("留空表示全国默认模板"))
    year_from = models.PositiveIntegerField(_("起始年度"))
    year_to = models.PositiveIntegerField(_("终止年度"), null=True, blank=True, help_text=_("留空表示沿用至今后各年"))
    version = models.PositiveIntegerField(_("版本"), default=1)
    execution_weight = models.DecimalField(_("预算执行率分值"), max_digits=5, decimal_places=2, default=Decimal("10"))
    execution_scoring = models.CharField(_("执行率计分方式"), max_length=10, choices=ExecutionScoring.choices,
                                         default=ExecutionScoring.LINEAR)
    overshoot_threshold = models.DecimalField(_("超额完成提示阈值(%)"), max_digits=5, decimal_places=2,
                                              default=Decimal("20"))
    budget_change_threshold = models.DecimalField(_("预算调整提示阈值(%)"), max_digits=5, decimal_places=2,
                                                  default=Decimal("30"))
    le_zero_factor = models.DecimalField(_("反向指标零分点(倍数)"), max_digits=4, decimal_places=2, default=Decimal("2"),
                                         help_text=_("≤ 指标实际值达到指标值的该倍数时得0分"))
    bare_value_at_least = models.BooleanField(_("无比较符数值按“不低于”计分"), default=True)
    strict_counts_as_met = models.BooleanField(_("＞/＜ 指标等于指标值时视为达成"), default=True)
    policy_source = models.CharField(_("政策依据"), max_length=200, blank=True,
                                     default="财预〔2020〕10号《项目支出绩效评价管理办法》")

    class Meta:
        verbose_name = _("权重模板")
        verbose_name_plural = _("权重模板")
        ordering = ["code", "-year_from"]
        constraints = [models.UniqueConstraint(fields=["code", "year_from", "version"],
                                               name="weighttemplate_unique_code_year_version")]

    def __str__(self) -> str:
        return f"{self.name}（{self.code}）"

    @classmethod
    def for_region_year(cls, region: Region, year: int) -> "WeightTemplate | None":
        """The nearest region's template covering the year, else the national default (region blank)."""
        candidates = list(cls.objects.filter(year_from__lte=year).filter(
            models.Q(year_to__isnull=True) | models.Q(year_to__gte=year)))
        for place in [*region.ancestors(), None]:
            for template in sorted(candidates, key=lambda t: (-t.year_from, -t.version)):
                if template.region_id == (place.pk if place else None):
                    return template
        return None


class TemplateCategory(models.Model):
    """一级指标 with its weight, e.g. 产出指标 30."""

    template = models.ForeignKey(WeightTemplate, verbose_name=_("权重模板"), on_delete=models.CASCADE,
                                 related_name="categories")
    name = models.CharField(_("一级指标"), max_length=50)
    weight = models.DecimalField(_("权重"), max_digits=5, decimal_places=2, validators=[MinValueValidator(0)])
    order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("一级指标")
        verbose_name_plural = _("一级指标")
        ordering = ["template", "order"]
        constraints = [models.UniqueConstraint(fields=["template", "name"], name="category_unique_name")]

    def __str__(self) -> str:
        return f"{self.name}（{self.weight.normalize():f}分）"

    @property
    def label(self) -> str:
        """Printed form with full-width brackets: 产出指标（30分）."""
        return f"{self.name}（{self.weight.normalize():f}分）"


class TemplateSubcategory(models.Model):
    """二级指标 under one 一级."""

    category = models.ForeignKey(TemplateCategory, verbose_name=_("一级指标"), on_delete=models.CASCADE,
                                 related_name="subcategories")
    name = models.CharField(_("二级指标"), max_length=50)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)
    required = models.BooleanField(_("必须填写"), default=False)

    class Meta:
        verbose_name = _("二级指标")
        verbose_name_plural = _("二级指标")
        ordering = ["category", "order"]
        constraints = [models.UniqueConstraint(fields=["category", "name"], name="subcategory_unique_name")]

    def __str__(self) -> str:
        return self.name


class NarrativeOutline(models.Model):
    """The narrative report's outline for a region and year (seed 001's ten sections are one such outline)."""

    class Kind(models.TextChoices):
        DEPARTMENT = "department", _("部门整体支出绩效自评报告")
        PROJECT = "project", _("项目支出绩效评价报告")

    code = models.CharField(_("提纲代码"), max_length=40)
    name = models.CharField(_("提纲名称"), max_length=100)
    kind = models.CharField(_("报告类型"), max_length=20, choices=Kind.choices, default=Kind.DEPARTMENT)
    region = models.ForeignKey(Region, verbose_name=_("适用地区"), null=True, blank=True, on_delete=models.PROTECT,
                               related_name="outlines")
    year_from = models.PositiveIntegerField(_("起始年度"))
    year_to = models.PositiveIntegerField(_("终止年度"), null=True, blank=True)
    version = models.PositiveIntegerField(_("版本"), default=1)

    class Meta:
        verbose_name = _("报告提纲")
        verbose_name_plural = _("报告提纲")
        ordering = ["code", "-year_from"]
        constraints = [models.UniqueConstraint(fields=["code", "kind", "year_from"], name="outline_unique_code_year")]

    def __str__(self) -> str:
        return f"{self.name}（{self.code}）"

    @classmethod
    def for_region_year(cls, region: Region, year: int, kind: str = "department") -> "NarrativeOutline | None":
        candidates = list(cls.objects.filter(kind=kind, year_from__lte=year).filter(
            models.Q(year_to__isnull=True) | models.Q(year_to__gte=year)))
        for place in [*region.ancestors(), None]:
            for outline in sorted(candidates, key=lambda o: -o.year_from):
                if outline.region_id == (place.pk if place else None):
                    return outline
        return None


class OutlineSection(models.Model):
    """One heading of an outline. `key` is stable (S1, S2, S2.1 …); the app numbers headings itself."""

    class Generator(models.TextChoices):
        NONE = "", _("无")
        SPECIAL_FUNDS_TOTAL = "special_funds_total", _("专项经费总额")
        BASIC_EXPENDITURE = "basic_expenditure", _("基本支出及“三公”经费")
        PROJECT_LIST = "project_list", _("项目支出明细")
        GOV_FUND = "gov_fund", _("政府性基金预算（附件4）")
        STATE_CAPITAL = "state_capital", _("国有资本经营预算（附件5）")
        SOCIAL_INSURANCE = "social_insurance", _("社会保险基金预算（附件6）")
        DEPARTMENT_SCORE = "department_score", _("部门整体自评得分")
        ATTACHMENT_NOTE = "attachment_note", _("附件目录")
        PROJECT_AMOUNT = "project_amount", _("项目资金概况")
        PROJECT_SPEND_ITEMS = "project_spend_items", _("项目资金实际使用明细")
        PROJECT_EVAL_WORK = "project_eval_work", _("评价工作情况")
        PROJECT_SCORE = "project_score", _("项目自评得分")

    outline = models.ForeignKey(NarrativeOutline, verbose_name=_("提纲"), on_delete=models.CASCADE,
                                related_name="sections")
    key = models.CharField(_("代码"), max_length=20)
    parent_key = models.CharField(_("上级代码"), max_length=20, blank=True)
    title = models.CharField(_("标题"), max_length=100)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)
    required = models.BooleanField(_("必填"), default=False)
    generator = models.CharField(_("自动生成内容"), max_length=30, choices=Generator.choices, blank=True, default="")
    default_text = models.TextField(_("默认内容"), blank=True)
    hint = models.CharField(_("填写提示"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("提纲章节")
        verbose_name_plural = _("提纲章节")
        ordering = ["outline", "order"]
        constraints = [models.UniqueConstraint(fields=["outline", "key"], name="outlinesection_unique_key")]

    def __str__(self) -> str:
        return f"{self.key} {self.title}"

    @property
    def level(self) -> int:
        return self.key.count(".") + 1


# --- Templates in use are frozen -------------------------------------------------------------------------
# A package keeps the template it started with (domain.md §5.1). Once a package on a template has been
# submitted, its snapshot, its approval and its printed PDF rest on those weights and rules: changing them
# in place would silently re-score an approved report. Such templates are read-only; an admin copies one
# into a new version instead (admin action), and the drafts move to the copy.

class TemplateFrozen(Exception):
    """Raised on a write to a weight template or outline that submitted packages rest on."""


def _submitted_packages(**filters):
    from evalportal.reports.models import ReportPackage
    from evalportal.review.workflow import State
    return ReportPackage.objects.filter(**filters).exclude(state=State.DRAFT)


def weight_template_frozen(template_id: int | None) -> bool:
    return bool(template_id) and _submitted_packages(weight_template_id=template_id).exists()


def outline_frozen(outline_id: int | None) -> bool:
    return bool(outline_id) and (_submitted_packages(outline_id=outline_id).exists()
                                 or _submitted_packages(project_outline_id=outline_id).exists())


def _unchanged(instance) -> bool:
    """A save that writes back the stored values (load_templates run again) changes nothing."""
    stored = type(instance).objects.filter(pk=instance.pk).values().first()
    return stored is not None and all(stored[f.attname] == getattr(instance, f.attname)
                                      for f in instance._meta.concrete_fields)


def _guard(instance, frozen: bool, deleting: bool = False) -> None:
    if frozen and (instance.pk is None or deleting or not _unchanged(instance)):
        raise TemplateFrozen(f"「{instance}」已有提交或通过的报告在使用，不能修改；请复制为新版本后再改。")


def _template_id(instance) -> int | None:
    if isinstance(instance, WeightTemplate):
        return instance.pk
    if isinstance(instance, TemplateCategory):
        return instance.template_id
    return TemplateCategory.objects.filter(pk=instance.category_id).values_list("template_id", flat=True).first()


def guard_template_write(sender, instance, **kwargs) -> None:
    if kwargs.get("raw"):          # loaddata (restore) writes what the backup holds
        return
    deleting = "update_fields" not in kwargs      # pre_delete sends no update_fields
    if sender in (WeightTemplate, TemplateCategory, TemplateSubcategory):
        _guard(instance, weight_template_frozen(_template_id(instance)), deleting)
    elif sender is NarrativeOutline:
        _guard(instance, outline_frozen(instance.pk), deleting)
    elif sender is OutlineSection:
        _guard(instance, outline_frozen(instance.outline_id), deleting)


def _connect_guards() -> None:
    from django.db.models.signals import pre_delete, pre_save
    for model in (WeightTemplate, TemplateCategory, TemplateSubcategory, NarrativeOutline, OutlineSection):
        pre_save.connect(guard_template_write, sender=model, dispatch_uid=f"freeze-{model.__name__}")
        pre_delete.connect(guard_template_write, sender=model, dispatch_uid=f"freeze-del-{model.__name__}")


_connect_guards()

"""Stored results of the insight screening (issue 10): signals per package and the copied-text index.

Everything here is derived from the report packages and can be rebuilt at any time
(`python manage.py insight_recompute`); only KeyEvaluation records a reviewer's decision.
"""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class PackageSignals(models.Model):
    """The package's plausibility signals, refreshed after every save (services.insight_refresh)."""

    package = models.OneToOneField("reports.ReportPackage", verbose_name=_("报告包"), on_delete=models.CASCADE,
                                   related_name="insight")
    computed_at = models.DateTimeField(_("计算时间"), auto_now=True)
    signals = models.JSONField(_("提示"), default=list, blank=True, help_text=_("signals.Signal.as_dict() 列表"))
    copies = models.JSONField(_("文字雷同"), default=list, blank=True)
    score = models.DecimalField(_("关注分"), max_digits=6, decimal_places=1, default=0, db_index=True)
    # Copied from the engine's result so that the region view and the year-over-year chart need no recomputation.
    total_score = models.DecimalField(_("总分"), max_digits=6, decimal_places=2, null=True, blank=True)
    grade = models.CharField(_("评价等级"), max_length=10, blank=True)
    execution_rate = models.DecimalField(_("执行率(%)"), max_digits=9, decimal_places=2, null=True, blank=True)
    budget = models.DecimalField(_("全年预算数"), max_digits=14, decimal_places=2, null=True, blank=True)
    spent = models.DecimalField(_("全年执行数"), max_digits=14, decimal_places=2, null=True, blank=True)

    class Meta:
        verbose_name = _("审核提示")
        verbose_name_plural = _("审核提示")

    def __str__(self) -> str:
        return f"{self.package_id} · {self.score}"

    def points(self, code: str) -> float:
        return next((signal["points"] for signal in self.signals if signal["code"] == code), 0.0)

    @property
    def codes(self) -> set[str]:
        return {signal["code"] for signal in self.signals}


class TextFingerprint(models.Model):
    """One passage (paragraph, 实际完成情况 or 偏差原因) of a package, with its MinHash signature."""

    package = models.ForeignKey("reports.ReportPackage", verbose_name=_("报告包"), on_delete=models.CASCADE,
                                related_name="text_fingerprints")
    # Denormalised so that candidate lookups never join the package: matching is per region and year.
    department = models.ForeignKey("orgs.Department", verbose_name=_("单位"), on_delete=models.CASCADE,
                                   related_name="+")
    region = models.ForeignKey("orgs.Region", verbose_name=_("地区"), on_delete=models.CASCADE, related_name="+")
    year = models.PositiveIntegerField(_("年度"))
    location = models.CharField(_("位置"), max_length=120)
    label = models.CharField(_("位置说明"), max_length=300)
    paragraph = models.TextField(_("段落"))
    digest = models.CharField(_("摘要"), max_length=40, help_text=_("段落与算法版本的 SHA-1：未变的段落不重算"))
    signature = models.JSONField(_("MinHash 签名"), default=list)

    class Meta:
        verbose_name = _("段落指纹")
        verbose_name_plural = _("段落指纹")
        constraints = [models.UniqueConstraint(fields=["package", "location"], name="fingerprint_unique_location")]
        indexes = [models.Index(fields=["region", "year"])]

    def __str__(self) -> str:
        return f"{self.package_id} {self.location}"


class FingerprintBand(models.Model):
    """One LSH band key of a fingerprint: passages that share a key are compared."""

    fingerprint = models.ForeignKey(TextFingerprint, on_delete=models.CASCADE, related_name="bands")
    region = models.ForeignKey("orgs.Region", on_delete=models.CASCADE, related_name="+", db_index=False)
    year = models.PositiveIntegerField()
    key = models.BigIntegerField()

    class Meta:
        verbose_name = _("指纹分段")
        verbose_name_plural = _("指纹分段")
        indexes = [models.Index(fields=["region", "year", "key"])]


class TextMatch(models.Model):
    """Two near-duplicate passages. `source` is the later one for PREVIOUS_YEAR; either for SAME_YEAR."""

    class Kind(models.TextChoices):
        PREVIOUS_YEAR = "previous_year", _("与本单位上年报告相似")
        SAME_YEAR = "same_year", _("与同年其他单位相似")

    source = models.ForeignKey(TextFingerprint, on_delete=models.CASCADE, related_name="+")
    target = models.ForeignKey(TextFingerprint, on_delete=models.CASCADE, related_name="+")
    source_package = models.ForeignKey("reports.ReportPackage", on_delete=models.CASCADE, related_name="+")
    target_package = models.ForeignKey("reports.ReportPackage", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices)
    similarity = models.FloatField(_("相似度"))
    shared = models.PositiveIntegerField(_("相同片段数"))

    class Meta:
        verbose_name = _("文字雷同")
        verbose_name_plural = _("文字雷同")
        constraints = [models.UniqueConstraint(fields=["source", "target"], name="textmatch_unique_pair")]


class RegionBoilerplate(models.Model):
    """Shingles many departments of a region use in one year: standard wording that never counts as copying."""

    region = models.ForeignKey("orgs.Region", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveIntegerField()
    hashes = models.JSONField(default=list)
    departments = models.PositiveIntegerField(default=0)
    computed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("地区通用表述")
        verbose_name_plural = _("地区通用表述")
        constraints = [models.UniqueConstraint(fields=["region", "year"], name="boilerplate_unique_region_year")]


class KeyEvaluation(models.Model):
    """财政重点评价: the bureau chose this package's department for an on-site evaluation."""

    package = models.OneToOneField("reports.ReportPackage", verbose_name=_("报告包"), on_delete=models.CASCADE,
                                   related_name="key_evaluation")
    selected_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("选定人"), on_delete=models.PROTECT,
                                    related_name="+")
    selected_at = models.DateTimeField(_("选定时间"), auto_now_add=True)
    note = models.CharField(_("备注"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("财政重点评价")
        verbose_name_plural = _("财政重点评价")

    def __str__(self) -> str:
        return f"{self.package} · 重点评价"

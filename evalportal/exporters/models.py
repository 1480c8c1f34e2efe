"""Exporter records: the part cache, the approval records behind the verification QR code, and bulk ZIP jobs."""
from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class RenderedPart(models.Model):
    """The PDF of one part, keyed by a hash of everything printed on it and of the print templates.

    An unchanged part is never rendered twice; a changed figure changes only the keys of the parts that print it.
    The PDF carries placeholder fonts (worker.py): it is an intermediate, joined by joining.py before download.
    """

    key = models.CharField(_("内容哈希"), max_length=64, unique=True)
    kind = models.CharField(_("部分"), max_length=40)
    pdf = models.BinaryField(_("PDF"))
    pages = models.PositiveIntegerField(_("页数"))
    fonts = models.JSONField(_("字体信息"), default=dict)
    created_at = models.DateTimeField(_("生成时间"), auto_now_add=True)
    used_at = models.DateTimeField(_("最近使用"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("PDF部分缓存")
        verbose_name_plural = _("PDF部分缓存")

    def __str__(self) -> str:
        return f"{self.kind} {self.key[:12]}"


class ApprovalRecord(models.Model):
    """What an approved package's PDF claims about itself; the QR code's token finds it again."""

    token = models.CharField(_("核验码"), max_length=40, unique=True)
    package = models.ForeignKey("reports.ReportPackage", verbose_name=_("报告包"), on_delete=models.CASCADE,
                                related_name="approval_records")
    edition = models.PositiveIntegerField(_("版次"))
    version = models.PositiveIntegerField(_("修改版本号"))
    content_hash = models.CharField(_("内容哈希"), max_length=64)
    approved_by_name = models.CharField(_("审核通过人"), max_length=60)
    approved_at = models.DateTimeField(_("审核通过时间"))
    created_at = models.DateTimeField(_("生成时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("审核通过核验记录")
        verbose_name_plural = _("审核通过核验记录")
        constraints = [models.UniqueConstraint(fields=["package", "edition", "content_hash", "approved_at"],
                                               name="approvalrecord_unique_content")]

    def __str__(self) -> str:
        return f"{self.package} 第{self.edition}版 {self.content_hash[:12]}"


class IssuedFile(models.Model):
    """The SHA-256 of each PDF file handed out under an approval record (uploaded copies are checked against it)."""

    record = models.ForeignKey(ApprovalRecord, verbose_name=_("核验记录"), on_delete=models.CASCADE,
                               related_name="files")
    part = models.CharField(_("部分"), max_length=40, blank=True)
    sha256 = models.CharField(_("文件哈希"), max_length=64)
    created_at = models.DateTimeField(_("生成时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("已发放文件")
        verbose_name_plural = _("已发放文件")
        constraints = [models.UniqueConstraint(fields=["record", "sha256"], name="issuedfile_unique_hash")]


class ExportJob(models.Model):
    """A bulk ZIP of a region's approved packages, built in a background process (bulk.py)."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("排队中")
        RUNNING = "running", _("生成中")
        DONE = "done", _("已完成")
        FAILED = "failed", _("失败")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("申请人"), on_delete=models.CASCADE,
                             related_name="export_jobs")
    region = models.ForeignKey("orgs.Region", verbose_name=_("地区"), on_delete=models.CASCADE, related_name="+")
    year = models.PositiveIntegerField(_("评价年度"))
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    done = models.PositiveIntegerField(_("已完成"), default=0)
    total = models.PositiveIntegerField(_("总数"), default=0)
    current = models.CharField(_("当前"), max_length=200, blank=True)
    path = models.CharField(_("文件路径"), max_length=500, blank=True)
    size = models.PositiveBigIntegerField(_("文件大小"), default=0)
    error = models.TextField(_("错误信息"), blank=True)
    created_at = models.DateTimeField(_("申请时间"), auto_now_add=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    heartbeat_at = models.DateTimeField(_("最近进度时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("批量下载任务")
        verbose_name_plural = _("批量下载任务")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.region} {self.year} {self.get_status_display()}"

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        return int(self.done * 100 / self.total) if self.total else 0

    @property
    def filename(self) -> str:
        return f"{self.year}年度{self.region.name}绩效自评报告（已通过）.zip"

    @property
    def is_stale(self) -> bool:
        """A running job whose worker stopped reporting (killed, machine restarted): it will not finish."""
        from datetime import timedelta

        from django.utils import timezone
        limit = timedelta(seconds=getattr(settings, "EXPORT_JOB_STALE_SECONDS", 300))
        return (self.status == self.Status.RUNNING and self.heartbeat_at is not None
                and timezone.now() - self.heartbeat_at > limit)

    def fail_if_stale(self) -> bool:
        """Record an interrupted job as failed, so the page stops waiting and offers a new run."""
        if not self.is_stale:
            return False
        from django.utils import timezone
        self.status, self.error = self.Status.FAILED, "后台任务进程中断（可能被终止或重启），文件未生成。请重新生成。"
        self.finished_at = timezone.now()
        self.save(update_fields=["status", "error", "finished_at"])
        return True

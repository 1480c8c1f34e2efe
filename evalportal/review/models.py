"""Review records of domain.md §7: snapshots, review comments with their threads, and the audit trail.

The audit trail (AuditEvent + FieldChange) is append-only: a saved row can never be changed or deleted
through the ORM (save/delete/QuerySet.update/QuerySet.delete refuse) and the admin shows it read-only.
A package deleted by `load_demo --reset` keeps its trail: the link is set to NULL and `package_label` stays.
"""
from __future__ import annotations

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils.translation import gettext_lazy as _

from evalportal.accounts.roles import Role

from .workflow import State


class AppendOnlyError(PermissionDenied):
    """The audit trail cannot be edited or deleted."""


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError(_("审计日志只能追加，不能修改。"))

    def delete(self):
        raise AppendOnlyError(_("审计日志只能追加，不能删除。"))


class AppendOnly(models.Model):
    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.pk is not None and not kwargs.get("force_insert"):
            raise AppendOnlyError(_("审计日志只能追加，不能修改。"))
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError(_("审计日志只能追加，不能删除。"))


class Snapshot(models.Model):
    """The whole package frozen at one 提交: inputs, computed results, findings, template version (canonical JSON)."""

    package = models.ForeignKey("reports.ReportPackage", verbose_name=_("报告包"), on_delete=models.CASCADE,
                                related_name="snapshots")
    number = models.PositiveIntegerField(_("快照序号"))
    edition = models.PositiveIntegerField(_("版次"), default=1)
    created_at = models.DateTimeField(_("冻结时间"), auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("提交人"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    schema_version = models.PositiveSmallIntegerField(_("快照格式版本"), default=1)
    template_code = models.CharField(_("权重模板"), max_length=40, blank=True)
    template_version = models.PositiveIntegerField(_("模板版本"), default=1)
    data = models.JSONField(_("内容"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    total_score = models.DecimalField(_("总分"), max_digits=7, decimal_places=2, null=True, blank=True)
    grade = models.CharField(_("评价等级"), max_length=10, blank=True)
    # The only fields that change after freezing: what later happened to this submission.
    returned_at = models.DateTimeField(_("退回时间"), null=True, blank=True)
    approved = models.BooleanField(_("已通过"), default=False)
    superseded = models.BooleanField(_("已被更正版本取代"), default=False)

    MUTABLE_FIELDS = frozenset({"returned_at", "approved", "superseded"})

    class Meta:
        verbose_name = _("提交快照")
        verbose_name_plural = _("提交快照")
        ordering = ["package", "number"]
        constraints = [models.UniqueConstraint(fields=["package", "number"], name="snapshot_unique_number")]

    def __str__(self) -> str:
        return f"{self.package_id} · 第{self.number}次提交"

    def save(self, *args, **kwargs):
        # Frozen content: after the first save only the outcome flags may change.
        if self.pk is not None:
            fields = set(kwargs.get("update_fields") or ())
            if not fields or not fields <= self.MUTABLE_FIELDS:
                raise AppendOnlyError(_("快照已冻结，不能修改。"))
        super().save(*args, **kwargs)


class ReviewComment(models.Model):
    """审核意见 on a section, a table or one row; the filler answers it, the reviewer resolves or reopens it."""

    class Status(models.TextChoices):
        OPEN = "open", _("待答复")
        ANSWERED = "answered", _("已答复")
        RESOLVED = "resolved", _("已解决")

    package = models.ForeignKey("reports.ReportPackage", verbose_name=_("报告包"), on_delete=models.CASCADE,
                                related_name="review_comments")
    snapshot = models.ForeignKey(Snapshot, verbose_name=_("针对的快照"), null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("审核人"), on_delete=models.PROTECT,
                               related_name="review_comments")
    role = models.CharField(_("角色"), max_length=20, choices=Role.choices)
    section_key = models.CharField(_("章节"), max_length=60, db_index=True)
    row_id = models.PositiveIntegerField(_("指标行"), null=True, blank=True)
    row_label = models.CharField(_("行名称"), max_length=200, blank=True)
    text = models.TextField(_("意见"), max_length=2000)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.OPEN, db_index=True)
    created_at = models.DateTimeField(_("提出时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("审核意见")
        verbose_name_plural = _("审核意见")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.section_key}：{self.text[:30]}"

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN


class CommentReply(models.Model):
    """One entry of a comment's thread: the filler's answer, or the reviewer's resolve/reopen with a note."""

    class Kind(models.TextChoices):
        REPLY = "reply", _("答复")
        RESOLVE = "resolve", _("确认解决")
        REOPEN = "reopen", _("重新打开")

    comment = models.ForeignKey(ReviewComment, verbose_name=_("审核意见"), on_delete=models.CASCADE,
                                related_name="replies")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("作者"), on_delete=models.PROTECT,
                               related_name="+")
    role = models.CharField(_("角色"), max_length=20, choices=Role.choices)
    kind = models.CharField(_("类型"), max_length=10, choices=Kind.choices, default=Kind.REPLY)
    text = models.TextField(_("内容"), max_length=2000, blank=True)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("意见答复")
        verbose_name_plural = _("意见答复")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}：{self.text[:30]}"


class AuditEvent(AppendOnly):
    """Who did what to which package, when and from where; one FieldChange per changed value."""

    class Kind(models.TextChoices):
        SAVE = "save", _("保存")
        TRANSITION = "transition", _("流程操作")
        IMPORT = "import", _("导入")
        EXPORT = "export", _("导出")
        COMMENT = "comment", _("审核意见")
        TEMPLATE = "template", _("模板修改")

    package = models.ForeignKey("reports.ReportPackage", verbose_name=_("报告包"), null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="audit_events")
    package_label = models.CharField(_("报告包名称"), max_length=200, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("操作人"), null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="+")
    actor_name = models.CharField(_("操作人姓名"), max_length=60, blank=True)
    role = models.CharField(_("角色"), max_length=20, choices=Role.choices, blank=True)
    kind = models.CharField(_("类型"), max_length=12, choices=Kind.choices, db_index=True)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)
    remote_addr = models.GenericIPAddressField(_("来源地址"), null=True, blank=True)
    action = models.CharField(_("操作"), max_length=30, blank=True)
    from_state = models.CharField(_("原状态"), max_length=20, choices=State.choices, blank=True)
    to_state = models.CharField(_("新状态"), max_length=20, choices=State.choices, blank=True)
    note = models.TextField(_("说明"), blank=True)
    snapshot = models.ForeignKey(Snapshot, verbose_name=_("快照"), null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="+")
    extra = models.JSONField(_("附加信息"), default=dict, blank=True)

    class Meta:
        verbose_name = _("审计日志")
        verbose_name_plural = _("审计日志")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["package", "created_at"])]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor_name} {self.get_kind_display()}"


class FieldChange(AppendOnly):
    event = models.ForeignKey(AuditEvent, verbose_name=_("审计日志"), on_delete=models.CASCADE,
                              related_name="changes")
    object_label = models.CharField(_("对象"), max_length=200)
    field = models.CharField(_("字段"), max_length=100)
    old = models.TextField(_("原值"), blank=True)
    new = models.TextField(_("新值"), blank=True)

    class Meta:
        verbose_name = _("字段变更")
        verbose_name_plural = _("字段变更")
        ordering = ["event", "pk"]

    def __str__(self) -> str:
        return f"{self.object_label}.{self.field}: {self.old} → {self.new}"

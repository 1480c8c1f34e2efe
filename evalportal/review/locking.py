"""Model-level lock: no save reaches the content of an approved/published package, whatever the caller
(forms, importer, admin, shell). Views and forms should call guards.ensure_editable first for a friendly
message; this is the last line. Also the read-only admin for content of non-editable packages."""
from __future__ import annotations

from django.db.models.signals import pre_save

from .guards import PackageLocked, ensure_editable, workflow_is_writing
from .workflow import EDITABLE_STATES, LOCKED_STATES


def _paths():
    from evalportal.reports import models as m
    direct = [("package_id", m.ReportPackage, "state")]
    return {
        m.NarrativeSection: direct, m.BaseDataSheet: direct, m.DepartmentEvalSheet: direct, m.Project: direct,
        m.FundTable: direct, m.CheckExplanation: direct,
        m.BaseDataLine: [("sheet_id", m.BaseDataSheet, "package__state")],
        m.SpecialFundRow: [("sheet_id", m.BaseDataSheet, "package__state")],
        m.ProjectEvalSheet: [("project_id", m.Project, "package__state")],
        m.ProjectReport: [("project_id", m.Project, "package__state")],
        m.ProjectSpendItem: [("project_id", m.Project, "package__state")],
        m.IndicatorRow: [("department_sheet_id", m.DepartmentEvalSheet, "package__state"),
                         ("project_sheet_id", m.ProjectEvalSheet, "project__package__state")],
        m.FundRow: [("table_id", m.FundTable, "package__state")],
        m.ProjectReportSection: [("report_id", m.ProjectReport, "project__package__state")],
    }


_PATHS: dict | None = None


def guarded_models() -> dict:
    global _PATHS
    if _PATHS is None:
        _PATHS = _paths()
    return _PATHS


def package_state_of(obj) -> str | None:
    """The state of the package `obj` belongs to (one small query), or None when it has none yet."""
    for attr, parent, path in guarded_models().get(type(obj), ()):
        parent_id = getattr(obj, attr, None)
        if parent_id is not None:
            return parent.objects.filter(pk=parent_id).values_list(path, flat=True).first()
    return None


def refuse_locked_save(sender, instance, raw=False, **kwargs):
    if raw or workflow_is_writing():
        return
    state = package_state_of(instance)
    if state in LOCKED_STATES:
        ensure_editable(type("P", (), {"state": state})())


def connect_signals() -> None:
    for model in guarded_models():
        pre_save.connect(refuse_locked_save, sender=model, dispatch_uid=f"review-lock-{model._meta.label}")


# ---------------------------------------------------------------- admin

class LockedPackageAdminMixin:
    """Content of a package that is not 草稿/已退回 is shown read-only in the admin (no change, no delete)."""

    def _editable(self, obj) -> bool:
        if obj is None:
            return True
        from evalportal.reports.models import ReportPackage
        state = obj.state if isinstance(obj, ReportPackage) else package_state_of(obj)
        return state is None or state in EDITABLE_STATES

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._editable(obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._editable(obj)


class LockedInlineMixin(LockedPackageAdminMixin):
    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and self._editable(obj)


# The workflow owns these fields; the admin must never move a package between states by hand.
WORKFLOW_FIELDS = ("state", "edition", "submitted_at", "approved_by", "approved_at", "published_url",
                   "published_on")


def lock_reports_admin(site) -> None:
    """Wrap every registered admin of the reports app (and its inlines) with the lock mixins."""
    for model, model_admin in list(site._registry.items()):
        if model._meta.app_label != "reports" or isinstance(model_admin, LockedPackageAdminMixin):
            continue
        cls = type(model_admin)
        attrs = {"inlines": [type(f"Locked{inline.__name__}", (LockedInlineMixin, inline), {})
                             for inline in cls.inlines]}
        if model._meta.model_name == "reportpackage":
            attrs["readonly_fields"] = [*cls.readonly_fields, *[f for f in WORKFLOW_FIELDS
                                                                 if f not in cls.readonly_fields]]
        site.unregister(model)
        site.register(model, type(f"Locked{cls.__name__}", (LockedPackageAdminMixin, cls), attrs))


__all__ = ["PackageLocked", "connect_signals", "lock_reports_admin", "package_state_of"]

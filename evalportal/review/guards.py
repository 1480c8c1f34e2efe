"""Write guards: every write to package content goes through ensure_editable (forms, importer, admin)."""
from __future__ import annotations

import contextlib
import contextvars

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from .workflow import EDITABLE_STATES, LOCKED_STATES, State


class PackageLocked(PermissionDenied):
    """Django answers 403 with this message; forms may catch it and show it at the top."""


def ensure_editable(package) -> None:
    """Refuse any content write unless the package is 草稿 or 已退回 (domain.md §7 'editable by')."""
    if package.state not in EDITABLE_STATES:
        label = State(package.state).label
        if package.state in LOCKED_STATES:
            raise PackageLocked(_("该报告已审核通过并锁定（%(state)s），任何人都不能修改；如需更正请联系管理员。")
                                % {"state": label})
        raise PackageLocked(_("该报告当前状态为“%(state)s”，不能修改。如需修改，请先撤回或等待退回。") % {"state": label})


# The workflow itself writes a few fields of non-editable packages (head_name on 确认上报); the
# model-level guard in signals.py lets those writes through inside this context only.
_workflow_writing = contextvars.ContextVar("evalportal_workflow_writing", default=False)


@contextlib.contextmanager
def workflow_writes():
    token = _workflow_writing.set(True)
    try:
        yield
    finally:
        _workflow_writing.reset(token)


def workflow_is_writing() -> bool:
    return _workflow_writing.get()

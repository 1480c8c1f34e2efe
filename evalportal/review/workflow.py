"""Workflow states of domain.md §7. Pure: no database; the transition table lives here too."""
from django.db import models
from django.utils.translation import gettext_lazy as _


class State(models.TextChoices):
    DRAFT = "draft", _("草稿")
    PENDING_HEAD = "pending_head", _("待单位审核")
    PENDING_FINANCE = "pending_finance", _("待财政审核")
    RETURNED = "returned", _("已退回")
    APPROVED = "approved", _("已通过")
    PUBLISHED = "published", _("已公开")


EDITABLE_STATES = frozenset({State.DRAFT, State.RETURNED})
LOCKED_STATES = frozenset({State.APPROVED, State.PUBLISHED})
# The 草稿 watermark prints until the package is approved (domain.md §8).
WATERMARKED_STATES = frozenset({State.DRAFT, State.PENDING_HEAD, State.PENDING_FINANCE, State.RETURNED})

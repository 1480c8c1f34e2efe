"""Roles of domain.md §7. Pure: no database."""
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    FILLER = "filler", _("填报人")
    HEAD = "head", _("单位负责人")
    REVIEWER = "reviewer", _("财政局审核人")
    ADMIN = "admin", _("管理员")


DEPARTMENT_ROLES = frozenset({Role.FILLER, Role.HEAD})
REGION_ROLES = frozenset({Role.REVIEWER})

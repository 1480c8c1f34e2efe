from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .roles import Role


class User(AbstractUser):
    """A login. What it may do comes from its RoleGrants; one user may hold several roles."""

    full_name = models.CharField(_("姓名"), max_length=30, blank=True)
    phone = models.CharField(_("联系电话"), max_length=30, blank=True)

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")

    def __str__(self) -> str:
        return self.full_name or self.username

    @property
    def display_name(self) -> str:
        return self.full_name or self.username

    def grants_cache(self) -> list["RoleGrant"]:
        if not hasattr(self, "_grants_cache"):
            self._grants_cache = list(self.role_grants.select_related("department", "region"))
        return self._grants_cache

    def has_role(self, role: str) -> bool:
        return any(grant.role == role for grant in self.grants_cache())

    @property
    def is_portal_admin(self) -> bool:
        return self.is_superuser or self.has_role(Role.ADMIN)


class RoleGrant(models.Model):
    """填报人/单位负责人 of one department, 财政局审核人 of one region (and its children), or 管理员."""

    user = models.ForeignKey(User, verbose_name=_("用户"), on_delete=models.CASCADE, related_name="role_grants")
    role = models.CharField(_("角色"), max_length=20, choices=Role.choices)
    department = models.ForeignKey("orgs.Department", verbose_name=_("单位"), null=True, blank=True,
                                   on_delete=models.CASCADE, related_name="role_grants")
    region = models.ForeignKey("orgs.Region", verbose_name=_("地区"), null=True, blank=True,
                               on_delete=models.CASCADE, related_name="role_grants")

    class Meta:
        verbose_name = _("角色授权")
        verbose_name_plural = _("角色授权")
        constraints = [
            models.UniqueConstraint(fields=["user", "role", "department", "region"], name="rolegrant_unique"),
            # A department role names a department, a reviewer a region, an admin neither.
            models.CheckConstraint(
                condition=(Q(role__in=["filler", "head"], department__isnull=False, region__isnull=True)
                           | Q(role="reviewer", region__isnull=False, department__isnull=True)
                           | Q(role="admin", region__isnull=True, department__isnull=True)),
                name="rolegrant_scope_matches_role",
            ),
        ]

    def __str__(self) -> str:
        scope = self.department or self.region or _("全部")
        return f"{self.user} · {self.get_role_display()} · {scope}"

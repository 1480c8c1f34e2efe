"""Small factories with realistic Chinese defaults. They build on the real templates (templates_loaded)."""
from itertools import count

from evalportal.accounts.models import RoleGrant, User
from evalportal.accounts.roles import Role
from evalportal.orgs.models import Department, Region
from evalportal.reports import services

_seq = count(1)


def make_region(name: str | None = None, parent: Region | None = None) -> Region:
    if parent is None:
        parent, _ = Region.objects.get_or_create(name="湖南省", parent=None)
    return Region.objects.create(name=name or f"测试市{next(_seq)}", parent=parent,
                                 finance_bureau=f"{name or '测试市'}财政局")


def make_department(region: Region | None = None, name: str | None = None) -> Department:
    n = next(_seq)
    return Department.objects.create(region=region or make_region(), name=name or f"测试市第{n}局",
                                     short_name=f"第{n}局", code=f"T{n:05d}", authorised_posts=20)


def make_user(role: str, *, department: Department | None = None, region: Region | None = None,
              username: str | None = None) -> User:
    user = User.objects.create_user(username=username or f"user{next(_seq)}", password="evalportal-demo",
                                    full_name="测试用户")
    RoleGrant.objects.create(user=user, role=role, department=department if role in (Role.FILLER, Role.HEAD) else None,
                             region=region if role == Role.REVIEWER else None)
    return user


def make_package(department: Department | None = None, year: int = 2023, **fields):
    return services.package_create(department=department or make_department(), year=year, **fields)


def filler_of(package) -> User:
    return make_user(Role.FILLER, department=package.department)


def head_of(package) -> User:
    return make_user(Role.HEAD, department=package.department)


def reviewer_of(package) -> User:
    return make_user(Role.REVIEWER, region=package.department.region)

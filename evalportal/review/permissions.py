"""Which roles a user holds over one package (domain.md §7 scope rules). Reads grants, never the request."""
from __future__ import annotations

from evalportal.accounts.roles import Role


def region_chain_ids(region) -> set[int]:
    """The region and its ancestors: a reviewer of any of them covers a department of `region`."""
    return {place.pk for place in region.ancestors()}


def roles_of(user, package) -> frozenset[Role]:
    """Every role `user` holds over `package`: FILLER/HEAD of its department, REVIEWER of its region, ADMIN."""
    if user is None or not user.is_authenticated:
        return frozenset()
    roles: set[Role] = set()
    if user.is_portal_admin:
        roles.add(Role.ADMIN)
    chain: set[int] | None = None
    for grant in user.grants_cache():
        if grant.role in (Role.FILLER, Role.HEAD) and grant.department_id == package.department_id:
            roles.add(Role(grant.role))
        elif grant.role == Role.REVIEWER:
            if chain is None:
                chain = region_chain_ids(package.department.region)
            if grant.region_id in chain:
                roles.add(Role.REVIEWER)
    return frozenset(roles)


# Shown in the trail when one user holds several roles: the most specific first.
ROLE_PRIORITY = (Role.FILLER, Role.HEAD, Role.REVIEWER, Role.ADMIN)


def primary_role(roles) -> str:
    return next((role for role in ROLE_PRIORITY if role in roles), "")

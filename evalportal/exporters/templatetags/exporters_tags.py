from django import template

from evalportal.exporters.parts import part_keys

register = template.Library()


@register.simple_tag
def export_parts(package) -> list[tuple[str, str]]:
    """(key, label) of every part the package prints, for the per-part download links."""
    return part_keys(package)


@register.simple_tag
def can_bulk_download(user) -> bool:
    """Reviewers and admins may download a region's approved packages as one ZIP."""
    from evalportal.accounts.roles import Role
    return bool(user.is_authenticated and (user.is_portal_admin or user.has_role(Role.REVIEWER)))

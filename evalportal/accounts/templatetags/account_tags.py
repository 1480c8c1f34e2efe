from django import template

register = template.Library()


@register.filter
def has_role(user, role: str) -> bool:
    """{% if user|has_role:"reviewer" %}: menus follow the user's role grants."""
    return bool(getattr(user, "is_authenticated", False)) and user.has_role(role)

"""{% section_comments package "att2.indicators" row_id=row.pk %}: the comment threads beside a section or row."""
from django import template

from evalportal.review.comments import comment_rights, may_settle, package_comments
from evalportal.review.models import ReviewComment

register = template.Library()


@register.inclusion_tag("review/_section_comments.html", takes_context=True)
def section_comments(context, package, section_key, row_id=None, row_label=""):
    request = context.get("request")
    user = getattr(request, "user", None)
    rights = comment_rights(user, package)
    row = int(row_id) if row_id not in (None, "") else None
    comments = [c for c in package_comments(package) if c.section_key == section_key and c.row_id == row]
    threads = [{"comment": c, "may_settle": may_settle(rights, c),
                "may_reply": rights["can_reply"] and c.status != ReviewComment.Status.RESOLVED}
               for c in comments]
    return {
        "package": package, "section_key": section_key, "row_id": row, "row_label": row_label,
        "threads": threads, "can_add": rights["can_add"], "csrf_token": context.get("csrf_token"),
        "next": request.get_full_path() if request is not None else "",
        "anchor": f"c-{section_key.replace('.', '-')}{'-r' + str(row) if row else ''}",
    }


@register.simple_tag
def open_comment_count(package):
    return sum(1 for c in package_comments(package) if c.is_open)


@register.simple_tag(takes_context=True)
def package_steps(context, package):
    """[{step, blockers}] the current user may take on `package` (buttons drawn from workflow.STEPS)."""
    from evalportal.review.services import steps_for_user
    request = context.get("request")
    if request is None or not request.user.is_authenticated:
        return []
    return steps_for_user(package, request.user)


@register.filter
def review_value(value):
    """A snapshot value as the page shows it: blank for None, 是/否 for flags."""
    if value is None or value == "":
        return "—"
    if value is True:
        return "是"
    if value is False:
        return "否"
    return value


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if hasattr(mapping, "get") else None


@register.simple_tag
def section_title(key, titles):
    return titles.get(key, key)

"""{% package_insight package as insight %}: what the package panel shows, or None for users who may not see it."""
from __future__ import annotations

from django import template

from evalportal.reports.selectors import packages_visible_to

from .. import selectors
from ..models import PackageSignals

register = template.Library()


@register.simple_tag(takes_context=True)
def package_insight(context, package) -> dict | None:
    request = context.get("request")
    user = getattr(request, "user", None) or context.get("user")
    if package is None or user is None or not user.is_authenticated or not selectors.is_reviewer_of(user, package):
        return None
    insight = PackageSignals.objects.filter(package_id=package.pk).first()
    copies = insight.copies if insight else []
    visible = set(packages_visible_to(user).filter(pk__in={c["other_package"] for c in copies})
                  .values_list("pk", flat=True)) if copies else set()
    history = selectors.department_history(user, package)
    return {
        "signals": insight.signals if insight else [],
        "score": insight.score if insight else None,
        "computed_at": insight.computed_at if insight else None,
        "copies": [c for c in copies if c["other_package"] in visible],
        "hidden_copies": sum(1 for c in copies if c["other_package"] not in visible),
        "history": history,
        "chart_id": f"insight-history-{package.pk}",
        "chart": {"labels": [str(h["year"]) for h in history], "totals": [h["total"] for h in history],
                  "rates": [h["rate"] for h in history], "budgets": [h["budget"] for h in history],
                  "grades": [h["grade"] for h in history]},
    }


@register.filter
def points_of(row, code: str):
    """A region row's points for one signal (0 when absent)."""
    return row.points.get(code, 0)

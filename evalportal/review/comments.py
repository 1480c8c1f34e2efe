"""Reading review comments for display: one query per package per request, whatever the number of sections."""
from __future__ import annotations

from django.db.models import Prefetch

from evalportal.accounts.roles import Role

from .models import CommentReply, ReviewComment
from .permissions import roles_of
from .workflow import COMMENTING, EDITABLE_STATES, State


def package_comments(package) -> list[ReviewComment]:
    cached = getattr(package, "_review_comments_cache", None)
    if cached is None:
        cached = list(ReviewComment.objects.filter(package_id=package.pk)
                      .select_related("author", "snapshot")
                      .prefetch_related(Prefetch("replies", queryset=CommentReply.objects.select_related("author"))))
        package._review_comments_cache = cached
    return cached


def comment_rights(user, package) -> dict:
    """What this user may do with the comments of this package, given its state."""
    roles = getattr(package, "_review_roles_cache", {}).get(getattr(user, "pk", None))
    if roles is None:
        roles = roles_of(user, package)
        package.__dict__.setdefault("_review_roles_cache", {})[getattr(user, "pk", None)] = roles
    state = package.state
    commenter = COMMENTING.get(state)
    return {
        "roles": roles,
        "can_add": commenter is not None and commenter in roles,
        "can_reply": Role.FILLER in roles and state in EDITABLE_STATES,
        # The author's side settles a thread: while the package is back with the filler, or on the next review.
        "can_settle_roles": {role for role in (Role.HEAD, Role.REVIEWER) if role in roles
                             and state in (State.RETURNED, *[s for s, r in COMMENTING.items() if r == role])},
    }


def may_settle(rights: dict, comment: ReviewComment) -> bool:
    return comment.role in rights["can_settle_roles"]

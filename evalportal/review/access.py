"""Who may reach each URL of the review app (tests/review/test_access_matrix.py, demo A in 待财政审核).

Package pages are readable by everyone in the package's scope and 404 outside it. A workflow step's page
answers only the role of that step (403 for other roles who can see the package): the matrix uses
action "approve", the reviewer's step from 待财政审核. POST-only endpoints answer a GET with 405 once logged in.
The dashboard is for reviewers (their own region) and admins; the public list needs no login."""

_PAGE = {"anonymous": "login", "filler": "ok", "filler_other": "404", "head": "ok",
         "reviewer_same": "ok", "reviewer_other": "404", "admin": "ok"}
_POST_ONLY = {"anonymous": "login", "filler": "405", "filler_other": "405", "head": "405",
              "reviewer_same": "405", "reviewer_other": "405", "admin": "405"}
_REVIEWERS = {"anonymous": "login", "filler": "403", "filler_other": "403", "head": "403",
              "reviewer_same": "ok", "reviewer_other": "ok", "admin": "ok"}
_PUBLIC = {"anonymous": "ok", "filler": "ok", "filler_other": "ok", "head": "ok",
           "reviewer_same": "ok", "reviewer_other": "ok", "admin": "ok"}

ACCESS = {
    "review:package_review": _PAGE,
    "review:package_action": {"anonymous": "login", "filler": "403", "filler_other": "404", "head": "403",
                              "reviewer_same": "ok", "reviewer_other": "404", "admin": "403"},
    "review:package_diff": _PAGE,
    "review:package_audit": _PAGE,
    "review:snapshot_download": _PAGE,
    "review:finding_ack": _POST_ONLY,
    "review:comment_add": _POST_ONLY,
    "review:comment_reply": _POST_ONLY,
    "review:comment_resolve": _POST_ONLY,
    "review:comment_reopen": _POST_ONLY,
    "review:dashboard": _REVIEWERS,
    "review:dashboard_xlsx": _REVIEWERS,
    "review:public_list": _PUBLIC,
}

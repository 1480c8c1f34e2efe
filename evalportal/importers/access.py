"""Who may reach each URL of the importers app (tests/review/test_access_matrix.py, demo A in 待财政审核).

Only the department's filler imports. The upload page answers the filler in every state and explains there
why a package that is not 草稿/已退回 cannot be imported into; the result page redirects when there is no
result to show (a 302 that is not to the login page: "ok")."""

_FILLER_ONLY = {"anonymous": "login", "filler": "ok", "filler_other": "404", "head": "403",
                "reviewer_same": "403", "reviewer_other": "404", "admin": "403"}

ACCESS = {
    "importers:upload": _FILLER_ONLY,
    "importers:done": _FILLER_ONLY,
}

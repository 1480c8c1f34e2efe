"""Who may reach each URL of the insight app (tests/review/test_access_matrix.py, demo A in 待财政审核).

The insight is the finance bureau's tool: reviewers see their own region (a reviewer of another region gets
their own region's page, and 404 for a package outside it), admins see everything, and the department's own
filler and head get 403 on their package (they may see the package, not the screening of it)."""

_REVIEWERS = {"anonymous": "login", "filler": "403", "filler_other": "403", "head": "403",
              "reviewer_same": "ok", "reviewer_other": "ok", "admin": "ok"}
_POST_ONLY = {"anonymous": "login", "filler": "405", "filler_other": "405", "head": "405",
              "reviewer_same": "405", "reviewer_other": "405", "admin": "405"}
_PACKAGE = {"anonymous": "login", "filler": "403", "filler_other": "404", "head": "403",
            "reviewer_same": "ok", "reviewer_other": "404", "admin": "ok"}

ACCESS = {
    "insight:region": _REVIEWERS,
    "insight:region_xlsx": _REVIEWERS,
    "insight:key_evaluation": _POST_ONLY,
    "insight:recompute": _POST_ONLY,
    "insight:package_panel": _PACKAGE,
    "insight:package_matches": _PACKAGE,
}

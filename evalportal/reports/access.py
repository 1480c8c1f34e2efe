"""Who may reach each URL of the reports app (checked by tests/review/test_access_matrix.py against demo A in
待财政审核). Pages are readable by everyone in scope; writes need the department's filler in 草稿/已退回, so in
待财政审核 a POST-only URL answers 405 to a GET, and the filler's pages are read-only."""

_PAGE = {"anonymous": "login", "filler": "ok", "filler_other": "404", "head": "ok",
         "reviewer_same": "ok", "reviewer_other": "404", "admin": "ok"}
# POST-only endpoints (live preview, delete, explanations): a GET is refused before the package is looked up.
_POST_ONLY = {"anonymous": "login", "filler": "405", "filler_other": "405", "head": "405",
              "reviewer_same": "405", "reviewer_other": "405", "admin": "405"}

ACCESS = {
    "reports:home": {"anonymous": "login", "filler": "ok", "filler_other": "ok", "head": "ok",
                     "reviewer_same": "ok", "reviewer_other": "ok", "admin": "ok"},
    "reports:package": _PAGE,
    # Only fillers start packages; the others are told so (403).
    "reports:package_new": {"anonymous": "login", "filler": "ok", "filler_other": "ok", "head": "403",
                            "reviewer_same": "403", "reviewer_other": "403", "admin": "403"},
    "reports:narrative": _PAGE,
    "reports:base_data": _PAGE,
    "reports:department_sheet": _PAGE,
    "reports:att4": _PAGE,
    "reports:att5": _PAGE,
    "reports:att6": _PAGE,
    "reports:project_new": _PAGE,
    "reports:project_sheet": _PAGE,
    "reports:project_report": _PAGE,
    "reports:narrative_live": _POST_ONLY,
    "reports:base_data_live": _POST_ONLY,
    "reports:department_sheet_live": _POST_ONLY,
    "reports:project_sheet_live": _POST_ONLY,
    "reports:project_report_live": _POST_ONLY,
    "reports:project_delete": _POST_ONLY,
    "reports:explain": _POST_ONLY,
}

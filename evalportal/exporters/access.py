"""Who may reach each URL of the exporters (tests/review/test_access_matrix.py, demo A in 待财政审核).

Downloads follow the package's scope (404 outside it). The verification page is public: whoever holds the
paper scans its QR code; an unknown token is answered with a denial page, not an error. Bulk ZIPs are for
reviewers (their own regions) and admins; without ?job= the status and download pages lead back to the form.
"""
_PACKAGE = {"anonymous": "login", "filler": "ok", "filler_other": "404", "head": "ok",
            "reviewer_same": "ok", "reviewer_other": "404", "admin": "ok"}
_PUBLIC = {"anonymous": "ok", "filler": "ok", "filler_other": "ok", "head": "ok",
           "reviewer_same": "ok", "reviewer_other": "ok", "admin": "ok"}
_REVIEWERS = {"anonymous": "login", "filler": "403", "filler_other": "403", "head": "403",
              "reviewer_same": "ok", "reviewer_other": "ok", "admin": "ok"}

ACCESS = {
    "exporters:package_pdf": _PACKAGE,
    "exporters:package_xlsx": _PACKAGE,
    "exporters:verify": _PUBLIC,
    "exporters:region_zip": _REVIEWERS,
    "exporters:region_zip_status": _REVIEWERS,
    "exporters:region_zip_download": _REVIEWERS,
}

ACCESS = {
    "reports:home": {"anonymous": "login", "filler": "ok", "filler_other": "ok", "head": "ok",
                     "reviewer_same": "ok", "reviewer_other": "ok", "admin": "ok"},
    "reports:package": {"anonymous": "login", "filler": "ok", "filler_other": "404", "head": "ok",
                        "reviewer_same": "ok", "reviewer_other": "404", "admin": "ok"},
}

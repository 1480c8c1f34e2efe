_EVERYONE = {"anonymous": "ok", "filler": "ok", "filler_other": "ok", "head": "ok",
             "reviewer_same": "ok", "reviewer_other": "ok", "admin": "ok"}

ACCESS = {
    "core:favicon": _EVERYONE,
    "core:healthz": {"anonymous": "ok", "filler": "ok", "filler_other": "ok", "head": "ok",
                     "reviewer_same": "ok", "reviewer_other": "ok", "admin": "ok"},
}

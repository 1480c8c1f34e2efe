# Django's own auth views (login, logout, password change/reset), declared for the access-matrix test.
_PUBLIC = {"anonymous": "ok", "filler": "ok", "filler_other": "ok", "head": "ok", "reviewer_same": "ok",
           "reviewer_other": "ok", "admin": "ok"}
_LOGGED_IN = {**_PUBLIC, "anonymous": "login"}
_POST_ONLY = {actor: "405" for actor in _PUBLIC}

ACCESS = {
    "login": _PUBLIC,
    "logout": _POST_ONLY,
    "password_change": _LOGGED_IN,
    "password_change_done": _LOGGED_IN,
    "password_reset": _PUBLIC,
    "password_reset_done": _PUBLIC,
    "password_reset_confirm": _PUBLIC,
    "password_reset_complete": _PUBLIC,
}

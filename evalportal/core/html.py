"""HTML escaping for the code that writes markup in Python on hot paths (form widgets, printed table rows)."""
from __future__ import annotations

from html import escape as _escape

_SPECIAL = frozenset("&<>\"'")


def escape_html(value) -> str:
    """django.utils.html.conditional_escape, minus its lazy-string wrapper: the same output (html.escape writes
    Django's entities), but where thousands of values are escaped per page the wrapper cost more than the
    escaping. Callers mark their finished markup safe themselves."""
    if hasattr(value, "__html__"):
        return value.__html__()
    text = str(value)
    return text if _SPECIAL.isdisjoint(text) else _escape(text)

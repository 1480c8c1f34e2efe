"""The engine's messages in the active language, which a scoring run reads once instead of once per message.

Django keeps the active language in an asgiref Local: every read takes a lock and a context variable, about
3 µs. The engine translates a few messages and keys its target cache by language for every row, so that
scoring a package read it some 350 times, half of the time spent scoring. Inside `pinned_language()` the
engine reads the language and the translation of each message once per run.
"""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.utils import translation

# (language, its messages so far) while pinned; the messages of one language are the same for every run.
_pinned: ContextVar[tuple[str | None, dict[str, str]] | None] = ContextVar("evalportal_scoring_language",
                                                                           default=None)
_MESSAGES: dict[str | None, dict[str, str]] = {}


@contextmanager
def pinned_language() -> Iterator[None]:
    """Score with the language active on entry (a translation.override() inside would not be seen)."""
    if _pinned.get() is not None:
        yield
        return
    language = translation.get_language()
    token = _pinned.set((language, _MESSAGES.setdefault(language, {})))
    try:
        yield
    finally:
        _pinned.reset(token)


def get_language() -> str | None:
    pinned = _pinned.get()
    return translation.get_language() if pinned is None else pinned[0]


def gettext(message: str) -> str:
    """django.utils.translation.gettext; the engine passes literal messages only, so the memo stays small."""
    pinned = _pinned.get()
    if pinned is None:
        return translation.gettext(message)
    messages = pinned[1]
    text = messages.get(message)
    if text is None:
        text = messages[message] = translation.gettext(message)
    return text

"""Reading numbers out of free Chinese text: amounts in 万元, percentages, and short quotable fragments."""
from __future__ import annotations

import re
from decimal import Decimal
from functools import lru_cache

# Every evaluation (each form page, live preview and save) scans every narrative text, and most of them have not
# changed since the last one: the text-only checks keep what they found per text. Keyed by the exact text, so a
# changed text is scanned afresh; bounded, like the target parses (scoring/targets.py).
per_text = lru_cache(maxsize=4096)

NUMBER = r"\d+(?:\.\d+)?"
AMOUNT = re.compile(rf"(?<![\d.])({NUMBER})\s*万元")
# An amount right after these words is a change, not a part of a total (比上年增加30.6万元).
_CHANGE_WORDS = ("增加", "减少", "增长", "下降", "节约", "超支")


def amounts(text: str, *, skip_changes: bool = True) -> list[Decimal]:
    found = []
    for match in AMOUNT.finditer(text):
        before = text[max(0, match.start() - 3):match.start()]
        if skip_changes and any(word in before for word in _CHANGE_WORDS):
            continue
        found.append(Decimal(match.group(1)))
    return found


def fragment(text: str, start: int, end: int, *, context: int = 0, limit: int = 60) -> str:
    """The matched words (plus a little context), cut to a quotable length and without line breaks."""
    piece = text[max(0, start - context):end + context].replace("\n", " ").strip()
    return piece if len(piece) <= limit else piece[:limit] + "…"


_CLAUSE_MARKS = "，,。；;：:！？!?\n"


def clause(text: str, start: int, end: int, *, reach: int = 12, ahead: int | None = None, limit: int = 40) -> str:
    """The match widened to its clause (back to the previous ，。；, forward to the next one), at most `reach`
    characters back (`ahead` forward): 公用经费完成49.03万元 rather than a bare 49.03万元."""
    left = start
    while left > 0 and start - left < reach and text[left - 1] not in _CLAUSE_MARKS:
        left -= 1
    right = end
    ahead = reach if ahead is None else ahead
    while right < len(text) and right - end < ahead and text[right] not in _CLAUSE_MARKS:
        right += 1
    return fragment(text, left, right, limit=limit)


def sentence_around(text: str, start: int, end: int) -> tuple[int, int]:
    """The bounds of the sentence holding [start, end): between the previous and the next 。！？ or line break."""
    left = max(text.rfind(mark, 0, start) for mark in "。！？\n") + 1
    rights = [i for i in (text.find(mark, end) for mark in "。！？\n") if i != -1]
    return left, (min(rights) + 1 if rights else len(text))


def spans(text: str, pattern: re.Pattern[str]) -> list[tuple[int, int]]:
    return [m.span() for m in pattern.finditer(text)]


def inside(position: int, ranges: list[tuple[int, int]]) -> bool:
    return any(start <= position < end for start, end in ranges)

"""Heading numbers of official documents: 一、 / （一） / 1. / （1） (GB/T 9704 levels 1–4)."""
from __future__ import annotations

_DIGITS = "零一二三四五六七八九"


def chinese_number(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 99 → 九十九 (headings never go past 99)."""
    if not 1 <= n <= 99:
        raise ValueError(f"heading index out of range: {n}")
    tens, units = divmod(n, 10)
    if tens == 0:
        return _DIGITS[units]
    return ("" if tens == 1 else _DIGITS[tens]) + "十" + (_DIGITS[units] if units else "")


def chinese_value(text: str) -> int:
    """The inverse of chinese_number: 十二 → 12 (used to read list numbering in typed text)."""
    if "十" not in text:
        return _DIGITS.index(text)
    tens, _, units = text.partition("十")
    return (_DIGITS.index(tens) if tens else 1) * 10 + (_DIGITS.index(units) if units else 0)


def heading_number(level: int, index: int) -> str:
    """level 1 → 一、  2 → （一）  3 → 1.  4 → （1）; index counts from 1."""
    if level == 1:
        return f"{chinese_number(index)}、"
    if level == 2:
        return f"（{chinese_number(index)}）"
    if level == 3:
        return f"{index}."
    if level == 4:
        return f"（{index}）"
    raise ValueError(f"heading level out of range: {level}")

"""How the checks and the generated sentences print numbers: money and rates with 2 decimals, typed values plainly."""
from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")


def cent(value: Decimal) -> Decimal:
    return value.quantize(CENT, ROUND_HALF_UP)


def money(value: Decimal | None) -> str:
    """`334` → `334.00`: money always prints with 2 decimals (domain.md §1); blank prints blank."""
    return "" if value is None else format(cent(value), "f")


def plain(value: Decimal | None) -> str:
    """A typed value as the filler wrote it, without exponent or trailing zeros: 100, 99.55, 4.5."""
    if value is None:
        return ""
    text = format(value.normalize(), "f")
    return "0" if text in ("-0", "") else text


def percent_of(part: Decimal, whole: Decimal) -> Decimal:
    """part ÷ whole × 100 at 2 decimals ROUND_HALF_UP; the caller makes sure whole ≠ 0."""
    return cent(part / whole * 100)


def cn_date(value: date) -> str:
    """2024年4月15日: no zero padding (GB/T 9704)."""
    return f"{value.year}年{value.month}月{value.day}日"

"""Decimal helpers shared by the scoring modules: one rounding rule, one way to print a number."""
from __future__ import annotations

from decimal import ROUND_CEILING, ROUND_DOWN, ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
ZERO = Decimal("0")
_SHOWN_DECIMALS = Decimal("0.000001")


def to_cent(value: Decimal) -> Decimal:
    """Scores, rates and money are quantized once, to 0.01 ROUND_HALF_UP (domain.md §5.5)."""
    return value.quantize(CENT, ROUND_HALF_UP)


def ceil_cent(value: Decimal) -> Decimal:
    """The smallest 2-decimal value ≥ value (a band's lower bound must be reachable by a typed score)."""
    return value.quantize(CENT, ROUND_CEILING)


def as_decimal(value: Decimal | int | str) -> Decimal:
    """Weights may arrive as int or str from callers; a float would carry binary noise, so it is refused."""
    if isinstance(value, float):
        raise TypeError("scores are Decimal, never float")
    return value if isinstance(value, Decimal) else Decimal(str(value))


def plain(value: Decimal) -> str:
    """`95`, `40000`, `1.5`: no exponent, no trailing zeros (for explanations, not for printed scores)."""
    text = format(value.normalize(), "f")
    return "0" if text in ("-0", "") else text


def approx(value: Decimal) -> str:
    """An exact intermediate value, cut after 6 decimals with an ellipsis: `1.957894…`."""
    cut = value.quantize(_SHOWN_DECIMALS, ROUND_DOWN)
    return plain(value) if cut == value else f"{format(cut, 'f')}…"

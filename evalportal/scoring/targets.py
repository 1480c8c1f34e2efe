"""年度指标值 / 实际完成值 as typed → ParsedValue (domain.md §4: grammar, normalisation, rejections).

Every rejection is a TargetError carrying the exact Chinese message of §4's table, so a form field can show it
and keep the typed text.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from functools import lru_cache

from django.core.exceptions import ValidationError
from evalportal.scoring.language import get_language, gettext as _


class Comparator(StrEnum):
    """Values are the canonical print forms (U+2265 / U+2264)."""

    GE = "≥"
    GT = ">"
    LE = "≤"
    LT = "<"
    EQ = "="


class ValueKind(StrEnum):
    QUANTITATIVE = "quantitative"
    QUALITATIVE = "qualitative"


# domain.md §4 (configurable): these units normalise silently; any other 1–6 character unit only warns.
DEFAULT_UNITS: frozenset[str] = frozenset(
    "% 条 件 个 项 次 天 个工作日 小时 年 月 人 人次 万人次 家 户 元 万元 万字 字 分 m² 类 所 台 套".split()
)
MAX_UNIT_LENGTH = 6
MAX_DECIMALS = 4
MAX_INTEGER_DIGITS = 14   # IndicatorRow stores Decimal(18, 4)


@dataclass(frozen=True)
class ParsedValue:
    raw: str                                   # as typed, kept for the audit trail
    kind: ValueKind = ValueKind.QUALITATIVE
    comparator: Comparator | None = None       # None for actuals and qualitative text
    number: Decimal | None = None
    unit: str = ""
    text: str = ""                             # qualitative text
    canonical: str = ""                        # printable form: ≥95%, ≤20万元, 100%, 有所改善
    unit_inherited: bool = False               # a unit-less actual took the target's unit (K10)
    warnings: tuple[str, ...] = ()

    @property
    def is_quantitative(self) -> bool:
        return self.kind is ValueKind.QUANTITATIVE

    @property
    def is_bare(self) -> bool:
        """`100%` or `0` with neither prefix nor suffix: scored as "at least" (or exactly zero), §5.2."""
        return self.comparator is Comparator.EQ and not self.canonical.startswith("=")


class TargetError(ValidationError):
    """A form field that raises it shows the Chinese message there, and keeps the typed text."""

    def __init__(self, message: str, code: str = "invalid") -> None:
        super().__init__(message, code=code)

    def __str__(self) -> str:   # ValidationError would print "['…']"
        return self.messages[0]


class UnitMismatchError(TargetError):
    pass


# --- normalisation (§4 steps 1–3, plus the unit aliases) ------------------------------------------------------

_FULL_WIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}   # ０-９ ％ ＝ ＞ ＜ ． ，  ～ …
_FULL_WIDTH.update({ord("﹪"): "%", 0x3000: " "})
_SPACES = re.compile(r"[\s\u200b\ufeff]+")                 # \s covers NBSP and U+3000
_THOUSANDS = re.compile(r"(?<=[0-9]),(?=[0-9])")
_SQUARE_METRE = re.compile(r"㎡|平方米|平米|[mM]2(?![0-9])")
_DIGIT = re.compile(r"[0-9]")


def _normalise(text: str) -> str:
    folded = text.translate(_FULL_WIDTH)
    # Other scripts' decimal digits (Arabic-Indic, mathematical bold …) count as digits too, never as unit text.
    folded = "".join(str(unicodedata.decimal(c)) if c.isdecimal() and not c.isascii() else c for c in folded)
    folded = _SPACES.sub("", folded)          # "≧ 10%" → "≧10%", "≦20万 元" → "≦20万元"
    folded = _THOUSANDS.sub("", folded)       # "40,000" → "40000"
    return _SQUARE_METRE.sub("m²", folded)    # before digits are counted: the 2 of "m2" is not a number


# --- comparators ----------------------------------------------------------------------------------------------

_SYMBOL_PREFIXES = {
    "≥": Comparator.GE, "≧": Comparator.GE, "⩾": Comparator.GE, ">=": Comparator.GE,
    "≤": Comparator.LE, "≦": Comparator.LE, "⩽": Comparator.LE, "<=": Comparator.LE,
    ">": Comparator.GT, "<": Comparator.LT, "=": Comparator.EQ, "==": Comparator.EQ,
}
_WORD_PREFIXES = {
    **dict.fromkeys(("不低于", "不少于", "至少", "达到", "大于等于", "大于或等于"), Comparator.GE),
    **dict.fromkeys(("不高于", "不超过", "不多于", "至多", "小于等于", "小于或等于", "控制在"), Comparator.LE),
    **dict.fromkeys(("高于", "大于", "超过", "多于"), Comparator.GT),
    **dict.fromkeys(("低于", "小于", "少于"), Comparator.LT),
    "等于": Comparator.EQ,
}
_PREFIXES = sorted({**_SYMBOL_PREFIXES, **_WORD_PREFIXES}.items(), key=lambda item: -len(item[0]))  # longest wins
_SUFFIXES = {"以上": Comparator.GE, "以下": Comparator.LE, "以内": Comparator.LE}
_SYMBOL_CHARS = frozenset("≥≧⩾≤≦⩽<>=")
_AT_LEAST = (Comparator.GE, Comparator.GT)
_AT_MOST = (Comparator.LE, Comparator.LT)


def _match_prefix(text: str) -> tuple[str, Comparator | None]:
    for token, comparator in _PREFIXES:
        if text.startswith(token):
            return token, comparator
    return "", None


def _strip_suffix(text: str) -> tuple[str, str]:
    for suffix in _SUFFIXES:
        if text.endswith(suffix):
            return text[: -len(suffix)], suffix
    return text, ""


# --- the quantity grammar -------------------------------------------------------------------------------------

_NUMBER_RUN = re.compile(r"[0-9.]*[0-9][0-9.]*")
_NUMBER = re.compile(r"(?P<int>[0-9]+)(?:\.(?P<frac>[0-9]+))?")
_RANGE_GAP = re.compile(r"[^0-9]{0,6}?[-~〜—–至到]")
_LIST_GAP_CHARS = frozenset("且或和及与、,;；/")
_CHINESE_NUMERAL = re.compile(r"[零〇一二两三四五六七八九十百千万亿点]+")


@dataclass(frozen=True)
class _Quantity:
    prefix: str                      # the prefix as typed (after normalisation), "" when none
    comparator: Comparator | None    # from the prefix or the suffix
    suffix: str
    number: Decimal
    unit: str


def _unrecognised(raw: str, for_actual: bool) -> TargetError:
    if for_actual:
        return TargetError(_("该指标为定量指标，实际完成值须为数值，如“95%”"), code="actual_not_number")
    return TargetError(
        _("无法识别「{raw}」。定量指标请写成“≥95%”的形式；如为定性指标，请将指标类型改为“定性”").format(raw=raw),
        code="unrecognised",
    )


def _actual_comparator() -> TargetError:
    return TargetError(_("实际完成值请填写实际数值，不要带比较符"), code="actual_comparator")


def _parse_quantity(clean: str, raw: str, *, for_actual: bool) -> _Quantity:
    """`clean` holds at least one digit. Raises TargetError for every §4 rejection."""
    prefix, comparator = _match_prefix(clean)
    if prefix and for_actual:
        raise _actual_comparator()
    rest = clean[len(prefix):]
    if prefix and _match_prefix(rest)[0]:
        raise TargetError(_("指标值只能有一个比较符"), code="multiple_comparators")

    runs = list(_NUMBER_RUN.finditer(rest))
    for run in runs:
        number_match = _NUMBER.fullmatch(run.group())
        if number_match is None:              # 95.5.5, .5, 95.
            raise TargetError(_("数值格式不正确：{raw}").format(raw=raw), code="format")
    if len(runs) > 1:
        gap = rest[runs[0].end(): runs[1].start()]
        if len(runs) == 2 and _RANGE_GAP.fullmatch(gap):
            raise TargetError(_("暂不支持区间，请改为单一比较，如 ≥90%"), code="range")
        if _LIST_GAP_CHARS & set(gap) or _SYMBOL_CHARS & set(gap):
            raise TargetError(_("指标值只能包含一个数值"), code="multiple_numbers")
        raise _unrecognised(raw, for_actual)   # 7×24小时: the filler may force the row to 定性

    run = runs[0]
    before, after = rest[: run.start()], rest[run.end():]
    if before not in ("", "-"):
        raise _unrecognised(raw, for_actual)  # 完成95%以上工作任务
    number_match = _NUMBER.fullmatch(run.group())
    assert number_match is not None
    if len(number_match["frac"] or "") > MAX_DECIMALS:
        raise TargetError(_("数值最多保留4位小数"), code="decimals")
    if len(number_match["int"].lstrip("0")) > MAX_INTEGER_DIGITS:
        raise TargetError(_("数值格式不正确：{raw}").format(raw=raw), code="format")
    number = Decimal(before + run.group())
    number = abs(number) if number == 0 else number     # "-0" prints as 0

    unit, suffix = _strip_suffix(after)
    if suffix:
        if for_actual:
            raise _actual_comparator()
        implied = _SUFFIXES[suffix]
        contradicts = (
            comparator is Comparator.EQ
            or (comparator in _AT_LEAST and implied not in _AT_LEAST)
            or (comparator in _AT_MOST and implied not in _AT_MOST)
        )
        if contradicts:    # ≥95%以下, 控制在5%以上
            raise TargetError(_("比较符「{p}」与「{s}」矛盾").format(p=prefix, s=suffix), code="contradiction")
        comparator = comparator or implied
    _check_unit(unit, raw, has_prefix=bool(prefix), for_actual=for_actual)
    return _Quantity(prefix, comparator, suffix, number, unit)


def _check_unit(unit: str, raw: str, *, has_prefix: bool, for_actual: bool) -> None:
    if _SYMBOL_CHARS & set(unit):
        if has_prefix and not for_actual:
            raise TargetError(_("指标值只能有一个比较符"), code="multiple_comparators")
        raise _actual_comparator() if for_actual else _unrecognised(raw, for_actual)
    if "%" in unit and unit != "%":
        if set(unit) == {"%"}:       # ≥95%%
            raise TargetError(_("数值格式不正确：{raw}").format(raw=raw), code="format")
        raise _unrecognised(raw, for_actual)
    if any(word in unit for word in _SUFFIXES):   # 95%以上工作任务: the suffix is not at the end
        raise _unrecognised(raw, for_actual)
    if len(unit) > MAX_UNIT_LENGTH:
        raise TargetError(_("单位「{u}」过长，请把说明写入三级指标名称").format(u=unit), code="unit_too_long")


def _unit_warnings(unit: str, known_units: Collection[str]) -> tuple[str, ...]:
    if not unit or unit in known_units:
        return ()
    return (_("计量单位「{u}」不在常用单位表中，请确认").format(u=unit),)


def _looks_like_chinese_number(rest: str, known_units: Collection[str]) -> bool:
    """≥九十五% / 不少于三次: a number written in words. 不低于一般 is still text."""
    match = _CHINESE_NUMERAL.match(rest)
    if match is None:
        return False
    unit, _suffix = _strip_suffix(rest[match.end():])
    return unit == "" or unit == "%" or unit in known_units


def _qualitative(raw: str, *, verbatim: bool) -> ParsedValue:
    text = raw.strip()
    # The extraction (and some typists) scatter spaces in cells; a forced-qualitative text is kept verbatim.
    canonical = text if verbatim else _SPACES.sub("", text)
    return ParsedValue(raw=raw, kind=ValueKind.QUALITATIVE, text=text, canonical=canonical)


def _canonical(quantity: _Quantity) -> str:
    bare = not quantity.prefix and not quantity.suffix
    symbol = "" if bare else str(quantity.comparator)
    return f"{symbol}{format(quantity.number, 'f')}{quantity.unit}"


# --- public API -----------------------------------------------------------------------------------------------

def parse_target(
    text: str, *, force_qualitative: bool = False, known_units: Collection[str] = DEFAULT_UNITS
) -> ParsedValue:
    if known_units is DEFAULT_UNITS:
        return _parse_target_cached(text or "", force_qualitative, get_language())
    return _parse_target(text, force_qualitative, known_units)


def parse_actual(text: str, target: ParsedValue, *, known_units: Collection[str] = DEFAULT_UNITS) -> ParsedValue:
    if known_units is DEFAULT_UNITS:
        return _parse_actual_cached(text or "", target, get_language())
    return _parse_actual(text, target, known_units)


# A region's targets repeat (=100%, ≥95%, 有所改善) and every page, save and export scores every row: the
# results are immutable, so they are kept per text (and language, for the messages). Errors are not cached.
@lru_cache(maxsize=8192)
def _parse_target_cached(text: str, force_qualitative: bool, _language: str | None) -> ParsedValue:
    return _parse_target(text, force_qualitative, DEFAULT_UNITS)


@lru_cache(maxsize=8192)
def _parse_actual_cached(text: str, target: ParsedValue, _language: str | None) -> ParsedValue:
    return _parse_actual(text, target, DEFAULT_UNITS)


def _parse_target(text: str, force_qualitative: bool, known_units: Collection[str]) -> ParsedValue:
    raw = text or ""
    if not raw.strip():
        raise TargetError(_("请填写年度指标值"), code="required")
    if force_qualitative:
        return _qualitative(raw, verbatim=True)
    clean = _normalise(raw)
    if not _DIGIT.search(clean):
        _reject_numberless_comparison(clean, raw.strip(), known_units)
        return _qualitative(raw, verbatim=False)     # 有所改善, 无, 达到预期效果
    quantity = _parse_quantity(clean, raw.strip(), for_actual=False)
    return ParsedValue(
        raw=raw,
        kind=ValueKind.QUANTITATIVE,
        comparator=quantity.comparator or Comparator.EQ,   # a bare 100% or 0 is EQ
        number=quantity.number,
        unit=quantity.unit,
        canonical=_canonical(quantity),
        warnings=_unit_warnings(quantity.unit, known_units),
    )


def _reject_numberless_comparison(clean: str, raw: str, known_units: Collection[str]) -> None:
    """A symbol needs a number after it; a word prefix without a number is plain text (达到预期效果)."""
    prefix, _comparator = _match_prefix(clean)
    if not prefix:
        return
    rest = clean[len(prefix):]
    unit_only, _suffix = _strip_suffix(rest)
    if not rest or unit_only in known_units or unit_only == "%":     # ≥, 不低于, ≥%
        raise TargetError(_("指标值「{raw}」缺少数值").format(raw=raw.strip()), code="missing_number")
    if _looks_like_chinese_number(rest, known_units):
        raise TargetError(_("请使用阿拉伯数字填写数值"), code="not_arabic")
    if prefix in _SYMBOL_PREFIXES:
        if _match_prefix(rest)[0]:
            raise TargetError(_("指标值只能有一个比较符"), code="multiple_comparators")
        raise TargetError(
            _("比较符后必须是数值；定性指标请直接填写文字，如“有所改善”"), code="number_expected"
        )


def _parse_actual(text: str, target: ParsedValue, known_units: Collection[str]) -> ParsedValue:
    raw = text or ""
    if not raw.strip():
        raise TargetError(_("请填写实际完成值"), code="required")
    if not target.is_quantitative:
        return _qualitative(raw, verbatim=True)      # judged by the filler, so kept as typed
    clean = _normalise(raw)
    if not _DIGIT.search(clean):
        if _match_prefix(clean)[0] in _SYMBOL_PREFIXES:
            raise _actual_comparator()
        raise _unrecognised(raw, for_actual=True)    # 已完成
    quantity = _parse_quantity(clean, raw.strip(), for_actual=True)

    unit, inherited, warnings = quantity.unit, False, _unit_warnings(quantity.unit, known_units)
    if not unit and target.unit:
        unit, inherited = target.unit, True      # 41560 against ≥40000条 (K10)
        warnings = (_("实际完成值未写单位，已按“{u}”处理").format(u=unit),)
    elif unit != target.unit and not (target.number == 0 and not target.unit):   # a bare 0 fits any unit
        raise UnitMismatchError(
            _("实际完成值的单位「{a}」与指标值单位「{t}」不一致").format(a=unit, t=target.unit or _("无")),
            code="unit_mismatch",
        )
    return ParsedValue(
        raw=raw,
        kind=ValueKind.QUANTITATIVE,
        number=quantity.number,
        unit=unit,
        canonical=f"{format(quantity.number, 'f')}{unit}",
        unit_inherited=inherited,
        warnings=warnings,
    )

"""K37–K39: how the narrative is written (document numbers, year labels, list numbering).

K38 and K39 are additions to domain.md §6 (both warnings, never blocking):

K38 — year labels. A year written in the narrative ("2021年") should be the report year Y or Y+1 (the year the
    package is filled in). Y−1 is allowed only in a comparison with the prior year (较2022年, 比2022年, 与2022年相比,
    2022年同期). Not flagged: years inside document numbers (K37 handles 汨府阅（2019）9号), inside titles 《…（2023年版）》,
    and spans that run into the present (从2019年至今, 2019年以来, 2019年起). Any other year — typically a sentence kept
    from an earlier report — is a warning:
    文中“{片段}”出现{年}年，既非报告年度{Y}年也非{Y+1}年，请核实是否沿用了往年文字.
K39 — list numbering inside one section's text. Each family is followed separately: 一、 / （一） / 1、 or 1. / （1） /
    一是. Restarting at 1 starts a new list; any other step that is not +1 is a gap (1、2、4、) or a repeat/backstep
    (（一）（二）（二）), reported once per anomaly:
    文中编号“{前}”之后为“{后}”，编号{不连续/重复}，请核对.
"""
from __future__ import annotations

import re

from evalportal.narrative.numbering import chinese_value

from .catalogue import check
from .context import Context
from .findings import WARNING, Finding
from .textscan import clause, inside, per_text, spans

_DOC_NUMBER = re.compile(
    r"(?P<org>[\u4e00-\u9fa5]{1,10}?)(?P<open>[（(\[【［〔])\s*(?P<year>(?:19|20)\d{2})\s*(?P<close>[）)\]】］〕])"
    r"\s*(?P<num>\d{1,4})\s*号")
_LEAD_WORDS = re.compile(r"^.*(?:根据|按照|依据|依照|参照|执行|落实|印发|贯彻|的|和|及|与|、)")


@check("K37", WARNING, "文号使用六角括号")
def document_numbers(ctx: Context):
    for text in ctx.texts:
        for shown, fixed in _bracket_fixes(text.text):
            yield Finding("K37", WARNING, f"文号年份应使用六角括号：{shown} → {fixed}（可一键修正）", text.location,
                          text.section_key)


@per_text
def _bracket_fixes(body: str) -> tuple[tuple[str, str], ...]:
    """(as written, with 〔〕) for each document number of the text in other brackets."""
    fixes = []
    for match in _DOC_NUMBER.finditer(body):
        if match.group("open") == "〔" and match.group("close") == "〕":
            continue
        org = _LEAD_WORDS.sub("", match.group("org")) or match.group("org")
        start = match.start("org") + len(match.group("org")) - len(org)
        fixes.append((body[start:match.end()], f"{org}〔{match.group('year')}〕{match.group('num')}号"))
    return tuple(fixes)


_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?=年)")
_TITLE = re.compile(r"《[^》]*》")
_ONGOING = re.compile(r"年(?:至今|以来|起|开始|到现在|至现在)")
_COMPARED_BEFORE = re.compile(r"(?:较|比|与|同|相比|对比|相较|上年|上一年)[（(]?$")
_COMPARED_AFTER = re.compile(r"年(?:同期|相比|相较|持平|同比)")


@check("K38", WARNING, "正文年份与报告年度一致")
def year_labels(ctx: Context):
    year = ctx.pkg.year
    for text in ctx.texts:
        for shown, found in _stray_years(text.text, year):
            yield Finding("K38", WARNING, f"文中“{shown}”出现{found}年，既非报告年度{year}年也非{year + 1}年，"
                          "请核实是否沿用了往年文字", text.location, text.section_key)


@per_text
def _stray_years(body: str, year: int) -> tuple[tuple[str, int], ...]:
    """(clause, year) for each year of the text that is neither the report year nor the next one (see above)."""
    stray = []
    skipped = spans(body, _TITLE) + spans(body, _DOC_NUMBER)
    for match in _YEAR.finditer(body):
        found = int(match.group(1))
        if found in (year, year + 1) or inside(match.start(), skipped) or _ONGOING.match(body, match.end()):
            continue
        if found == year - 1 and (_COMPARED_BEFORE.search(body[max(0, match.start() - 4):match.start()])
                                  or _COMPARED_AFTER.match(body, match.end())):
            continue
        stray.append((clause(body, match.start(), match.end(), reach=8), found))
    return tuple(stray)


_CN = "[一二三四五六七八九十]{1,3}"
_BOUNDARY = r"(?:(?<=^)|(?<=[\n。；;：:！？!?\s]))"
_FAMILIES = (
    ("一、", re.compile(rf"(?m){_BOUNDARY}({_CN})、"), "{}、", True),
    ("（一）", re.compile(rf"[（(]({_CN})[）)]"), "（{}）", True),
    ("1.", re.compile(rf"(?m){_BOUNDARY}(\d{{1,2}})[、.．](?!\d)"), "{}", False),
    ("（1）", re.compile(r"[（(](\d{1,2})[）)]"), "（{}）", False),
    ("一是", re.compile(rf"(?m)(?:(?<=^)|(?<=[\n。；;：:，,！？!?\s）)]))({_CN})是"), "{}是", True),
)


@per_text
def _numbering_anomalies(body: str) -> tuple[tuple[str, str, str], ...]:
    return tuple(_scan_numbering(body))


def _scan_numbering(body: str):
    for _name, pattern, shape, chinese in _FAMILIES:
        previous = None
        for match in pattern.finditer(body):
            try:
                value = chinese_value(match.group(1)) if chinese else int(match.group(1))
            except ValueError:
                continue        # 十十 and the like: not a list number
            if previous is not None and value != 1 and value != previous[0] + 1:
                kind = "不连续" if value > previous[0] else "重复"
                yield previous[1], match.group(0).strip(), kind
            previous = (value, match.group(0).strip())


@check("K39", WARNING, "列表编号连续")
def list_numbering(ctx: Context):
    for text in ctx.texts:
        for before, after, kind in _numbering_anomalies(text.text):
            yield Finding("K39", WARNING, f"文中编号“{before}”之后为“{after}”，编号{kind}，请核对", text.location,
                          text.section_key)

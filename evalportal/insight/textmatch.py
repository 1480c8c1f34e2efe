"""Near-duplicate passages: narrative paragraphs, 实际完成情况 and 偏差原因 texts (issue 10). Pure: no ORM.

How a passage becomes comparable:
1. normalise: NFKC, every run of digits becomes "#" (so changed numbers still match), whitespace and punctuation
   are dropped; a map back to the original characters is kept for the side-by-side display;
2. k-character shingles (SHINGLE = 5), hashed to 32 bits (crc32, stable across processes, unlike hash());
3. shingles of the stop-list never count: section headings and the standard phrases every report uses
   (static, from the outlines and STANDARD_PHRASES) plus, per region and year, shingles that occur in many
   departments' reports (boilerplate_hashes);
4. a MinHash signature by one-permutation hashing (BINS bins, one pass over the shingles, densified) and LSH
   bands of ROWS_PER_BAND bins: passages sharing a band are candidates;
5. candidates are verified exactly: shared shingles over the shorter passage (containment), so a copied
   paragraph also matches when it was pasted into a longer one, and a reordered sentence only loses the
   k − 1 shingles at each sentence boundary.

The signature uses the static stop-list only, so stored signatures stay valid while the region's boilerplate
list changes; the boilerplate list is applied when candidates are verified.
"""
from __future__ import annotations

import re
import struct
import unicodedata
import zlib
from itertools import chain
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache

from evalportal.checks.data import PackageData

SHINGLE = 5
BINS = 64
ROWS_PER_BAND = 4           # 16 bands: a pair with Jaccard 0.7 shares a band 99% of the time, 0.3 only 12%
BANDS = BINS // ROWS_PER_BAND
MIN_SHINGLES = 16           # passages with fewer countable shingles are too short to index
MIN_SHARED = 20             # a match shares at least this many shingles (about 24 identical characters)…
MATCH_CONTAINMENT = 0.6     # …and this share of the shorter passage's shingles
MAX_BUCKET = 30             # a band shared by more passages than this is boilerplate, not copying
BOILERPLATE_MIN_DEPARTMENTS = 5
BOILERPLATE_SHARE = 0.1     # of the region's departments in that year
MAX_PASSAGE = 3000          # characters; longer text is cut (the narrative limits are far below)

_MASK32 = 0xFFFFFFFF

# Phrases that every report of the Hunan outline carries in some form; headings come from the outlines.
STANDARD_PHRASES: tuple[str, ...] = (
    "本单位未安排政府性基金预算支出", "本单位未安排国有资本经营预算支出", "本单位未安排社会保险基金预算支出",
    "部门整体支出绩效自评报告", "项目支出绩效评价报告", "部门整体支出绩效评价基础数据表", "部门整体支出绩效自评表",
    "项目支出绩效自评表", "一般公共预算财政拨款支出情况", "政府性基金预算财政拨款支出情况",
    "国有资本经营预算财政拨款支出情况", "社会保险基金预算支出情况", "部门整体支出绩效情况", "存在的问题及原因分析",
    "下一步改进措施", "部门整体支出绩效自评结果拟应用和公开情况", "其他需要说明的情况", "部门基本情况",
    "专项组织实施情况", "主要绩效情况分析", "经济性评价", "效率性评价", "有效性评价", "财政资金使用评价情况",
    "项目支出基本情况", "项目资金使用及管理情况", "项目支出绩效目标完成程度", "绩效评价工作情况",
    "项目支出主要绩效及评价结论", "绩效评价指标分析", "主要经验及做法", "有关建议", "其他需要说明的问题",
    "对社会发展可能造成的负面影响", "对自然生态环境造成的负面影响", "生态环境改善情况", "实现可持续发展",
    "服务对象满意度", "社会公众满意度", "商品和服务支出", "年度预算执行率", "绩效综合评价得分为",
    "评价等级为", "考评结果为", "财预〔2020〕10号", "项目支出绩效评价管理办法", "全面实施预算绩效管理",
    "人员工资福利支出", "公务用车购置和维护经费",
)


# --- normalisation and shingles -------------------------------------------------------------------------------

@lru_cache(maxsize=65536)
def _fold(char: str) -> str:
    """One character as it counts: "0" for any digit, "" for space and punctuation, else its NFKC lowercase."""
    folded = unicodedata.normalize("NFKC", char)
    return "".join("0" if c.isdigit() else c for c in folded.lower() if unicodedata.category(c)[0] in "LN")


class _FoldTable(dict):
    """str.translate table filled on demand: the per-character fold at C speed for characters seen before."""

    def __missing__(self, code: int) -> str:
        self[code] = _fold(chr(code))
        return self[code]


_TABLE = _FoldTable()
_NUMBER_RUN = re.compile("0+")


def comparable(text: str) -> str:
    """What the shingles are taken from: folded characters, each run of digits (punctuation between them
    dropped, so 40,000 and 1.5 are one run) replaced by one "#"."""
    return _NUMBER_RUN.sub("#", (text or "")[:MAX_PASSAGE].translate(_TABLE))


def normalise(text: str) -> tuple[str, list[tuple[int, int]]]:
    """comparable(text) with the span of `text` each character stands for (for the side-by-side display)."""
    text = (text or "")[:MAX_PASSAGE]
    chars: list[str] = []
    spans: list[tuple[int, int]] = []
    for index, char in enumerate(text):
        for out in _fold(char):
            if out == "0" and chars and chars[-1] == "#":
                spans[-1] = (spans[-1][0], index)       # the number goes on (separators were dropped)
                continue
            chars.append("#" if out == "0" else out)
            spans.append((index, index))
    return "".join(chars), spans


def _hashes(normalised: str) -> list[int]:
    if len(normalised) < SHINGLE:
        return [zlib.crc32(normalised.encode("utf-32-le"))] if normalised else []
    data = normalised.encode("utf-32-le")     # 4 bytes a character: a shingle is a fixed-width slice
    width = 4 * SHINGLE
    return [zlib.crc32(data[start:start + width]) for start in range(0, len(data) - width + 4, 4)]


def shingle_list(normalised: str) -> list[int]:
    """crc32 of every k-shingle, in text order (positions matter for the side-by-side display)."""
    return _hashes(normalised)


def shingles(text: str, stop: frozenset[int] = frozenset()) -> frozenset[int]:
    return frozenset(_hashes(comparable(text))) - stop


def stop_hashes(phrases: Iterable[str]) -> frozenset[int]:
    """Every shingle of the given headings and standard phrases (a phrase shorter than k has none)."""
    hashes: set[int] = set()
    for phrase in phrases:
        normalised = normalise(phrase)[0]
        if len(normalised) >= SHINGLE:
            hashes.update(shingle_list(normalised))
    return frozenset(hashes)


STANDARD_STOP = stop_hashes(STANDARD_PHRASES)


def boilerplate_hashes(shingles_by_department: Iterable[tuple[object, Iterable[int]]],
                       departments: int) -> frozenset[int]:
    """Shingles used by many departments of one region and year: standard wording, never evidence of copying."""
    per_department: dict[object, set[int]] = defaultdict(set)
    for department, hashes in shingles_by_department:
        per_department[department].update(hashes)
    counts = Counter(chain.from_iterable(per_department.values()))     # each department counts once
    threshold = max(BOILERPLATE_MIN_DEPARTMENTS, int(departments * BOILERPLATE_SHARE))
    return frozenset(value for value, count in counts.items() if count >= threshold)


# --- MinHash signature and LSH bands --------------------------------------------------------------------------

def signature(hashes: Iterable[int]) -> tuple[int, ...]:
    """One-permutation MinHash: each shingle goes to one bin (its residue), the bin keeps its smallest value;
    empty bins borrow the next filled bin's value, shifted by the distance (densification)."""
    # Descending order, so that the smallest value of each bin is written last and stays.
    bins = {value % BINS: value // BINS for value in sorted(hashes, reverse=True)}
    if not bins:
        return ()
    if len(bins) == BINS:
        return tuple(bins[slot] for slot in range(BINS))
    filled = [0] * BINS
    following, distance = 0, 0
    for slot in range(2 * BINS - 1, -1, -1):       # walking backwards finds each empty bin's next filled one
        value = bins.get(slot % BINS)
        if value is None:
            distance += 1
        else:
            following, distance = value, 0
        if slot < BINS:
            filled[slot] = value if value is not None else (following + distance * 0x61C88647) & _MASK32
    return tuple(filled)


def band_keys(sig: Sequence[int]) -> list[int]:
    """One key per band: crc32 of the band's values, the band number above it (fits a signed BIGINT)."""
    if not sig:
        return []
    packed = struct.pack(f"<{len(sig)}I", *sig)
    width = 4 * ROWS_PER_BAND
    return [(band << 32) | zlib.crc32(packed[band * width:(band + 1) * width]) for band in range(BANDS)]


# --- passages of a package ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Passage:
    location: str      # stable key: report.S7#1, att2.goal, att3.{project}.row.{name}.reason, project_report…
    label: str         # 正文「存在的问题及原因分析」第1段
    text: str


def _paragraphs(text: str) -> list[str]:
    return [part.strip() for part in re.split(r"[\r\n]+", text or "") if part.strip()]


def passages(pkg: PackageData) -> list[Passage]:
    """The texts a filler writes in their own words: narrative paragraphs, 实际完成情况, 偏差原因, project reports."""
    found: list[Passage] = []
    for section in pkg.sections:
        for number, paragraph in enumerate(_paragraphs(section.text), start=1):
            found.append(Passage(f"report.{section.key}#{number}", f"正文「{section.title}」第{number}段", paragraph))
    sheet = pkg.department_sheet
    if sheet.goal_achieved.strip():
        found.append(Passage("att2.goal", "附件2 年度总体目标·实际完成情况", sheet.goal_achieved.strip()))
    for row in sheet.rows:
        if row.deviation_reason.strip():
            found.append(Passage(f"att2.row.{row.order}.reason", f"附件2「{row.name}」偏差原因分析及改进措施",
                                 row.deviation_reason.strip()))
    for number, project in enumerate(pkg.projects, start=1):
        prefix = f"att3.{project.order}"
        if project.goal_achieved.strip():
            found.append(Passage(f"{prefix}.goal", f"附件3-{number}「{project.name}」实际完成情况",
                                 project.goal_achieved.strip()))
        for row in project.rows:
            if row.deviation_reason.strip():
                found.append(Passage(f"{prefix}.row.{row.order}.reason",
                                     f"附件3-{number}「{row.name}」偏差原因分析及改进措施", row.deviation_reason.strip()))
        for key, text in sorted(project.report_sections.items()):
            for paragraph_number, paragraph in enumerate(_paragraphs(text), start=1):
                found.append(Passage(f"project_report.{project.order}.{key}#{paragraph_number}",
                                     f"「{project.name}」项目报告{key}第{paragraph_number}段", paragraph))
    return found


# --- comparison -----------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Comparison:
    shared: int
    containment: float      # shared / shingles of the shorter passage
    jaccard: float

    @property
    def is_match(self) -> bool:
        return self.shared >= MIN_SHARED and self.containment >= MATCH_CONTAINMENT


def compare(a: frozenset[int], b: frozenset[int]) -> Comparison:
    if not a or not b:
        return Comparison(0, 0.0, 0.0)
    shared = len(a & b)
    return Comparison(shared, shared / min(len(a), len(b)), shared / len(a | b))


def countable(text: str, stop: frozenset[int]) -> frozenset[int]:
    """The shingles that may count towards a match (stop-list removed), or none for a too-short passage."""
    hashes = shingles(text, stop)
    return hashes if len(hashes) >= MIN_SHINGLES else frozenset()


@dataclass(frozen=True)
class Segment:
    text: str
    shared: bool


def highlight(text: str, shared: frozenset[int]) -> list[Segment]:
    """`text` cut into runs, marking the characters covered by a shared shingle (for side-by-side display)."""
    normalised, spans = normalise(text)
    marked = [False] * len(text)
    if len(normalised) >= SHINGLE:
        for start, value in enumerate(shingle_list(normalised)):
            if value in shared:
                for index in range(spans[start][0], spans[start + SHINGLE - 1][1] + 1):
                    marked[index] = True
    segments: list[Segment] = []
    for char, flag in zip(text, marked):
        if segments and segments[-1].shared == flag:
            segments[-1] = Segment(segments[-1].text + char, flag)
        else:
            segments.append(Segment(char, flag))
    return segments


def side_by_side(text_a: str, text_b: str, stop: frozenset[int] = STANDARD_STOP
                 ) -> tuple[list[Segment], list[Segment], Comparison]:
    """Both passages with every shared stretch marked (standard wording included, so that a copied paragraph
    reads as one marked block), and the comparison that decided the match (stop-list excluded)."""
    a, b = frozenset(shingle_list(comparable(text_a))), frozenset(shingle_list(comparable(text_b)))
    common = a & b
    return highlight(text_a, common), highlight(text_b, common), compare(a - stop, b - stop)


# --- an in-memory index, for the region recompute and the tests -----------------------------------------------

@dataclass(frozen=True)
class Indexed:
    owner: object          # whatever the caller uses to say whose passage this is
    passage: Passage
    hashes: frozenset[int]  # static stop-list removed
    signature: tuple[int, ...]
    bands: tuple[int, ...]


def index_passage(owner: object, passage: Passage, stop: frozenset[int] = STANDARD_STOP) -> Indexed | None:
    hashes = shingles(passage.text, stop)
    if len(hashes) < MIN_SHINGLES:
        return None
    sig = signature(hashes)
    return Indexed(owner, passage, hashes, sig, tuple(band_keys(sig)))


@dataclass(frozen=True)
class Match:
    a: Indexed
    b: Indexed
    comparison: Comparison


def find_matches(items: Sequence[Indexed], may_pair: Callable[[object, object], bool],
                 boilerplate: frozenset[int] = frozenset()) -> Iterator[Match]:
    """Every pair of passages that share an LSH band, may be paired (the caller's rule: same department last
    year, or another department this year) and are near-duplicates once boilerplate is removed."""
    buckets: dict[int, list[int]] = defaultdict(list)
    for position, item in enumerate(items):
        for key in item.bands:
            buckets[key].append(position)
    countable_hashes = [item.hashes - boilerplate for item in items] if boilerplate else [item.hashes for item in items]
    seen: set[tuple[int, int]] = set()
    for members in buckets.values():
        if len(members) < 2 or len(members) > MAX_BUCKET:
            continue
        for i, first in enumerate(members):
            for second in members[i + 1:]:
                pair = (first, second)
                if pair in seen:
                    continue
                seen.add(pair)
                a, b = items[first], items[second]
                if not may_pair(a.owner, b.owner):
                    continue
                comparison = compare(countable_hashes[first], countable_hashes[second])
                if comparison.is_match:
                    yield Match(a, b, comparison)

"""Plausibility signals of one package: pure functions over PackageData, last year's PackageData and plain
region statistics (issue 10). No ORM, no request.

A signal is advice for the finance bureau's reviewer, never a check: it blocks nothing. Each one carries a
Chinese explanation with the numbers behind it, a weight (how much it counts towards the package's 关注分)
and a strength between 0 and 1. The copied-text signal is built from the text index (services.py), the
others from the figures here.

Batch callers (the region recompute, the benchmark) derive `PackageFacts` once per package and pass them in,
so that a package that is "last year" for another is scored only once.
"""
from __future__ import annotations

import re
import statistics
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from evalportal.checks.data import IndicatorData, PackageData, ProjectData, Rules
from evalportal.checks.k_rows import name_key  # the same key as K28
from evalportal.scoring import Comparator, ParsedValue, RowScore, grade_for, score_row
from evalportal.scoring.decimals import to_cent
from evalportal.scoring.execution import execution_result

ZERO = Decimal("0")
HUNDRED = Decimal("100")


# --- catalogue ------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class SignalKind:
    code: str
    title: str          # column header and badge
    weight: int         # points when fully present
    description: str    # what it looks for, for the legend


CATALOGUE: tuple[SignalKind, ...] = (
    SignalKind("full_marks", "全部满分", 15, "所有三级指标均得满分，无一失分"),
    SignalKind("actual_equals_target", "完成值恰等于指标值", 15,
               "定量指标的实际完成值几乎全部恰好等于年度指标值（100%、0等封顶指标不计）"),
    SignalKind("execution_with_carryover", "执行率100%但有结转", 15,
               "执行率为100%，但有上年结转资金、预算未执行完或上年结转说明资金并未用完"),
    SignalKind("above_peers", "总分远高于同类单位", 15, "总分远高于本地区同类性质单位的中位数（中位数＋中位数绝对偏差）"),
    SignalKind("targets_lowered", "指标值下调而得分上升", 20, "同名指标的年度指标值较上年降低，总分却上升"),
    SignalKind("rows_unchanged", "指标与上年雷同", 15, "绩效指标的指标值和实际完成值与上年完全相同"),
    SignalKind("qualitative_without_evidence", "定性指标无佐证", 10, "定性指标全部评为“达成”，且均未填写佐证说明"),
    SignalKind("copied_text", "文字雷同", 25, "报告段落或偏差原因与上年本单位或本年其他单位的文字高度相似"),
)
KINDS = {kind.code: kind for kind in CATALOGUE}

# Thresholds (advice only, so plain module constants; each is quoted in the explanation it produces).
MIN_ROWS = 5                     # fewer scored rows say nothing about a pattern
EQUAL_SHARE = Decimal("0.75")    # actual == target on at least this share of the eligible rows
UNCHANGED_SHARE = Decimal("0.8")
INFORMATIVE_UNCHANGED = 3        # identical specific figures (42412条 two years running) that trigger on their own
MIN_QUALITATIVE = 3
PEER_MIN_COUNT = 5
PEER_MIN_Z = Decimal("2.5")
PEER_MIN_GAP = Decimal("3")      # points above the median
PEER_MIN_SCALE = Decimal("1")    # points: a region where everyone scores 100 has MAD 0
MAD_TO_SIGMA = Decimal("1.4826")
EXAMPLES = 5                     # rows quoted in one explanation


@dataclass(frozen=True)
class Signal:
    code: str
    strength: float              # 0..1
    message: str                 # Chinese, with the numbers behind it
    details: tuple[str, ...] = ()

    @property
    def kind(self) -> SignalKind:
        return KINDS[self.code]

    @property
    def title(self) -> str:
        return self.kind.title

    @property
    def weight(self) -> int:
        return self.kind.weight

    @property
    def points(self) -> float:
        return round(self.weight * self.strength, 1)

    def as_dict(self) -> dict:
        return {"code": self.code, "title": self.title, "weight": self.weight, "strength": round(self.strength, 3),
                "points": self.points, "message": self.message, "details": list(self.details)}


def total_points(signals: Iterable[Signal]) -> float:
    return round(sum(signal.points for signal in signals), 1)


# --- facts: what the signals read, derived once per package ---------------------------------------------------

@dataclass(frozen=True)
class RowFacts:
    sheet_key: str
    sheet_label: str
    name: str
    key: str
    target_raw: str
    actual_raw: str
    weight: Decimal
    final: Decimal | None
    qualitative: bool
    band: str
    evidence: str
    target: ParsedValue | None
    actual: ParsedValue | None

    @property
    def full(self) -> bool:
        return self.final is not None and self.final >= self.weight

    @property
    def quantitative(self) -> bool:
        return (self.target is not None and self.actual is not None and self.target.is_quantitative
                and self.actual.number is not None)

    @property
    def ceiling(self) -> bool:
        """100% or 0: the actual can hardly be anything but the target, so equality says nothing."""
        target = self.target
        return target is not None and target.number is not None and (
            target.number == 0 or (target.number == HUNDRED and target.unit == "%"))

    @property
    def actual_equals_target(self) -> bool:
        return self.quantitative and self.actual.number == self.target.number

    @property
    def informative(self) -> bool:
        """A specific figure (42412条): neither qualitative, a ceiling, nor just the target repeated."""
        return self.quantitative and not self.ceiling and not self.actual_equals_target

    @property
    def label(self) -> str:
        return f"{self.sheet_label}「{self.name}」"


@dataclass(frozen=True)
class SheetFacts:
    key: str                      # att2, or att3: + the project's name key (stable across years)
    label: str                    # 附件2 / 附件3-1 政务中心大厅运行经费
    rows: tuple[RowFacts, ...]
    budget: Decimal | None        # 全年预算数
    spent: Decimal | None         # 全年执行数
    execution_rate: Decimal | None
    carryover: Decimal | None     # 上年结转资金 (全年预算数, else 年初预算数); 附件3 only
    stated_execution_rate: Decimal | None
    total: Decimal


@dataclass(frozen=True)
class PackageFacts:
    year: int
    department: str
    sheets: tuple[SheetFacts, ...]
    total: Decimal | None         # 附件2 总分, None while any 附件2 row is unscored
    grade: str
    rate_claims: tuple[str, ...] = ()   # "执行率100%" quoted from the texts

    @property
    def department_sheet(self) -> SheetFacts:
        return self.sheets[0]

    @property
    def rows(self) -> tuple[RowFacts, ...]:
        return tuple(row for sheet in self.sheets for row in sheet.rows)

    @property
    def execution_rate(self) -> Decimal | None:
        return self.department_sheet.execution_rate

    @property
    def budget(self) -> Decimal | None:
        return self.department_sheet.budget

    @property
    def spent(self) -> Decimal | None:
        return self.department_sheet.spent


def _first_filled(*values: Decimal | None) -> Decimal | None:
    return next((value for value in values if value is not None), None)


@lru_cache(maxsize=100_000)
def _row_score(target_raw: str, actual_raw: str, weight: Decimal, force_qualitative: bool, band: str,
               judged: Decimal | None, adjusted: Decimal | None, reason: str, rules: Rules) -> RowScore:
    """scoring.score_row for the fields a score depends on: a region repeats the same rows (无/无, 100%/100%,
    有所改善/有所改善) thousands of times, and a batch scores each distinct row once."""
    return score_row(IndicatorData(id=None, category="", subcategory="", name="", target_raw=target_raw,
                                   actual_raw=actual_raw, weight=weight, force_qualitative=force_qualitative,
                                   band=band, judged_score=judged, adjusted_score=adjusted,
                                   adjustment_reason=reason), rules)


def _sheet_facts(key: str, label: str, rows: Sequence[IndicatorData], budget, spent, rules, *,
                 carryover=None, stated_rate=None) -> SheetFacts:
    scores = [_row_score(row.target_raw, row.actual_raw, row.weight, row.force_qualitative, row.band,
                         row.judged_score, row.adjusted_score, row.adjustment_reason, rules) for row in rows]
    execution = execution_result(budget, spent, rules.execution_weight, rules)
    # The sheet total as scoring.score_sheet adds it up (Σ rounded row finals + execution score);
    # tests/insight/test_signals.py compares the two so that they cannot drift apart.
    complete = bool(rows) and all(score.final is not None for score in scores)
    total = sum((score.final for score in scores if score.final is not None), ZERO) + execution.score
    row_facts = tuple(
        RowFacts(sheet_key=key, sheet_label=label, name=row.name, key=name_key(row.name), target_raw=row.target_raw,
                 actual_raw=row.actual_raw, weight=row_score.weight, final=row_score.final,
                 qualitative=row_score.is_qualitative, band=row.band, evidence=row.evidence,
                 target=row_score.target, actual=row_score.actual)
        for row, row_score in zip(rows, scores))
    return SheetFacts(key, label, row_facts, budget, spent, execution.rate_pct, carryover, stated_rate,
                      total if complete else None)


def _project_budget(project: ProjectData, column: str) -> Decimal | None:
    values = [getattr(funds, column) for funds in (project.appropriation, project.carryover, project.other)]
    filled = [value for value in values if value is not None]
    return sum(filled, ZERO) if filled else None


_RATE_CLAIM = re.compile(r"执行率(?:为|达到|达|是|已达)?(100(?:\.0+)?%)")


def _rate_claims(pkg: PackageData) -> tuple[str, ...]:
    texts = [section.text for section in pkg.sections]
    texts.append(pkg.department_sheet.goal_achieved)
    for project in pkg.projects:
        texts.extend(project.report_sections.values())
        texts.append(project.goal_achieved)
    claims = []
    for text in texts:
        clean = re.sub(r"\s+", "", unicodedata.normalize("NFKC", text or ""))
        claims.extend(match.group(0) for match in _RATE_CLAIM.finditer(clean))
    return tuple(dict.fromkeys(claims))


def package_facts(pkg: PackageData) -> PackageFacts:
    rules = pkg.template.rules
    sheet = pkg.department_sheet
    sheets = [_sheet_facts("att2", "附件2", sheet.rows, sheet.funds.full_year, sheet.funds.spent, rules,
                           stated_rate=sheet.stated_execution_rate)]
    for number, project in enumerate(pkg.projects, start=1):
        carryover = _first_filled(project.carryover.full_year, project.carryover.initial)
        sheets.append(_sheet_facts(
            f"att3:{name_key(project.name)}", f"附件3-{number} {project.name}", project.rows,
            _project_budget(project, "full_year"), _project_budget(project, "spent"), rules,
            carryover=carryover, stated_rate=project.stated_execution_rate))
    department = sheets[0]
    grade = grade_for(department.total).label if department.total is not None else ""
    return PackageFacts(year=pkg.year, department=pkg.department_name, sheets=tuple(sheets), total=department.total,
                        grade=grade, rate_claims=_rate_claims(pkg))


# --- region statistics ----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class PeerStats:
    """总分 of the region's departments of the same nature in the same year (robust: median and MAD)."""

    label: str          # 行政单位
    count: int
    median: Decimal
    mad: Decimal        # median absolute deviation

    @property
    def scale(self) -> Decimal:
        return max(self.mad * MAD_TO_SIGMA, PEER_MIN_SCALE)


def peer_stats(totals: Iterable[Decimal | None], label: str = "") -> PeerStats | None:
    values = sorted(value for value in totals if value is not None)
    if not values:
        return None
    median = statistics.median(values)
    mad = statistics.median(abs(value - median) for value in values)
    return PeerStats(label=label, count=len(values), median=to_cent(Decimal(median)), mad=to_cent(Decimal(mad)))


# --- the signals ----------------------------------------------------------------------------------------------

def _fmt(value: Decimal | None) -> str:
    return "—" if value is None else format(to_cent(value), "f")


def _pct(part: int, whole: int) -> str:
    return f"{Decimal(part * 100) / Decimal(whole):.0f}%"


def _ramp(share: Decimal, floor: Decimal) -> float:
    """0.5 at the threshold, 1.0 when every row shows the pattern."""
    if share >= 1:
        return 1.0
    return float(Decimal("0.5") + (share - floor) / (1 - floor) / 2)


def full_marks(facts: PackageFacts) -> Signal | None:
    rows = facts.rows
    scored = [row for row in rows if row.final is not None]
    if len(scored) < MIN_ROWS or len(scored) < len(rows) or not all(row.full for row in scored):
        return None
    department = sum(1 for row in scored if row.sheet_key == "att2")
    projects = len(scored) - department
    where = f"附件2 {department}个" + (f"、附件3（{len(facts.sheets) - 1}张）{projects}个" if projects else "")
    message = (f"全部{len(scored)}个三级指标均得满分（{where}），无一失分；附件2总分{_fmt(facts.total)}分。"
               "逐项满分少见，建议抽查实际完成值的佐证材料。")
    return Signal("full_marks", 1.0, message)


def actual_equals_target(facts: PackageFacts) -> Signal | None:
    eligible = [row for row in facts.rows if row.quantitative and not row.ceiling]
    if len(eligible) < MIN_ROWS:
        return None
    equal = [row for row in eligible if row.actual_equals_target]
    share = Decimal(len(equal)) / len(eligible)
    if share < EQUAL_SHARE:
        return None
    examples = tuple(f"{row.label}：指标值{row.target.canonical}，实际完成值{row.actual.canonical}"
                     for row in equal[:EXAMPLES])
    message = (f"{len(eligible)}个定量指标（指标值为100%或0的封顶类指标不计）中有{len(equal)}个"
               f"（{_pct(len(equal), len(eligible))}）的实际完成值恰好等于年度指标值。"
               "完成值多数“刚好达标”，可能是按指标值倒填。")
    return Signal("actual_equals_target", _ramp(share, EQUAL_SHARE), message, examples)


def execution_with_carryover(facts: PackageFacts, previous: PackageFacts | None = None) -> Signal | None:
    findings: list[str] = []
    strength = 0.0
    previous_sheets = {sheet.key: sheet for sheet in previous.sheets} if previous else {}
    for sheet in facts.sheets:
        rate = sheet.execution_rate
        if rate is not None and rate >= HUNDRED and sheet.carryover and sheet.carryover > 0:
            findings.append(f"{sheet.label}：执行率{_fmt(rate)}%，资金来源中上年结转资金{_fmt(sheet.carryover)}万元"
                            "（结转资金说明以前年度资金未按期使用，当年全部执行完毕需核实）")
            strength = max(strength, 0.7)
        before = previous_sheets.get(sheet.key)
        if (before is not None and before.execution_rate is not None and before.execution_rate >= HUNDRED
                and sheet.carryover and sheet.carryover > 0):
            findings.append(f"{sheet.label}：{previous.year}年执行率{_fmt(before.execution_rate)}%，"
                            f"但{facts.year}年仍有上年结转资金{_fmt(sheet.carryover)}万元，上年资金并未执行完毕")
            strength = 1.0
        stated = sheet.stated_execution_rate
        if stated is not None and stated >= HUNDRED and rate is not None and rate < HUNDRED:
            findings.append(f"{sheet.label}：表中填报执行率{_fmt(stated)}%，按全年预算数{_fmt(sheet.budget)}万元、"
                            f"全年执行数{_fmt(sheet.spent)}万元计算仅为{_fmt(rate)}%，"
                            f"结余{_fmt((sheet.budget or ZERO) - (sheet.spent or ZERO))}万元")
            strength = 1.0
    department = facts.department_sheet
    rate = department.execution_rate
    if facts.rate_claims and rate is not None and rate < HUNDRED:
        findings.append(f"报告文字称“{facts.rate_claims[0]}”，但附件2全年预算数{_fmt(department.budget)}万元、"
                        f"全年执行数{_fmt(department.spent)}万元，执行率为{_fmt(rate)}%，"
                        f"结余{_fmt((department.budget or ZERO) - (department.spent or ZERO))}万元")
        strength = 1.0
    if not findings:
        return None
    message = f"执行率100%与结转结余不符，共{len(findings)}处：" + findings[0] + ("等。" if len(findings) > 1 else "。")
    return Signal("execution_with_carryover", strength, message, tuple(findings))


def above_peers(facts: PackageFacts, peers: PeerStats | None) -> Signal | None:
    if peers is None or facts.total is None or peers.count < PEER_MIN_COUNT:
        return None
    gap = facts.total - peers.median
    z = gap / peers.scale
    if gap < PEER_MIN_GAP or z < PEER_MIN_Z:
        return None
    strength = min(1.0, 0.5 + float((z - PEER_MIN_Z) / 5))
    group = f"{peers.label}，" if peers.label else ""
    message = (f"总分{_fmt(facts.total)}分，比本地区同类单位（{group}共{peers.count}家）的中位数"
               f"{_fmt(peers.median)}分高{_fmt(gap)}分；中位数绝对偏差为{_fmt(peers.mad)}分，"
               f"稳健Z值{z:.1f}（≥{PEER_MIN_Z}即提示）。")
    return Signal("above_peers", strength, message)


def _matched_rows(facts: PackageFacts, previous: PackageFacts) -> list[tuple[RowFacts, RowFacts]]:
    """Rows paired with last year's: same sheet (附件2, or the project's name) and same name key; a row whose
    sheet was renamed falls back to its name key when that key is unique in both years."""
    before_by_sheet = {(row.sheet_key, row.key): row for row in previous.rows}
    before_by_key: dict[str, list[RowFacts]] = {}
    for row in previous.rows:
        before_by_key.setdefault(row.key, []).append(row)
    now_count: dict[str, int] = {}
    for row in facts.rows:
        now_count[row.key] = now_count.get(row.key, 0) + 1
    pairs = []
    for row in facts.rows:
        before = before_by_sheet.get((row.sheet_key, row.key))
        if before is None and now_count[row.key] == 1 and len(before_by_key.get(row.key, ())) == 1:
            before = before_by_key[row.key][0]
        if before is not None:
            pairs.append((row, before))
    return pairs


def _easier(now: ParsedValue, before: ParsedValue) -> bool:
    """Is this year's target easier to reach than last year's (same unit, same direction)?"""
    if now.number is None or before.number is None or now.unit != before.unit:
        return False
    at_least = (Comparator.GE, Comparator.GT, Comparator.EQ)
    at_most = (Comparator.LE, Comparator.LT)
    if now.comparator in at_least and before.comparator in at_least:
        if now.number == 0 and before.number == 0:
            return False
        return now.number < before.number and not (now.comparator is Comparator.EQ and now.number == 0)
    if now.comparator in at_most and before.comparator in at_most:
        return now.number > before.number
    return False


def targets_lowered(facts: PackageFacts, previous: PackageFacts | None) -> Signal | None:
    if previous is None or facts.total is None or previous.total is None or facts.total <= previous.total:
        return None
    lowered = []
    for row, before in _matched_rows(facts, previous):
        if (row.target is not None and before.target is not None and row.target.is_quantitative
                and before.target.is_quantitative and _easier(row.target, before.target)):
            lowered.append(f"{row.label}：由{before.target.canonical}调为{row.target.canonical}")
    if not lowered:
        return None
    strength = min(1.0, 0.4 + 0.2 * len(lowered))
    message = (f"{len(lowered)}个指标的年度指标值较{previous.year}年降低（更易达成），而总分由"
               f"{_fmt(previous.total)}分升至{_fmt(facts.total)}分：{lowered[0]}" + ("等。" if len(lowered) > 1 else "。"))
    return Signal("targets_lowered", strength, message, tuple(lowered[:EXAMPLES * 2]))


def _same_text(a: str, b: str) -> bool:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", a)) == re.sub(r"\s+", "", unicodedata.normalize("NFKC", b))


def rows_unchanged(facts: PackageFacts, previous: PackageFacts | None) -> Signal | None:
    if previous is None:
        return None
    rows = facts.rows
    if len(rows) < MIN_ROWS:
        return None
    identical = [row for row, before in _matched_rows(facts, previous)
                 if _same_text(row.target_raw, before.target_raw) and _same_text(row.actual_raw, before.actual_raw)
                 and row.actual_raw.strip()]
    informative = [row for row in identical if row.informative]
    share = Decimal(len(identical)) / len(rows)
    if share < UNCHANGED_SHARE and len(informative) < INFORMATIVE_UNCHANGED:
        return None
    strength = _ramp(share, UNCHANGED_SHARE) if share >= UNCHANGED_SHARE else 0.5
    if len(informative) >= INFORMATIVE_UNCHANGED:
        strength = 1.0
    details = tuple(f"{row.label}：指标值{row.target_raw.strip()}，实际完成值{row.actual_raw.strip()}（与上年相同）"
                    for row in (informative or identical)[:EXAMPLES])
    specific = (f"其中{len(informative)}个具体数值（非100%、非恰等于指标值）也与上年一字不差，"
                "如非巧合即为照抄上年。" if informative else "")
    message = (f"{len(rows)}个三级指标中有{len(identical)}个（{_pct(len(identical), len(rows))}）的指标值和实际完成值"
               f"与{previous.year}年完全相同。{specific}")
    return Signal("rows_unchanged", strength, message, details)


def qualitative_without_evidence(facts: PackageFacts) -> Signal | None:
    qualitative = [row for row in facts.rows if row.qualitative]
    if len(qualitative) < MIN_QUALITATIVE:
        return None
    met = [row for row in qualitative if row.band == "met" or (not row.band and row.full)]
    if len(met) < len(qualitative):
        return None
    bare = [row for row in met if not row.evidence.strip()]
    share = Decimal(len(bare)) / len(qualitative)
    if share < Decimal("0.8"):
        return None
    full = sum(1 for row in met if row.full)
    message = (f"全部{len(qualitative)}个定性指标均评为“达成年度指标”（其中{full}个满分），"
               f"{len(bare)}个未填写佐证说明。定性得分由填报人自评，缺少佐证时难以复核。")
    details = tuple(f"{row.label}：{row.target_raw.strip()} → {row.actual_raw.strip()}" for row in bare[:EXAMPLES])
    return Signal("qualitative_without_evidence", _ramp(share, Decimal("0.8")), message, details)


@dataclass(frozen=True)
class CopySummary:
    """One matched passage, as the text index reports it (plain values)."""

    kind: str                 # "previous_year" (same department) | "same_year" (another department)
    label: str                # where in this package: 正文「七、存在的问题及原因分析」第1段
    other: str                # 2022年度本单位 / 汨罗市某某局
    other_label: str
    similarity: float         # 0..1, shared shingles over the shorter passage


def copied_text(matches: Sequence[CopySummary]) -> Signal | None:
    if not matches:
        return None
    previous = [m for m in matches if m.kind == "previous_year"]
    others = [m for m in matches if m.kind == "same_year"]
    parts = []
    if previous:
        parts.append(f"{len(previous)}段与本单位上年报告高度相似")
    if others:
        names = "、".join(dict.fromkeys(m.other for m in others))
        parts.append(f"{len(others)}段与同年其他单位（{names}）的文字高度相似")
    strength = min(1.0, 0.4 + 0.15 * len(matches) + (0.2 if others else 0))
    message = ("、".join(parts) + "（已忽略数字差异和各报告通用的标题、套话）。"
               f"最高相似度{max(m.similarity for m in matches):.0%}。")
    details = tuple(f"{m.label} ≈ {m.other}{m.other_label}（{m.similarity:.0%}）"
                    for m in sorted(matches, key=lambda m: -m.similarity)[:EXAMPLES])
    return Signal("copied_text", strength, message, details)


def data_signals(facts: PackageFacts, previous: PackageFacts | None = None,
                 peers: PeerStats | None = None) -> list[Signal]:
    """Every figure-based signal of one package (copied text comes from the index)."""
    candidates = (
        full_marks(facts),
        actual_equals_target(facts),
        execution_with_carryover(facts, previous),
        above_peers(facts, peers),
        targets_lowered(facts, previous),
        rows_unchanged(facts, previous),
        qualitative_without_evidence(facts),
    )
    return [signal for signal in candidates if signal is not None]


def package_signals(pkg: PackageData, previous: PackageData | None = None, peers: PeerStats | None = None,
                    copies: Sequence[CopySummary] = ()) -> list[Signal]:
    """Convenience for one package: facts derived here."""
    signals = data_signals(package_facts(pkg), package_facts(previous) if previous else None, peers)
    copy = copied_text(copies)
    return signals + ([copy] if copy else [])


def facts_summary(facts: PackageFacts) -> dict:
    """What the year-over-year chart and the region table read, stored beside the signals (strings: JSON)."""
    def text(value: Decimal | None) -> str | None:
        return None if value is None else format(to_cent(value), "f")
    rows = facts.rows
    return {"total": text(facts.total), "grade": facts.grade, "execution_rate": text(facts.execution_rate),
            "budget": text(facts.budget), "spent": text(facts.spent), "rows": len(rows),
            "full_rows": sum(1 for row in rows if row.full)}

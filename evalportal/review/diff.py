"""What changed between two snapshots, section by section (domain.md §7 diff view). Pure: dicts in, dataclasses out."""
from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from decimal import Decimal


@dataclass(frozen=True)
class FieldDiff:
    key: str
    label: str
    old: object
    new: object

    @property
    def is_text(self) -> bool:
        return isinstance(self.old, str) and isinstance(self.new, str) and max(len(self.old), len(self.new)) > 40

    @property
    def segments(self) -> list[tuple[str, str]]:
        """(op, text) with op in equal/delete/insert: an inline diff of long texts."""
        return text_segments(self.old or "", self.new or "")


@dataclass(frozen=True)
class RowDiff:
    key: str
    label: str
    status: str                         # "added" | "removed" | "changed"
    fields: tuple[FieldDiff, ...] = ()
    score_old: str | None = None
    score_new: str | None = None

    @property
    def score_changed(self) -> bool:
        return self.score_old != self.score_new

    @property
    def score_delta(self) -> Decimal | None:
        if self.score_old is None or self.score_new is None:
            return None
        return Decimal(self.score_new) - Decimal(self.score_old)


@dataclass(frozen=True)
class ResultDiff:
    """A sheet's execution score, total and grade before and after."""

    label: str
    total_old: str | None
    total_new: str | None
    grade_old: str
    grade_new: str
    execution_old: str | None = None
    execution_new: str | None = None

    @property
    def changed(self) -> bool:
        return (self.total_old, self.grade_old, self.execution_old) != (self.total_new, self.grade_new,
                                                                         self.execution_new)

    @property
    def total_delta(self) -> Decimal | None:
        if self.total_old is None or self.total_new is None:
            return None
        return Decimal(self.total_new) - Decimal(self.total_old)


@dataclass(frozen=True)
class SectionDiff:
    key: str
    title: str
    status: str                          # "changed" | "added" | "removed"
    fields: tuple[FieldDiff, ...] = ()
    rows: tuple[RowDiff, ...] = ()
    result: ResultDiff | None = None

    def row(self, row_key: str) -> RowDiff | None:
        return next((r for r in self.rows if r.key == row_key), None)


@dataclass(frozen=True)
class CommentChange:
    comment_id: int
    section_key: str
    row_id: int | None
    changed: bool                        # did its section (or its row) change since the returned snapshot


@dataclass(frozen=True)
class SnapshotDiff:
    sections: tuple[SectionDiff, ...]
    department: ResultDiff
    comments: tuple[CommentChange, ...] = ()
    findings_added: tuple[dict, ...] = ()
    findings_removed: tuple[dict, ...] = ()
    extra: dict = field(default_factory=dict)

    @property
    def changed_keys(self) -> frozenset[str]:
        return frozenset(s.key for s in self.sections)

    def section(self, key: str) -> SectionDiff | None:
        return next((s for s in self.sections if s.key == key), None)

    @property
    def is_empty(self) -> bool:
        return not self.sections and not self.department.changed


def text_segments(old: str, new: str) -> list[tuple[str, str]]:
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    segments: list[tuple[str, str]] = []
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            segments.append(("equal", old[a1:a2]))
        else:
            if a2 > a1:
                segments.append(("delete", old[a1:a2]))
            if b2 > b1:
                segments.append(("insert", new[b1:b2]))
    return segments


def _value(entry: dict | None):
    return None if entry is None else entry.get("value")


def _fields_diff(old: dict, new: dict) -> tuple[FieldDiff, ...]:
    keys = list(new) + [k for k in old if k not in new]
    return tuple(FieldDiff(k, (new.get(k) or old.get(k))["label"], _value(old.get(k)), _value(new.get(k)))
                 for k in keys if _value(old.get(k)) != _value(new.get(k)))


def _rows_diff(old: dict, new: dict) -> tuple[RowDiff, ...]:
    rows = []
    for key, row in new.items():
        before = old.get(key)
        if before is None:
            rows.append(RowDiff(key, row["label"], "added", _fields_diff({}, row["fields"]), None, row.get("score")))
            continue
        fields = _fields_diff(before["fields"], row["fields"])
        if fields or before.get("score") != row.get("score"):
            rows.append(RowDiff(key, row["label"], "changed", fields, before.get("score"), row.get("score")))
    for key, row in old.items():
        if key not in new:
            rows.append(RowDiff(key, row["label"], "removed", _fields_diff(row["fields"], {}), row.get("score"), None))
    return tuple(rows)


def _result_diff(label: str, old: dict | None, new: dict | None) -> ResultDiff:
    old, new = old or {}, new or {}
    return ResultDiff(label, old.get("total"), new.get("total"), old.get("grade", ""), new.get("grade", ""),
                      old.get("execution_score"), new.get("execution_score"))


def _finding_key(f: dict) -> tuple:
    return (f["code"], f["location"], f["message"])


def diff_snapshots(old: dict, new: dict, comments: list[dict] = ()) -> SnapshotDiff:
    """old/new: Snapshot.data. comments: [{"id", "section_key", "row_id"}] to tell which ones changed."""
    old_sections, new_sections = old.get("sections", {}), new.get("sections", {})
    order = list(new.get("section_order") or new_sections) + [k for k in (old.get("section_order") or old_sections)
                                                               if k not in new_sections]
    diffs = []
    for key in order:
        before, after = old_sections.get(key), new_sections.get(key)
        if before is None and after is None:
            continue
        if before is None or after is None:
            status = "added" if before is None else "removed"
            present = after or before
            fields = _fields_diff({}, present["fields"]) if before is None else _fields_diff(present["fields"], {})
            rows = _rows_diff({}, present["rows"]) if before is None else _rows_diff(present["rows"], {})
            diffs.append(SectionDiff(key, present["title"], status, fields, rows))
            continue
        fields = _fields_diff(before["fields"], after["fields"])
        rows = _rows_diff(before["rows"], after["rows"])
        result = None
        if "result" in after or "result" in before:
            result = _result_diff(after["title"], before.get("result"), after.get("result"))
        if fields or rows or (result is not None and result.changed):
            diffs.append(SectionDiff(key, after["title"], "changed", fields, rows,
                                     result if result is not None and result.changed else None))
    changed = {s.key: s for s in diffs}
    comment_changes = []
    for c in comments:
        section = changed.get(c["section_key"])
        if section is not None and c.get("row_id"):
            hit = section.row(str(c["row_id"])) is not None
        else:
            hit = section is not None
        comment_changes.append(CommentChange(c["id"], c["section_key"], c.get("row_id"), hit))
    old_findings = {_finding_key(f): f for f in old.get("findings", [])}
    new_findings = {_finding_key(f): f for f in new.get("findings", [])}
    return SnapshotDiff(
        sections=tuple(diffs),
        department=_result_diff("附件2 部门整体", old.get("results", {}).get("department"),
                                new.get("results", {}).get("department")),
        comments=tuple(comment_changes),
        findings_added=tuple(f for k, f in new_findings.items() if k not in old_findings),
        findings_removed=tuple(f for k, f in old_findings.items() if k not in new_findings),
    )

"""The diff between two submissions: figures, texts, rows added/removed, score, total and grade changes."""
from decimal import Decimal

import pytest

from evalportal.review.diff import diff_snapshots, text_segments
from tests.review.conftest import explain_warnings


def _snap(rows: dict, total: str, grade: str, text: str = "原文") -> dict:
    return {
        "section_order": ["report.S7", "att2.indicators"],
        "sections": {
            "report.S7": {"title": "报告正文 · 存在的问题", "fields": {"S7": {"label": "正文", "value": text}}, "rows": {}},
            "att2.indicators": {"title": "附件2 · 绩效指标", "fields": {}, "result": {"total": total, "grade": grade,
                                                                                "execution_score": "10.00"},
                                "rows": {k: {"label": v[0], "score": v[2], "order": i,
                                             "fields": {"actual_raw": {"label": "实际完成值", "value": v[1]}}}
                                         for i, (k, v) in enumerate(rows.items())}},
        },
        "results": {"department": {"total": total, "grade": grade, "execution_score": "10.00"}},
        "findings": [],
    }


def test_a_changed_figure_shows_with_its_score_total_and_grade_change():
    old = _snap({"1": ("社会公众满意度", "98%", "10.00"), "2": ("资金到位率", "100%", "10.00")}, "90.00", "优")
    new = _snap({"1": ("社会公众满意度", "80%", "8.42"), "3": ("新指标", "1次", "5.00")}, "88.42", "良", "修改后的原文")
    diff = diff_snapshots(old, new, [{"id": 7, "section_key": "att2.indicators", "row_id": 1},
                                     {"id": 8, "section_key": "att2.indicators", "row_id": 2},
                                     {"id": 9, "section_key": "att1.staff", "row_id": None}])
    section = diff.section("att2.indicators")
    changed = section.row("1")
    assert (changed.status, changed.fields[0].old, changed.fields[0].new) == ("changed", "98%", "80%")
    assert (changed.score_old, changed.score_new, changed.score_delta) == ("10.00", "8.42", Decimal("-1.58"))
    assert section.row("3").status == "added" and section.row("2").status == "removed"
    assert (diff.department.total_old, diff.department.total_new, diff.department.total_delta) == (
        "90.00", "88.42", Decimal("-1.58"))
    assert (diff.department.grade_old, diff.department.grade_new) == ("优", "良")
    assert diff.section("report.S7").fields[0].new == "修改后的原文"
    assert {c.comment_id: c.changed for c in diff.comments} == {7: True, 8: True, 9: False}


def test_identical_snapshots_have_an_empty_diff():
    snap = _snap({"1": ("社会公众满意度", "98%", "10.00")}, "90.00", "优")
    assert diff_snapshots(snap, snap).is_empty


def test_text_segments_mark_what_was_deleted_and_inserted():
    assert text_segments("预算执行不够均衡", "预算执行较为均衡") == [
        ("equal", "预算执行"), ("delete", "不够"), ("insert", "较为"), ("equal", "均衡")]


@pytest.mark.django_db
def test_resubmission_after_a_return_diffs_against_the_returned_snapshot(ready_a, people, client):
    from evalportal.reports.models import IndicatorRow
    from evalportal.review.services import comment_add, comment_reply, package_transition
    from evalportal.review.snapshots import canonical_json, sha256_of
    pkg = package_transition(package=ready_a, action="submit", actor=people["filler"])
    pkg = package_transition(package=pkg, action="confirm", actor=people["head"])
    row = IndicatorRow.objects.get(department_sheet__package=pkg, name="社会公众满意度")
    on_row = comment_add(package=pkg, actor=people["reviewer"], section_key="att2.indicators", row_id=row.pk,
                         row_label=row.name, text="满意度98%的依据是什么？")
    elsewhere = comment_add(package=pkg, actor=people["reviewer"], section_key="report.S7", text="问题分析过简。")
    pkg = package_transition(package=pkg, action="return", actor=people["reviewer"])
    IndicatorRow.objects.filter(pk=row.pk).update(actual_raw="90%", deviation_reason="按第三方测评结果更正为90%。")
    comment_reply(comment=on_row, actor=people["filler"], text="按第三方测评结果更正。")
    comment_reply(comment=elsewhere, actor=people["filler"], text="问题分析已在其他部分说明。")
    explain_warnings(pkg)         # the change raises K28 (附件2 90% vs 附件3 98%): explained before resubmitting
    pkg = package_transition(package=pkg, action="submit", actor=people["filler"])
    first, second = pkg.snapshots.order_by("number")
    assert second.sha256 == sha256_of(second.data) and first.sha256 != second.sha256
    assert canonical_json(second.data) == canonical_json(dict(reversed(list(second.data.items()))))

    diff = diff_snapshots(first.data, second.data, [{"id": c.pk, "section_key": c.section_key, "row_id": c.row_id}
                                                    for c in (on_row, elsewhere)])
    changed = diff.section("att2.indicators").row(str(row.pk))
    assert [(f.old, f.new) for f in changed.fields if f.key == "actual_raw"] == [("98%", "90%")]
    assert (changed.score_old, changed.score_new) == ("10.00", "9.47")      # 10 × 90 / 95
    assert (diff.department.total_old, diff.department.total_new) == ("100.00", "99.47")
    assert {c.comment_id: c.changed for c in diff.comments} == {on_row.pk: True, elsewhere.pk: False}

    client.force_login(people["reviewer"])
    pkg = package_transition(package=pkg, action="confirm", actor=people["head"])
    page = client.get(f"/review/packages/{pkg.pk}/diff/").content.decode()
    assert "第1次提交" in page and "98%" in page and "90%" in page and "9.47" in page and "99.47" in page
    assert "已修改" in page and "未修改" in page

"""Each plausibility signal on hand-made packages that should and should not trigger it (no database)."""
from decimal import Decimal

import pytest

from evalportal.insight import signals as s
from tests.insight.builders import ORDINARY, package, project, row, rows, with_rows


def codes(pkg, previous=None, peers=None):
    return {signal.code for signal in s.package_signals(pkg, previous, peers)}


def only(code, pkg, previous=None, peers=None):
    found = [signal for signal in s.package_signals(pkg, previous, peers) if signal.code == code]
    return found[0] if found else None


def test_an_ordinary_package_raises_no_signal_at_all():
    last_year = with_rows(package(year=2022), rows(*((name, target, "") for name, target, *_ in ORDINARY)))
    assert codes(package(), previous=None) == set()
    assert codes(package(), previous=last_year) == set()


# --- every indicator at full marks ---------------------------------------------------------------------------

FULL = rows(*(spec for spec in ORDINARY if spec[0] != "业务培训次数"))


def test_full_marks_fires_when_no_row_loses_a_point_and_says_how_many():
    signal = only("full_marks", package(FULL))
    assert signal is not None and signal.strength == 1.0
    assert "全部8个三级指标均得满分" in signal.message


def test_full_marks_counts_the_project_sheets_too():
    pkg = package(FULL, projects=(project("电子政务及相关经费", indicator_rows=rows(*ORDINARY[:3])),))
    assert only("full_marks", pkg) is None          # the project's 培训 row lost points
    pkg = package(FULL, projects=(project("电子政务及相关经费", indicator_rows=FULL[:3]),))
    assert "附件3（1张）3个" in only("full_marks", pkg).message


def test_full_marks_needs_enough_rows_and_every_row_scored():
    assert only("full_marks", package(FULL[:4])) is None
    unscored = FULL + (row("网上办事大厅咨询量", "≥500件", "", 5),)
    assert only("full_marks", package(unscored)) is None


# --- actual equal to the target on (nearly) every row ----------------------------------------------------------

ON_TARGET = rows(("网上办事率", "≥95%", "95%", 10), ("上传信息数量", "≥40000条", "40000条", 10),
                 ("办理时限", "≤2天", "2天", 10), ("压缩率", "≥10%", "10%", 10), ("满意度", "≥95%", "95%", 10),
                 ("培训次数", "≥4次", "4次", 10), ("办结率", "100%", "100%", 10))


def test_actual_equals_target_fires_when_every_value_lands_exactly_on_its_target():
    signal = only("actual_equals_target", package(ON_TARGET))
    assert signal is not None and signal.strength == 1.0
    # 100%/100% is a ceiling and does not count: 6 eligible rows, all on target.
    assert "6个定量指标" in signal.message and "有6个（100%）" in signal.message
    assert any("≥40000条" in detail and "40000条" in detail for detail in signal.details)


def test_actual_equals_target_stays_quiet_for_values_above_target_and_for_ceilings():
    assert only("actual_equals_target", package()) is None
    ceilings = rows(*[(f"办结率{i}", "100%", "100%", 10) for i in range(8)], ("差错率", "0", "0", 10))
    assert only("actual_equals_target", package(ceilings)) is None
    mostly_above = ON_TARGET[:3] + rows(("压缩率", "≥10%", "14%", 10), ("满意度", "≥95%", "99%", 10),
                                        ("培训次数", "≥4次", "6次", 10))
    assert only("actual_equals_target", package(mostly_above)) is None   # 3 of 6 = 50% < 75%


# --- execution rate 100% while money is carried over --------------------------------------------------------------

def test_full_execution_with_carryover_in_the_funds_fires():
    carried = project("政务中心大厅运行经费", appropriation=(200, 200, 200), carryover=(30, 30, 30))
    signal = only("execution_with_carryover", package(projects=(carried,)))
    assert signal is not None and signal.strength == pytest.approx(0.7)
    assert "执行率100.00%" in signal.message and "上年结转资金30.00万元" in signal.message


def test_no_carryover_or_unspent_carryover_below_100_percent_is_quiet():
    plain = project("政务中心大厅运行经费", appropriation=(200, 200, 200), carryover=(0, 0, 0))
    assert only("execution_with_carryover", package(projects=(plain,))) is None
    underspent = project("政务中心大厅运行经费", appropriation=(200, 200, 180), carryover=(30, 30, 30))
    assert only("execution_with_carryover", package(projects=(underspent,))) is None


def test_last_years_100_percent_contradicted_by_this_years_carryover():
    before = package(year=2022, projects=(project("电子政务及相关经费", appropriation=(40, 40, 40)),))
    now = package(year=2023, projects=(project("电子政务及相关经费", appropriation=(41, 41, 35),
                                               carryover=(6, 6, 6)),))
    signal = only("execution_with_carryover", now, previous=before)
    assert signal is not None and signal.strength == 1.0
    assert "2022年执行率100.00%" in signal.message and "上年结转资金6.00万元" in signal.message


def test_a_text_claiming_100_percent_while_money_is_left_over():
    claim = {"S6": "全年预算执行率达到100%，资金使用规范。"}
    signal = only("execution_with_carryover", package(budget=1450.82, spent=1300, texts=claim))
    assert signal is not None
    assert "执行率达到100%" in signal.message and "执行率为89.60%" in signal.message and "结余150.82万元" in signal.message
    assert only("execution_with_carryover", package(budget=100, spent=100, texts=claim)) is None


# --- total far above the region's median for the same kind of department ---------------------------------------

def test_peer_stats_are_robust_median_and_mad():
    stats = s.peer_stats([Decimal(v) for v in (88, 90, 91, 92, 93, 100)] + [None], "行政单位")
    assert (stats.count, stats.median, stats.mad) == (6, Decimal("91.50"), Decimal("1.50"))


def test_a_total_far_above_the_peers_fires_and_quotes_the_numbers():
    peers = s.peer_stats([Decimal(v) for v in (86, 88, 89, 90, 90, 91, 92, 93)], "行政单位")
    assert s.package_facts(package(FULL)).total == Decimal("90.00")   # 8 rows × 10 + execution 10
    assert only("above_peers", package(FULL), peers=peers) is None    # 90 is the median itself
    high = s.PeerStats("行政单位", 8, Decimal("80.00"), Decimal("2.00"))
    signal = only("above_peers", package(FULL), peers=high)
    assert signal is not None
    assert "比本地区同类单位（行政单位，共8家）的中位数80.00分高10.00分" in signal.message


def test_above_peers_needs_enough_peers_and_a_real_gap():
    few = s.PeerStats("行政单位", 3, Decimal("70"), Decimal("1"))
    assert only("above_peers", package(FULL), peers=few) is None
    # Everyone at 100 has MAD 0: a scale floor of 1 point keeps 1 point above from looking like z = ∞.
    flat = s.PeerStats("行政单位", 30, Decimal("88.00"), Decimal("0"))
    assert only("above_peers", package(FULL), peers=flat) is None     # 2 points above: below the 3-point gap


# --- targets lowered while the score rose -------------------------------------------------------------------

def _year_pair(target_before, target_now, actual_before="42000条", actual_now="42000条"):
    def sheet(target, actual):
        return rows(*((spec[0], target, actual, 10) if spec[0] == "政府网站上传信息数量" else spec for spec in ORDINARY))
    return (with_rows(package(year=2022), sheet(target_before, actual_before)),
            with_rows(package(year=2023), sheet(target_now, actual_now)))


def test_a_lowered_target_with_a_rising_score_fires():
    before, now = _year_pair("≥45000条", "≥40000条")
    signal = only("targets_lowered", now, previous=before)
    assert signal is not None
    assert "由≥45000条调为≥40000条" in signal.message and "总分由" in signal.message


def test_rows_are_matched_by_name_without_spaces_or_punctuation():
    before, now = _year_pair("≥45000条", "≥40000条")
    renamed = tuple(r if r.name != "政府网站上传信息数量" else type(r)(**{**r.__dict__, "name": "政府网站 上传信息数量。"})
                    for r in now.department_sheet.rows)
    assert only("targets_lowered", with_rows(now, renamed), previous=before) is not None


def test_an_unchanged_target_or_a_falling_score_is_quiet():
    before, now = _year_pair("≥40000条", "≥40000条")
    assert only("targets_lowered", now, previous=before) is None
    before, now = _year_pair("≥45000条", "≥40000条", actual_before="46000条", actual_now="30000条")
    assert only("targets_lowered", now, previous=before) is None      # easier target, but the score fell


def test_a_loosened_ceiling_counts_as_lowered():
    before = with_rows(package(year=2022), rows(("办理时限", "≤2天", "3天", 10), *ORDINARY[1:]))
    now = with_rows(package(year=2023), rows(("办理时限", "≤3天", "3天", 10), *ORDINARY[1:]))
    signal = only("targets_lowered", now, previous=before)
    assert signal is not None and "由≤2天调为≤3天" in signal.message


# --- indicator rows identical to last year's -------------------------------------------------------------------

def test_rows_identical_to_last_year_fire_and_name_the_specific_figures():
    signal = only("rows_unchanged", package(year=2023), previous=package(year=2022))
    assert signal is not None and signal.strength == 1.0
    assert "9个三级指标中有9个（100%）" in signal.message and "与2022年完全相同" in signal.message
    assert any("42412条" in detail for detail in signal.details)


def test_new_figures_every_year_are_quiet():
    now = with_rows(package(year=2023), rows(
        ("业务培训次数", "≥4次", "3.5次", 10), ("政务服务事项网上办事率", "≥95%", "96.1%", 10),
        ("政府网站上传信息数量", "≥40000条", "43810条", 10), ("大厅行政审批事项办结率", "100%", "100%", 10),
        ("咨询投诉件办理时限", "≤2天", "1.2天", 10), ("社会公众满意度", "≥95%", "97%", 10),
        ("审批事项承诺时限压缩率", "≥10%", "15%", 10), ("生态环境改善情况", "有所改善", "有所改善", 10),
        ("实现可持续发展", "有所提升", "有所提升", 10)))
    assert only("rows_unchanged", now, previous=package(year=2022)) is None
    assert only("rows_unchanged", package(year=2023), previous=None) is None


# --- qualitative rows all judged 达成 with no evidence ------------------------------------------------------------

QUALITATIVE = (("生态环境改善情况", "有所改善", "有所改善", 5), ("实现可持续发展", "有所提升", "有所提升", 5),
               ("对社会发展可能造成的负面影响", "无", "无", 5))


def test_qualitative_rows_all_met_without_evidence_fire():
    signal = only("qualitative_without_evidence", package(rows(*ORDINARY[:6], *QUALITATIVE)))
    assert signal is not None and signal.strength == 1.0
    assert "全部3个定性指标均评为“达成年度指标”（其中3个满分），3个未填写佐证说明" in signal.message


def test_evidence_or_a_partial_band_keeps_it_quiet():
    with_evidence = tuple((*spec, {"evidence": "见2023年生态环境质量公报"}) for spec in QUALITATIVE)
    assert only("qualitative_without_evidence", package(rows(*ORDINARY[:6], *with_evidence))) is None
    partial = (*QUALITATIVE[:2], (*QUALITATIVE[2], {"band": "partial", "judged_score": Decimal("3.5"),
                                                      "deviation_reason": "部分达成"}))
    assert only("qualitative_without_evidence", package(rows(*ORDINARY[:6], *partial))) is None


# --- copied text and the score -------------------------------------------------------------------------------

def test_copied_text_signal_explains_where_and_how_similar():
    matches = [s.CopySummary("previous_year", "正文「存在的问题及原因分析」第1段", "本单位2022年度", "正文第1段", 0.93),
               s.CopySummary("same_year", "附件2 实际完成情况", "测试市财政局", "附件2 实际完成情况", 0.81)]
    signal = s.copied_text(matches)
    assert "1段与本单位上年报告高度相似" in signal.message and "测试市财政局" in signal.message
    assert "最高相似度93%" in signal.message
    assert s.copied_text([]) is None


def test_points_add_up_to_the_package_score():
    found = s.package_signals(package(FULL), previous=package(year=2022))
    assert s.total_points(found) == pytest.approx(sum(signal.weight * signal.strength for signal in found), abs=0.2)
    assert all(signal.as_dict()["message"] for signal in found)


def test_the_facts_total_is_the_scoring_engines_total():
    from evalportal.scoring import score_sheet
    for pkg in (package(), package(FULL), package(ON_TARGET, budget=120, spent=93.5),
                package(rows(("培训次数", "≥4次", "2次", 10), ("办理时限", "≤2天", "3天", 10)), budget=0, spent=0)):
        sheet = pkg.department_sheet
        engine = score_sheet(sheet.rows, sheet.funds.full_year, sheet.funds.spent, pkg.template.rules)
        facts = s.package_facts(pkg)
        assert facts.total == engine.total and facts.execution_rate == engine.execution_rate

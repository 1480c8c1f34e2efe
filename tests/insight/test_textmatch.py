"""Copied-text detection: near-duplicates survive changed numbers, small edits and reordered sentences;
headings and the standard phrases every report uses never match (no database)."""
from evalportal.insight import textmatch as t
from tests.insight.builders import package, project, row

LAST_YEAR = ("2022年，我局持续围绕推进行政审批提速、营商环境优化、群众满意度提升和数据共享建设为工作目标，"
             "全力落实好市委、市政府“三个一”行动。全年共办理审批服务事项12345件，按时办结率99.5%，"
             "群众满意率达到98.7%，较上年提高1.2个百分点。")
# The same paragraph a year later: new numbers, the sentences in another order, one word changed.
THIS_YEAR = ("全年共办理审批服务事项15678件，按时办结率99.8%，群众满意率达到99.1%，较上年提高0.4个百分点。"
             "2023年，我局持续围绕推进行政审批提速、营商环境优化、群众满意度提升和数据共享建设为核心目标，"
             "全力落实好市委、市政府“三个一”行动。")
UNRELATED = ("2023年，市交通运输局围绕农村公路提质改造和城乡客运一体化开展工作，完成农村公路安防工程86公里，"
             "新开通镇村公交线路5条，全年未发生较大以上道路运输安全事故。")

HEADING = "六、部门整体支出绩效情况"
STANDARD = "本单位未安排政府性基金预算支出。"
# Not in any static list: wording the region's finance bureau handed out, used by every department.
REGION_BOILERPLATE = ("为全面实施预算绩效管理，根据市财政局关于开展部门整体支出绩效自评工作的通知要求，我单位成立了绩效自评工作"
                      "领导小组，由主要负责人任组长，对本单位部门整体支出的经济性、效率性、有效性进行了全面自评。")
OWN_WORDS = (
    "市卫生健康局全年完成城乡居民健康档案建档62万份，家庭医生签约服务覆盖重点人群，基层首诊率稳步提高。",
    "市教育局推进义务教育优质均衡发展，新建改扩建学校3所，新增学位2400个，消除了城区大班额。",
    "市农业农村局落实耕地地力保护补贴发放，完成高标准农田建设1.2万亩，粮食播种面积保持稳定。",
    "市住房和城乡建设局完成老旧小区改造项目14个，惠及居民3100户，同步实施雨污分流和管网改造。",
    "市民政局规范发放城乡低保和特困供养资金，开展困难群众动态排查，实现应保尽保。",
    "市人力资源和社会保障局开展职业技能培训5800人次，发放创业担保贷款1.6亿元，城镇新增就业4100人。",
    "市自然资源局完成国土空间总体规划编制报批，推进不动产登记“一窗受理”，登记办理时限压缩至3个工作日。",
    "市文化旅游广电局组织送戏下乡演出120场，免费开放公共文化场馆，接待游客人次同比增长。",
)


def test_a_paragraph_with_changed_numbers_and_a_reordered_sentence_matches():
    left, right, comparison = t.side_by_side(THIS_YEAR, LAST_YEAR)
    assert comparison.is_match and comparison.containment > 0.8
    shared_left = "".join(segment.text for segment in left if segment.shared)
    assert "我局持续围绕推进行政审批提速" in shared_left and "全年共办理审批服务事项15678件" in shared_left
    # The changed word is the one place the first sentence differs: it stays unmarked.
    assert any(not segment.shared and "核心" in segment.text for segment in left)
    assert "".join(segment.text for segment in left) == THIS_YEAR          # nothing lost for display


def test_the_lsh_index_finds_the_copy_and_not_an_unrelated_paragraph():
    items = [t.index_passage(owner, t.Passage(owner, owner, text))
             for owner, text in (("2022", LAST_YEAR), ("2023", THIS_YEAR), ("other", UNRELATED))]
    found = list(t.find_matches(items, lambda a, b: True))
    assert [(m.a.owner, m.b.owner) for m in found] == [("2022", "2023")]


def test_small_edits_still_match_but_a_few_shared_words_do_not():
    edited = LAST_YEAR.replace("营商环境优化", "营商环境持续优化").replace("群众", "办事群众", 1)
    assert t.compare(t.shingles(edited, t.STANDARD_STOP), t.shingles(LAST_YEAR, t.STANDARD_STOP)).is_match
    assert not t.compare(t.shingles(UNRELATED, t.STANDARD_STOP), t.shingles(THIS_YEAR, t.STANDARD_STOP)).is_match


def test_headings_and_standard_phrases_never_make_a_passage():
    for text in (HEADING, STANDARD, "七、存在的问题及原因分析", "（一）专项组织实施情况", "无。"):
        assert t.index_passage("x", t.Passage("x", "x", text)) is None


def test_boilerplate_every_department_uses_does_not_match_but_a_real_copy_does():
    reports = {f"dept{n}": [HEADING, STANDARD, REGION_BOILERPLATE, words] for n, words in enumerate(OWN_WORDS)}
    reports["dept1"].append(LAST_YEAR)      # two departments share a paragraph: a real copy
    reports["dept6"].append(THIS_YEAR)
    items = [item for owner, texts in reports.items() for text in texts
             if (item := t.index_passage(owner, t.Passage(owner, text[:10], text))) is not None]
    boilerplate = t.boilerplate_hashes(((item.owner, item.hashes) for item in items), departments=len(reports))
    found = list(t.find_matches(items, lambda a, b: a != b, boilerplate))
    assert {(m.a.owner, m.b.owner) for m in found} == {("dept1", "dept6")}
    # Without the region's boilerplate list the shared wording would pair every department with every other.
    assert len(list(t.find_matches(items, lambda a, b: a != b))) > 1


def test_boilerplate_needs_many_departments():
    hashes = t.shingles(REGION_BOILERPLATE)
    assert t.boilerplate_hashes([("a", hashes), ("b", hashes)], departments=2) == frozenset()
    many = [(f"d{n}", hashes) for n in range(t.BOILERPLATE_MIN_DEPARTMENTS)]
    assert t.boilerplate_hashes(many, departments=len(many)) == hashes


def test_normalise_maps_digit_runs_and_drops_punctuation():
    normalised, spans = t.normalise("全年办结１２,345件，增长3.5%。")
    assert normalised == "全年办结#件增长#"
    assert spans[4] == (4, 9) and spans[-1] == (14, 16)


def test_the_fast_and_the_mapped_normalisation_agree():
    for text in (LAST_YEAR, THIS_YEAR, UNRELATED, REGION_BOILERPLATE, "½ ① 12，15 abc 1.5㎡ Ａｂ", "十二月 2023年", ""):
        assert t.comparable(text) == t.normalise(text)[0]


def test_signatures_are_stable_across_processes():
    # crc32, never hash(): stored signatures must mean the same thing tomorrow.
    assert t.band_keys(t.signature(t.shingles(LAST_YEAR)))[:2] == t.band_keys(t.signature(t.shingles(LAST_YEAR)))[:2]
    assert t.shingle_list("政务服务中心") == [41033551, 1474995403]   # a changed hash invalidates the index


def test_passages_of_a_package_cover_narrative_goal_reasons_and_project_reports():
    short = row("业务培训次数", "≥4次", "3次", 10, {"deviation_reason": "受场地改造影响，培训推迟。"}, order=1)
    pkg = package((short,), texts={"S7": f"{LAST_YEAR}\n\n{UNRELATED}"}, goal_achieved=THIS_YEAR,
                  projects=(project("电子政务及相关经费", report={"S4": OWN_WORDS[0]}),))
    found = {p.location: p for p in t.passages(pkg)}
    assert found["report.S7#1"].text == LAST_YEAR and found["report.S7#2"].label == "正文「存在的问题及原因分析」第2段"
    assert found["att2.goal"].text == THIS_YEAR
    assert found["att2.row.1.reason"].label == "附件2「业务培训次数」偏差原因分析及改进措施"
    assert found["project_report.1.S4#1"].label.startswith("「电子政务及相关经费」项目报告")

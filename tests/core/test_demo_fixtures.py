"""The demo fixtures (evalportal/core/demo/*.yaml) are hand-transcribed from the seed reports: guard them against
copying errors (domain.md §10). No database: the YAML files are read with PyYAML and compared with the seed text.

Every scalar that is not tagged `sample` or `derived` must occur in its seed file. Both sides are compared with all
whitespace removed, because the text extraction scatters spaces and line breaks through table cells. Accepted
printed forms:
- money "334.70" may be printed "334.70" or "334.7", and "2.8" may be printed "2.80";
- a date 2024-04-26 may be printed 2024年4月26日 or 2024年04月26日;
- a text is checked line by line (the fixtures keep one seed paragraph per line, and cut-out generated sentences
  sit between paragraphs); a line ending in "。" may stand for the seed's "，" at that place, because the fixtures
  close a clause with "。" where a generated sentence was cut off after it (see the header of milo_2023.yaml).
Keys that hold codes, not report content, are skipped (STRUCTURAL_KEYS); category/subcategory are checked against
the weight template instead, and special_rows.project against the project names.
"""
from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from tests.seeds import seed_file

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "evalportal" / "core" / "demo"

MILO = "milo_2023.yaml"
MILO_AS_PRINTED = "milo_2023_as_printed.yaml"
CHANGNING = "changning_2023.yaml"
SEED_OF = {MILO: "001_b6cc7c43e2eeb60f.txt", CHANGNING: "002_a532a5f4998bc2ae.txt"}

TAG_KEYS = ("sample_fields", "derived_fields")
# Codes and links, not report content: the seed cannot contain them.
STRUCTURAL_KEYS = {"region", "finance_bureau", "template", "outline", "project_outline", "username", "code",
                   "nature", "state", "category", "subcategory", "band", "project", "year", "has_sample_data",
                   "is_legacy", "none", "may_exceed_100", "kind"}
# Column names of the triples, used by dotted tags such as `lines.public_expense.cur_budget`.
BASE_COLUMNS = ("prev_final", "cur_budget", "cur_final")
FUND_COLUMNS = ("initial", "full_year", "spent")
TRIPLE_KEYS = {"appropriation", "carryover", "other", "values", "stated_total"}
MONEY = re.compile(r"^\d+(\.\d{1,2})?$")
WS = re.compile(r"\s+")


def squash(text: str) -> str:
    return WS.sub("", text)


def load(name: str) -> dict:
    with open(DEMO / name, encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def seed_text(name: str) -> str:
    return squash(seed_file(name).read_text(encoding="utf-8"))


def merged(base, override):
    """milo_2023_as_printed.yaml over milo_2023.yaml: mappings merge key by key, lists of the same length merge
    element by element, anything else replaces (the rule documented at the top of the override file)."""
    if isinstance(base, dict) and isinstance(override, dict):
        out = dict(base)
        for key, value in override.items():
            out[key] = merged(base[key], value) if key in base else value
        return out
    if isinstance(base, list) and isinstance(override, list) and len(base) == len(override) \
            and all(isinstance(item, dict) for item in base + override):
        return [merged(b, o) for b, o in zip(base, override)]
    return override


# --- walking the fixture --------------------------------------------------------------------------------------

def columns_for(path: str) -> tuple[str, ...]:
    return BASE_COLUMNS if path.startswith("base_data") else FUND_COLUMNS


def walk(node, path: str = "", inherited: frozenset = frozenset()):
    """Yield (path, scalar) for every untagged scalar. `inherited` holds dotted tags passed down from a parent."""
    if isinstance(node, dict):
        tags = set(inherited)
        for key in TAG_KEYS:
            tags.update(node.get(key) or [])
        for key, value in node.items():
            if key in TAG_KEYS or key in STRUCTURAL_KEYS or key in tags:
                continue
            child_tags = frozenset(t[len(key) + 1:] for t in tags if t.startswith(key + "."))
            yield from walk(value, f"{path}.{key}" if path else str(key), child_tags)
    elif isinstance(node, list):
        last = path.rsplit(".", 1)[-1]
        names = columns_for(path) if (last in TRIPLE_KEYS or path.startswith("base_data.lines")) else ()
        for index, value in enumerate(node):
            if index < len(names) and names[index] in inherited:
                continue
            yield from walk(value, f"{path}[{index}]")
    elif node is not None and node != "" and not isinstance(node, bool):   # blank is not a seed value
        yield path, node


def printed_forms(value) -> list[str]:
    if isinstance(value, dt.date):
        return [f"{value.year}年{value.month}月{value.day}日", f"{value.year}年{value.month:02d}月{value.day:02d}日"]
    if isinstance(value, (int, float)):
        return [str(value)]
    text = squash(str(value))
    if MONEY.match(text):
        number = Decimal(text)
        forms = {text, f"{number:.2f}", format(number.normalize(), "f")}
        return sorted(forms, key=len, reverse=True)
    return [text]


def missing_values(fixture: dict, seed: str) -> list[str]:
    problems = []
    for path, value in walk(fixture):
        if isinstance(value, str) and "\n" in value.strip():
            parts = [line for line in value.split("\n") if line.strip()]
        else:
            parts = [value]
        for part in parts:
            forms = printed_forms(part)
            if isinstance(part, str) and forms[0].endswith("。"):
                forms.append(forms[0][:-1] + "，")
            if not any(form and form in seed for form in forms):
                problems.append(f"{path}: {str(part)[:60]!r}")
    return problems


# --- helpers for the structural assertions --------------------------------------------------------------------

def money(value) -> Decimal:
    return Decimal(value) if value is not None else Decimal(0)


def template_structure() -> dict[str, dict]:
    templates = yaml.safe_load((DEMO / "templates.yaml").read_text(encoding="utf-8"))
    hunan = next(t for t in templates["weight_templates"] if t["code"] == "HUNAN_2023")
    return {c["name"]: {"weight": Decimal(c["weight"]), "subs": c["subcategories"]} for c in hunan["categories"]}


def outline_keys(code: str) -> set[str]:
    templates = yaml.safe_load((DEMO / "templates.yaml").read_text(encoding="utf-8"))
    return {s["key"] for s in next(o for o in templates["outlines"] if o["code"] == code)["sections"]}


def assert_rows_follow_template(rows: list[dict], where: str) -> None:
    structure = template_structure()
    per_category = Counter()
    for row in rows:
        assert row["category"] in structure, f"{where}: unknown 一级 {row['category']}"
        assert row["subcategory"] in structure[row["category"]]["subs"], f"{where}: {row['subcategory']}"
        assert set(row) <= {"category", "subcategory", "name", "target", "actual", "weight", "band", "judged_score",
                            "deviation_reason", "may_exceed_100", "kind", "stated_score", *TAG_KEYS}, row
        for field in ("name", "target", "actual", "weight"):
            assert isinstance(row[field], str) and row[field], f"{where}: {row['name']} {field}"
        per_category[row["category"]] += Decimal(row["weight"])
        if "band" in row:
            assert row["band"] in {"met", "partial", "not_met"} and Decimal(row["judged_score"]) <= Decimal(row["weight"])
    assert per_category == {name: c["weight"] for name, c in structure.items()}, f"{where}: {per_category}"
    # Rows must be listed in template order, so that the printed groups are contiguous.
    order = [(list(structure).index(r["category"]), structure[r["category"]]["subs"].index(r["subcategory"]))
             for r in rows]
    assert order == sorted(order), f"{where}: rows out of template order"


def all_money_strings(node, path=""):
    if isinstance(node, dict):
        for key, value in node.items():
            if key in {"values", "appropriation", "carryover", "other", "stated_total"} or (
                    path.endswith("lines")) or key in {"amount", "initial_budget", "full_year_budget",
                                                       "full_year_spent", "income_general", "income_gov_fund",
                                                       "income_nontax_special", "income_other",
                                                       "basic_expenditure", "personnel_expenditure",
                                                       "previous_three_public", "budget_investment",
                                                       "actual_investment", "approved_area", "actual_area"}:
                items = value if isinstance(value, list) else [value]
                for item in items:
                    yield f"{path}.{key}", item
            else:
                yield from all_money_strings(value, f"{path}.{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from all_money_strings(value, f"{path}[{index}]")


# --- every value marked "seed" occurs in the seed ---------------------------------------------------------------

@pytest.mark.parametrize("name", [MILO, CHANGNING])
def test_every_seed_value_occurs_in_the_seed(name):
    problems = missing_values(load(name), seed_text(SEED_OF[name]))
    assert not problems, "values not found in the seed:\n" + "\n".join(problems)


def test_as_printed_values_occur_in_the_seed():
    override = load(MILO_AS_PRINTED)
    problems = missing_values(override, seed_text(SEED_OF[MILO]))
    assert not problems, "values not found in the seed:\n" + "\n".join(problems)


def test_the_walk_really_checks_values():
    """A wrong value must be reported; a tagged one must not (guards the test itself)."""
    seed = seed_text(SEED_OF[MILO])
    fixture = load(MILO)
    fixture["department_sheet"]["rows"][3]["actual"] = "42421条"
    fixture["base_data"]["lines"]["reception"][2] = "0.53"
    fixture["projects"][0]["report"]["sections"]["S5"] += "\n这一句不在种子文件里。"
    problems = missing_values(fixture, seed)
    assert any("rows[3].actual" in p for p in problems)
    assert any("lines.reception[2]" in p for p in problems)
    assert any("sections.S5" in p for p in problems)
    fixture["base_data"]["sample_fields"] = ["lines.reception.cur_final"]
    fixture["department_sheet"]["rows"][3]["sample_fields"] = ["actual"]
    problems = missing_values(fixture, seed)
    assert not any("rows[3].actual" in p or "lines.reception" in p for p in problems)


@pytest.mark.parametrize("name", [MILO, CHANGNING, MILO_AS_PRINTED])
def test_money_is_a_quoted_string_with_at_most_two_decimals(name):
    for path, value in all_money_strings(load(name)):
        assert value is None or (isinstance(value, str) and MONEY.match(value)), f"{path}: {value!r}"


@pytest.mark.parametrize("name", [MILO, CHANGNING])
def test_tags_name_existing_fields(name):
    def check(node, path=""):
        if isinstance(node, dict):
            for key in TAG_KEYS:
                for tag in node.get(key) or []:
                    head, _, rest = tag.partition(".")
                    assert head in node, f"{path}: tag {tag!r} names no field"
                    if rest:
                        target = node[head]
                        line, _, column = rest.partition(".")
                        if isinstance(target, dict):
                            assert line in target, f"{path}: tag {tag!r}"
                            target = target[line]
                        else:
                            column = line
                        if column:
                            assert column in columns_for(path.lstrip(".")), f"{path}: tag {tag!r}"
                            assert isinstance(target, list) and len(target) == 3
            for key, value in node.items():
                check(value, f"{path}.{key}")
        elif isinstance(node, list):
            for index, value in enumerate(node):
                check(value, f"{path}[{index}]")
    check(load(name))


# --- demo A: structure (domain.md §2.3, §3, §10) ----------------------------------------------------------------

def test_milo_structure():
    a = load(MILO)
    assert a["region"] == ["湖南省", "岳阳市", "汨罗市"] and a["year"] == 2023
    assert a["package"]["personnel_expenditure"] == "289.15"
    sheet = a["department_sheet"]
    assert len(sheet["rows"]) == 17
    assert sum(Decimal(r["weight"]) for r in sheet["rows"]) == 90
    assert_rows_follow_template(sheet["rows"], "附件2")
    assert money(sheet["income_general"]) + money(sheet["income_gov_fund"]) + money(sheet["income_nontax_special"]) \
        + money(sheet["income_other"]) == Decimal(sheet["full_year_budget"])

    projects = a["projects"]
    assert [p["name"] for p in projects] == ["政务中心大厅运行经费", "电子政务及相关经费", "政府雇员经费",
                                             "12345热线平台运维、政府门户网站维护、培训、管理专项经费"]
    expected_spend = [Decimal("1004.12"), Decimal("41"), Decimal("51"), Decimal("20")]
    for project, spent in zip(projects, expected_spend):
        rows = project["sheet"]["rows"]
        assert sum(Decimal(r["weight"]) for r in rows) == 90, project["name"]
        assert_rows_follow_template(rows, project["name"])
        assert sum(Decimal(i["amount"]) for i in project["spend_items"]) == spent, project["name"]
        funds = [money(project["sheet"]["appropriation"][k]) + money(project["sheet"]["carryover"][k])
                 + money(project["sheet"]["other"][k]) for k in range(3)]
        assert funds[2] == spent
        report = project["report"]
        assert (report["eval_start"], report["eval_end"]) == (dt.date(2024, 4, 15), dt.date(2024, 4, 25))
        assert report["basis"] == "《汨罗市项目支出绩效评价指标体系》"
        assert set(report["sections"]) <= outline_keys("HUNAN_PROJECT_2023")
        assert report["sections"]["S7"] == "无"
        assert project["sheet"]["footer"]["filled_on"] == dt.date(2024, 4, 25)
    assert [len(p["sheet"]["rows"]) for p in projects] == [16, 11, 12, 11]

    # 附件1 ⇔ 附件2 ⇔ 附件3 (K24, K25, K27): 1116.12 = Σ 执行数, 334 = Σ 年初, 334.70 = 289.15 + 45.55
    total_spent = sum(Decimal(p["sheet"]["appropriation"][2]) for p in projects)
    assert total_spent == Decimal("1116.12")
    assert Decimal(sheet["basic_expenditure"]) + total_spent == Decimal(sheet["full_year_spent"])
    assert sum(Decimal(p["sheet"]["appropriation"][0]) for p in projects) == 334
    base = a["base_data"]
    assert Decimal(a["package"]["personnel_expenditure"]) + Decimal(base["lines"]["public_expense"][2]) \
        == Decimal(sheet["basic_expenditure"])
    names = {p["name"] for p in projects}
    linked = [r for r in base["special_rows"] if r["project"]]
    assert {r["project"] for r in linked} == names and len(linked) == 4
    for row in linked:
        project = next(p for p in projects if p["name"] == row["project"])
        assert money(row["values"][1]) == money(project["sheet"]["appropriation"][0])
        assert money(row["values"][2]) == money(project["sheet"]["appropriation"][2])
    assert sum(money(r["values"][0]) for r in base["special_rows"]) == Decimal("1010.3")
    assert set(a["sections"]) <= outline_keys("HUNAN_DEPT_2023") and "S10" not in a["sections"]
    assert all(t["none"] for t in a["fund_tables"].values())
    # The seed's own errors stay out of demo A (domain.md §10): no stated value, no score sentence.
    text = yaml.safe_dump(a, allow_unicode=True)
    assert "stated_" not in text and "99.55" not in text and "自评得分" not in text and "is_legacy" not in text


def test_milo_as_printed_overrides_only_known_shapes():
    a, override = load(MILO), load(MILO_AS_PRINTED)
    computed_lines = {"three_public_total", "project_total", "special_total"}

    def check(base, over, path):
        if isinstance(over, dict):
            for key, value in over.items():
                allowed = key.startswith("stated_") or key == "is_legacy" or (
                    path == "base_data.lines" and key in computed_lines)
                assert allowed or (isinstance(base, dict) and key in base) or path.endswith("sections"), \
                    f"{path}.{key} is not in {MILO}"
                check(base.get(key) if isinstance(base, dict) else None, value, f"{path}.{key}".lstrip("."))
        elif isinstance(over, list) and over and isinstance(over[0], dict):
            assert isinstance(base, list) and len(base) == len(over), f"{path}: list length differs"
            for b, o in zip(base, over):
                check(b, o, path)
    check(a, override, "")

    legacy = merged(a, override)
    assert legacy["package"]["is_legacy"] is True and legacy["package"]["state"] == "draft"
    sheet = legacy["department_sheet"]
    assert (sheet["stated_execution_rate"], sheet["stated_execution_score"], sheet["stated_project_expenditure"]) \
        == ("100.00", "100", "1116.12")
    assert all(r.get("stated_score") == r["weight"] for r in sheet["rows"])   # printed 得分 = 分值 on every row
    assert legacy["base_data"]["stated_staff_control_rate"] == "100.00"
    lines = legacy["base_data"]["lines"]
    assert lines["project_total"] == lines["special_total"] == ["1010.3", "334", "1116.12"]
    assert lines["three_public_total"] == ["4.05", "2.8", "0.35"]
    assert "绩效综合评价得分为99.55分" in legacy["sections"]["S6.2.4"]
    for project in legacy["projects"]:
        ps = project["sheet"]
        assert ps["stated_name"] and ps["stated_execution_score"] == "10" and ps["stated_execution_rate"] == "100"
        assert all(Decimal(r["stated_score"]) == Decimal(r["weight"]) for r in ps["rows"])
        assert "自评得分100分。考评结果为优秀。" in project["report"]["sections"]["S3"]
    assert [p["sheet"]["stated_total_score"] for p in legacy["projects"]] == ["100", "100.00", "100.00", "100.00"]
    assert legacy["projects"][0]["sheet"]["rows"][2]["actual"] == "41560"
    assert missing_values(legacy, seed_text(SEED_OF[MILO])) == []


# --- demo B: structure (domain.md §10) -------------------------------------------------------------------------

def test_changning_structure():
    b = load(CHANGNING)
    assert b["region"] == ["湖南省", "衡阳市", "常宁市"] and b["finance_bureau"] == "常宁市财政局"
    assert {u["username"] for u in b["users"].values()} == {"filler2", "head2", "reviewer2"}
    assert b["package"]["state"] == "draft" and b["package"]["has_sample_data"] is True
    assert b["package"]["filled_on"] == dt.date(2024, 8, 26)
    base, sheet, projects = b["base_data"], b["department_sheet"], b["projects"]
    assert (base["authorised_posts"], base["actual_staff"]) == (32, 30)
    assert base["lines"]["public_expense"] == ["18.43", "50.00", "49.03"]
    assert base["lines"]["reception"] == ["3.20", "3.00", "2.60"]

    # 368.15 = 319.12 + 49.03; 1137.45 = 368.15 + 769.3; 18.43 = 49.03 − 30.6
    assert Decimal(b["package"]["personnel_expenditure"]) + Decimal(base["lines"]["public_expense"][2]) \
        == Decimal(sheet["basic_expenditure"]) == Decimal("368.15")
    spent = [Decimal(p["sheet"]["appropriation"][2]) for p in projects]
    assert sum(spent) == Decimal("769.3") and spent[-1] == Decimal("769.3") - Decimal("679.89")
    assert Decimal(sheet["full_year_spent"]) == Decimal(sheet["income_general"]) == Decimal("368.15") + sum(spent)
    assert (sheet["initial_budget"], sheet["full_year_budget"]) == ("1000.00", "1137.45")
    assert Decimal(base["lines"]["public_expense"][0]) == Decimal("49.03") - Decimal("30.6")
    assert [p["name"] for p in projects] == ["政务服务中心运转经费", "12345政府服务热线外包费", "全市信息网络平台租赁及服务费",
                                             "协同办公系统和扩容建设", "前期项目", "其他项目支出（样例）"]
    assert [p["sheet"]["appropriation"][0] for p in projects] == [
        "157.30", "75.40", "52.48", "72.63", "300.00", "89.41"]
    for project in projects:
        rows = project["sheet"]["rows"]
        assert [r["weight"] for r in rows] == ["10", "10", "10", "10", "10", "5", "5", "10", "10", "5", "5"]
        assert_rows_follow_template(rows, project["name"])
    linked = [r["project"] for r in base["special_rows"]]
    assert linked == [p["name"] for p in projects]

    rows = sheet["rows"]
    assert_rows_follow_template(rows, "附件2")
    assert sum(Decimal(r["weight"]) for r in rows) == 90 and len(rows) == 14
    by_name = {r["name"]: r for r in rows}
    assert by_name["“湘易办”超级服务端注册数"]["target"] == "≥36.25万人次"
    assert Decimal("44.95") / Decimal("1.24") == pytest.approx(Decimal("36.25"), abs=Decimal("0.01"))
    assert by_name["12345热线回访率"]["actual"] == "101.6%" and not by_name["12345热线回访率"].get("may_exceed_100")

    social = b["fund_tables"]["social_insurance"]
    assert b["fund_tables"]["gov_fund"]["none"] and b["fund_tables"]["state_capital"]["none"] and not social["none"]
    assert [(r["subject"], r["values"][2]) for r in social["rows"]] == [
        ("机关事业单位基本养老保险缴费", "32.98"), ("职工基本医疗保险缴费", "15.18")]
    sections = b["sections"]
    assert set(sections) <= outline_keys("HUNAN_DEPT_2023")
    assert not sections.get("S9") and not sections.get("S10")
    assert sections["S3"] == sections["S4"] == "无" and sections["S7"] == "无。"
    assert "166.07%" in sections["S2.1"] and "101.6%" in sections["S6"] and "截止11月" in sections["S6"]


def test_changning_sample_texts_are_marked():
    """Sample narrative text begins with 【样例】 (domain.md §10); every sample/derived tag names a real field."""
    def texts(node, path=""):
        if isinstance(node, dict):
            tags = set(node.get("sample_fields") or [])
            for key, value in node.items():
                if key in tags and key.startswith("goal_") or (key in tags and path.endswith("sections")):
                    yield f"{path}.{key}", value
                yield from texts(value, f"{path}.{key}")
        elif isinstance(node, list):
            for index, value in enumerate(node):
                yield from texts(value, f"{path}[{index}]")
    found = list(texts(load(CHANGNING)))
    assert found
    for path, value in found:
        assert value.startswith("【样例】"), path


# --- demo A: table cells line up (a value copied into the wrong cell also occurs in the seed) -----------------

LINE_LABELS = {"three_public_total": "“三公”经费", "vehicle": "1、公务用车购置和维护经费", "vehicle_purchase": "其中：公车购置",
               "vehicle_operation": "公车运行维护", "overseas": "2、出国经费", "reception": "3、公务接待",
               "project_total": "项目支出：", "business_funds": "1、业务工作经费", "operation_funds": "2、运行维护经费",
               "special_total": "3、本级专项资金（一个专项一行）", "public_expense": "公用经费",
               "office_expense": "其中：办公经费", "utilities_travel": "水费、电费、差旅费",
               "meeting_training": "会议费、培训费", "procurement_amount": "政府采购金额",
               "basic_budget_adjustment": "部门基本支出预算调整"}


def cells(*values) -> str:
    return "".join(squash(str(v)) for v in values if v is not None)


def test_milo_table_rows_read_as_contiguous_cells_of_the_seed():
    """With whitespace removed, one printed table row is its cells run together: name, values … in order."""
    seed = seed_text(SEED_OF[MILO])
    legacy = merged(load(MILO), load(MILO_AS_PRINTED))
    expected = []
    base = legacy["base_data"]
    expected.append(cells(base["authorised_posts"], base["actual_staff"], base["stated_staff_control_rate"] + "%"))
    for key, values in base["lines"].items():
        expected.append(LINE_LABELS[key] + cells(*values))
    for row in base["special_rows"]:
        expected.append(cells(row["name"], *row["values"]))
    sheet = legacy["department_sheet"]
    expected.append(cells("年度资金总额", sheet["initial_budget"], sheet["full_year_budget"], sheet["full_year_spent"], "10",
                          sheet["stated_execution_rate"] + "%", sheet["stated_execution_score"]))
    expected += [f"一般公共预算：{sheet['income_general']}", f"基本支出：{sheet['basic_expenditure']}",
                 f"项目支出：{sheet['stated_project_expenditure']}", f"预算部门名称{legacy['department']['name']}"]
    rows = list(sheet["rows"])
    for project in legacy["projects"]:
        ps = project["sheet"]
        expected.append(cells(project["name"], "主管部门", ps["supervising_department"], "实施单位", ps["implementing_unit"]))
        expected.append(cells("年度资金总额", *ps["stated_total"], "10", ps["stated_execution_rate"] + "%",
                              ps["stated_execution_score"]))
        expected.append(cells("当年财政拨款", *ps["appropriation"]))
        expected.append(cells("上年结转资金", *ps["carryover"], "其他资金", *ps["other"]))
        expected.append(cells("总分100", ps["stated_total_score"]))
        rows += ps["rows"]
        f = ps["footer"]   # 附件3 prints its date without zero padding
        expected.append(cells(f"填表人：{f['filled_by']}填报日期：{f['filled_on'].year}年{f['filled_on'].month}月"
                              f"{f['filled_on'].day}日联系电话：{f['phone']}单位负责人签字：{f['head_name']}"))
    for row in rows:
        expected.append(cells(row["name"], row["target"], row["actual"], row["weight"], row["stated_score"]))
    for f, label in ((base["footer"], "填表日期"), (sheet["footer"], "填报日期")):   # zero-padded in 附件1/2
        expected.append(cells(f"填表人：{f['filled_by']}{label}：{f['filled_on']:%Y年%m月%d日}联系电话：{f['phone']}"
                              f"单位负责人签字：{f['head_name']}"))
    missing = [e for e in expected if e not in seed]
    assert not missing, "not found as contiguous cells:\n" + "\n".join(missing)

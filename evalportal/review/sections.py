"""Section keys of domain.md §7 and their Chinese labels. Pure: callers pass the names they know."""
from __future__ import annotations

import re

ATT1_PARTS = {"staff": "财政供养人员情况", "expense": "经费控制情况", "buildings": "楼堂馆所控制情况",
              "austerity": "厉行节约保障措施"}
SHEET_PARTS = {"funds": "资金情况", "goal": "年度总体目标", "indicators": "绩效指标"}
FUND_TABLES = {"att4": "附件4 政府性基金预算财政拨款支出情况表", "att5": "附件5 国有资本经营预算财政拨款支出情况表",
               "att6": "附件6 社会保险基金预算支出情况表"}

SECTION_KEY = re.compile(
    r"^(report\.S\d{1,2}|att1\.(staff|expense|buildings|austerity)|att2\.(funds|goal|indicators)"
    r"|att3\.\d+\.(funds|goal|indicators)|project_report\.\d+\.S\d{1,2}|att[456])$")


def is_section_key(key: str) -> bool:
    return bool(SECTION_KEY.match(key or ""))


def section_project_id(key: str) -> int | None:
    parts = key.split(".")
    if parts[0] in ("att3", "project_report") and len(parts) > 1 and parts[1].isdigit():
        return int(parts[1])
    return None


def section_label(key: str, *, titles: dict[str, str] | None = None,
                  projects: dict[int, tuple[int, str]] | None = None) -> str:
    """'att3.12.indicators' → '附件3-2 电子政务及相关经费 · 绩效指标'.

    titles: narrative section key → heading; projects: project pk → (print number k, name).
    """
    titles, projects = titles or {}, projects or {}
    parts = key.split(".")
    head = parts[0]
    if head == "report" and len(parts) == 2:
        return f"报告正文 · {titles.get(parts[1], parts[1])}"
    if head == "att1" and len(parts) == 2:
        return f"附件1 · {ATT1_PARTS.get(parts[1], parts[1])}"
    if head == "att2" and len(parts) == 2:
        return f"附件2 · {SHEET_PARTS.get(parts[1], parts[1])}"
    if head in ("att3", "project_report") and len(parts) == 3 and parts[1].isdigit():
        number, name = projects.get(int(parts[1]), (0, f"项目{parts[1]}"))
        if head == "att3":
            return f"附件3-{number} {name} · {SHEET_PARTS.get(parts[2], parts[2])}"
        return f"{name}项目支出绩效评价报告 · {titles.get('project.' + parts[2], parts[2])}"
    if head in FUND_TABLES:
        return FUND_TABLES[head]
    return key

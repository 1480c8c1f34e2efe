"""What every check reads: the package, its derived figures, the stage, and uniform views of sheets and texts."""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property

from .data import Footer, Funds, IndicatorData, PackageData, ProjectData
from .derive import Derived, SheetDerived, derive

SAVE = "save"
SUBMIT = "submit"


@dataclass(frozen=True)
class SheetRef:
    """附件2 or one 附件3, seen the same way by the row and funds checks."""

    prefix: str                       # "att2" or "att3.{order}": location and section-key prefix
    label: str                        # "附件2" / "附件3-1"
    title: str                        # printed in messages: 附件2 / 附件3-1 政务中心大厅运行经费
    rows: tuple[IndicatorData, ...]
    funds: Funds                      # 年度资金总额 as derived
    derived: SheetDerived
    footer: Footer
    goal_expected: str
    goal_achieved: str
    stated_execution_rate: object = None
    stated_execution_score: object = None
    stated_total_score: object = None
    project: ProjectData | None = None

    @property
    def section_prefix(self) -> str:
        """Review comments address a 附件3 by its project's id, which survives reordering (domain.md §7)."""
        if self.project is not None and self.project.id is not None:
            return f"att3.{self.project.id}"
        return self.prefix

    def row_location(self, row: IndicatorData, index: int) -> str:
        """Rows are addressed by their id (stable across edits); rows not saved yet by print position."""
        return f"{self.prefix}.row.{row.id if row.id is not None else index + 1}"


@dataclass(frozen=True)
class TextRef:
    """One narrative section's typed text."""

    location: str                     # report.S6.2.4 / project_report.3.S1.1
    section_key: str                  # report.S6 / project_report.3.S1
    title: str
    text: str
    project: ProjectData | None = None


def project_report_key(project: ProjectData) -> str:
    """Section-key prefix of a project's evaluation report: by project id, like the review comments."""
    return f"project_report.{project.id if project.id is not None else project.order}"


def top_key(key: str) -> str:
    """S6.2.4 → S6: review comments attach to top-level sections (domain.md §7)."""
    return key.split(".", 1)[0]


class Context:
    def __init__(self, pkg: PackageData, stage: str = SAVE, derived: Derived | None = None) -> None:
        self.pkg = pkg
        self.stage = stage
        self.derived = derived if derived is not None else derive(pkg)

    @property
    def submit(self) -> bool:
        """Any stage past saving (submit, confirm, approve) adds the submit-time requirements."""
        return self.stage != SAVE

    @cached_property
    def sheets(self) -> tuple[SheetRef, ...]:
        pkg, derived = self.pkg, self.derived
        sheet = pkg.department_sheet
        refs = [SheetRef("att2", "附件2", "附件2", sheet.rows, derived.department.funds, derived.department,
                         sheet.footer, sheet.goal_expected, sheet.goal_achieved, sheet.stated_execution_rate,
                         sheet.stated_execution_score, sheet.stated_total_score)]
        for number, project in enumerate(pkg.projects, start=1):
            d = derived.project(project)
            refs.append(SheetRef(f"att3.{project.order}", f"附件3-{number}", f"附件3-{number} {project.name}",
                                 project.rows, d.funds, d, project.footer, project.goal_expected,
                                 project.goal_achieved, project.stated_execution_rate,
                                 project.stated_execution_score, project.stated_total_score, project))
        return tuple(refs)

    def rows(self) -> Iterator[tuple[SheetRef, int, IndicatorData, object]]:
        """(sheet, index, row, RowScore) for every indicator row of the package."""
        for sheet in self.sheets:
            for index, (row, score) in enumerate(zip(sheet.rows, sheet.derived.score.rows)):
                yield sheet, index, row, score

    @cached_property
    def texts(self) -> tuple[TextRef, ...]:
        refs = [TextRef(f"report.{s.key}", f"report.{top_key(s.key)}", s.title, s.text)
                for s in self.pkg.sections if s.text.strip()]
        for project in self.pkg.projects:
            for key, text in project.report_sections.items():
                if text.strip():
                    refs.append(TextRef(f"project_report.{project.order}.{key}",
                                        f"{project_report_key(project)}.{top_key(key)}", key, text, project))
        return tuple(refs)

    def section_number(self, key: str) -> str:
        """The printed number of a top-level department section (S7 → 七)."""
        from evalportal.narrative.numbering import chinese_number
        tops = [s.key for s in self.pkg.sections if not s.parent_key]
        return chinese_number(tops.index(key) + 1) if key in tops else key

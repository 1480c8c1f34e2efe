"""One check result (a finding), addressed so that the UI, the review comments and the CLI can place it."""
from __future__ import annotations

from dataclasses import dataclass

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True)
class Finding:
    code: str                 # "K01" … "K39"
    severity: str             # ERROR blocks 提交/确认上报/通过; WARNING never blocks
    message: str              # Chinese, quotes the numbers (domain.md §6 templates)
    location: str             # stable address: att2.row.7, att3.2.funds, report.S6.2.4, att1.expense.reception
    section_key: str          # review comment section (domain.md §7): report.S6, att3.2.indicators, att1.expense
    field: str = ""           # form field at fault, when exactly one is ("actual_raw", "filled_on")
    row_id: int | None = None # IndicatorRow id, when the finding is about one row

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR

    @property
    def severity_label(self) -> str:
        return "错误" if self.is_error else "警告"

"""“为什么是这个分数”: the inputs, the rule applied, the arithmetic and where the rule comes from."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Explanation:
    inputs: str           # 年度指标值 ≥95%；实际完成值 93%；分值 2
    rule: str             # the rule applied, in Chinese
    arithmetic: str       # 2 × 93 ÷ 95 = 1.957894… → 1.96
    source: str           # policy text, or the app/vendor convention when the rule is not policy
    adjustment: str = ""  # 调减为 1.50（理由：…） when a downward adjustment replaced the computed score

    def __str__(self) -> str:
        parts = [self.inputs, self.rule, self.arithmetic, self.adjustment, f"依据：{self.source}"]
        return "\n".join(part for part in parts if part)

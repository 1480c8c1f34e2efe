"""K36: footer fields and dates (填报日期 in Y+1 and not in the future; 评价工作 dates in order)."""
from __future__ import annotations

from datetime import date

from .catalogue import check
from .context import Context, project_report_key
from .data import Footer
from .findings import ERROR, Finding
from .formatting import cn_date


def _footers(ctx: Context) -> list[tuple[str, str, str, Footer]]:
    """(label, location prefix, section prefix, footer) of 附件1, 附件2 and every 附件3."""
    found = [("附件1", "att1", "att1", ctx.pkg.base.footer)]
    found += [(sheet.label, sheet.prefix, sheet.section_prefix, sheet.footer) for sheet in ctx.sheets]
    return found


def _footer_section(prefix: str) -> str:
    return "att1.staff" if prefix == "att1" else f"{prefix}.funds"   # the footer prints under that block


@check("K36", ERROR, "填报日期与表尾")
def dates_and_footers(ctx: Context):
    year, today = ctx.pkg.year, ctx.pkg.today or date.today()
    earliest = date(year + 1, 1, 1)
    window = f"填报日期应在{year + 1}年1月1日之后且不晚于今天"
    for label, prefix, section_prefix, footer in _footers(ctx):
        location, section = f"{prefix}.footer", _footer_section(section_prefix)
        if footer.filled_on is not None and not earliest <= footer.filled_on <= today:
            yield Finding("K36", ERROR, f"{label}：{window}（表中为{cn_date(footer.filled_on)}）", location, section,
                          "filled_on")
        if ctx.submit:
            for field, name, value in (("filled_by", "填表人", footer.filled_by), ("filled_on", "填报日期", footer.filled_on),
                                       ("phone", "联系电话", footer.phone)):
                if not (value.strip() if isinstance(value, str) else value):
                    yield Finding("K36", ERROR, f"{label}：请填写{name}", location, section, field)
    for project in ctx.pkg.projects:
        start, end = project.eval_start, project.eval_end
        location, section = f"project_report.{project.order}.eval", f"{project_report_key(project)}.S2"
        filled = project.footer.filled_on or ctx.pkg.filled_on
        for field, value in (("eval_start", start), ("eval_end", end)):
            if value is not None and not earliest <= value <= today:
                yield Finding("K36", ERROR, f"项目「{project.name}」评价工作日期{cn_date(value)}应在{year + 1}年1月1日之后"
                              "且不晚于今天", location, section, field)
        if start and end and start > end:
            yield Finding("K36", ERROR, f"项目「{project.name}」评价开始日期{cn_date(start)}晚于结束日期{cn_date(end)}",
                          location, section, "eval_start")
        if end and filled and end > filled:
            yield Finding("K36", ERROR, f"项目「{project.name}」评价结束日期{cn_date(end)}晚于填报日期{cn_date(filled)}",
                          location, section, "eval_end")

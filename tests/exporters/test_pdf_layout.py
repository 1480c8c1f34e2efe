"""Our own pagination of the attachment tables (no database, no WeasyPrint): runs, （续）, headers, footer."""
from evalportal.exporters.layout import Cell, Group, Row, Table, line_count, paginate


def test_line_count_wraps_cjk_and_keeps_numbers_whole():
    assert line_count("政务服务事项网上办事率", 20) == 1
    assert line_count("政务服务事项网上办事率", 5) == 3
    assert line_count("第一段\n第二段", 10) == 2
    # A closing mark never starts a line: "，" travels with the character before it.
    assert line_count("甲乙丙丁，", 4) == 2
    assert line_count("", 5) == 1


def _indicator_table(rows_per_sub: int, subs: int = 3, tall: bool = False) -> Table:
    block = Group("indicators", "绩效指标", continued_suffix="")
    header = Row((Cell("三级指标", cls="head"), Cell("分值", cls="head")), lead=(block,), keep_with_next=True)
    rows = [header]
    for s in range(subs):
        for r in range(rows_per_sub):
            text = "很长的三级指标名称" * (6 if tall else 1)
            rows.append(Row((Cell(f"{text}{s}-{r}"), Cell("2.00", cls="num")),
                            lead=(block, Group("c:产出", "产出指标（30分）"), Group(f"s:产出/{s}", f"二级{s}")),
                            repeat=(header,)))
    rows.append(Row((Cell("总分", span=3), Cell("100", cls="num")), cls="total"))
    return Table((8, 20, 20, 60, 20), tuple(rows), footer_height=40)


def _texts(page):
    return [[cell.text for cell in row.cells] for row in page.rows]


def test_a_table_that_fits_is_one_page_with_merged_runs():
    pages = paginate(_indicator_table(2, subs=2), 600, 600)
    assert len(pages) == 1 and pages[0].first and pages[0].last
    header, first_body = pages[0].rows[0].cells, pages[0].rows[1].cells
    assert header[0].text == "绩效指标" and header[0].rowspan == 5     # the header row and 4 indicator rows
    assert first_body[0].text == "产出指标（30分）" and first_body[0].rowspan == 4
    assert first_body[1].text == "二级0" and first_body[1].rowspan == 2
    # The second row of a run prints no group cells of its own.
    assert [c.text for c in pages[0].rows[2].cells][0].startswith("很长的三级指标名称")


def test_a_group_cut_by_a_page_break_repeats_its_labels_with_continued_and_the_header():
    pages = paginate(_indicator_table(12, tall=True), 450, 450)
    assert len(pages) > 1
    for page in pages[1:]:
        texts = _texts(page)
        assert texts[0] == ["绩效指标", "三级指标", "分值"]          # the repeated column header
        labels = [cell.text for cell in page.rows[1].cells if "group" in cell.cls]
        assert labels[0] == "产出指标（30分）（续）"
    # Every page's rowspans add up: no run hangs past the end of its page.
    for page in pages:
        for index, row in enumerate(page.rows):
            for cell in row.cells:
                assert index + cell.rowspan <= len(page.rows)


def test_the_last_two_rows_stay_with_the_footer():
    table = _indicator_table(6, subs=2)
    # Room for everything except the footer: the last two rows move to a page of their own with it.
    from evalportal.exporters.layout import Measure
    measure = Measure(table.widths_mm)
    room = (measure.block_height(list(table.rows)) + 1) / 0.96
    pages = paginate(table, room, room)
    assert len(pages) == 2
    body = [row for row in pages[1].rows if not row.cls.startswith("repeat")]
    assert len(body) == 2 and body[-1].cls == "total" and pages[1].last


def test_a_row_taller_than_the_page_is_placed_alone_and_marked():
    block = Group("goal", "年度总体目标", continued_suffix="")
    rows = (Row((Cell("预期目标"),), lead=(block,), keep_with_next=True),
            Row((Cell("很长的目标" * 400),), lead=(block,)),
            Row((Cell("总分"),)))
    pages = paginate(Table((8, 148), rows), 300, 300)
    assert any(page.oversize for page in pages)


def test_only_cells_with_a_word_wider_than_their_column_may_break_anywhere():
    rows = (Row((Cell("政务服务事项网上办事率"), Cell("https://zwfw.example.gov.cn/portal/index"))),
            Row((Cell("ABC"), Cell("42412条", cls="num"))))
    page = paginate(Table((30, 20), rows), 600, 600)[0]
    classes = [[cell.cls for cell in row.cells] for row in page.rows]
    assert classes == [["", "wrap"], ["", "num"]]

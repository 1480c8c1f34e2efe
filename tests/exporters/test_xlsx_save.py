"""evalportal.exporters.xlsx_save writes the same files as openpyxl's own save, only faster."""
import datetime
import io
import zipfile
from decimal import Decimal

import openpyxl
import pytest
from django.utils import timezone
from openpyxl.comments import Comment
from openpyxl.styles import Border, Font, Side

from evalportal.checks.derive import derive
from evalportal.exporters.xlsx import PackageWorkbook, Styles
from evalportal.exporters.xlsx_save import add_defined_names, workbook_bytes
from evalportal.reports.selectors import load_package, package_data


def members(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        # docProps/core.xml holds the save time
        return {name: archive.read(name) for name in archive.namelist() if name != "docProps/core.xml"}


def library_bytes(wb) -> bytes:
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


@pytest.mark.django_db
def test_the_demo_package_workbook_is_byte_for_byte_what_openpyxl_writes(demo_a, monkeypatch):
    # _meta holds the export time to the second: three builds must not straddle a second.
    now, localtime = timezone.localtime(), timezone.localtime
    monkeypatch.setattr(timezone, "localtime",
                        lambda value=None, *args: now if value is None else localtime(value, *args))
    package = load_package(demo_a.pk)

    # Built twice as the export builds it: the second save takes styles.xml from the first.
    ours_first, ours_bytes = (PackageWorkbook(package, derive(package_data(package))).build() for _ in range(2))
    # The same workbook as openpyxl objects (a Cell per grid cell, a RowDimension per height, a DefinedName per
    # name), saved by openpyxl.
    theirs = PackageWorkbook(package, derive(package_data(package)))
    library = theirs.workbook()
    for worksheet, grid in theirs.grids.items():
        grid.materialize(worksheet)
    add_defined_names(library, theirs.names)
    ours, theirs = members(ours_bytes), members(library_bytes(library))
    assert ours.keys() == theirs.keys() and any(name.startswith("xl/worksheets/") for name in ours)
    assert [name for name in ours if ours[name] != theirs[name]] == []
    assert members(ours_first) == ours
    assert b"<definedName name=\"a1_authorised_posts\">" in ours["xl/workbook.xml"]


def test_a_workbook_whose_style_tables_grew_gets_no_stylesheet_key():
    workbook = openpyxl.Workbook()
    styles = Styles(workbook)
    assert styles.stylesheet_key is not None
    workbook.active["A1"].font = Font(name="楷体", size=13)      # a style the export's prototype does not hold
    assert styles.stylesheet_key is None


def test_a_stylesheet_is_reused_only_for_the_same_key_and_the_same_cell_styles():
    regular, bold = Font(name="宋体"), Font(name="宋体", bold=True)

    def workbook(fonts):
        # The same style tables each time (what the key promises); the cells use one or both fonts.
        wb = openpyxl.Workbook()
        wb.active["Z1"].font, wb.active["Z2"].font = regular, bold
        wb.active.delete_rows(1, 2)
        for row, font in enumerate(fonts, start=1):
            wb.active.cell(row, 1, "x").font = font
        return wb

    for fonts in ([regular], [regular, bold], [bold]):
        for key in ("test-key", None):
            ours = members(workbook_bytes(workbook(fonts), stylesheet_key=key))["xl/styles.xml"]
            assert ours == members(library_bytes(workbook(fonts)))["xl/styles.xml"], (fonts, key)


def odd_cells_workbook():
    wb = openpyxl.Workbook()
    ws = wb.active
    thin = Side(style="thin")
    ws["A1"] = "  leading and trailing  "
    ws["A2"] = "a < b & c > d"
    ws["A3"] = Decimal("12.50")
    ws["A4"] = 3
    ws["A5"] = 2.5
    ws["A6"] = True
    ws["A7"] = "=SUM(A3:A5)"                       # a formula: the library's path
    ws["A8"] = datetime.date(2023, 12, 31)          # a date: the library's path
    ws["A9"] = "with a comment"
    ws["A9"].comment = Comment("批注", "审核人")
    ws["B1"].border = Border(left=thin, right=thin)  # a styled blank
    ws["B2"].font = Font(name="宋体", bold=True)
    ws["B2"] = "多行\n文本"
    ws.row_dimensions[3].height = 30
    ws.merge_cells("C1:D2")
    return wb


def test_values_styles_merges_formulas_dates_and_comments_match_the_library():
    ours, theirs = members(workbook_bytes(odd_cells_workbook())), members(library_bytes(odd_cells_workbook()))
    assert ours.keys() == theirs.keys()
    assert [name for name in ours if ours[name] != theirs[name]] == []
    read = openpyxl.load_workbook(io.BytesIO(workbook_bytes(odd_cells_workbook())))
    ws = read.active
    assert ws["A1"].value == "  leading and trailing  " and ws["A2"].value == "a < b & c > d"
    assert ws["A7"].value == "=SUM(A3:A5)" and ws["A9"].comment.text == "批注"
    assert ws["B1"].border.left.style == "thin" and "C1:D2" in ws.merged_cells

"""The workbook export read back with openpyxl: sheets, types, formats, names, print setup (domain.md §9)."""
import io
from decimal import Decimal

import openpyxl
import pytest

from evalportal.exporters.xlsx import META_SHEET, package_xlsx, sheet_title, xlsx_filename
from evalportal.reports.models import FundRow, FundTable, IndicatorRow
from evalportal.review.snapshots import snapshot_freeze

pytestmark = pytest.mark.django_db


def workbook(package, **kwargs):
    return openpyxl.load_workbook(io.BytesIO(package_xlsx(package)), **kwargs)


def named(wb, name):
    """The cell a workbook-level defined name points at."""
    title, coordinate = next(iter(wb.defined_names[name].destinations))
    return wb[title][coordinate.replace("$", "")]


def test_sheets_in_print_order_with_a_very_hidden_meta_sheet(demo_a):
    wb = workbook(demo_a)
    assert wb.sheetnames == ["附件1 基础数据表", "附件2 部门整体自评表", "附件3-1 政务中心大厅运行经费",
                             "附件3-2 电子政务及相关经费", "附件3-3 政府雇员经费",
                             "附件3-4 12345热线平台运维、政府门户网站维护、培训、管", META_SHEET]
    assert all(len(name) <= 31 for name in wb.sheetnames)
    assert wb[META_SHEET].sheet_state == "veryHidden"
    meta = {row[0]: row[1] for row in wb[META_SHEET].iter_rows(values_only=True) if row and row[0]}
    assert meta["package_id"] == demo_a.pk and meta["schema_version"] == 1 and meta["year"] == 2023
    assert meta["department_code"] == "MLS-XZSP" and meta["template_code"] == "HUNAN_2023"
    assert xlsx_filename(demo_a) == "2023年度汨罗市行政审批服务局绩效自评表.xlsx"
    assert not demo_a.snapshots.exists() and meta["snapshot_id"] is None and meta["snapshot_sha256"] is None


def test_the_meta_sheet_names_the_latest_snapshot(demo_a):
    first, latest = snapshot_freeze(demo_a, None), snapshot_freeze(demo_a, None)     # two submissions
    meta = {row[0]: row[1] for row in workbook(demo_a)[META_SHEET].iter_rows(values_only=True) if row and row[0]}
    assert latest.number > first.number and len(latest.sha256) == 64
    assert (meta["snapshot_id"], meta["snapshot_sha256"]) == (latest.pk, latest.sha256)


def test_fund_tables_appear_only_when_not_none(demo_a):
    table = demo_a.fund_tables.get(kind=FundTable.Kind.SOCIAL_INSURANCE)
    table.none = False
    table.save()
    FundRow.objects.create(table=table, subject="机关事业单位基本养老保险缴费", initial_budget=Decimal("32.98"),
                           full_year_budget=Decimal("32.98"), full_year_spent=Decimal("32.98"), order=1)
    wb = workbook(demo_a)
    assert "附件6 社会保险基金预算支出表" in wb.sheetnames
    assert not any(name.startswith(("附件4", "附件5")) for name in wb.sheetnames)
    ws = wb["附件6 社会保险基金预算支出表"]
    assert ws["A1"].value == "附件6" and ws["A2"].value == "2023年度社会保险基金预算支出情况表"
    assert ws["C5"].value == Decimal("32.98") or ws["C5"].value == 32.98
    assert ws["F5"].value == 1 and ws["F5"].number_format == "0.00%"


def test_cell_types_and_number_formats(demo_a):
    wb = workbook(demo_a)
    a1, a2 = wb["附件1 基础数据表"], wb["附件2 部门整体自评表"]
    # Headcounts "0", rates "0.00%" as ratios, money "0.00" as numbers.
    assert named(wb, "a1_authorised_posts").value == 28 and named(wb, "a1_authorised_posts").number_format == "0"
    assert a1["F5"].value == 1 and a1["F5"].number_format == "0.00%"
    reception = named(wb, "a1_reception_prev_final")
    assert reception.value == 4.05 and reception.number_format == "0.00" and reception.data_type == "n"
    # A blank input stays an empty cell, never 0 (政府雇员经费's blank 上年结转资金; 附件1 公车购置).
    assert named(wb, "a1_vehicle_purchase_prev_final").value is None
    assert named(wb, "a3_3_carryover_initial").value is None
    assert named(wb, "a3_1_carryover_initial").value == 0
    # 附件2: funds, execution row (ratio 1 = 100.00%), the 10-point execution score, total 100.
    assert named(wb, "a2_initial_budget").value == 671.45
    assert (a2["G5"].value, a2["H5"].value, a2["I5"].value) == (10, 1, 10)
    assert a2["H5"].number_format == "0.00%" and a2["I5"].number_format == "0.00"
    assert a2["I8"].value == 1116.12                      # 项目支出 = Σ 附件3 全年执行数
    total_row = next(row for row in range(14, 40) if a2.cell(row, 1).value == "总分")
    assert (a2.cell(total_row, 7).value, a2.cell(total_row, 8).value) == (100, 100)
    # Targets and actuals are strings as printed (canonical ≥ for ≧ 10%), scores numbers with 2 decimals.
    assert named(wb, "a2_row_08_target").value == "≥10%" and named(wb, "a2_row_08_target").data_type == "s"
    assert named(wb, "a2_row_04_actual").value == "42412条"
    assert named(wb, "a2_row_01_weight").number_format == "0.00"
    assert named(wb, "a3_1_row_03_actual").value == "41560"   # an inherited unit is printed as typed (K10)
    assert named(wb, "a2_footer").value.startswith("填表人：彭雁")
    assert "填报日期：2024年4月26日" in named(wb, "a2_footer").value      # no zero padding (GB/T 9704)


def test_the_workbook_holds_no_formula(demo_a):
    wb = workbook(demo_a)
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{ws.title}!{cell.coordinate}"


def test_formula_like_texts_are_stored_as_quoted_strings(demo_a):
    row = IndicatorRow.objects.filter(department_sheet=demo_a.department_sheet).order_by("order").first()
    row.target_raw, row.deviation_reason = "=100%", "-较上年下降，+1项@复核"
    row.save()
    sheet = demo_a.department_sheet
    sheet.goal_expected = "@全体"
    sheet.save()
    data = package_xlsx(demo_a)
    wb = openpyxl.load_workbook(io.BytesIO(data))
    for name, text in (("a2_row_01_target", "=100%"), ("a2_row_01_deviation", "-较上年下降，+1项@复核"),
                       ("a2_goal_expected", "@全体")):
        cell = named(wb, name)
        assert (cell.value, cell.data_type, cell.quotePrefix) == (text, "s", True)
    # In the XML the target is a shared string, never an <f> element.
    with __import__("zipfile").ZipFile(io.BytesIO(data)) as archive:
        xml = archive.read("xl/worksheets/sheet2.xml").decode()
    assert "<f>" not in xml
    values = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
    assert named(values, "a2_row_01_target").value == "=100%"


def test_defined_names_hidden_ids_and_merged_groups(demo_a):
    wb = workbook(demo_a)
    a2 = wb["附件2 部门整体自评表"]
    rows = list(demo_a.department_sheet.rows.order_by("order"))
    first = named(wb, "a2_row_01_name")
    assert first.value == rows[0].name == "政务服务事项网上办事率"
    assert a2.cell(first.row, 10).value == rows[0].pk            # hidden column J: the IndicatorRow id
    assert a2.column_dimensions["J"].hidden and a2.column_dimensions["K"].hidden
    assert named(wb, "a3_2_row_06_actual").value == "有所改善" and named(wb, "a3_2_row_07_actual").value == "100%"
    # 一级 merged over its 8 rows, printed with its weight.
    assert f"B{first.row}:B{first.row + 7}" in {str(r) for r in a2.merged_cells.ranges}
    assert a2.cell(first.row, 2).value.replace("\n", "") == "产出指标（30分）"
    # 附件1 linked 专项 rows carry the row and project ids; the 2022-only row has no link.
    a1 = wb["附件1 基础数据表"]
    specials = list(demo_a.base_data.special_rows.order_by("order"))
    name_cell = named(wb, "a1_special_05_name")
    assert name_cell.value == specials[4].name == "政务服务中心搬迁工程专项"
    assert a1.cell(name_cell.row, 8).value == specials[4].pk and a1.cell(name_cell.row, 9).value is None
    assert "a1_special_02_cur_final" not in wb.defined_names     # linked: computed from its 附件3
    assert "a1_special_05_cur_final" in wb.defined_names


def test_print_setup(demo_a):
    wb = workbook(demo_a)
    for ws in wb.worksheets[:-1]:
        assert int(ws.page_setup.paperSize) == 9 and ws.page_setup.orientation == "portrait"
        assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth == 1
        assert ws.page_setup.fitToHeight == 0
        assert ws.oddFooter.center.text == "— &P —"
        assert ws.print_title_rows and ws.freeze_panes
    a2 = wb["附件2 部门整体自评表"]
    assert a2.print_title_rows.replace("$", "") == "13:13" and a2["B13"].value == "一级指标"
    # Wrapped long texts get estimated heights; nothing is left at the default.
    goal_row = named(wb, "a2_goal_expected").row
    assert a2.row_dimensions[goal_row].height >= 60


def test_sheet_titles_are_cleaned_cut_and_unique():
    taken = set()
    first = sheet_title("附件3-1", "[测试]项目:一/二\\三*?" + "长" * 40, taken)
    assert len(first) == 31 and not any(ch in first for ch in "[]:*?/\\")
    assert sheet_title("附件3-1", "[测试]项目:一/二\\三*?" + "长" * 40, taken) != first
    assert len(taken) == 2


def test_protection_when_configured(demo_a, settings):
    from evalportal.reports.models import ReportPackage
    from evalportal.review.workflow import State
    assert not workbook(demo_a)["附件2 部门整体自评表"].protection.sheet       # off by default
    settings.XLSX_PROTECTION = True
    wb = workbook(demo_a)
    a2 = wb["附件2 部门整体自评表"]
    assert a2.protection.sheet
    assert named(wb, "a2_initial_budget").protection.locked is False     # an input
    assert a2["A3"].protection.locked and a2["I5"].protection.locked     # a label, a computed score
    ReportPackage.objects.filter(pk=demo_a.pk).update(state=State.APPROVED)
    demo_a.refresh_from_db()
    wb = workbook(demo_a)
    assert named(wb, "a2_initial_budget").protection.locked

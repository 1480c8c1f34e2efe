"""Workbook import: all or nothing, every error at its cell, round trips without loss (domain.md §9)."""
import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied

from evalportal.exporters.xlsx import package_xlsx
from evalportal.importers.services import ImportRefused, package_import
from evalportal.reports.models import IndicatorRow, Project, ReportPackage
from evalportal.reports.selectors import load_package, package_data
from evalportal.review.models import AuditEvent
from evalportal.review.workflow import State

from .conftest import edit, named

pytestmark = pytest.mark.django_db

A2 = "附件2 部门整体自评表"
A3_1 = "附件3-1 政务中心大厅运行经费"


def state(package):
    return package_data(load_package(package.pk))


def cells(data: bytes) -> dict:
    """Every visible grid value by (sheet, coordinate), hidden id columns left out."""
    wb = openpyxl.load_workbook(io.BytesIO(data))
    values = {}
    for ws in wb.worksheets:
        if ws.title == "_meta":
            continue
        hidden = {letter for letter, dim in ws.column_dimensions.items() if dim.hidden}
        for row in ws.iter_rows():
            for cell in row:
                if cell.value is not None and cell.column_letter not in hidden:
                    values[ws.title, cell.coordinate] = cell.value
    return values


def test_importing_the_unchanged_export_changes_nothing(demo_a, exported):
    before = state(demo_a)
    result = package_import(package=demo_a, data=exported)
    assert result.changes == [] and result.notices == []
    assert state(demo_a) == before


def test_round_trip_into_an_empty_package_gives_the_same_workbook(demo_a, exported, empty_package):
    # A workbook of one package goes into another only with force (the command's --force-package).
    with pytest.raises(ImportRefused) as refused:
        package_import(package=empty_package, data=exported)
    assert refused.value.messages[0].startswith("该文件不属于本报告")

    result = package_import(package=empty_package, data=exported, force=True)
    assert len(result.changes) > 500
    assert [p.name for p in empty_package.projects.order_by("order")] == \
        [p.name for p in demo_a.projects.order_by("order")]
    again = cells(package_xlsx(empty_package))
    first = cells(exported)
    # What differs can only be the department's name and the 单位负责人签字 (set by the head's confirmation).
    differing = {key for key in first.keys() | again.keys() if first.get(key) != again.get(key)}
    expected = {("附件1 基础数据表", "A3"), (A2, "C3")}
    footers = {key for key in differing if str(first.get(key, "")).startswith("填表人")}
    assert differing == expected | footers
    for key in footers:
        assert first[key].split("单位负责人签字")[0] == again[key].split("单位负责人签字")[0]
    # The special rows kept their links: the linked rows' Y columns are again computed from 附件3.
    linked = [row.project.name for row in empty_package.base_data.special_rows.order_by("order") if row.project]
    assert len(linked) == 4


def test_an_edited_workbook_changes_exactly_what_was_edited(demo_a, exported):
    before = state(demo_a)

    def change(wb):
        named(wb, "a2_initial_budget").value = 700
        named(wb, "a3_1_row_02_actual").value = "99%"
        named(wb, "a1_reception_prev_final").value = 4.5
        named(wb, "a3_2_goal_expected").value = "新的预期目标"
    result = package_import(package=demo_a, data=edit(exported, change))

    assert {change.ref for change in result.changes} == {
        f"{A2}!D5", f"{A3_1}!F14", "附件1 基础数据表!B12", "附件3-2 电子政务及相关经费!B11"}
    after = state(demo_a)
    assert after.department_sheet.funds.initial == Decimal("700")
    assert after.projects[0].rows[1].actual_raw == "99%"
    assert after.base.lines["reception"].prev_final == Decimal("4.5")
    assert after.projects[1].goal_expected == "新的预期目标"
    # Everything else is as before.
    assert after.department_sheet.rows == before.department_sheet.rows
    assert after.projects[2:] == before.projects[2:]
    assert after.projects[0].rows[0] == before.projects[0].rows[0]
    assert after.base.special_rows == before.base.special_rows
    # The shortfall now scores 2 × 99/100 = 1.98 in the engine (the workbook's 2.00 was not read).
    assert package_import(package=demo_a, data=package_xlsx(demo_a)).changes == []


def test_one_bad_cell_changes_nothing_and_names_that_cell(demo_a, exported):
    before, version = state(demo_a), ReportPackage.objects.get(pk=demo_a.pk).version

    def change(wb):
        named(wb, "a2_initial_budget").value = 700            # a good edit …
        named(wb, "a3_1_row_01_weight").value = "两分"         # … and one bad cell
    with pytest.raises(ImportRefused) as refused:
        package_import(package=demo_a, data=edit(exported, change))
    assert refused.value.messages == [f"{A3_1}!G13：“两分”不是有效的数值，分值请填写数字"]
    assert state(demo_a) == before
    assert ReportPackage.objects.get(pk=demo_a.pk).version == version
    assert not AuditEvent.objects.filter(package=demo_a, kind=AuditEvent.Kind.IMPORT).exists()


def test_several_errors_are_listed_at_once(demo_a, exported):
    def change(wb):
        named(wb, "a2_full_year_budget").value = 1.234
        named(wb, "a2_row_01_target").value = "≥≤95%"
        named(wb, "a3_2_row_01_actual").value = "=1+1"          # Excel would store a formula
        named(wb, "a1_actual_staff").value = -3
        named(wb, "a3_1_row_01_name").value = None
        wb[A3_1]["B13"].value = "不存在的指标"
    with pytest.raises(ImportRefused) as refused:
        package_import(package=demo_a, data=edit(exported, change))
    messages = refused.value.messages
    assert f"{A2}!E5：金额最多保留两位小数" in messages
    assert f"{A2}!E14：指标值只能有一个比较符" in messages
    assert "单元格附件3-2 电子政务及相关经费!F13含公式，请填写数值或文本" in messages
    assert "附件1 基础数据表!D5：实际在职人数不能为负数" in messages
    assert f"{A3_1}!D13：请填写三级指标" in messages
    assert any(m.startswith(f"{A3_1}!B13：一级指标“不存在的指标”不在本报告的权重模板中") for m in messages)


def test_formula_like_text_survives_as_text(demo_a, empty_package):
    row = IndicatorRow.objects.get(department_sheet=demo_a.department_sheet, order=2)
    row.target_raw, row.deviation_reason = "=100%", "-0.5分：+复核@财务"
    row.save()
    data = package_xlsx(demo_a)
    assert package_import(package=demo_a, data=data).changes == []
    package_import(package=empty_package, data=data, force=True)
    copied = IndicatorRow.objects.get(department_sheet=empty_package.department_sheet, order=2)
    assert (copied.target_raw, copied.deviation_reason) == ("=100%", "-0.5分：+复核@财务")
    wb = openpyxl.load_workbook(io.BytesIO(package_xlsx(empty_package)))
    assert named(wb, "a2_row_02_target").data_type == "s" and named(wb, "a2_row_02_target").value == "=100%"

    # A clerk who types =100% as text (quote prefix) also gets text.
    def change(wb):
        cell = named(wb, "a2_row_03_target")
        cell.value = "=100%"
        cell.data_type = "s"
    package_import(package=demo_a, data=edit(data, change))
    assert IndicatorRow.objects.get(department_sheet=demo_a.department_sheet, order=3).target_raw == "=100%"


def test_numbers_in_target_and_actual_cells_become_text(demo_a, exported):
    def change(wb):
        target = named(wb, "a2_row_01_target")
        target.value, target.number_format = 0.95, "0%"       # Excel turned "95%" into a number
        named(wb, "a2_row_04_actual").value = 42000            # 条 inherited from the target (K10)
    package_import(package=demo_a, data=edit(exported, change))
    rows = list(demo_a.department_sheet.rows.order_by("order"))
    assert rows[0].target_raw == "95%" and rows[3].actual_raw == "42000"


def test_inserted_and_deleted_rows_are_read_even_without_defined_names(demo_a, exported):
    deleted = IndicatorRow.objects.get(project_sheet=demo_a.projects.get(order=1).sheet, order=3)

    def change(wb):
        for name in list(wb.defined_names):            # a program that drops every defined name
            del wb.defined_names[name]
        ws = wb[A3_1]
        ws.insert_rows(29)                             # a new last row of 成本指标 (total row was 29)
        for col, value in ((4, "新增成本指标"), (5, "≤5万元"), (6, "4万元"), (7, 0.5), (9, "")):
            ws.cell(29, col).value = value
        for col in range(4, 12):                       # the clerk empties row 15 (the third) instead of deleting it
            ws.cell(15, col).value = None
    result = package_import(package=demo_a, data=edit(exported, change))
    rows = list(demo_a.projects.get(order=1).sheet.rows.order_by("order"))
    assert not IndicatorRow.objects.filter(pk=deleted.pk).exists()
    assert len(rows) == 16 and rows[-1].name == "新增成本指标"
    assert (rows[-1].category.name, rows[-1].subcategory.name) == ("成本指标", "生态环境成本指标")
    assert rows[-1].target_raw == "≤5万元" and rows[-1].weight == Decimal("0.50")
    assert any(change.field == "整行" for change in result.changes)


def test_a_copied_project_sheet_becomes_a_new_project(demo_a, exported):
    def change(wb):
        copy = wb.copy_worksheet(wb[A3_1])
        copy.title = "附件3-5 新项目"
        copy["A1"] = "附件3-5"
        copy["C3"] = "新增信息化运维项目"
    package_import(package=demo_a, data=edit(exported, change))
    project = Project.objects.get(package=demo_a, name="新增信息化运维项目")
    original = Project.objects.get(package=demo_a, order=1)
    assert project.order == 5 and project.sheet.rows.count() == original.sheet.rows.count() == 16
    assert original.sheet.rows.count() == 16     # the copy's row ids did not steal the original's rows
    assert original.special_row.name == "政务中心大厅运行经费"     # nor its 附件1 专项 link


def test_a_qualitative_score_is_read_and_sets_its_band(demo_a, exported):
    def change(wb):
        named(wb, "a2_row_12_score").value = 3.5                # 有所改善, weight 5
        named(wb, "a2_row_12_deviation").value = "部分完成"
    package_import(package=demo_a, data=edit(exported, change))
    row = demo_a.department_sheet.rows.get(order=12)
    assert (row.judged_score, row.band) == (Decimal("3.50"), "partial")


def test_computed_cells_are_ignored_and_listed(demo_a, exported):
    before = state(demo_a)

    def change(wb):
        ws = wb[A2]
        ws["H31"].value = 99                 # 总分
        ws["I5"].value = 100                 # the execution score as seed 001 printed it
    result = package_import(package=demo_a, data=edit(exported, change))
    assert result.changes == [] and state(demo_a) == before
    assert f"{A2}!H31：总分由系统计算为100.00，表中的99.00未导入" in result.notices
    assert f"{A2}!I5：执行率得分由系统计算为10.00，表中的100.00未导入" in result.notices


@pytest.mark.parametrize("data, message", [
    (b"", "上传的文件是空的"),
    (bytes(range(256)) * 40, "不是有效的Excel工作簿"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "旧版Excel（.xls）"),
    ("姓名,金额\n张三,1".encode(), "不是有效的Excel工作簿"),
])
def test_files_that_are_not_workbooks_are_refused_in_chinese(demo_a, data, message):
    with pytest.raises(ImportRefused) as refused:
        package_import(package=demo_a, data=data)
    assert message in refused.value.messages[0]


def test_a_zip_that_is_no_workbook_and_a_workbook_of_another_program(demo_a):
    import zipfile
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "hello")
    with pytest.raises(ImportRefused) as refused:
        package_import(package=demo_a, data=buffer.getvalue())
    assert "不是有效的Excel工作簿" in refused.value.messages[0]
    other = io.BytesIO()
    openpyxl.Workbook().save(other)
    with pytest.raises(ImportRefused) as refused:
        package_import(package=demo_a, data=other.getvalue())
    assert refused.value.messages[0].startswith("该文件不是本系统导出的工作簿")


def test_huge_files_and_zip_bombs_are_refused_before_parsing(demo_a, exported, settings):
    import zipfile
    huge = exported + b"\0" * (settings.IMPORT_MAX_UPLOAD_BYTES + 1 - len(exported))
    with pytest.raises(ImportRefused) as refused:
        package_import(package=demo_a, data=huge)
    assert refused.value.messages[0].startswith("文件过大")

    # 200 MB of zeros packs into ~200 kB: the declared unpacked size gives it away.
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as member:
            chunk = b"\0" * (1024 * 1024)
            for _ in range(200):
                member.write(chunk)
    assert len(bomb.getvalue()) < settings.IMPORT_MAX_UPLOAD_BYTES
    with pytest.raises(ImportRefused) as refused:
        package_import(package=demo_a, data=bomb.getvalue())
    assert refused.value.messages[0].startswith("工作簿解压后过大")

    settings.IMPORT_MAX_MEMBERS = 5
    with pytest.raises(ImportRefused) as refused:
        package_import(package=demo_a, data=exported)
    assert refused.value.messages[0].startswith("工作簿内部文件过多")


@pytest.mark.parametrize("locked_state", [State.PENDING_HEAD, State.PENDING_FINANCE, State.APPROVED,
                                          State.PUBLISHED])
def test_import_into_a_package_that_is_not_a_draft_is_refused(demo_a, exported, locked_state):
    ReportPackage.objects.filter(pk=demo_a.pk).update(state=locked_state)
    demo_a.refresh_from_db()
    before = state(demo_a)
    with pytest.raises(PermissionDenied):
        package_import(package=demo_a, data=edit(exported, lambda wb: setattr(
            named(wb, "a2_initial_budget"), "value", 1)))
    assert state(demo_a) == before


def test_a_returned_package_accepts_an_import(demo_a, exported):
    ReportPackage.objects.filter(pk=demo_a.pk).update(state=State.RETURNED)
    demo_a.refresh_from_db()
    package_import(package=demo_a, data=edit(exported, lambda wb: setattr(named(wb, "a2_initial_budget"),
                                                                         "value", 680)))
    assert load_package(demo_a.pk).department_sheet.initial_budget == Decimal("680")


def test_old_schema_and_outdated_exports_are_refused(demo_a, exported):
    def old(wb):
        for row in wb["_meta"].iter_rows():
            if row[0].value == "schema_version":
                row[1].value = 0
    with pytest.raises(ImportRefused) as refused:
        package_import(package=demo_a, data=edit(exported, old))
    assert refused.value.messages == ["文件版本过旧，请重新导出"]

    ReportPackage.objects.filter(pk=demo_a.pk).update(version=5)     # someone saved in the app meanwhile
    demo_a.refresh_from_db()
    with pytest.raises(ImportRefused) as refused:
        package_import(package=demo_a, data=exported)
    assert "导出该文件之后已被修改" in refused.value.messages[0]


def test_the_audit_trail_records_the_file_hash_and_the_cells(demo_a, exported):
    import hashlib

    from evalportal.accounts.models import User
    data = edit(exported, lambda wb: setattr(named(wb, "a2_initial_budget"), "value", 700))
    filler = User.objects.get(username="filler")
    result = package_import(package=demo_a, data=data, actor=filler)
    event = AuditEvent.objects.get(package=demo_a, kind=AuditEvent.Kind.IMPORT)
    assert hashlib.sha256(data).hexdigest() == result.sha256 == event.extra["file_hash"]
    assert result.sha256 in event.note and "改动1处" in event.note
    change = event.changes.get() if hasattr(event, "changes") else event.fieldchange_set.get()
    assert (change.field, change.old, change.new) == ("年初预算数", "671.45", "700.00")
    assert f"{A2}!D5" in change.object_label and event.actor == filler
    assert ReportPackage.objects.get(pk=demo_a.pk).version == demo_a.version + 1


def test_a_computed_cell_left_stale_by_an_edit_is_not_listed(demo_a, exported):
    # A lower 全年执行数 of 附件3-1 changes its 执行率, its total and 附件2's 项目支出; the workbook still shows the
    # exported values, which are not worth a notice.
    result = package_import(package=demo_a, data=edit(exported, lambda wb: setattr(
        named(wb, "a3_1_appropriation_spent"), "value", 950)))
    assert [c.ref for c in result.changes] == [f"{A3_1}!F7"]
    assert result.notices == []


def test_rows_inserted_above_a_table_move_its_cells_and_names_follow(demo_a, exported):
    """What Excel does when a clerk inserts a row above the funds block: every name below moves with it."""
    def change(wb):
        ws = wb[A2]
        ws.insert_rows(4)             # openpyxl moves the cells; move the names as Excel would
        for name, defined in list(wb.defined_names.items()):
            title, coordinate = next(iter(defined.destinations))
            if title == A2:
                letters = "".join(ch for ch in coordinate if ch.isalpha())
                row = int("".join(ch for ch in coordinate if ch.isdigit()))
                if row >= 4:
                    defined.attr_text = f"'{A2}'!${letters}${row + 1}"
        named(wb, "a2_initial_budget").value = 690
    result = package_import(package=demo_a, data=edit(exported, change))
    assert [c.ref for c in result.changes] == [f"{A2}!D6"] and result.notices == []
    assert load_package(demo_a.pk).department_sheet.initial_budget == Decimal("690")

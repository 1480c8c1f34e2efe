"""The clerk's path: download the workbook, fill it in, import a wrong copy, then the right one, see the change."""
import io
import re

import openpyxl
import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.conftest import log_in

from .conftest import named

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_download_edit_import_and_see_the_change(live_server, page, demo_a, tmp_path):
    log_in(page, live_server, "filler")
    page.goto(live_server.url + reverse("reports:package", args=[demo_a.pk]))
    page.get_by_role("link", name="导入Excel").click()
    with page.expect_download() as download:
        page.get_by_role("link", name="下载Excel").click()
    assert download.value.suggested_filename == "2023年度汨罗市行政审批服务局绩效自评表.xlsx"
    wb = openpyxl.load_workbook(io.BytesIO(open(download.value.path(), "rb").read()))

    named(wb, "a2_initial_budget").value = "六百八十"          # a wrong cell …
    named(wb, "a2_row_02_actual").value = "≥99%"              # … and another
    wrong = tmp_path / "wrong.xlsx"
    wb.save(wrong)
    page.set_input_files("input[type=file]", str(wrong))
    page.get_by_role("button", name="检查并导入").click()
    errors = page.locator("#import-errors")
    expect(errors).to_contain_text("发现2处问题，报告未作任何修改")
    expect(errors).to_contain_text("附件2 部门整体自评表!D5：“六百八十”不是有效的数值")
    expect(errors).to_contain_text("附件2 部门整体自评表!F15：实际完成值请填写实际数值，不要带比较符")
    page.screenshot(path=str(tmp_path / "refused.png"), full_page=True)

    named(wb, "a2_initial_budget").value = 680
    named(wb, "a2_row_02_actual").value = "99%"
    right = tmp_path / "right.xlsx"
    wb.save(right)
    page.set_input_files("input[type=file]", str(right))
    page.get_by_role("button", name="检查并导入").click()
    expect(page.get_by_role("status")).to_contain_text("导入完成：共改动2处。")
    expect(page.locator("table")).to_contain_text("680.00")

    page.get_by_role("link", name="返回报告").last.click()
    page.goto(live_server.url + reverse("reports:department_sheet", args=[demo_a.pk]))
    expect(page.locator("input[name$=initial_budget]").first).to_have_value(re.compile(r"^680(\.00?)?$"))
    # And the next download carries the imported values.
    page.goto(live_server.url + reverse("importers:upload", args=[demo_a.pk]))
    with page.expect_download() as again:
        page.get_by_role("link", name="下载Excel").click()
    wb = openpyxl.load_workbook(io.BytesIO(open(again.value.path(), "rb").read()))
    assert named(wb, "a2_initial_budget").value == 680 and named(wb, "a2_row_02_actual").value == "99%"

"""A workbook saved again by LibreOffice Calc (what many offices use) still imports cell for cell."""
import shutil
import subprocess
from decimal import Decimal

import pytest

from evalportal.exporters.xlsx import package_xlsx
from evalportal.importers.services import package_import
from evalportal.reports.models import IndicatorRow

from .conftest import edit, named

pytestmark = [pytest.mark.django_db,
              pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")]


def resave_with_libreoffice(data: bytes, tmp_path) -> bytes:
    source = tmp_path / "填写.xlsx"
    source.write_bytes(data)
    out = tmp_path / "out"
    subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path}/profile", "--headless",
                    "--convert-to", "xlsx:Calc MS Excel 2007 XML", "--outdir", str(out), str(source)],
                   check=True, capture_output=True, timeout=120)
    return (out / "填写.xlsx").read_bytes()


def test_a_workbook_saved_by_libreoffice_imports_exactly_its_edits(demo_a, tmp_path):
    row = IndicatorRow.objects.get(department_sheet=demo_a.department_sheet, order=2)
    row.target_raw = "=100%"
    row.save()

    def change(wb):
        named(wb, "a2_initial_budget").value = 688.5
        named(wb, "a3_4_row_01_actual").value = "330万字"
    saved = resave_with_libreoffice(edit(package_xlsx(demo_a), change), tmp_path)
    result = package_import(package=demo_a, data=saved)
    assert {c.ref for c in result.changes} == {"附件2 部门整体自评表!D5",
                                                "附件3-4 12345热线平台运维、政府门户网站维护、培训、管!F13"}
    assert result.notices == []
    demo_a.department_sheet.refresh_from_db()
    assert demo_a.department_sheet.initial_budget == Decimal("688.50")
    assert IndicatorRow.objects.get(pk=row.pk).target_raw == "=100%"      # still text after LibreOffice

import io

import openpyxl
import pytest

from evalportal.exporters.xlsx import package_xlsx
from evalportal.orgs.models import Department
from evalportal.reports import services


def edit(data: bytes, change) -> bytes:
    """Open a workbook as a clerk's program would, let `change(wb)` edit it, save it again."""
    wb = openpyxl.load_workbook(io.BytesIO(data))
    change(wb)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def named(wb, name):
    title, coordinate = next(iter(wb.defined_names[name].destinations))
    return wb[title][coordinate.replace("$", "")]


@pytest.fixture
def exported(demo_a):
    return package_xlsx(demo_a)


@pytest.fixture
def empty_package(demo_a):
    """An empty package of another department of the same region and year (same template)."""
    department = Department.objects.create(region=demo_a.department.region, name="汨罗市测试局", short_name="测试局",
                                           code="T-IMPORT")
    return services.package_create(department=department, year=demo_a.year)

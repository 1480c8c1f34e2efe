from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from evalportal.orgs.models import WeightTemplate
from evalportal.reports.models import IndicatorRow, Project, ReportPackage
from evalportal.reports import services
from tests.factories import make_department, make_package

pytestmark = pytest.mark.django_db


def test_a_new_package_has_every_attachment_on_the_regions_templates(templates_loaded):
    package = make_package()
    assert package.weight_template.code == "HUNAN_2023"      # 测试市 lies under 湖南省
    assert package.outline.code == "HUNAN_DEPT_2023"
    assert package.base_data.authorised_posts == 20
    assert package.department_sheet.rows.count() == 0
    assert sorted(t.number for t in package.fund_tables.all()) == [4, 5, 6]
    assert all(t.none for t in package.fund_tables.all())


def test_a_region_without_its_own_template_falls_back_to_the_central_one(templates_loaded):
    from evalportal.orgs.models import Region
    other_province = Region.objects.create(name="某省")
    city = Region.objects.create(name="某市", parent=other_province)
    assert WeightTemplate.for_region_year(city, 2023).code == "CENTRAL_2020"


def test_one_package_per_department_and_year(templates_loaded):
    department = make_department()
    make_package(department)
    with pytest.raises(IntegrityError), transaction.atomic():
        make_package(department)


def test_money_can_never_be_negative_in_the_database(templates_loaded):
    sheet = make_package().department_sheet
    sheet.full_year_budget = Decimal("-1.00")
    with pytest.raises(IntegrityError), transaction.atomic():
        sheet.save()


def test_an_indicator_row_belongs_to_exactly_one_sheet_and_has_positive_weight(templates_loaded):
    package = make_package()
    project = services.project_create(package=package, name="政务中心大厅运行经费")
    category = package.weight_template.categories.get(name="产出指标")
    sub = category.subcategories.get(name="数量指标")
    common = {"category": category, "subcategory": sub, "name": "办结率", "target_raw": "100%"}
    with pytest.raises(IntegrityError), transaction.atomic():
        IndicatorRow.objects.create(department_sheet=package.department_sheet, project_sheet=project.sheet,
                                    weight=Decimal("2"), **common)
    with pytest.raises(IntegrityError), transaction.atomic():
        IndicatorRow.objects.create(project_sheet=project.sheet, weight=Decimal("0"), **common)
    IndicatorRow.objects.create(project_sheet=project.sheet, weight=Decimal("2"), order=1, **common)
    with pytest.raises(IntegrityError), transaction.atomic():
        IndicatorRow.objects.create(project_sheet=project.sheet, weight=Decimal("2"), order=1, **common)


def test_project_names_are_unique_in_a_package_and_get_a_sheet_and_a_report(templates_loaded):
    package = make_package()
    project = services.project_create(package=package, name="电子政务及相关经费")
    assert project.sheet.implementing_unit == package.department.name
    assert project.report.sections.get(key="S7").text == "无"      # the outline's default text
    with pytest.raises(IntegrityError), transaction.atomic():
        Project.objects.create(package=package, name="电子政务及相关经费", order=9)


def test_full_width_minus_in_a_phone_number_is_normalised(templates_loaded):
    sheet = make_package().department_sheet
    sheet.phone = "0730－5244006"
    sheet.save()
    sheet.refresh_from_db()
    assert sheet.phone == "0730-5244006"


def test_package_title_uses_the_year_and_department(templates_loaded):
    package = make_package(make_department(name="汨罗市行政审批服务局"))
    assert package.title == "2023年度汨罗市行政审批服务局部门整体支出绩效自评报告"
    assert ReportPackage.objects.count() == 1

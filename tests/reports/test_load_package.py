"""load_package(): everything package_data() reads, in a fixed number of queries, with shared template objects."""
import pytest

from evalportal.reports.selectors import load_package, package_data

pytestmark = pytest.mark.django_db


def test_package_data_of_a_loaded_package_runs_no_further_query(demo_a, django_assert_num_queries):
    with django_assert_num_queries(15):
        package = load_package(demo_a.pk)
    with django_assert_num_queries(0):
        package_data(package)
        for sheet in [package.department_sheet, *(p.sheet for p in package.projects.all())]:
            for row in sheet.rows.all():
                assert row.category.template_id == package.weight_template_id


def test_rows_and_special_rows_share_the_objects_the_package_holds(demo_a):
    package = load_package(demo_a.pk)
    subcategories = {s.pk: s for c in package.weight_template.categories.all() for s in c.subcategories.all()}
    rows = [row for p in package.projects.all() for row in p.sheet.rows.all()]
    assert rows and all(row.subcategory is subcategories[row.subcategory_id] for row in rows)
    assert all(row.category is row.subcategory.category for row in rows)
    projects = {p.pk: p for p in package.projects.all()}
    linked = [row for row in package.base_data.special_rows.all() if row.project_id]
    assert linked and all(row.project is projects[row.project_id] for row in linked)


def test_a_package_outside_the_users_scope_is_not_loaded(demo_a, demo_b, django_assert_num_queries):
    from evalportal.accounts.roles import Role
    from evalportal.reports.models import ReportPackage
    from tests.factories import make_user
    filler_b = make_user(Role.FILLER, department=demo_b.department)
    filler_b.grants_cache()
    with django_assert_num_queries(1), pytest.raises(ReportPackage.DoesNotExist):
        load_package(demo_a.pk, visible_to=filler_b)
    assert load_package(demo_b.pk, visible_to=filler_b).pk == demo_b.pk

import pytest
from django.core.management import call_command

from evalportal.accounts.models import User
from evalportal.orgs.models import NarrativeOutline, WeightTemplate
from evalportal.reports.models import ReportPackage

pytestmark = pytest.mark.django_db


def test_load_templates_creates_the_frameworks_without_demo_data():
    call_command("load_templates", verbosity=0)
    call_command("load_templates", verbosity=0)
    hunan = WeightTemplate.objects.get(code="HUNAN_2023")
    assert [(c.name, c.weight) for c in hunan.categories.all()] == [
        ("产出指标", 30), ("效益指标", 30), ("满意度指标", 10), ("成本指标", 20)]
    assert sum(c.weight for c in hunan.categories.all()) + hunan.execution_weight == 100
    assert WeightTemplate.objects.get(code="CENTRAL_2020").region is None
    assert NarrativeOutline.objects.get(code="HUNAN_DEPT_2023").sections.count() == 18
    assert not ReportPackage.objects.exists() and not User.objects.exists()

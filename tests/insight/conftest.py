"""A generated region in the database: 30 departments over 2022–2023 with three planted reports."""
import pytest

from evalportal.insight import synthetic
from evalportal.insight.synthetic_db import insert_specs
from evalportal.orgs.models import NarrativeOutline, WeightTemplate
from evalportal.review.workflow import State
from tests.factories import make_region

PLANTED = {7: {"inflated"}, 12: {"copied"}, 20: {"carryover"}}


@pytest.fixture
def hunan(templates_loaded):
    return (WeightTemplate.objects.get(code="HUNAN_2023"),
            NarrativeOutline.objects.get(code="HUNAN_DEPT_2023", kind=NarrativeOutline.Kind.DEPARTMENT))


def build_region(hunan, departments: int = 30, planted=None, name: str = "测试市", state=State.PENDING_FINANCE):
    template, outline = hunan
    region = make_region(name)
    specs = synthetic.region_specs(departments, years=(2022, 2023), planted=PLANTED if planted is None else planted)
    for spec in specs:
        spec.code = f"{region.pk}-{spec.code}"      # department codes are unique across regions
    packages = insert_specs(specs, region=region, template=template, outline=outline, state=state)
    return region, packages


@pytest.fixture
def planted_region(hunan):
    return build_region(hunan)

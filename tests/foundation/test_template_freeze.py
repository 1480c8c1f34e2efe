from decimal import Decimal

import pytest
from django.db import transaction

from evalportal.orgs.models import TemplateCategory, TemplateFrozen, WeightTemplate
from evalportal.orgs.versioning import weight_template_copy
from evalportal.review.workflow import State
from tests.factories import make_package

pytestmark = pytest.mark.django_db


def test_a_template_that_submitted_packages_rest_on_cannot_change(templates_loaded):
    draft, submitted = make_package(), make_package()
    submitted.state = State.PENDING_FINANCE
    submitted.save()
    template = submitted.weight_template
    category = template.categories.get(name="产出指标")
    category.weight = Decimal("40")
    with pytest.raises(TemplateFrozen):
        category.save()
    with pytest.raises(TemplateFrozen):
        TemplateCategory.objects.create(template=template, name="新指标", weight=Decimal("5"), order=9)
    with pytest.raises(TemplateFrozen), transaction.atomic():
        template.categories.get(name="成本指标").delete()
    # Writing back the same values (load_templates run again) is not a change.
    category.refresh_from_db()
    category.save()
    assert draft.weight_template_id == template.pk


def test_a_draft_only_template_can_still_be_edited(templates_loaded):
    package = make_package()
    category = package.weight_template.categories.get(name="产出指标")
    category.weight = Decimal("35")
    category.save()
    assert TemplateCategory.objects.get(pk=category.pk).weight == Decimal("35")


def test_copying_a_frozen_template_moves_the_drafts_and_keeps_the_submitted_ones(demo_a, templates_loaded):
    from evalportal.reports.models import IndicatorRow
    submitted = make_package()
    submitted.state = State.APPROVED
    submitted.save()
    old = demo_a.weight_template
    copy = weight_template_copy(old)
    demo_a.refresh_from_db()
    submitted.refresh_from_db()
    assert copy.version == old.version + 1 and copy.code == old.code
    assert demo_a.weight_template == copy and submitted.weight_template == old
    rows = IndicatorRow.objects.filter(department_sheet__package=demo_a)
    assert rows.exists() and all(row.category.template_id == copy.pk for row in rows)
    assert WeightTemplate.for_region_year(demo_a.department.region, 2023) == copy

"""Copy a weight template into a new version and move the drafts that use it there."""
from django.db import transaction

from .models import TemplateCategory, TemplateSubcategory, WeightTemplate


@transaction.atomic
def weight_template_copy(template: WeightTemplate) -> WeightTemplate:
    from evalportal.reports.models import IndicatorRow, ReportPackage
    from evalportal.review.workflow import State

    categories = list(template.categories.prefetch_related("subcategories"))
    latest = WeightTemplate.objects.filter(code=template.code).order_by("-version").first()
    copy = WeightTemplate.objects.get(pk=template.pk)
    copy.pk = None
    copy.version = latest.version + 1
    copy.save()
    category_map, subcategory_map = {}, {}
    for category in categories:
        new_category = TemplateCategory.objects.create(template=copy, name=category.name, weight=category.weight,
                                                       order=category.order)
        category_map[category.pk] = new_category
        for sub in category.subcategories.all():
            subcategory_map[sub.pk] = TemplateSubcategory.objects.create(
                category=new_category, name=sub.name, order=sub.order, required=sub.required)
    drafts = ReportPackage.objects.filter(weight_template=template, state=State.DRAFT)
    for row in IndicatorRow.objects.filter(category__template=template).filter(
            department_sheet__package__in=drafts) | IndicatorRow.objects.filter(
            category__template=template, project_sheet__project__package__in=drafts):
        IndicatorRow.objects.filter(pk=row.pk).update(category=category_map[row.category_id],
                                                      subcategory=subcategory_map[row.subcategory_id])
    drafts.update(weight_template=copy)
    return copy

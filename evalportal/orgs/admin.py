from django.contrib import admin

from .models import (Department, NarrativeOutline, OutlineSection, Region, TemplateCategory, TemplateSubcategory,
                     WeightTemplate)


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["name", "parent", "finance_bureau", "code"]
    list_filter = ["parent"]
    search_fields = ["name", "finance_bureau", "code"]


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "code", "region", "nature", "authorised_posts"]
    list_filter = ["nature", "region"]
    search_fields = ["name", "short_name", "code"]
    autocomplete_fields = ["region"]


class TemplateCategoryInline(admin.TabularInline):
    model = TemplateCategory
    extra = 0
    show_change_link = True


@admin.register(WeightTemplate)
class WeightTemplateAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "region", "year_from", "year_to", "version", "execution_weight"]
    list_filter = ["region", "year_from"]
    search_fields = ["code", "name"]
    inlines = [TemplateCategoryInline]


class TemplateSubcategoryInline(admin.TabularInline):
    model = TemplateSubcategory
    extra = 0


@admin.register(TemplateCategory)
class TemplateCategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "weight", "template", "order"]
    list_filter = ["template"]
    search_fields = ["name"]
    inlines = [TemplateSubcategoryInline]


class OutlineSectionInline(admin.TabularInline):
    model = OutlineSection
    extra = 0


@admin.register(NarrativeOutline)
class NarrativeOutlineAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "region", "year_from", "year_to", "version"]
    list_filter = ["kind", "region"]
    search_fields = ["code", "name"]
    inlines = [OutlineSectionInline]

from django.contrib import admin

from django.contrib import messages

from .models import (Department, NarrativeOutline, OutlineSection, Region, TemplateCategory, TemplateSubcategory,
                     WeightTemplate, outline_frozen, weight_template_frozen)
from .versioning import weight_template_copy


class FrozenWhenInUse:
    """Templates that submitted packages rest on are read-only here (models refuse the write too)."""

    frozen_message = "已有提交或通过的报告使用此模板，只能查看；如需调整请用“复制为新版本”。"

    def is_frozen(self, obj) -> bool:
        raise NotImplementedError

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not (obj is not None and self.is_frozen(obj))

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not (obj is not None and self.is_frozen(obj))

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, object_id)
        if obj is not None and self.is_frozen(obj):
            messages.warning(request, self.frozen_message)
        return super().change_view(request, object_id, form_url, extra_context)


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
class WeightTemplateAdmin(FrozenWhenInUse, admin.ModelAdmin):
    list_display = ["code", "name", "region", "year_from", "year_to", "version", "execution_weight"]
    list_filter = ["region", "year_from"]
    search_fields = ["code", "name"]
    inlines = [TemplateCategoryInline]
    actions = ["copy_as_new_version"]

    def is_frozen(self, obj) -> bool:
        return weight_template_frozen(obj.pk)

    @admin.action(description="复制为新版本（使用它的草稿报告改用新版本）")
    def copy_as_new_version(self, request, queryset):
        for template in queryset:
            copy = weight_template_copy(template)
            self.message_user(request, f"已复制为「{copy}」第{copy.version}版。")


class TemplateSubcategoryInline(admin.TabularInline):
    model = TemplateSubcategory
    extra = 0


@admin.register(TemplateCategory)
class TemplateCategoryAdmin(FrozenWhenInUse, admin.ModelAdmin):
    list_display = ["name", "weight", "template", "order"]
    list_filter = ["template"]
    search_fields = ["name"]
    inlines = [TemplateSubcategoryInline]

    def is_frozen(self, obj) -> bool:
        return weight_template_frozen(obj.template_id)


class OutlineSectionInline(admin.TabularInline):
    model = OutlineSection
    extra = 0


@admin.register(NarrativeOutline)
class NarrativeOutlineAdmin(FrozenWhenInUse, admin.ModelAdmin):
    list_display = ["code", "name", "kind", "region", "year_from", "year_to", "version"]
    list_filter = ["kind", "region"]
    search_fields = ["code", "name"]
    inlines = [OutlineSectionInline]

    def is_frozen(self, obj) -> bool:
        return outline_frozen(obj.pk)

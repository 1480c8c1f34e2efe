"""Admin for report content. Locked packages are read-only here too (review app enforces it on save)."""
from django.contrib import admin

from .models import (BaseDataLine, BaseDataSheet, CheckExplanation, DepartmentEvalSheet, FundRow, FundTable,
                     IndicatorRow, NarrativeSection, Project, ProjectEvalSheet, ProjectReport, ProjectReportSection,
                     ProjectSpendItem, ReportPackage, SpecialFundRow)


class ProjectInline(admin.TabularInline):
    model = Project
    extra = 0
    fields = ["order", "name", "category"]
    show_change_link = True


@admin.register(ReportPackage)
class ReportPackageAdmin(admin.ModelAdmin):
    list_display = ["department", "year", "state", "total_score", "grade", "error_count", "warning_count",
                    "version", "updated_at"]
    list_filter = ["year", "state", "grade", "department__region", "is_legacy"]
    search_fields = ["department__name", "department__code"]
    list_select_related = ["department"]
    readonly_fields = ["total_score", "grade", "error_count", "warning_count", "version", "created_at", "updated_at"]
    inlines = [ProjectInline]


@admin.register(NarrativeSection)
class NarrativeSectionAdmin(admin.ModelAdmin):
    list_display = ["package", "key", "carried_over"]
    list_filter = ["package__year", "key"]
    search_fields = ["package__department__name", "text"]


class BaseDataLineInline(admin.TabularInline):
    model = BaseDataLine
    extra = 0


class SpecialFundRowInline(admin.TabularInline):
    model = SpecialFundRow
    extra = 0


@admin.register(BaseDataSheet)
class BaseDataSheetAdmin(admin.ModelAdmin):
    list_display = ["package", "authorised_posts", "actual_staff", "filled_by", "filled_on"]
    list_filter = ["package__year"]
    search_fields = ["package__department__name"]
    inlines = [BaseDataLineInline, SpecialFundRowInline]


class IndicatorRowInline(admin.TabularInline):
    model = IndicatorRow
    extra = 0
    fields = ["order", "category", "subcategory", "name", "target_raw", "actual_raw", "weight", "band",
              "judged_score", "deviation_reason"]


@admin.register(DepartmentEvalSheet)
class DepartmentEvalSheetAdmin(admin.ModelAdmin):
    list_display = ["package", "initial_budget", "full_year_budget", "full_year_spent", "basic_expenditure"]
    list_filter = ["package__year"]
    search_fields = ["package__department__name"]
    inlines = [IndicatorRowInline]


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin):
    list_display = ["name", "package", "category", "order"]
    list_filter = ["category", "package__year"]
    search_fields = ["name", "package__department__name"]


@admin.register(ProjectEvalSheet)
class ProjectEvalSheetAdmin(admin.ModelAdmin):
    list_display = ["project", "implementing_unit", "appropriation_initial", "appropriation_full_year",
                    "appropriation_spent"]
    list_filter = ["project__package__year"]
    search_fields = ["project__name", "project__package__department__name"]
    inlines = [IndicatorRowInline]


@admin.register(IndicatorRow)
class IndicatorRowAdmin(admin.ModelAdmin):
    list_display = ["name", "category", "subcategory", "target_raw", "actual_raw", "weight", "judged_score"]
    list_filter = ["category__name", "kind", "band"]
    search_fields = ["name", "target_raw", "actual_raw"]
    list_select_related = ["category", "subcategory"]


class FundRowInline(admin.TabularInline):
    model = FundRow
    extra = 0


@admin.register(FundTable)
class FundTableAdmin(admin.ModelAdmin):
    list_display = ["package", "kind", "none"]
    list_filter = ["kind", "none"]
    search_fields = ["package__department__name"]
    inlines = [FundRowInline]


class ProjectReportSectionInline(admin.StackedInline):
    model = ProjectReportSection
    extra = 0


@admin.register(ProjectReport)
class ProjectReportAdmin(admin.ModelAdmin):
    list_display = ["project", "eval_start", "eval_end", "basis"]
    search_fields = ["project__name"]
    inlines = [ProjectReportSectionInline]


@admin.register(ProjectSpendItem)
class ProjectSpendItemAdmin(admin.ModelAdmin):
    list_display = ["name", "amount", "project"]
    search_fields = ["name", "project__name"]


@admin.register(CheckExplanation)
class CheckExplanationAdmin(admin.ModelAdmin):
    list_display = ["package", "code", "location", "acknowledged_by", "updated_at"]
    list_filter = ["code"]
    search_fields = ["package__department__name", "explanation"]

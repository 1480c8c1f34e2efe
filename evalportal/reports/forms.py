"""Forms of the guided filling pages (issue 5): one form per part of the package, laid out like the paper table.

Drafts never need to be complete: every field is optional here, and a save is refused only for input that cannot
be stored or read (money with 3 decimals, a target the grammar rejects, a row without 分值). Completeness is the
checks' job (evalportal.checks, stage "submit"), shown beside the fields while the clerk types.
"""
from __future__ import annotations

import copy
import unicodedata
from decimal import Decimal, InvalidOperation

from crispy_forms.helper import FormHelper
from django import forms
from django.forms import BaseModelFormSet, modelformset_factory
from django.utils.choices import BaseChoiceIterator, normalize_choices
from django.utils.translation import gettext_lazy as _

from evalportal.orgs.models import TemplateSubcategory
from evalportal.scoring import TargetError, parse_actual, parse_target

from .models import (BaseDataLine, BaseDataSheet, DepartmentEvalSheet, FundRow, FundTable, IndicatorRow, Project,
                     ProjectEvalSheet, ProjectReport, ProjectSpendItem, ReportPackage, SpecialFundRow)

INPUT = "form-control form-control-sm"
MONEY_ERRORS = {
    "invalid": _("请填写数字金额（单位：万元）"),
    "max_decimal_places": _("金额最多保留两位小数"),
    "max_digits": _("金额位数过多"),
    "max_whole_digits": _("金额过大"),
    "min_value": _("金额不能为负数"),
}
SCORE_ERRORS = {
    "invalid": _("请填写数字"),
    "max_decimal_places": _("最多保留两位小数"),
    "max_digits": _("数值过大"),
    "max_whole_digits": _("数值过大"),
    "min_value": _("不能为负数"),
}
INTEGER_ERRORS = {"invalid": _("请填写整数"), "min_value": _("不能为负数")}
DATE_ERRORS = {"invalid": _("请填写正确的日期，如 2024-04-25")}


def normalise_number(value):
    """Full-width digits, ，/, thousands separators and spaces are what clerks paste from Word: accept them."""
    if isinstance(value, str):
        value = unicodedata.normalize("NFKC", value).replace(",", "").replace(" ", "").strip()
    return value


class NumberInputMixin:
    def to_python(self, value):
        return super().to_python(normalise_number(value))


class MoneyField(NumberInputMixin, forms.DecimalField):
    """万元 with two places. A text input (not type=number) so that a wrong entry stays exactly as typed."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_digits", 14)
        kwargs.setdefault("decimal_places", 2)
        kwargs.setdefault("min_value", Decimal("0"))
        kwargs.setdefault("required", False)
        kwargs["error_messages"] = {**MONEY_ERRORS, **kwargs.get("error_messages", {})}
        kwargs.setdefault("widget", forms.TextInput(attrs={"class": f"{INPUT} num", "inputmode": "decimal",
                                                           "autocomplete": "off"}))
        super().__init__(**kwargs)


class ScoreField(NumberInputMixin, forms.DecimalField):
    def __init__(self, **kwargs):
        kwargs.setdefault("max_digits", 5)
        kwargs.setdefault("decimal_places", 2)
        kwargs.setdefault("min_value", Decimal("0"))
        kwargs.setdefault("required", False)
        kwargs["error_messages"] = {**SCORE_ERRORS, **kwargs.get("error_messages", {})}
        kwargs.setdefault("widget", forms.TextInput(attrs={"class": f"{INPUT} num", "inputmode": "decimal",
                                                           "autocomplete": "off"}))
        super().__init__(**kwargs)


class CountField(NumberInputMixin, forms.IntegerField):
    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 0)
        kwargs.setdefault("required", False)
        kwargs["error_messages"] = {**INTEGER_ERRORS, **kwargs.get("error_messages", {})}
        kwargs.setdefault("widget", forms.TextInput(attrs={"class": f"{INPUT} num", "inputmode": "numeric",
                                                           "autocomplete": "off"}))
        super().__init__(**kwargs)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs={"class": INPUT, **(attrs or {})}, format="%Y-%m-%d")


def checked(value) -> bool:
    """A checkbox as posted, or as round-tripped through a hidden input ("True"/"False")."""
    return str(value or "").strip().lower() not in ("", "false", "0", "off", "none")


def lenient_decimal(value) -> Decimal | None:
    """What the live preview reads from a field that may not validate yet: a number, or None (blank is not 0)."""
    value = normalise_number(value)
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() else None


class PaperFormMixin:
    """Bootstrap classes, Chinese messages and Decimal handling for every model field of a paper form."""

    def _style_fields(self):
        for name, field in self.fields.items():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                widget.attrs.setdefault("class", "form-check-input")
            elif isinstance(widget, forms.Select):
                widget.attrs.setdefault("class", "form-select form-select-sm")
            elif isinstance(widget, forms.Textarea):
                widget.attrs.setdefault("class", INPUT)
                widget.attrs.setdefault("rows", 3)
            elif not isinstance(widget, forms.HiddenInput):
                widget.attrs.setdefault("class", INPUT)
            if isinstance(field, forms.DateField):
                field.error_messages.update(DATE_ERRORS)
            # maxlength helps the clerk; the model's max_length is still checked on save.
            if isinstance(field, forms.CharField) and getattr(field, "max_length", None):
                widget.attrs.setdefault("maxlength", field.max_length)

    def money_fields(self, *names):
        for name in names:
            label = self._meta.model._meta.get_field(name).verbose_name
            self.fields[name] = MoneyField(label=label)


def money_formfield(db_field, **kwargs):
    """formfield_callback: money columns (Decimal 14,2) become MoneyField, scores ScoreField, counts CountField."""
    from django.db import models
    if isinstance(db_field, models.DecimalField):
        cls = MoneyField if db_field.max_digits >= 12 else ScoreField
        return cls(label=db_field.verbose_name, max_digits=db_field.max_digits,
                   decimal_places=db_field.decimal_places, required=False)
    if isinstance(db_field, (models.PositiveIntegerField,)) and db_field.name != "order":
        return CountField(label=db_field.verbose_name)
    if isinstance(db_field, models.DateField):
        return forms.DateField(label=db_field.verbose_name, required=False, widget=DateInput())
    return db_field.formfield(**kwargs)


def column_values(obj) -> dict:
    """Every stored column of a model instance (lists and dicts copied, so later edits in place show)."""
    return {f.attname: copy.deepcopy(value) if isinstance(value := getattr(obj, f.attname), (list, dict)) else value
            for f in obj._meta.concrete_fields}


class PaperModelForm(PaperFormMixin, forms.ModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._style_fields()
        for field in self.fields.values():
            field.required = False
        # The instance as stored, taken before validation copies the typed values into it (see instance_changed).
        self.stored = column_values(self.instance) if self.is_bound and self.instance.pk else None

    def instance_changed(self) -> bool:
        """Whether saving the instance now would change a column (always, for a new one). The sheet saves skip the
        UPDATE of a row a clerk left as it was; no model they write has an auto_now column that would then lag."""
        return self.stored is None or column_values(self.instance) != self.stored

    def _post_clean(self):
        # Model constraints are not re-checked per form: Django evaluates each CheckConstraint/UniqueConstraint
        # with a query, which would make a 30-row formset (and every live preview) cost queries per row. The
        # fields enforce the same rules (MoneyField ≥ 0, 分值 > 0, unique project name in clean_name), the
        # save services renumber the print order, and the database still refuses anything that slips through.
        from django.core.exceptions import ValidationError
        from django.forms.models import construct_instance
        opts = self._meta
        try:
            self.instance = construct_instance(self, self.instance, opts.fields, opts.exclude)
        except ValidationError as error:
            self._update_errors(error)
        try:
            self.instance.full_clean(exclude=self._get_validation_exclusions(), validate_unique=False,
                                     validate_constraints=False)
        except ValidationError as error:
            self._update_errors(error)


FOOTER_FIELDS = ["filled_by", "filled_on", "phone"]


class FooterCleanMixin:
    def clean_phone(self):
        return (self.cleaned_data.get("phone") or "").replace("－", "-").strip()


# --- 附件3 ----------------------------------------------------------------------------------------------------

class ProjectForm(PaperModelForm):
    confirm_carried = forms.BooleanField(label=_("确认沿用上年"), required=False)

    class Meta:
        model = Project
        fields = ["name", "category"]
        formfield_callback = money_formfield

    def __init__(self, *args, package: ReportPackage, **kwargs):
        self.package = package
        super().__init__(*args, **kwargs)
        self.fields["name"].required = True
        self.fields["name"].error_messages["required"] = _("请填写项目名称")

    def clean_name(self):
        name = (self.cleaned_data.get("name") or "").strip()
        clash = Project.objects.filter(package=self.package, name=name).exclude(pk=self.instance.pk)
        if name and clash.exists():
            raise forms.ValidationError(_("本报告中已有名为「%(name)s」的项目"), params={"name": name})
        return name


class ProjectSheetForm(FooterCleanMixin, PaperModelForm):
    class Meta:
        model = ProjectEvalSheet
        fields = ["supervising_department", "implementing_unit",
                  "appropriation_initial", "appropriation_full_year", "appropriation_spent",
                  "carryover_initial", "carryover_full_year", "carryover_spent",
                  "other_initial", "other_full_year", "other_spent",
                  "goal_expected", "goal_achieved", *FOOTER_FIELDS]
        formfield_callback = money_formfield
        widgets = {"goal_expected": forms.Textarea(attrs={"rows": 4}), "goal_achieved": forms.Textarea(attrs={"rows": 4})}


class DepartmentSheetForm(FooterCleanMixin, PaperModelForm):
    class Meta:
        model = DepartmentEvalSheet
        fields = ["initial_budget", "full_year_budget", "full_year_spent", "income_general", "income_gov_fund",
                  "income_nontax_special", "income_other", "basic_expenditure", "goal_expected", "goal_achieved",
                  *FOOTER_FIELDS]
        formfield_callback = money_formfield
        widgets = {"goal_expected": forms.Textarea(attrs={"rows": 4}), "goal_achieved": forms.Textarea(attrs={"rows": 4})}


# --- indicator rows (附件2 and 附件3) ------------------------------------------------------------------------

class FixedChoices(BaseChoiceIterator):
    """Choices normalised once and then shared, unchanged, by every form showing them. Django normalises a plain
    list again for the field, for its widget and for each copy of either (every row form copies its fields): for the
    二级 and 档次 selects of a sheet's rows that was a fifth of building its forms."""

    def __init__(self, choices):
        self.choices = normalize_choices(list(choices))
        self.rendered = {}       # the options as HTML, per language (views.fast_widget)

    def __iter__(self):
        return iter(self.choices)

    def __copy__(self):
        return self

    def __deepcopy__(self, memo):
        return self


def subcategory_choices(template) -> tuple[FixedChoices, dict[int, TemplateSubcategory]]:
    """二级 options grouped under their 一级 (optgroups), from the package's weight template (prefetched)."""
    groups, lookup = [], {}
    for category in template.categories.all():
        options = []
        for sub in category.subcategories.all():
            sub.category = category          # no query when the row asks for its 一级
            lookup[sub.pk] = sub
            options.append((str(sub.pk), sub.name))
        groups.append((category.label, options))
    return FixedChoices([("", "——请选择——"), *groups]), lookup


BAND_CHOICES = FixedChoices([("", "——档次——"), *IndicatorRow.Band.choices])


class IndicatorRowForm(PaperModelForm):
    """One 三级 row. 一级 follows from the chosen 二级, so the two can never disagree."""

    CONTENT_FIELDS = ("name", "target_raw", "actual_raw", "weight", "band", "judged_score", "adjusted_score",
                      "adjustment_reason", "deviation_reason")

    subcategory = forms.TypedChoiceField(label=_("二级指标"), required=False, coerce=int, empty_value=None)
    qualitative = forms.BooleanField(label=_("定性"), required=False,
                                     help_text=_("勾选后按定性指标评分，指标值按原文保留"))
    confirm_carried = forms.BooleanField(label=_("确认沿用上年"), required=False)

    class Meta:
        model = IndicatorRow
        fields = ["name", "target_raw", "actual_raw", "weight", "band", "judged_score", "adjusted_score",
                  "adjustment_reason", "deviation_reason", "may_exceed_100", "order"]
        formfield_callback = money_formfield
        widgets = {"order": forms.HiddenInput(), "deviation_reason": forms.Textarea(attrs={"rows": 2}),
                   "name": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, subcategories: dict[int, TemplateSubcategory], choices: FixedChoices, **kwargs):
        self.subcategories = subcategories
        super().__init__(*args, **kwargs)
        self.fields["subcategory"].choices = choices
        self.fields["subcategory"].widget.attrs["class"] = "form-select form-select-sm"
        self.fields["order"].required = False
        self.fields["band"].choices = BAND_CHOICES
        self.fields["weight"].error_messages["required"] = _("请填写分值")
        if self.instance.pk:
            self.initial.setdefault("subcategory", self.instance.subcategory_id)
            self.initial.setdefault("qualitative", self.instance.kind == IndicatorRow.Kind.QUALITATIVE)
        for name in ("target_raw", "actual_raw"):
            self.fields[name].widget.attrs.setdefault("autocomplete", "off")

    # --- reading values without validation (live preview, ordering) ---------------------------------------

    def raw(self, name: str):
        if self.is_bound:
            return self.data.get(self.add_prefix(name), "")
        value = self.initial.get(name, getattr(self.instance, name, ""))
        return "" if value is None else value

    @property
    def display_name(self) -> str:
        return str(self.raw("name") or "")

    @property
    def subcategory_obj(self) -> TemplateSubcategory | None:
        value = self.raw("subcategory") if self.is_bound else self.initial.get("subcategory")
        try:
            return self.subcategories.get(int(value))
        except (TypeError, ValueError):
            return None

    @property
    def is_blank(self) -> bool:
        """A new row nobody typed in: left out of the save instead of refused."""
        return not self.instance.pk and not any(str(self.raw(n) or "").strip() for n in
                                                ("name", "target_raw", "actual_raw", "weight", "deviation_reason"))

    @property
    def is_deleted(self) -> bool:
        return self.is_bound and checked(self.data.get(self.add_prefix("DELETE")))

    def force_qualitative(self) -> bool:
        if self.is_bound:
            return checked(self.data.get(self.add_prefix("qualitative")))
        return bool(self.initial.get("qualitative"))

    # --- validation --------------------------------------------------------------------------------------

    def clean_subcategory(self):
        value = self.cleaned_data.get("subcategory")
        if value is None:
            raise forms.ValidationError(_("请选择二级指标"))
        if value not in self.subcategories:
            raise forms.ValidationError(_("二级指标不属于本报告的权重模板"))
        return self.subcategories[value]

    def clean(self):
        data = super().clean()
        if self.is_blank or self.is_deleted:
            return data
        if data.get("weight") is not None and data["weight"] <= 0:
            self.add_error("weight", _("分值应大于0"))
        target_raw = (data.get("target_raw") or "").strip()
        actual_raw = (data.get("actual_raw") or "").strip()
        target = None
        if target_raw:
            try:    # the parser owns the grammar and its messages (domain.md §4)
                target = parse_target(target_raw, force_qualitative=bool(data.get("qualitative")))
            except TargetError as error:
                self.add_error("target_raw", str(error))
        if target is not None and actual_raw:
            try:
                parse_actual(actual_raw, target)
            except TargetError as error:
                self.add_error("actual_raw", str(error))
        if data.get("adjusted_score") is not None and not (data.get("adjustment_reason") or "").strip():
            self.add_error("adjustment_reason", _("调减得分须填写调减理由"))
        return data

    def apply(self, obj: IndicatorRow) -> IndicatorRow:
        """Fields that are not plain model fields: 一级 from the 二级, 定性 flag."""
        sub = self.cleaned_data["subcategory"]
        obj.subcategory = sub
        obj.category_id = sub.category_id
        obj.kind = IndicatorRow.Kind.QUALITATIVE if self.cleaned_data.get("qualitative") else IndicatorRow.Kind.AUTO
        return obj


class KnownIdsFormSet(BaseModelFormSet):
    """The hidden `id` of each row is resolved from the formset's own queryset (one query for all rows), not by
    Django's per-row ModelChoiceField lookup, so saving or previewing 30 rows costs no more than 3."""

    def add_fields(self, form, index):
        super().add_fields(form, index)
        name = self.model._meta.pk.name
        field = form.fields.get(name)
        if isinstance(field, forms.ModelChoiceField):
            formset = self

            def to_python(value, field=field):
                if value in field.empty_values:
                    return None
                try:
                    obj = formset._existing_object(formset.model._meta.pk.to_python(value))
                except forms.ValidationError:
                    obj = None
                if obj is None:
                    raise forms.ValidationError(_("该行已被他人删除，请刷新页面"), code="invalid_choice")
                return obj
            field.to_python = to_python
            field.validate = lambda value: None


class BaseIndicatorFormSet(KnownIdsFormSet):
    def __init__(self, *args, template=None, rows=None, **kwargs):
        choices, lookup = subcategory_choices(template)
        kwargs.setdefault("form_kwargs", {}).update(subcategories=lookup, choices=choices)
        self.subcategory_lookup = lookup
        self.rows = rows
        super().__init__(*args, **kwargs)

    def get_queryset(self):
        """`rows`, when given: the sheet's rows in print order as load_package() already holds them (no query)."""
        return self.rows if self.rows is not None else super().get_queryset()


IndicatorFormSet = modelformset_factory(IndicatorRow, form=IndicatorRowForm, formset=BaseIndicatorFormSet,
                                        extra=0, can_delete=True)
ROWS_PREFIX = "rows"


# --- 附件1 ----------------------------------------------------------------------------------------------------

class BaseDataForm(FooterCleanMixin, PaperModelForm):
    class Meta:
        model = BaseDataSheet
        fields = ["authorised_posts", "actual_staff", "approved_area", "actual_area", "budget_investment",
                  "actual_investment", "austerity_measures", *FOOTER_FIELDS]
        formfield_callback = money_formfield
        widgets = {"austerity_measures": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("approved_area", "actual_area"):
            self.fields[name].error_messages["max_decimal_places"] = _("面积最多保留两位小数")
            self.fields[name].error_messages["invalid"] = _("请填写数字面积（m²）")


# Typed lines of 附件1's expense block; computed lines are shown, never typed (single source of truth).
TYPED_LINES = ("vehicle", "vehicle_purchase", "vehicle_operation", "overseas", "reception", "business_funds",
               "operation_funds", "public_expense", "office_expense", "utilities_travel", "meeting_training",
               "procurement_amount", "basic_budget_adjustment")
# business/operation funds: only the Y−1 column is typed; the Y columns add up the projects of that category.
PREV_ONLY_LINES = ("business_funds", "operation_funds")
LINE_COLUMNS = ("prev_final", "cur_budget", "cur_final")


class BaseLinesForm(PaperFormMixin, forms.Form):
    """All typed 附件1 money cells as one flat form: line__column → MoneyField."""

    def __init__(self, *args, lines: dict[str, BaseDataLine], year: int, **kwargs):
        initial = {f"{key}__{col}": getattr(line, col) for key, line in lines.items() for col in LINE_COLUMNS}
        super().__init__(*args, initial=initial, **kwargs)
        column_labels = {"prev_final": f"{year - 1}年决算数", "cur_budget": f"{year}年预算数",
                         "cur_final": f"{year}年决算数"}
        for key in TYPED_LINES:
            label = BaseDataLine.Line(key).label
            for col in LINE_COLUMNS:
                if key in PREV_ONLY_LINES and col != "prev_final":
                    continue
                self.fields[f"{key}__{col}"] = MoneyField(label=f"{label}·{column_labels[col]}")
        self._style_fields()

    def cell(self, key: str, col: str):
        name = f"{key}__{col}"
        return self[name] if name in self.fields else None


class SpecialRowForm(PaperModelForm):
    class Meta:
        model = SpecialFundRow
        fields = ["name", "project", "prev_final", "cur_budget", "cur_final", "order"]
        formfield_callback = money_formfield
        widgets = {"order": forms.HiddenInput()}

    def __init__(self, *args, projects=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project"] = forms.TypedChoiceField(
            label=_("对应项目"), required=False, coerce=int, empty_value=None,
            choices=[("", "——未关联（仅上年或无附件3）——"), *((p.pk, p.name) for p in projects)])
        self.fields["project"].widget.attrs["class"] = "form-select form-select-sm"
        self.projects = {p.pk: p for p in projects}
        if self.instance.pk:
            self.initial.setdefault("project", self.instance.project_id)
        self.fields["order"].required = False

    def clean_project(self):
        value = self.cleaned_data.get("project")
        if value is None:
            return None
        if value not in self.projects:
            raise forms.ValidationError(_("项目不属于本报告"))
        return self.projects[value]

    def clean(self):
        data = super().clean()
        if self.has_changed() and not (data.get("name") or "").strip() and not data.get("DELETE"):
            if not data.get("project"):
                self.add_error("name", _("请填写专项名称"))
            else:
                data["name"] = data["project"].name
        return data


class BaseProjectLinkedFormSet(KnownIdsFormSet):
    def __init__(self, *args, projects=(), **kwargs):
        kwargs.setdefault("form_kwargs", {}).update(projects=projects)
        super().__init__(*args, **kwargs)

    def clean(self):
        super().clean()
        linked = [f.cleaned_data.get("project") for f in self.forms
                  if getattr(f, "cleaned_data", None) and not f.cleaned_data.get("DELETE")]
        linked = [p.pk for p in linked if p is not None]
        if len(linked) != len(set(linked)):
            raise forms.ValidationError(_("同一个项目只能对应一个专项行"))


SpecialRowFormSet = modelformset_factory(SpecialFundRow, form=SpecialRowForm, formset=BaseProjectLinkedFormSet,
                                         extra=0, can_delete=True)


# --- 附件4–6 --------------------------------------------------------------------------------------------------

class FundTableForm(PaperModelForm):
    class Meta:
        model = FundTable
        fields = ["none", "filled_by", "filled_on"]
        formfield_callback = money_formfield
        labels = {"none": _("无此项支出（本附件标记为“无”）")}


class FundRowForm(PaperModelForm):
    class Meta:
        model = FundRow
        fields = ["subject", "initial_budget", "full_year_budget", "full_year_spent", "note", "order"]
        formfield_callback = money_formfield
        widgets = {"order": forms.HiddenInput()}

    def clean(self):
        data = super().clean()
        if self.has_changed() and not data.get("DELETE") and not (data.get("subject") or "").strip():
            self.add_error("subject", _("请填写项目（支出功能分类科目）"))
        return data


FundRowFormSet = modelformset_factory(FundRow, form=FundRowForm, formset=KnownIdsFormSet, extra=0, can_delete=True)


# --- narrative and project reports ----------------------------------------------------------------------------

class PackageNarrativeForm(PaperModelForm):
    class Meta:
        model = ReportPackage
        fields = ["personnel_expenditure", "filled_on"]
        formfield_callback = money_formfield


class SectionsForm(PaperFormMixin, forms.Form):
    """One textarea per outline section: key → text, plus a 确认沿用上年 box for carried-over texts."""

    def __init__(self, *args, outline_sections, texts: dict[str, str], carried: set[str], **kwargs):
        initial = {f"s_{s.key}": texts.get(s.key, "") for s in outline_sections}
        super().__init__(*args, initial=initial, **kwargs)
        self.outline_sections = list(outline_sections)
        self.carried = carried
        for section in self.outline_sections:
            self.fields[f"s_{section.key}"] = forms.CharField(
                label=section.title, required=False, max_length=20000,
                widget=forms.Textarea(attrs={"rows": 4, "class": f"{INPUT} narrative-text"}))
            if section.key in carried:
                self.fields[f"c_{section.key}"] = forms.BooleanField(label=_("确认沿用上年内容"), required=False)
        self._style_fields()

    def text(self, key: str) -> str:
        return self.cleaned_data.get(f"s_{key}", "") if hasattr(self, "cleaned_data") else ""

    def raw_text(self, key: str) -> str:
        if self.is_bound:
            return self.data.get(self.add_prefix(f"s_{key}"), "")
        return self.initial.get(f"s_{key}", "")


class ProjectReportForm(PaperModelForm):
    class Meta:
        model = ProjectReport
        fields = ["eval_start", "eval_end", "basis"]
        formfield_callback = money_formfield

    def clean(self):
        data = super().clean()
        start, end = data.get("eval_start"), data.get("eval_end")
        if start and end and end < start:
            self.add_error("eval_end", _("评价结束日期不能早于开始日期"))
        return data


class SpendItemForm(PaperModelForm):
    class Meta:
        model = ProjectSpendItem
        fields = ["name", "amount", "order"]
        formfield_callback = money_formfield
        widgets = {"order": forms.HiddenInput()}

    def clean(self):
        data = super().clean()
        if self.has_changed() and not data.get("DELETE"):
            if not (data.get("name") or "").strip():
                self.add_error("name", _("请填写支出内容"))
            if data.get("amount") is None and "amount" not in self.errors:
                self.add_error("amount", _("请填写金额"))
        return data


SpendItemFormSet = modelformset_factory(ProjectSpendItem, form=SpendItemForm, formset=KnownIdsFormSet, extra=0,
                                        can_delete=True)


# --- creating things ------------------------------------------------------------------------------------------

class NewProjectForm(forms.Form):
    name = forms.CharField(label=_("项目名称（一级项目）"), max_length=100,
                           error_messages={"required": _("请填写项目名称")})
    category = forms.ChoiceField(label=_("项目类别"), choices=Project.Category.choices,
                                 initial=Project.Category.SPECIAL)

    def __init__(self, *args, package: ReportPackage, **kwargs):
        self.package = package
        super().__init__(*args, **kwargs)
        self.fields["name"].widget.attrs["class"] = INPUT
        self.fields["category"].widget.attrs["class"] = "form-select form-select-sm"
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if self.package.projects.filter(name=name).exists():
            raise forms.ValidationError(_("本报告中已有名为「%(name)s」的项目"), params={"name": name})
        return name


class NewPackageForm(forms.Form):
    department = forms.TypedChoiceField(label=_("预算部门"), coerce=int)
    year = forms.IntegerField(label=_("评价年度"), min_value=2000, max_value=2100,
                              error_messages={"invalid": _("请填写年份，如 2024")})
    copy_from = forms.TypedChoiceField(label=_("从上年报告复制"), coerce=int, required=False, empty_value=None,
                                       help_text=_("复制项目、指标及指标值；实际完成值与得分留空，沿用内容标记“沿用上年”"))

    def __init__(self, *args, departments, previous_packages, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].choices = [(d.pk, d.name) for d in departments]
        self.fields["copy_from"].choices = [("", "——不复制，从空白开始——"),
                                            *((p.pk, str(p)) for p in previous_packages)]
        self.helper = FormHelper()
        self.helper.form_tag = False


class ExplanationForm(forms.Form):
    code = forms.CharField(max_length=8, widget=forms.HiddenInput())
    location = forms.CharField(max_length=120, required=False, widget=forms.HiddenInput())
    explanation = forms.CharField(label=_("情况说明"), max_length=1000, required=False,
                                  widget=forms.Textarea(attrs={"rows": 2, "class": INPUT}))

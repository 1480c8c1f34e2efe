from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from evalportal.orgs.models import Region

from .selectors import SORTS


class ScopeForm(forms.Form):
    """The region view's filters (GET). A region outside the user's scope is an invalid choice."""

    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100, required=False)
    region = forms.ModelChoiceField(label=_("地区"), queryset=None, required=False, empty_label=_("全部"))
    sort = forms.ChoiceField(label=_("排序"), choices=[(s, s) for s in SORTS] + [(f"-{s}", s) for s in SORTS],
                             required=False)
    flagged = forms.BooleanField(label=_("只看有提示的单位"), required=False)

    def __init__(self, *args, regions, default_year: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = Region.objects.filter(pk__in=[r.pk for r in regions]).order_by("name")
        self.default_year = default_year

    def initial_values(self) -> dict:
        return {"year": self.default_year, "region": None, "sort": "score", "flagged": False}

    def clean(self):
        data = super().clean()
        data["year"] = data.get("year") or self.default_year
        data["sort"] = data.get("sort") or "score"
        return data


class KeyEvaluationForm(forms.Form):
    ACTIONS = (("select", _("选为财政重点评价")), ("unselect", _("取消重点评价")))

    packages = forms.TypedMultipleChoiceField(label=_("单位"), coerce=int, choices=(), required=True,
                                              error_messages={"required": _("请先勾选单位。")})
    action = forms.ChoiceField(label=_("操作"), choices=ACTIONS)
    note = forms.CharField(label=_("备注"), max_length=200, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Any id is acceptable here: the view keeps only packages the user may review.
        self.fields["packages"].valid_value = lambda value: str(value).isdigit()

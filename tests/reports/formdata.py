"""Build the POST a browser would send from a rendered filling page (its forms' current values)."""
from __future__ import annotations


def _value(bound):
    value = bound.value()
    if value is None:
        return ""
    if isinstance(value, bool):
        return "on" if value else None
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def form_values(form) -> dict:
    data = {}
    for bound in form:
        value = _value(bound)
        if value is not None:
            data[bound.html_name] = value
    return data


def page_data(response) -> dict:
    """All fields of the page's forms, as initially rendered, plus the version and csrf-free extras."""
    context = response.context
    data = {"version": str(context["version"])}
    for key in ("page",):
        page = context.get(key)
        if page is None:
            continue
        for form in (getattr(page, "project_form", None), getattr(page, "sheet_form", None)):
            if form is not None:
                data.update(form_values(form))
        formset = getattr(page, "formset", None)
        if formset is not None:
            data.update(form_values(formset.management_form))
            for form in formset.forms:
                data.update(form_values(form))
    part_forms = page.forms() if page is not None and hasattr(page, "forms") and callable(page.forms) else []
    for name in ("forms",):
        for form in part_forms:
            if hasattr(form, "management_form"):
                data.update(form_values(form.management_form))
                for sub in form.forms:
                    data.update(form_values(sub))
            else:
                data.update(form_values(form))
    return data


def row_prefix(response, name: str) -> str:
    """The form prefix (rows-N) of the indicator row whose 三级指标 is `name`."""
    for form in response.context["page"].formset.forms:
        if form.instance.name == name:
            return form.prefix
    raise KeyError(name)

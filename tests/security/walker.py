"""Bad input for every form the walker finds (the form reader itself is shared with the load test)."""
from evalportal.core.loadtest.forms import Form, forms_in, url_patterns  # noqa: F401

BAD_VALUES = {
    "over_long": "超长文本" * 700,                    # 2,800 characters: over every max_length
    "wrong_type": "不是数字abc",
    "negative": "-5.00",
    "too_precise": "1.234567",
    "markup": "<script>alert(1)</script>≥95%",
}


def mutate(form: Form, how: str) -> dict[str, str]:
    data = {}
    for f in form.fields:
        if f.name in ("csrfmiddlewaretoken", "version") or f.kind == "hidden":
            data[f.name] = f.value
        elif f.kind == "select":
            data[f.name] = "不存在的选项" if how == "wrong_type" else f.value
        elif f.kind in ("checkbox", "radio"):
            data[f.name] = f.value
        else:
            data[f.name] = BAD_VALUES[how]
    return data

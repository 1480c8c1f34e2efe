"""evalportal.core.html.escape_html writes what Django's conditional_escape writes."""
from decimal import Decimal

from django.utils.functional import lazy
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

from evalportal.core.html import escape_html


def test_the_same_text_as_conditional_escape():
    lazy_text = lazy(lambda: "甲<乙>", str)()
    for value in ("", "纯文本", "<a href=\"x\">'&'</a>", mark_safe("<b>已审</b>"), 12, Decimal("1.50"), None,
                  lazy_text, "&amp;"):
        assert escape_html(value) == str(conditional_escape(value)), value
    assert escape_html("<&>\"'") == "&lt;&amp;&gt;&quot;&#x27;"

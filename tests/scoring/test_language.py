"""evalportal.scoring.language: Django's translations, with the language read once per scoring run."""
from decimal import Decimal

from django.utils import translation

from evalportal.checks.data import IndicatorData, Rules
from evalportal.scoring import score_sheet
from evalportal.scoring.language import get_language, gettext, pinned_language

# A message that Django's own catalogs translate (the engine's messages are written in Chinese already).
REQUIRED = "This field is required."


def test_outside_a_pin_it_is_djangos_gettext_and_language():
    for language in ("zh-hans", "de"):
        with translation.override(language):
            assert gettext(REQUIRED) == translation.gettext(REQUIRED)
            assert get_language() == language
    with translation.override("de"):
        assert gettext(REQUIRED) != REQUIRED


def test_a_pin_keeps_the_language_active_on_entry_and_each_language_its_own_messages():
    with translation.override("de"), pinned_language():
        german = gettext(REQUIRED)
        assert get_language() == "de"
        with translation.override("zh-hans"):       # not seen inside the pin: the run keeps one language
            assert gettext(REQUIRED) == german and get_language() == "de"
    with translation.override("zh-hans"), pinned_language():
        assert gettext(REQUIRED) == "这个字段是必填项。" != german
        with pinned_language():                    # a nested pin (derive → score_sheet) keeps the outer one
            assert get_language() == "zh-hans"
    with translation.override("de"):
        assert get_language() == "de"               # the pin ended with its block


def test_a_sheet_scored_inside_a_pin_is_the_sheet_scored_outside_one():
    row = IndicatorData(id=1, category="产出指标", subcategory="数量指标", name="培训人次", target_raw="≥100人次",
                        actual_raw="50人次", weight=Decimal("10"))
    rules = Rules(execution_weight=Decimal("10"))
    first = score_sheet([row], Decimal("100"), Decimal("90"), rules)     # pins for itself
    with pinned_language():
        second = score_sheet([row], Decimal("100"), Decimal("90"), rules)
    assert first.rows[0].final == second.rows[0].final == Decimal("5.00") and first.total == second.total
    assert str(first.rows[0].explanation) == str(second.rows[0].explanation)
    assert "按完成比例得分" in str(first.rows[0].explanation)

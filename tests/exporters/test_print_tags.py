"""The grid_rows tag writes the printed table rows as the template loop did: escaped text, spans, classes."""
from django.utils.safestring import mark_safe

from evalportal.exporters.layout import PlacedCell, PlacedRow
from evalportal.exporters.templatetags.exporters_tags import grid_rows


def test_cells_are_escaped_spanned_and_classed():
    rows = [PlacedRow(cells=[PlacedCell('<img src="file:///etc/passwd"> & \'x\'', colspan=2, cls="text wrap"),
                             PlacedCell("", rowspan=3, cls="group"),
                             PlacedCell("ignored", lines=("第一行<", "第二行"))], cls="total"),
            PlacedRow(cells=[PlacedCell(mark_safe("<b>已审</b>")), PlacedCell(12)])]
    assert grid_rows(rows) == (
        '<tr class="total"><td colspan="2" class="text wrap">&lt;img src=&quot;file:///etc/passwd&quot;&gt; &amp; '
        '&#x27;x&#x27;</td><td rowspan="3" class="group"></td><td>第一行&lt;<br/>第二行</td></tr>\n'
        "<tr><td><b>已审</b></td><td>12</td></tr>\n")

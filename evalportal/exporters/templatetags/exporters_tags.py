from django import template
from django.utils.safestring import mark_safe

from evalportal.core.html import escape_html
from evalportal.exporters.parts import part_keys

register = template.Library()


@register.simple_tag
def export_parts(package) -> list[tuple[str, str]]:
    """(key, label) of every part the package prints, for the per-part download links."""
    return part_keys(package)


@register.simple_tag
def can_bulk_download(user) -> bool:
    """Reviewers and admins may download a region's approved packages as one ZIP."""
    from evalportal.accounts.roles import Role
    return bool(user.is_authenticated and (user.is_portal_admin or user.has_role(Role.REVIEWER)))


@register.simple_tag
def grid_rows(rows) -> str:
    """The <tr> elements of one printed table page (layout.PlacedRow). Written in Python: the template loop over
    every cell of every page was a sixth of the CPU of a package PDF. Text is escaped as {{ }} would."""
    out = []
    for row in rows:
        out.append(f'<tr class="{escape_html(row.cls)}">' if row.cls else "<tr>")
        for cell in row.cells:
            attributes = ""
            if cell.colspan > 1:
                attributes += f' colspan="{cell.colspan}"'
            if cell.rowspan > 1:
                attributes += f' rowspan="{cell.rowspan}"'
            if cell.cls:
                attributes += f' class="{escape_html(cell.cls)}"'
            text = "<br/>".join(escape_html(line) for line in cell.lines) if cell.lines else escape_html(cell.text)
            out.append(f"<td{attributes}>{text}</td>")
        out.append("</tr>\n")
    return mark_safe("".join(out))

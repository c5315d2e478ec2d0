"""One tag per table row: a district of 50 schools has thousands of figure cells, and a
template {% for %} per cell cost more than the page's queries."""

from html import escape

from django import template
from django.utils.safestring import mark_safe

from learning.dashboards.charts import heat_level

register = template.Library()


@register.simple_tag
def cells(values):
    """<td>…</td> for each figure (already suppressed: a Cell prints "fewer than 5")."""
    return mark_safe("".join(f"<td>{escape(str(v))}</td>" for v in values))  # noqa: S308 - escaped here


@register.simple_tag
def heat_cells(values):
    """Like `cells`, shaded by value (learning's heatmap classes); a hidden value is unshaded."""
    return mark_safe(  # noqa: S308 - escaped here
        "".join(
            f'<td class="nw-heat nw-heat--{heat_level(getattr(v, "number", None))}">{escape(str(v))}</td>'
            for v in values
        )
    )

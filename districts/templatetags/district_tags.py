"""One tag per table row: a district of 50 schools has thousands of figure cells, and a
template {% for %} per cell cost more than the page's queries."""

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

from learning.dashboards.charts import heat_level

register = template.Library()


@register.simple_tag
def cells(values):
    """<td>…</td> for each figure (already suppressed: a hidden Cell renders its label and meaning)."""
    return mark_safe("".join(f"<td>{conditional_escape(v)}</td>" for v in values))  # noqa: S308 - escaped here


@register.simple_tag
def heat_cells(values):
    """Like `cells`, shaded by value (learning's heatmap classes); a hidden value is unshaded."""
    return mark_safe(  # noqa: S308 - escaped here
        "".join(
            f'<td class="nw-heat nw-heat--{heat_level(getattr(v, "number", None))}">{conditional_escape(v)}</td>'
            for v in values
        )
    )

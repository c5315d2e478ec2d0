"""Server-rendered SVG charts: geometry computed here, drawn by learning/includes/*.html,
always paired with a data table so the figures read without the picture."""

from django.utils.formats import date_format
from django.utils.translation import pgettext

WIDTH = 320
HEIGHT = 160
PAD_BOTTOM = 24
PAD_TOP = 16


def week_point(day, value) -> dict:
    """A bar for the week starting `day`: labelled in full in the data table (26 Nov, 11月26日)
    and briefly on the axis, where eight labels share a phone's width (26 Nov, 11/26)."""
    return {
        "label": date_format(day, "MONTH_DAY_FORMAT"),
        # Translators: a PHP-style date format (Django's date filter) for a week's first day on
        # a chart's axis; at most about five characters wide.
        "axis": date_format(day, pgettext("chart axis", "j M")),
        "value": value,
    }


def bar_chart(points, *, max_value=None, unit="%"):
    """points: [{"label": str, "value": number, "axis": optional shorter label to draw}] ->
    geometry for an SVG bar chart."""
    points = list(points)
    top = max_value or max([p["value"] or 0 for p in points] + [1])
    n = max(len(points), 1)
    slot = WIDTH / n
    bar_w = max(slot * 0.6, 2)
    plot_h = HEIGHT - PAD_BOTTOM - PAD_TOP
    bars = []
    for i, p in enumerate(points):
        value = p["value"] or 0
        h = plot_h * min(value, top) / top if top else 0
        bars.append(
            {
                "x": round(i * slot + (slot - bar_w) / 2, 1),
                "y": round(PAD_TOP + plot_h - h, 1),
                "w": round(bar_w, 1),
                "h": round(h, 1),
                "label": p["label"],
                "axis": p.get("axis", p["label"]),
                "value": p["value"],
                "text_x": round(i * slot + slot / 2, 1),
                "text_y": round(PAD_TOP + plot_h - h - 3, 1),
            }
        )
    return {
        "width": WIDTH,
        "height": HEIGHT,
        "bars": bars,
        "unit": unit,
        "baseline": HEIGHT - PAD_BOTTOM,
        "label_y": HEIGHT - 6,
    }


def heat_level(value):
    """0-4 for a percentage (None: no data), used as a CSS class next to the printed number."""
    if value is None:
        return "none"
    return str(min(int(value) // 25, 4))

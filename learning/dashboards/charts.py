"""Server-rendered SVG charts: geometry computed here, drawn by learning/includes/*.html,
always paired with a data table so the figures read without the picture."""

WIDTH = 320
HEIGHT = 160
PAD_BOTTOM = 24
PAD_TOP = 16


def bar_chart(points, *, max_value=None, unit="%"):
    """points: [{"label": str, "value": number}] -> geometry for an SVG bar chart."""
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

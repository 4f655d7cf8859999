"""Charts drawn on the server as SVG (no script, no inline style: the page's CSP holds).

Each chart is a horizontal bar chart: one row per label, one or more bars per row, the value
written beside the bar. A hidden value draws no bar, only "fewer than 5" (SUPPRESSED) or
"hidden to protect a small group" (PROTECTED) or "hidden" (WITHHELD). Colours come
from presentation attributes and have text contrast on white; the chart carries a title and
a description for screen readers, and every number is also in the table beside it.
"""

from __future__ import annotations

from markupsafe import Markup, escape

from admin.feedback.suppress import PROTECTED, SUPPRESSED

ROW = 26
LABEL_W = 170
BAR_W = 360
VALUE_W = 110
COLOURS = ("#1f5f8b", "#b35900", "#5b6b2f")


def bar_chart(title: str, rows: list[tuple[str, list[int | str]]], series: list[str],
              suppressed_text: str = "fewer than 5",
              protected_text: str = "hidden to protect a small group",
              withheld_text: str = "hidden") -> Markup:
    """An SVG bar chart; rows are (label, [value per series]), values int or suppressed."""
    numbers = [v for _label, values in rows for v in values if isinstance(v, int)]
    top = max(numbers, default=0) or 1
    per_row = ROW * max(1, len(series))
    height = 30 + per_row * len(rows) + 24
    width = LABEL_W + BAR_W + VALUE_W
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
             f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
             f'aria-label="{escape(title)}">', f"<title>{escape(title)}</title>"]
    for i, name in enumerate(series):  # the legend
        x = LABEL_W + i * 120
        parts.append(f'<rect x="{x}" y="6" width="12" height="12" fill="{COLOURS[i % 3]}"/>'
                     f'<text x="{x + 16}" y="17" font-size="12">{escape(name)}</text>')
    for r, (label, values) in enumerate(rows):
        y0 = 30 + r * per_row
        parts.append(f'<text x="{LABEL_W - 8}" y="{y0 + ROW * len(series) / 2 + 4:.0f}" '
                     f'font-size="13" text-anchor="end">{escape(label)}</text>')
        for i, value in enumerate(values):
            y = y0 + i * ROW + 3
            if isinstance(value, int):
                w = max(1.0, BAR_W * value / top) if value else 0
                parts.append(f'<rect x="{LABEL_W}" y="{y}" width="{w:.1f}" height="{ROW - 8}" '
                             f'fill="{COLOURS[i % 3]}"><title>{escape(series[i])}: {value}'
                             f'</title></rect>')
                text, x = str(value), LABEL_W + w + 6
            else:
                text = {SUPPRESSED: suppressed_text,
                        PROTECTED: protected_text}.get(value, withheld_text)
                x = LABEL_W + 6
            parts.append(f'<text x="{x:.1f}" y="{y + ROW - 12}" font-size="12">{escape(text)}'
                         f'</text>')
    parts.append("</svg>")
    return Markup("".join(parts))

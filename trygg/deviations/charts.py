"""Server-side SVG charts: the same picture on screen, in print and in PDF (STYLE.md).

Each chart carries a title and a description for screen readers; the page shows the same
numbers in a table beside it.
"""

from __future__ import annotations

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

COLOURS = ("#1b6e53", "#8fbfae", "#b4532a", "#4a5d8f", "#8a6d1f")
WIDTH, HEIGHT = 640, 240
LEFT, BOTTOM, TOP = 36, 28, 12


def bar_chart(
    *, title: str, description: str, labels: list[str], series: list[tuple[str, list[int]]]
) -> SafeString:
    """Grouped bars, one group per label, one bar per series, with a legend."""
    peak = max([1, *(v for _, values in series for v in values)])
    plot_w = WIDTH - LEFT - 8
    plot_h = HEIGHT - BOTTOM - TOP - 18
    group_w = plot_w / max(1, len(labels))
    bar_w = max(2.0, (group_w - 6) / max(1, len(series)))
    bars = []
    for s_index, (_name, values) in enumerate(series):
        colour = COLOURS[s_index % len(COLOURS)]
        for i, value in enumerate(values):
            h = plot_h * value / peak
            x = LEFT + i * group_w + 3 + s_index * bar_w
            y = TOP + 18 + plot_h - h
            bars.append((f"{x:.1f}", f"{y:.1f}", f"{bar_w - 1:.1f}", f"{h:.1f}", colour, value))
    axis_y = TOP + 18 + plot_h
    ticks = format_html_join(
        "",
        '<text x="{}" y="{}" font-size="11" text-anchor="middle" fill="#333">{}</text>',
        (
            (f"{LEFT + i * group_w + group_w / 2:.1f}", axis_y + 16, label)
            for i, label in enumerate(labels)
        ),
    )
    rects = format_html_join(
        "",
        '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"><title>{}</title></rect>',
        bars,
    )
    legend = format_html_join(
        "",
        '<rect x="{}" y="2" width="10" height="10" fill="{}"></rect>'
        '<text x="{}" y="11" font-size="11" fill="#333">{}</text>',
        (
            (LEFT + i * 140, COLOURS[i % len(COLOURS)], LEFT + i * 140 + 14, name)
            for i, (name, _values) in enumerate(series)
        ),
    )
    return format_html(
        '<svg class="chart" viewBox="0 0 {w} {h}" role="img" aria-labelledby="{id}-t {id}-d" '
        'xmlns="http://www.w3.org/2000/svg"><title id="{id}-t">{title}</title>'
        '<desc id="{id}-d">{desc}</desc>{legend}'
        '<line x1="{left}" y1="{axis}" x2="{right}" y2="{axis}" stroke="#666"></line>'
        '<text x="4" y="{top}" font-size="11" fill="#333">{peak}</text>{rects}{ticks}</svg>',
        w=WIDTH,
        h=HEIGHT,
        id=mark_safe(f"chart{abs(hash((title, description))) % 10**8}"),
        title=title,
        desc=description,
        legend=legend,
        left=LEFT,
        right=WIDTH - 8,
        axis=axis_y,
        top=TOP + 24,
        peak=peak,
        rects=rects,
        ticks=ticks,
    )

"""The trend chart drawn server-side as accessible SVG: the monthly sick-leave percent against
the organisation's goal. Months without a figure (masked or no data) leave a gap."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from trygg.absence.statistics import Figures

WIDTH, HEIGHT = 640, 240
LEFT, RIGHT, TOP, BOTTOM = 44, 12, 12, 36


def _pct(value: Decimal | None) -> str:
    return "–" if value is None else f"{value}".replace(".", ",") + " %"


def trend_chart(series: Sequence[Figures], goal: Decimal | None) -> SafeString:
    if not series:
        return mark_safe("")
    values = [f.percent for f in series]
    top_value = max([float(v) for v in values if v is not None] + [float(goal or 0), 1.0])
    scale_max = max(2.0, (int(top_value / 2) + 1) * 2.0)
    inner_w, inner_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    step = inner_w / max(len(series) - 1, 1)

    def y(value: float) -> float:
        return TOP + inner_h * (1 - value / scale_max)

    parts = [
        f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-labelledby="chart-title chart-desc" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="chart-title">{escape(_("Sick leave per month"))}</title>',
        '<desc id="chart-desc">'
        + escape(
            "; ".join(f"{f.start:%m.%Y}: {_pct(f.percent)}" for f in series)
            + (f"; {_('Goal')}: {_pct(goal)}" if goal is not None else "")
        )
        + "</desc>",
    ]
    for tick in range(0, int(scale_max) + 1, max(1, int(scale_max) // 4)):
        ty = y(tick)
        parts.append(
            f'<line x1="{LEFT}" y1="{ty:.1f}" x2="{WIDTH - RIGHT}" y2="{ty:.1f}" stroke="#d0d5dd" stroke-width="1"/>'
            f'<text x="{LEFT - 6}" y="{ty + 4:.1f}" text-anchor="end" font-size="11" fill="#344054">{tick} %</text>'
        )
    for i, figure in enumerate(series):
        if len(series) <= 13 or i % 3 == 0:
            parts.append(
                f'<text x="{LEFT + i * step:.1f}" y="{HEIGHT - 14}" text-anchor="middle" font-size="11" '
                f'fill="#344054">{figure.start:%m.%y}</text>'
            )
    if goal is not None:
        gy = y(float(goal))
        parts.append(
            f'<line x1="{LEFT}" y1="{gy:.1f}" x2="{WIDTH - RIGHT}" y2="{gy:.1f}" stroke="#b42318" '
            f'stroke-width="2" stroke-dasharray="6 4"/>'
            f'<text x="{WIDTH - RIGHT}" y="{gy - 6:.1f}" text-anchor="end" font-size="11" fill="#b42318">'
            f"{escape(_('Goal'))} {escape(_pct(goal))}</text>"
        )
    segment: list[str] = []
    segments: list[list[str]] = []
    for i, value in enumerate(values):
        if value is None:
            if segment:
                segments.append(segment)
            segment = []
            continue
        segment.append(f"{LEFT + i * step:.1f},{y(float(value)):.1f}")
    if segment:
        segments.append(segment)
    for points in segments:
        parts.append(
            f'<polyline points="{" ".join(points)}" fill="none" stroke="#1d4ed8" stroke-width="2.5"/>'
        )
        for point in points:
            cx, cy = point.split(",")
            parts.append(f'<circle cx="{cx}" cy="{cy}" r="3" fill="#1d4ed8"/>')
    parts.append("</svg>")
    return mark_safe("".join(parts))

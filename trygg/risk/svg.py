"""The risk diagram (risikodiagram, heat map) drawn server-side as accessible SVG.

The same markup appears on the page, in the PDF (WeasyPrint draws SVG) and in the årshjul's
figures. Colours only repeat what the text says: every cell's count or hazard numbers are
written in it, and the SVG's description lists the non-empty cells and the bands.
"""

from __future__ import annotations

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from trygg.risk.models import Band, RiskMatrix

CELL = 56
LEFT = 64
TOP = 8
BOTTOM = 56
FILL = {Band.LOW: "#cdeccf", Band.MEDIUM: "#ffe9a8", Band.HIGH: "#f6c1c1"}
INK = "#1b1b1b"


def _cell_text(value: object) -> str:
    if isinstance(value, list):
        numbers = [str(n) for n in value]
        if len(numbers) > 3:
            return ", ".join(numbers[:2]) + f" +{len(numbers) - 2}"
        return ", ".join(numbers)
    return str(value) if value else ""


def heat_map(
    matrix: RiskMatrix,
    cells: dict[tuple[int, int], object],
    *,
    element_id: str,
    title: str,
) -> SafeString:
    """`cells` maps (probability, consequence) to a count or a list of hazard numbers."""
    rows, columns = matrix.rows, matrix.columns
    width = LEFT + columns * CELL + 8
    height = TOP + rows * CELL + BOTTOM
    parts: list[str] = []
    filled: list[str] = []
    totals = {Band.LOW: 0, Band.MEDIUM: 0, Band.HIGH: 0}
    for p in range(rows, 0, -1):
        y = TOP + (rows - p) * CELL
        for c in range(1, columns + 1):
            x = LEFT + (c - 1) * CELL
            band = matrix.band(p * c)
            value = cells.get((p, c))
            count = len(value) if isinstance(value, list) else int(value or 0)  # type: ignore[call-overload]
            totals[band] += count
            parts.append(
                f'<rect x="{x}" y="{y}" width="{CELL}" height="{CELL}" fill="{FILL[band]}" '
                f'stroke="#ffffff" stroke-width="2"/>'
            )
            text = _cell_text(value)
            if text:
                filled.append(
                    _("probability %(p)s × consequence %(c)s (score %(score)s): %(text)s")
                    % {"p": p, "c": c, "score": p * c, "text": text}
                )
                parts.append(
                    f'<text x="{x + CELL / 2}" y="{y + CELL / 2 + 5}" text-anchor="middle" '
                    f'font-size="{14 if len(text) < 6 else 11}" font-weight="700" '
                    f'fill="{INK}">{escape(text)}</text>'
                )
        parts.append(
            f'<text x="{LEFT - 8}" y="{y + CELL / 2 + 5}" text-anchor="end" font-size="13" '
            f'fill="{INK}">{p}</text>'
        )
    for c in range(1, columns + 1):
        x = LEFT + (c - 1) * CELL + CELL / 2
        parts.append(
            f'<text x="{x}" y="{TOP + rows * CELL + 18}" text-anchor="middle" font-size="13" '
            f'fill="{INK}">{c}</text>'
        )
    parts.append(
        f'<text x="{LEFT + columns * CELL / 2}" y="{TOP + rows * CELL + 44}" '
        f'text-anchor="middle" font-size="13" fill="{INK}">{escape(_("Consequence"))} →</text>'
    )
    middle = TOP + rows * CELL / 2
    parts.append(
        f'<text x="16" y="{middle}" text-anchor="middle" font-size="13" fill="{INK}" '
        f'transform="rotate(-90 16 {middle})">{escape(_("Probability"))} →</text>'
    )
    summary = _(
        "Risk diagram on the %(size)s matrix, version %(version)s. Low: %(low)s, "
        "medium: %(medium)s, high: %(high)s."
    ) % {
        "size": matrix.size_label,
        "version": matrix.version,
        "low": totals[Band.LOW],
        "medium": totals[Band.MEDIUM],
        "high": totals[Band.HIGH],
    }
    description = summary + (" " + "; ".join(filled) + "." if filled else " " + _("No hazards."))
    svg = (
        f'<svg class="risk-map" xmlns="http://www.w3.org/2000/svg" role="img" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'aria-labelledby="{element_id}-title {element_id}-desc">'
        f'<title id="{element_id}-title">{escape(title)}</title>'
        f'<desc id="{element_id}-desc">{escape(description)}</desc>' + "".join(parts) + "</svg>"
    )
    return mark_safe(svg)

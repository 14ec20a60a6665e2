"""The geometry of the circular årshjul, computed here and drawn as SVG by a template.

Twelve month sectors start at twelve o'clock with the plan's first month and run clockwise;
each ring is a committee level (HAMU outermost, then AMU and L-AMU) or a kind of HMS activity.
Each item is a dot in its ring for every month it falls in, linking to the item's page.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field

from django.utils.dates import MONTHS, MONTHS_3
from django.utils.translation import gettext as _

from trygg.org.models import Committee

from .models import Category, Plan, PlanItem

SIZE = 800
CENTRE = SIZE / 2
OUTER = 390  # the month labels' ring
LABEL_RING = 44
INNER = 70  # the hub
DOT = 8.5
LEVEL_ORDER = [Committee.Kind.HAMU, Committee.Kind.AMU, Committee.Kind.LAMU]


@dataclass
class Dot:
    x: float
    y: float
    item: PlanItem
    state: str  # done, overdue, open
    label: str


@dataclass
class Ring:
    key: str
    label: str
    outer: float
    inner: float
    label_y: float
    dots: list[Dot] = field(default_factory=list)

    @property
    def mid(self) -> float:
        return (self.outer + self.inner) / 2


@dataclass
class Sector:
    month: int
    name: str
    short: str
    path: str
    label_x: float
    label_y: float
    is_current: bool


@dataclass
class Wheel:
    size: int
    centre: float
    sectors: list[Sector]
    rings: list[Ring]
    ring_circles: list[float]
    spokes: list[tuple[float, float, float, float]]
    today: tuple[float, float, float, float] | None
    today_label: str


def _point(radius: float, angle: float) -> tuple[float, float]:
    """A point at `angle` degrees clockwise from twelve o'clock."""
    rad = math.radians(angle - 90)
    return round(CENTRE + radius * math.cos(rad), 1), round(CENTRE + radius * math.sin(rad), 1)


def _sector_path(outer: float, inner: float, start: float, end: float) -> str:
    x1, y1 = _point(outer, start)
    x2, y2 = _point(outer, end)
    x3, y3 = _point(inner, end)
    x4, y4 = _point(inner, start)
    return (
        f"M{x1} {y1} A{outer} {outer} 0 0 1 {x2} {y2} L{x3} {y3} A{inner} {inner} 0 0 0 {x4} {y4} Z"
    )


def ring_key(item: PlanItem) -> str:
    return item.committee_kind or item.category


def ring_label(key: str) -> str:
    if key in Committee.Kind.values:
        return {"hamu": "HAMU", "amu": "AMU", "lamu": "L-AMU"}[key]
    return str(Category(key).label)


def item_state(item: PlanItem, day: dt.date) -> str:
    if item.is_done:
        return "done"
    due = item.due_date()
    return "overdue" if due is not None and due < day else "open"


def state_label(state: str) -> str:
    return {"done": _("done"), "overdue": _("overdue"), "open": _("not done")}[state]


def build(plan: Plan, items: list[PlanItem], day: dt.date) -> Wheel:
    order = plan.month_order()
    present = {ring_key(item) for item in items if item.months()}
    keys = [k for k in LEVEL_ORDER if k in present] + [
        c for c in Category.values if c in present and c not in LEVEL_ORDER
    ]
    if not keys:
        keys = [Committee.Kind.HAMU, Committee.Kind.AMU]
    band = OUTER - LABEL_RING
    width = (band - INNER) / len(keys)
    rings = []
    for index, key in enumerate(keys):
        outer = band - index * width
        rings.append(
            Ring(key, ring_label(key), outer, outer - width, round(CENTRE - outer + width / 2, 1))
        )
    by_key = {ring.key: ring for ring in rings}

    sectors = []
    spokes = []
    current_month = day.month if plan.date_in(day.month).year == day.year else None
    for position, month in enumerate(order):
        start, end = position * 30, (position + 1) * 30
        lx, ly = _point(OUTER - LABEL_RING / 2, start + 15)
        sectors.append(
            Sector(
                month=month,
                name=str(MONTHS[month]),
                short=str(MONTHS_3[month]).capitalize(),
                path=_sector_path(OUTER, INNER, start, end),
                label_x=lx,
                label_y=ly,
                is_current=month == current_month,
            )
        )
        spokes.append((*_point(INNER, start), *_point(OUTER, start)))

    cells: dict[tuple[str, int], list[PlanItem]] = {}
    for item in items:
        for month in item.months():
            cells.setdefault((ring_key(item), month), []).append(item)
    for (key, month), members in cells.items():
        ring = by_key[key]
        position = order.index(month)
        per_row = max(1, int((ring.mid * math.radians(30)) // (DOT * 2.6)))
        rows = math.ceil(len(members) / per_row)
        for i, item in enumerate(members):
            row, col = divmod(i, per_row)
            in_row = min(per_row, len(members) - row * per_row)
            radius = ring.mid + (row - (rows - 1) / 2) * DOT * 2.4
            angle = position * 30 + 30 * (col + 1) / (in_row + 1)
            x, y = _point(radius, angle)
            state = item_state(item, day)
            ring.dots.append(
                Dot(
                    x,
                    y,
                    item,
                    state,
                    _("%(title)s (%(ring)s, %(month)s): %(state)s")
                    % {
                        "title": item.title,
                        "ring": ring.label,
                        "month": MONTHS[month],
                        "state": state_label(state),
                    },
                )
            )

    today_line = None
    start_of_plan = plan.date_in(order[0])
    last = plan.date_in(order[-1])
    after_plan = dt.date(last.year + (last.month == 12), last.month % 12 + 1, 1)
    if start_of_plan <= day < after_plan:
        position = order.index(day.month)
        days_in_month = (
            (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)
        ).day
        angle = position * 30 + 30 * (day.day - 0.5) / days_in_month
        today_line = (*_point(INNER - 6, angle), *_point(OUTER + 4, angle))
    return Wheel(
        size=SIZE,
        centre=CENTRE,
        sectors=sectors,
        rings=rings,
        ring_circles=[ring.inner for ring in rings] + [OUTER - LABEL_RING],
        spokes=spokes,
        today=today_line,
        today_label=_("Today, %(date)s") % {"date": day.strftime("%d.%m.%Y")},
    )

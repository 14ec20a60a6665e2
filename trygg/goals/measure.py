"""How a goal is measured: its indicator, current value, trend and status, and the sparkline.

A goal is bound either to a live indicator (`trygg.lib.indicators`, registered by the module that
keeps the data) or to measurements entered by hand. An indicator that no module has registered
yet is not an error: the goal shows that its data source is missing and has no status.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

from django.utils.functional import Promise
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from trygg.lib import indicators
from trygg.lib.dates import today

if TYPE_CHECKING:
    from trygg.goals.models import Goal

# Indicators the modules of Trygg are expected to register. A goal may be bound to one of these
# before its module supplies it; the goal then says that the data source is missing.
KNOWN_INDICATORS: dict[str, tuple[str | Promise, str, bool]] = {
    "absence.percent": (_("Sick-leave percent"), "%", True),
    "deviations.closed_in_time": (_("Share of deviations closed in time"), "%", False),
    "risk.current_share": (_("Share of units with a current risk assessment"), "%", False),
    "training.coverage": (_("HMS training coverage"), "%", False),
    "goals.action_plan_done": (
        _("Share of action-plan activities done by their deadline"),
        "%",
        False,
    ),
}
TREND_QUARTERS = 6  # the sparkline of a live indicator: the last six quarters


class Status:
    ON_TRACK = "on_track"
    OFF_TRACK = "off_track"
    NO_DATA = "no_data"

    LABELS = {
        ON_TRACK: _("On track"),
        OFF_TRACK: _("Not on track"),
        NO_DATA: _("No data"),
    }
    BADGES = {ON_TRACK: "badge--ok", OFF_TRACK: "badge--error", NO_DATA: "badge--warn"}


@dataclass(frozen=True)
class IndicatorChoice:
    code: str
    label: str | Promise
    unit: str
    lower_is_better: bool
    available: bool  # a module has registered it


def indicator_choices() -> list[IndicatorChoice]:
    """The live indicators a goal may be bound to: those registered, and those expected."""
    choices = {
        code: IndicatorChoice(code, label, unit, lower, False)
        for code, (label, unit, lower) in KNOWN_INDICATORS.items()
    }
    for found in indicators.all_indicators():
        choices[found.code] = IndicatorChoice(
            found.code, found.label, found.unit, found.lower_is_better, True
        )
    return sorted(choices.values(), key=lambda c: str(c.label))


def indicator_label(code: str) -> str | Promise:
    registered = indicators.get(code)
    if registered is not None:
        return registered.label
    known = KNOWN_INDICATORS.get(code)
    return known[0] if known else code


@dataclass
class Reading:
    """What a goal's indicator says now: the current value, the trend and the status."""

    value: Decimal | None
    points: list[tuple[dt.date, Decimal]] = field(default_factory=list)
    status: str = Status.NO_DATA
    source_missing: bool = False
    as_of: dt.date | None = None
    # A stored reading of a live indicator: when it was computed, and whether the
    # organisation's data has changed since (the page shows it, with its time, meanwhile).
    computed_at: dt.datetime | None = None
    stale: bool = False

    @property
    def status_label(self) -> str | Promise:
        return Status.LABELS[self.status]

    @property
    def badge(self) -> str:
        return Status.BADGES[self.status]


def quarter_start(day: dt.date) -> dt.date:
    return dt.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def previous_quarter(start: dt.date) -> dt.date:
    return (
        dt.date(start.year - 1, 10, 1) if start.month == 1 else start.replace(month=start.month - 3)
    )


def next_quarter(start: dt.date) -> dt.date:
    return (
        dt.date(start.year + 1, 1, 1) if start.month == 10 else start.replace(month=start.month + 3)
    )


def _quarters(until: dt.date, count: int) -> list[tuple[dt.date, dt.date]]:
    """The last `count` quarters up to `until` (the last one up to `until` itself)."""
    start = quarter_start(until)
    spans = [(start, until)]
    for _i in range(count - 1):
        start = previous_quarter(start)
        spans.append((start, next_quarter(start) - dt.timedelta(days=1)))
    return list(reversed(spans))


def goal_paths(goal: Goal) -> tuple[str, ...]:
    """The unit paths a goal's indicator is about: a unit (with its subunits), a committee's
    unit, or no paths for the whole organisation (the registry's convention)."""
    if goal.unit_id is not None:
        return (goal.unit.path,)
    if goal.committee_id is not None:
        return (goal.committee.unit.path,)
    return ()


def status_of(goal: Goal, value: Decimal | None, on: dt.date) -> str:
    """On track when the target is met, or when the value is at least as good as the straight
    line from the baseline (at the start of the period) to the target (at its end)."""
    if value is None or goal.target is None:
        return Status.NO_DATA
    target = goal.target

    def at_least_as_good(a: Decimal, b: Decimal) -> bool:
        return a <= b if goal.lower_is_better else a >= b

    if at_least_as_good(value, target):
        return Status.ON_TRACK
    if goal.baseline is None:
        return Status.OFF_TRACK
    start = dt.date(goal.start_year, 1, 1)
    end = dt.date(goal.end_year, 12, 31)
    share = Decimal(min(max((on - start).days, 0), (end - start).days)) / Decimal(
        (end - start).days
    )
    planned = goal.baseline + (target - goal.baseline) * share
    return Status.ON_TRACK if at_least_as_good(value, planned) else Status.OFF_TRACK


def _decimal(value: object) -> Decimal:
    return value if isinstance(value, Decimal) else Decimal(str(value))


def read_goal(goal: Goal, on: dt.date | None = None, *, trend: bool = True) -> Reading:
    """The goal's reading. Measurements must be prefetched (`Goal.objects.with_related()`).
    Without `trend`, a live indicator is asked only for the current value (one period, not
    seven): lists of many local goals show their status without the sparkline. The periods are
    asked in one go (`Indicator.series`), so a module can answer them in one pass."""
    day = on or today()
    if goal.indicator_code:
        indicator = indicators.get(goal.indicator_code)
        if indicator is None:
            return Reading(value=None, source_missing=True)
        quarters = _quarters(day, TREND_QUARTERS) if trend else []
        year_ago = day.replace(year=day.year - 1) + dt.timedelta(days=1)
        *trend_values, value = indicator.series(
            goal.organisation_id, goal_paths(goal), [*quarters, (year_ago, day)]
        )
        points = [
            (end, _decimal(found))
            for (_start, end), found in zip(quarters, trend_values, strict=True)
            if found is not None
        ]
        value = _decimal(value) if value is not None else None
        return Reading(value=value, points=points, status=status_of(goal, value, day), as_of=day)
    measurements = getattr(goal, "measurement_list", None)
    if measurements is None:
        measurements = list(goal.measurements.order_by("measured_on", "pk"))
    points = [(m.measured_on, m.value) for m in measurements if m.measured_on <= day]
    if not points:
        return Reading(value=None)
    as_of, value = points[-1]
    return Reading(
        value=value, points=points[-12:], status=status_of(goal, value, as_of), as_of=as_of
    )


def number(value: Decimal | None) -> str:
    """A value the Norwegian way: decimal comma, no trailing zeros beyond one decimal."""
    if value is None:
        return "–"
    text = f"{value.quantize(Decimal('0.1'))}"
    if text.endswith(".0"):
        text = text[:-2]
    return text.replace(".", ",")


WIDTH, HEIGHT, PAD = 140, 36, 4


def sparkline(goal: Goal, reading: Reading) -> SafeString:
    """A small server-drawn SVG of the trend with the target as a dashed line."""
    values = [v for _d, v in reading.points]
    if not values:
        return mark_safe("")
    scale = values + ([goal.target] if goal.target is not None else [])
    low, high = min(scale), max(scale)
    span = (high - low) or Decimal(1)

    def y(v: Decimal) -> str:
        return f"{PAD + (HEIGHT - 2 * PAD) * float((high - v) / span):.1f}"

    step = (WIDTH - 2 * PAD) / max(len(values) - 1, 1)
    coords = [(f"{PAD + i * step:.1f}", y(v)) for i, v in enumerate(values)]
    description = _("Trend: %(values)s. Target: %(target)s.") % {
        "values": ", ".join(number(v) for v in values),
        "target": number(goal.target),
    }
    target_line = (
        format_html(
            '<line x1="{}" x2="{}" y1="{}" y2="{}" stroke="#6b7280" stroke-dasharray="3 3"'
            ' stroke-width="1"/>',
            PAD,
            WIDTH - PAD,
            y(goal.target),
            y(goal.target),
        )
        if goal.target is not None
        else ""
    )
    dots = format_html_join(
        "", '<circle cx="{}" cy="{}" r="2" fill="#0b5c46"/>', ((x, yy) for x, yy in coords)
    )
    return format_html(
        '<svg class="sparkline" role="img" width="{w}" height="{h}" viewBox="0 0 {w} {h}"'
        ' aria-label="{label}"><title>{label}</title>{target}'
        '<polyline fill="none" stroke="#0b5c46" stroke-width="2" points="{points}"/>{dots}</svg>',
        w=WIDTH,
        h=HEIGHT,
        label=description,
        target=target_line,
        points=" ".join(f"{x},{yy}" for x, yy in coords),
        dots=dots,
    )

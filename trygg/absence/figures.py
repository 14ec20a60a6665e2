"""Sick-leave figures for other modules: the årshjul's standing cases and annual reports
(`trygg.lib.figures`, kind "sick_leave") and the goals' live indicator "absence.percent"."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal

from django.urls import reverse
from django.utils.translation import gettext as _

from trygg.absence import access, charts, statistics
from trygg.lib.figures import Figure, FigureRequest
from trygg.org.models import Unit
from trygg.org.principal import get_principal


def _units(organisation_id: int, unit_paths: tuple[str, ...]) -> list[Unit]:
    units = Unit.objects.filter(organisation_id=organisation_id)
    units = units.filter(path__in=unit_paths) if unit_paths else units.filter(parent__isnull=True)
    return list(units)


def format_percent(value: Decimal | None) -> str:
    return "–" if value is None else f"{value} %".replace(".", ",")


def vacation_label(subtracted: bool) -> str:
    return _("Vacation subtracted") if subtracted else _("Vacation not subtracted")


def sick_leave_figure(request: FigureRequest) -> Figure | None:
    units = _units(request.organisation_id, request.unit_paths)
    if not units:
        return None
    settings = statistics.settings_for(request.organisation_id)
    unmasked = False
    if request.user is not None:
        principal = get_principal(request.user)
        unmasked = all(access.sees_people_of(principal, unit) for unit in units)
    figures = statistics.unit_figures(
        request.organisation_id,
        units,
        request.start,
        request.end,
        unmasked=unmasked,
        settings=settings,
    )
    series = statistics.monthly_series(
        request.organisation_id,
        units,
        request.start,
        request.end,
        unmasked=unmasked,
        settings=settings,
    )
    rows = [
        (_("Sick leave"), format_percent(figures.percent)),
        (_("Self-certified"), format_percent(figures.percent_self_certified)),
        (_("Doctor-certified"), format_percent(figures.percent_doctor_certified)),
        (_("Short term (1–16 days)"), format_percent(figures.percent_short_term)),
        (_("Long term (17 days or more)"), format_percent(figures.percent_long_term)),
        (_("Goal"), format_percent(settings.goal_percent)),
    ]
    note = vacation_label(figures.vacation_subtracted)
    if figures.masked:
        note += ". " + _("Masked: fewer than 5 persons.")
    return Figure(
        title=_("Sick leave"),
        rows=rows,
        svg=charts.trend_chart(series, settings.goal_percent),
        url=reverse("absence:statistics"),
        note=note,
    )


def absence_percent(
    organisation_id: int, unit_paths: tuple[str, ...], start: dt.date, end: dt.date
) -> Decimal | None:
    """The indicator for HMS goals: masked figures give None (no person-level data leaks)."""
    units = _units(organisation_id, unit_paths)
    if not units:
        return None
    return statistics.unit_figures(organisation_id, units, start, end).percent


def absence_percent_series(
    organisation_id: int, unit_paths: tuple[str, ...], spans: Sequence[tuple[dt.date, dt.date]]
) -> list[Decimal | None]:
    """`absence_percent` for several periods in one pass over the data (a goal's six quarters
    of trend and its last 12 months): each value equals `absence_percent` for its period."""
    units = _units(organisation_id, unit_paths)
    if not units:
        return [None] * len(spans)
    return [figure.percent for figure in statistics.span_figures(organisation_id, units, spans)]

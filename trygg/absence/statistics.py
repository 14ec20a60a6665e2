"""Sick-leave statistics exactly as SSB and NAV compute them (rules.md §2).

avtalte dagsverk = Σ workdays (Monday–Friday minus public holidays) × position share, following
every employment over the period; tapte dagsverk = Σ absence workdays × position share × grade
(egenmelding always 100 %); percent = tapte × 100 / avtalte rounded half-up to one decimal from
the raw sums. Lost workdays come from the monthly aggregates (whole months) and, for the part
of a month at either end of a from–to period, from the spells of that part only. Agreed workdays
come from the employments with a prefix sum of workdays, one subtraction per employment.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

from django.db.models import Q, Sum

from trygg.absence import rules
from trygg.absence.aggregates import (
    EmploymentFacts,
    SpellFacts,
    lost_units,
    month_segments,
    month_start,
    next_month,
)
from trygg.absence.models import AbsenceMonth, AbsenceSettings, AbsenceSpell
from trygg.org.models import Employment, Unit

DAY = rules.DAY


@dataclass
class Totals:
    agreed: int | Fraction = 0  # an exact Fraction only when vacation is subtracted
    lost: int = 0
    lost_self: int = 0
    lost_long: int = 0
    persons: set[int] = field(default_factory=set)

    def add(self, other: Totals) -> None:
        self.agreed += other.agreed
        self.lost += other.lost
        self.lost_self += other.lost_self
        self.lost_long += other.lost_long
        self.persons |= other.persons


@dataclass(frozen=True)
class Figures:
    """One figure: the raw sums in dagsverk, the persons behind them, and whether it is masked
    for the reader (percentages are then None)."""

    start: dt.date
    end: dt.date
    agreed_workdays: Decimal
    lost_workdays: Decimal
    persons: int
    masked: bool
    vacation_subtracted: bool
    percent: Decimal | None
    percent_self_certified: Decimal | None
    percent_doctor_certified: Decimal | None
    percent_short_term: Decimal | None
    percent_long_term: Decimal | None

    @classmethod
    def of(
        cls, totals: Totals, start: dt.date, end: dt.date, *, unmasked: bool, vacation: bool
    ) -> Figures:
        has_data = totals.agreed > 0
        masked = not unmasked and rules.is_masked(len(totals.persons), has_data=has_data)
        agreed = Fraction(totals.agreed)

        def pct(value: int) -> Decimal | None:
            return None if masked else rules.percent(value, agreed)

        return cls(
            start=start,
            end=end,
            agreed_workdays=rules.round_half_up(agreed / rules.DAY_UNITS, 2),
            lost_workdays=rules.round_half_up(Fraction(totals.lost, rules.DAY_UNITS), 2),
            persons=len(totals.persons),
            masked=masked,
            vacation_subtracted=vacation,
            percent=pct(totals.lost),
            percent_self_certified=pct(totals.lost_self),
            percent_doctor_certified=pct(totals.lost - totals.lost_self),
            percent_short_term=pct(totals.lost - totals.lost_long),
            percent_long_term=pct(totals.lost_long),
        )


def settings_for(organisation_id: int) -> AbsenceSettings:
    found = AbsenceSettings.objects.filter(organisation_id=organisation_id).first()
    return found or AbsenceSettings(organisation_id=organisation_id)


def _vacation_factor(year: int, settings: AbsenceSettings) -> Fraction:
    if not settings.subtract_vacation:
        return Fraction(1)
    year_days = rules.workdays(dt.date(year, 1, 1), dt.date(year, 12, 31))
    return 1 - Fraction(min(settings.vacation_days, year_days), year_days)


def agreed_units(
    employment: EmploymentFacts, start: dt.date, end: dt.date, settings: AbsenceSettings
) -> int | Fraction:
    a = max(start, employment.start)
    b = min(end, employment.end or end)
    if a > b:
        return 0
    share = employment.percent100 * 100
    if not settings.subtract_vacation:
        return rules.workdays(a, b) * share
    total = Fraction(0)
    for year in range(a.year, b.year + 1):
        first, last = max(a, dt.date(year, 1, 1)), min(b, dt.date(year, 12, 31))
        total += rules.workdays(first, last) * share * _vacation_factor(year, settings)
    return total


def _unit_scope(organisation_id: int, units: Iterable[Unit] | None, subunits: bool) -> Q:
    if units is None:  # the whole organisation: no join with the unit tree
        return Q(organisation_id=organisation_id)
    units = list(units)
    if subunits:
        condition = Q(pk__in=[])
        for unit in units:
            condition |= Q(unit__path__startswith=unit.path)
        return Q(organisation_id=organisation_id) & condition
    return Q(organisation_id=organisation_id, unit_id__in=[u.pk for u in units])


def _full_months(start: dt.date, end: dt.date) -> tuple[dt.date, dt.date] | None:
    """The first and last month lying wholly inside [start, end], or None."""
    first = start if start.day == 1 else next_month(start)
    last_month = month_start(end)
    if next_month(end) - DAY != end:
        last_month = month_start(last_month - DAY)
    return (first, last_month) if first <= last_month else None


def collect(
    organisation_id: int,
    units: Iterable[Unit] | None,
    start: dt.date,
    end: dt.date,
    *,
    subunits: bool = True,
    settings: AbsenceSettings | None = None,
    key: str = "unit",
) -> dict[object, Totals]:
    """Totals per unit id (`key="unit"`) or per month (`key="month"`) over [start, end];
    `units=None` is the whole organisation."""
    settings = settings or settings_for(organisation_id)
    scope = _unit_scope(organisation_id, units, subunits)
    result: dict[object, Totals] = defaultdict(Totals)
    employments: dict[int, list[EmploymentFacts]] = defaultdict(list)
    whole_share = 0
    whole_persons: set[int] = set()
    rows = (
        Employment.objects.filter(scope)
        .filter(start_date__lte=end)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=start))
        .values_list("pk", "person_id", "unit_id", "position_percent", "start_date", "end_date")
    )
    full = _full_months(start, end)
    needs_spells = full is None or full[0] > start or next_month(full[1]) - DAY < end
    whole_by_unit: dict[int, int] = defaultdict(int)
    for pk, person_id, unit_id, percent, e_start, e_end in rows:
        facts = EmploymentFacts(pk, person_id, unit_id, int(percent * 100), e_start, e_end)
        if needs_spells:
            employments[person_id].append(facts)
        whole = e_start <= start and (e_end is None or e_end >= end)
        if key == "unit":
            totals = result[unit_id]
            totals.persons.add(person_id)
            if whole:  # employed all period, as most are: one sum per unit below
                whole_by_unit[unit_id] += facts.percent100
            else:
                totals.agreed += agreed_units(facts, start, end, settings)
        elif whole:
            # Employed through the whole period, as most are: added once per month below.
            whole_share += facts.percent100
            whole_persons.add(person_id)
        else:
            month = month_start(max(start, e_start))
            while month <= end and (e_end is None or month <= e_end):
                m_first, m_last = max(start, month), min(end, next_month(month) - DAY)
                units_ = agreed_units(facts, m_first, m_last, settings)
                if units_:
                    totals = result[month]
                    totals.agreed += units_
                    totals.persons.add(person_id)
                month = next_month(month)
    if whole_persons:
        for _month, m_first, m_last in month_segments(start, end):
            synthetic = EmploymentFacts(0, 0, 0, whole_share, m_first, m_last)
            totals = result[_month]
            totals.agreed += agreed_units(synthetic, m_first, m_last, settings)
            totals.persons |= whole_persons
    for unit_id, share in whole_by_unit.items():
        synthetic = EmploymentFacts(0, 0, unit_id, share, start, end)
        result[unit_id].agreed += agreed_units(synthetic, start, end, settings)

    if full:
        group = "unit_id" if key == "unit" else "month"
        for group_key, lost, lost_self, lost_long in (
            AbsenceMonth.objects.filter(scope, month__gte=full[0], month__lte=full[1])
            .values(group)
            .annotate(a=Sum("lost"), b=Sum("lost_self"), c=Sum("lost_long"))
            .values_list(group, "a", "b", "c")
        ):
            totals = result[group_key]
            totals.lost += lost or 0
            totals.lost_self += lost_self or 0
            totals.lost_long += lost_long or 0
    # The parts of months at either end of the period that the aggregates cannot answer.
    for p_first, p_last in _partial_parts(start, end, full):
        for _month, m_first, m_last in month_segments(p_first, p_last):
            _add_raw(result, employments, organisation_id, m_first, m_last, key)
    return result


def _add_raw(
    result: dict[object, Totals],
    employments: dict[int, list[EmploymentFacts]],
    organisation_id: int,
    first: dt.date,
    last: dt.date,
    key: str,
) -> None:
    spells = AbsenceSpell.objects.filter(
        organisation_id=organisation_id, first_day__lte=last, last_day__gte=first
    ).values_list("pk", "person_id", "first_day", "last_day", "kind", "grade", "chain_days")
    for row in spells:
        spell = SpellFacts(*row)
        for employment in employments.get(spell.person_id, ()):
            units = lost_units(spell, employment, first, last)
            if not units:
                continue
            totals = result[employment.unit_id if key == "unit" else month_start(first)]
            totals.lost += units
            if spell.kind == AbsenceSpell.Kind.SELF_CERTIFIED:
                totals.lost_self += units
            if rules.is_long_term(spell.chain_days):
                totals.lost_long += units


def unit_figures(
    organisation_id: int,
    units: Iterable[Unit],
    start: dt.date,
    end: dt.date,
    *,
    subunits: bool = True,
    unmasked: bool = False,
    settings: AbsenceSettings | None = None,
) -> Figures:
    """The figure for these units (with or without their subunits) over [start, end]."""
    settings = settings or settings_for(organisation_id)
    total = Totals()
    for totals in collect(
        organisation_id, units, start, end, subunits=subunits, settings=settings
    ).values():
        total.add(totals)
    return Figures.of(total, start, end, unmasked=unmasked, vacation=settings.subtract_vacation)


@dataclass(frozen=True)
class UnitRow:
    unit: Unit
    figures: Figures


def breakdown(
    organisation_id: int,
    root: Unit | None,
    start: dt.date,
    end: dt.date,
    *,
    unmasked_paths: tuple[str, ...] = (),
    settings: AbsenceSettings | None = None,
) -> list[UnitRow]:
    """Every unit under `root` (or the whole organisation), each with its subunits: one pass
    over the data, then each unit's totals are added to all the units above it."""
    settings = settings or settings_for(organisation_id)
    units_qs = Unit.objects.filter(organisation_id=organisation_id)
    if root is not None:
        units_qs = units_qs.filter(path__startswith=root.path)
    units = list(units_qs.order_by("path"))
    by_path = {unit.path: unit for unit in units}
    tops = [u for u in units if root is not None and u.pk == root.pk] or [
        u for u in units if u.parent_id is None
    ]
    per_unit = collect(
        organisation_id, tops if root is not None else None, start, end, settings=settings
    )
    rolled: dict[int, Totals] = defaultdict(Totals)
    for unit in units:
        own = per_unit.get(unit.pk)
        if own is None:
            continue
        for path in unit.ancestor_paths():
            ancestor = by_path.get(path)
            if ancestor is not None:
                rolled[ancestor.pk].add(own)
    vacation = settings.subtract_vacation
    return [
        UnitRow(
            unit,
            Figures.of(
                rolled.get(unit.pk, Totals()),
                start,
                end,
                unmasked=any(unit.path.startswith(p) for p in unmasked_paths),
                vacation=vacation,
            ),
        )
        for unit in units
    ]


def monthly_series(
    organisation_id: int,
    units: Iterable[Unit],
    start: dt.date,
    end: dt.date,
    *,
    subunits: bool = True,
    unmasked: bool = False,
    settings: AbsenceSettings | None = None,
) -> list[Figures]:
    """One figure per month of [start, end], for the trend chart."""
    settings = settings or settings_for(organisation_id)
    per_month = collect(
        organisation_id, units, start, end, subunits=subunits, settings=settings, key="month"
    )
    series = []
    month = month_start(start)
    while month <= end:
        m_first, m_last = max(start, month), min(end, next_month(month) - DAY)
        series.append(
            Figures.of(
                per_month.get(month, Totals()),
                m_first,
                m_last,
                unmasked=unmasked,
                vacation=settings.subtract_vacation,
            )
        )
        month = next_month(month)
    return series


def span_figures(
    organisation_id: int,
    units: Iterable[Unit],
    spans: Sequence[tuple[dt.date, dt.date]],
    *,
    subunits: bool = True,
    unmasked: bool = False,
    settings: AbsenceSettings | None = None,
) -> list[Figures]:
    """`unit_figures` for each of several periods (an HMS goal's six quarters of trend and its
    last 12 months) from one pass over the data: the employments and the monthly aggregates of
    the whole range are read once, and the spells once for each part of a month that a period
    starts or ends in. Each figure equals `unit_figures` for its period: the same employments
    (agreed workdays are additive over a period), the same monthly rows and the same spells."""
    if not spans:
        return []
    settings = settings or settings_for(organisation_id)
    scope = _unit_scope(organisation_id, units, subunits)
    first = min(start for start, _end in spans)
    last = max(end for _start, end in spans)
    fulls = [_full_months(start, end) for start, end in spans]
    parts = {
        (start, end): _partial_parts(start, end, full)
        for (start, end), full in zip(spans, fulls, strict=True)
    }
    needs_spells = any(parts.values())
    totals = [Totals() for _span in spans]
    employments: dict[int, list[EmploymentFacts]] = defaultdict(list)
    whole_share = 0
    whole_persons: set[int] = set()
    rows = (
        Employment.objects.filter(scope)
        .filter(start_date__lte=last)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=first))
        .values_list("pk", "person_id", "unit_id", "position_percent", "start_date", "end_date")
    )
    for pk, person_id, unit_id, percent, e_start, e_end in rows:
        facts = EmploymentFacts(pk, person_id, unit_id, int(percent * 100), e_start, e_end)
        if needs_spells:
            employments[person_id].append(facts)
        if e_start <= first and (e_end is None or e_end >= last):
            # Employed through every period, as most are: one sum for all of them below.
            whole_share += facts.percent100
            whole_persons.add(person_id)
            continue
        for (start, end), total in zip(spans, totals, strict=True):
            if e_start <= end and (e_end is None or e_end >= start):
                total.persons.add(person_id)
                total.agreed += agreed_units(facts, start, end, settings)
    for (start, end), total in zip(spans, totals, strict=True):
        if whole_persons:
            synthetic = EmploymentFacts(0, 0, 0, whole_share, start, end)
            total.agreed += agreed_units(synthetic, start, end, settings)
            total.persons |= whole_persons

    months = [full for full in fulls if full]
    by_month: dict[dt.date, tuple[int, int, int]] = {}
    if months:
        by_month = {
            month: (lost or 0, lost_self or 0, lost_long or 0)
            for month, lost, lost_self, lost_long in AbsenceMonth.objects.filter(
                scope,
                month__gte=min(full[0] for full in months),
                month__lte=max(full[1] for full in months),
            )
            .values("month")
            .annotate(a=Sum("lost"), b=Sum("lost_self"), c=Sum("lost_long"))
            .values_list("month", "a", "b", "c")
        }
    raw: dict[tuple[dt.date, dt.date], Totals] = {}
    for (start, end), full, total in zip(spans, fulls, totals, strict=True):
        for month, (lost, lost_self, lost_long) in by_month.items():
            if full and full[0] <= month <= full[1]:
                total.lost += lost
                total.lost_self += lost_self
                total.lost_long += lost_long
        for p_first, p_last in parts[(start, end)]:
            for _month, m_first, m_last in month_segments(p_first, p_last):
                if (m_first, m_last) not in raw:
                    found: dict[object, Totals] = defaultdict(Totals)
                    _add_raw(found, employments, organisation_id, m_first, m_last, "month")
                    raw[(m_first, m_last)] = found.get(month_start(m_first), Totals())
                total.lost += raw[(m_first, m_last)].lost
                total.lost_self += raw[(m_first, m_last)].lost_self
                total.lost_long += raw[(m_first, m_last)].lost_long
    return [
        Figures.of(total, start, end, unmasked=unmasked, vacation=settings.subtract_vacation)
        for (start, end), total in zip(spans, totals, strict=True)
    ]


def _partial_parts(
    start: dt.date, end: dt.date, full: tuple[dt.date, dt.date] | None
) -> list[tuple[dt.date, dt.date]]:
    """The parts of months at either end of [start, end] that the monthly aggregates (`full`,
    see `_full_months`) cannot answer."""
    if full is None:
        return [(start, end)]
    parts = []
    if full[0] > start:
        parts.append((start, full[0] - DAY))
    if next_month(full[1]) - DAY < end:
        parts.append((next_month(full[1]), end))
    return parts

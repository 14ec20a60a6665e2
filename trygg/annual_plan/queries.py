"""Reads of the årshjul for pages, the API and the meetings module, in a constant number of
queries. The meetings module asks `standing_cases()` for an agenda and `figure_for_item()` for
the live data a standing case is about."""

from __future__ import annotations

import datetime as dt
import logging

from django.db.models import F, OuterRef, Q, QuerySet, Subquery
from django.utils.translation import gettext

from trygg.lib import figures
from trygg.lib.dates import today
from trygg.lib.typing import AnyUser
from trygg.org.models import Committee, Unit

from .models import (
    ACADEMIC_START_MONTH,
    Plan,
    PlanItem,
    PlanSettings,
    RelativePeriod,
    Timing,
    YearKind,
)

logger = logging.getLogger(__name__)


def _ask(kind: str, request: figures.FigureRequest) -> figures.Figure | None:
    """The supplier's figure. A failing supplier is another module's bug: it is logged, and the
    case says the figures could not be computed instead of the whole agenda failing."""
    try:
        return figures.figure_for(kind, request)
    except Exception:
        logger.exception("figure supplier for %s failed", kind)
        return figures.Figure(
            title=str(figures.KINDS.get(kind, kind)).capitalize(),
            note=gettext("The figures could not be computed. The error has been logged."),
        )


def year_kind_of(organisation_id: int) -> str:
    kind = (
        PlanSettings.objects.filter(organisation_id=organisation_id)
        .values_list("year_kind", flat=True)
        .first()
    )
    return kind or YearKind.CALENDAR


def plan_year_for(
    organisation_id: int, year: int, month: int, *, year_kind: str | None = None
) -> int:
    """The plan year that `month` of calendar year `year` belongs to: for an academic year
    (August–July) January to July belong to the plan of the year before."""
    kind = year_kind or year_kind_of(organisation_id)
    if kind == YearKind.ACADEMIC and month < ACADEMIC_START_MONTH:
        return year - 1
    return year


def plan_in_force(organisation_id: int, year: int) -> Plan | None:
    """The newest adopted version of the plan for plan year `year`, or None."""
    return (
        Plan.objects.filter(organisation_id=organisation_id, year=year).order_by("-version").first()
    )


def plan_versions(organisation_id: int, year: int) -> list[Plan]:
    return list(
        Plan.objects.filter(organisation_id=organisation_id, year=year).order_by("-version")
    )


def plan_years(organisation_id: int) -> list[int]:
    return list(
        Plan.objects.filter(organisation_id=organisation_id)
        .order_by("-year")
        .values_list("year", flat=True)
        .distinct()
    )


def standing_cases(*, committee: Committee, year: int, month: int) -> list[PlanItem]:
    """The standing cases of the committee's level that fall in `month` (1–12) of calendar year
    `year`, from the plan in force of the committee's organisation. Empty when no plan has been
    adopted for that year (`services.ensure_plan` adopts one). Ongoing items and items by need
    are not standing cases of a month."""
    plan_year = plan_year_for(committee.organisation_id, year, month)
    plan = plan_in_force(committee.organisation_id, plan_year)
    if plan is None:
        return []
    candidates = (
        PlanItem.objects.filter(
            organisation_id=committee.organisation_id, plan=plan, committee_kind=committee.kind
        )
        .exclude(timing__in=[Timing.ONGOING, Timing.BY_NEED])
        .for_display()
        .order_by("month", "position", "id")
    )
    return [item for item in candidates if month in item.months()]


# --- Periods and live figures -----------------------------------------------------------------
def _month_start(year: int, month: int) -> dt.date:
    while month < 1:
        month += 12
        year -= 1
    return dt.date(year, month, 1)


def _last_day(start: dt.date, months: int) -> dt.date:
    """The last day of the `months`-long period starting at `start`."""
    index = start.month - 1 + months
    following = dt.date(start.year + index // 12, index % 12 + 1, 1)
    return following - dt.timedelta(days=1)


def period_for(relative: str, meeting_date: dt.date) -> tuple[dt.date, dt.date] | None:
    """The period (first and last day) a statistics item reports at a meeting on `meeting_date`:
    the previous tertial is the last complete one before the meeting (at a meeting in May:
    January–April), last year is the previous calendar year."""
    year, month = meeting_date.year, meeting_date.month
    if relative == RelativePeriod.PREVIOUS_MONTH:
        start = _month_start(year, month - 1)
        return start, _last_day(start, 1)
    if relative in (RelativePeriod.PREVIOUS_QUARTER, RelativePeriod.PREVIOUS_TERTIAL):
        length = 3 if relative == RelativePeriod.PREVIOUS_QUARTER else 4
        current_start = (month - 1) // length * length + 1
        start = _month_start(year, current_start - length)
        return start, _last_day(start, length)
    if relative == RelativePeriod.YEAR_TO_DATE:
        return dt.date(year, 1, 1), meeting_date
    if relative == RelativePeriod.LAST_YEAR:
        return dt.date(year - 1, 1, 1), dt.date(year - 1, 12, 31)
    if relative == RelativePeriod.LAST_12_MONTHS:
        start = _month_start(year, month - 12)
        return start, _last_day(start, 12)
    return None


def _unit_paths(committee: Committee) -> tuple[str, ...]:
    if Committee.unit.is_cached(committee):
        return (committee.unit.path,)
    path = Unit.objects.filter(pk=committee.unit_id).values_list("path", flat=True).first()
    return (path,) if path else ()


def figure_request(
    *, item: PlanItem, committee: Committee, meeting_date: dt.date, user: AnyUser | None
) -> figures.FigureRequest | None:
    period = period_for(item.figure_period or RelativePeriod.YEAR_TO_DATE, meeting_date)
    if not item.figure_kind or period is None:
        return None
    return figures.FigureRequest(
        organisation_id=committee.organisation_id,
        unit_paths=_unit_paths(committee),
        start=period[0],
        end=period[1],
        user=user,
    )


def figure_for_item(
    *, item: PlanItem, committee: Committee, meeting_date: dt.date, user: AnyUser | None
) -> figures.Figure | None:
    """The live figure a standing case is about, for the committee's unit and its subunits over
    the item's period relative to the meeting. None when the item has no figure kind or no
    module supplies that kind yet (`missing_data()` then names the data)."""
    if not item.figure_kind or not figures.is_supplied(item.figure_kind):
        return None
    request = figure_request(item=item, committee=committee, meeting_date=meeting_date, user=user)
    return _ask(item.figure_kind, request) if request else None


def missing_data(item: PlanItem) -> str:
    """The name of the data the item needs when no module supplies it yet ("" when none is
    missing), e.g. "sick-leave statistics"."""
    if item.figure_kind and not figures.is_supplied(item.figure_kind):
        return str(figures.KINDS.get(item.figure_kind, item.figure_kind))
    return ""


# --- The wheel and the list ----------------------------------------------------------------
def plan_items(
    plan: Plan, *, committee_kind: str = "", unit: Unit | None = None
) -> QuerySet[PlanItem]:
    """The items of a plan, filtered by committee level and unit. A unit filter keeps items for
    the whole organisation, the unit, the units above it and those under it."""
    items = PlanItem.objects.filter(organisation_id=plan.organisation_id, plan=plan).for_display()
    if committee_kind:
        items = items.filter(committee_kind=committee_kind)
    if unit is not None:
        items = items.filter(
            Q(unit__isnull=True)
            | Q(unit__path__startswith=unit.path)
            | Q(unit_id__in=unit.ancestor_ids())
        )
    return items.order_by("month", "committee_kind", "position", "id")


def items_by_month(plan: Plan, items: list[PlanItem]) -> list[tuple[int, list[PlanItem]]]:
    """Items grouped by the months they fall in, in the plan's month order; items with no month
    (ongoing, by need) are left out here and listed apart."""
    order = plan.month_order()
    grouped: dict[int, list[PlanItem]] = {m: [] for m in order}
    for item in items:
        for month in item.months():
            grouped[month].append(item)
    return [(m, grouped[m]) for m in order]


def history_of(item: PlanItem) -> list[PlanItem]:
    """The same template item's done state in every year's plan in force."""
    if item.template_item_id is None:
        return [item]
    rows = (
        PlanItem.objects.filter(
            organisation_id=item.organisation_id, template_item_id=item.template_item_id
        )
        .select_related("plan", "done_by")
        .order_by("-plan__year", "-plan__version")
    )
    newest: dict[int, PlanItem] = {}
    for row in rows:
        newest.setdefault(row.plan.year, row)
    return list(newest.values())


def due_for_person(person_id: int, organisation_id: int, day: dt.date) -> list[PlanItem]:
    """Open items owned by the person in plans in force, due within 30 days or overdue."""
    newest = Plan.objects.filter(organisation_id=organisation_id, year=OuterRef("plan__year"))
    rows = (
        PlanItem.objects.filter(
            organisation_id=organisation_id, owner_id=person_id, done_on__isnull=True
        )
        .annotate(newest=Subquery(newest.order_by("-version").values("version")[:1]))
        .filter(plan__version=F("newest"), plan__year__gte=day.year - 1)
        .select_related("plan")
        .order_by("plan__year", "month", "id")
    )
    found = []
    for row in rows:
        due = row.due_date()
        if (
            due is not None
            and due <= day + dt.timedelta(days=30)
            and due >= day - dt.timedelta(days=365)
        ):
            found.append(row)
    return found


def figure_for_plan_item(*, item: PlanItem, user: AnyUser | None) -> figures.Figure | None:
    """The item's figure on its own page: for its unit (or the whole organisation) over its
    period counted from the item's first month in the plan (today when it has none)."""
    if not item.figure_kind or not figures.is_supplied(item.figure_kind):
        return None
    months = item.months()
    day = item.plan.date_in(months[0]) if months else today()
    period = period_for(item.figure_period or RelativePeriod.YEAR_TO_DATE, day)
    if period is None:
        return None
    if item.unit_id:
        paths: tuple[str, ...] = (item.unit.path,)
    else:
        paths = tuple(
            Unit.objects.filter(
                organisation_id=item.organisation_id, parent__isnull=True
            ).values_list("path", flat=True)
        )
    request = figures.FigureRequest(
        organisation_id=item.organisation_id,
        unit_paths=paths,
        start=period[0],
        end=period[1],
        user=user,
    )
    return _ask(item.figure_kind, request)

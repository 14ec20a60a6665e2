"""Reads for the goal, plan and internal-control pages, the API and the årshjul's figures."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import (
    Case,
    Count,
    F,
    IntegerField,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
    Window,
)
from django.db.models.functions import Coalesce, RowNumber
from django.utils.safestring import SafeString
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from trygg.actions.models import ActionItem
from trygg.audit.queries import cached_for_organisation
from trygg.goals.measure import Reading, read_goal, sparkline
from trygg.goals.models import ActionPlan, ActionPlanRow, ControlStatus, Goal, GoalMeasurement
from trygg.goals.readings import readings_for as stored_readings
from trygg.lib import controls
from trygg.lib.dates import today
from trygg.org.models import Unit


@dataclass
class GoalView:
    """A goal with its reading and sparkline, ready for a page."""

    goal: Goal
    reading: Reading
    chart: SafeString
    children: list[GoalView] = field(default_factory=list)
    more: int = 0  # local goals not shown on the list


def view_goal(
    goal: Goal, on: dt.date | None = None, reading: Reading | None = None, *, trend: bool = True
) -> GoalView:
    reading = reading if reading is not None else read_goal(goal, on, trend=trend)
    return GoalView(goal=goal, reading=reading, chart=sparkline(goal, reading))


def view_goals(
    goals: list[Goal], on: dt.date | None = None, *, trend: bool | None = None
) -> list[GoalView]:
    """Views of many goals. Live indicators are read from the stored readings
    (`goals.readings`: one query, computed only for goals without one; an older reading is
    shown with its time while a background task computes it again). Hand-measured goals read
    their prefetched measurements. `trend` (default: only for the organisation's own goals)
    asks live indicators for the six quarters of the sparkline. A reading on another day than
    today (`on`) is computed, not stored."""

    def with_trend(goal: Goal) -> bool:
        return goal.is_organisation_goal if trend is None else trend

    readings: dict[int, Reading] = {}
    if on is None or on == today():
        readings = stored_readings(goals, trend=with_trend)
    return [view_goal(goal, on, readings.get(goal.pk), trend=with_trend(goal)) for goal in goals]


def goals_in_force(goals: QuerySet[Goal], year: int) -> QuerySet[Goal]:
    return goals.filter(is_active=True, start_year__lte=year, end_year__gte=year)


CHILDREN_SHOWN = 12  # local goals under each overarching goal on the list; the rest on its page
CHILDREN_ON_PAGE = 60  # local goals on an overarching goal's page


@dataclass
class GoalTree:
    """The goal list: the overarching goals, each with its first local goals, then the first
    local goals that break down no overarching goal in force, and how many of those are left."""

    goals: list[GoalView]
    more_loose: int = 0


def goal_tree(goals: QuerySet[Goal], year: int, on: dt.date | None = None) -> GoalTree:
    """The organisation's goals in force in `year`, each with (up to CHILDREN_SHOWN of) its
    local goals below it ordered by owner and number, and (up to as many of) the local goals
    that break down no overarching goal in force at the end. A constant number of queries
    however many local goals there are: the overarching goals, the count of local goals per
    overarching goal, the local goals shown (numbered per overarching goal by a window function
    and cut in SQL), the measurements of the goals shown, and their stored readings."""
    in_force = goals_in_force(goals, year)
    top = list(in_force.organisation_level().with_related().order_by("number", "pk"))
    top_ids = [goal.pk for goal in top]
    local = in_force.exclude(unit__isnull=True, committee__isnull=True)
    counts = dict(
        local.order_by()
        .values("parent_id")
        .annotate(count=Count("pk"))
        .values_list("parent_id", "count")
    )
    # Loose local goals (no overarching goal in force) form one group, numbered like the others.
    group = Case(
        When(parent_id__in=top_ids, then=F("parent_id")),
        default=Value(0),
        output_field=IntegerField(),
    )
    owner = Coalesce("unit__name", "committee__name", Value(""))
    shown = list(
        local.annotate(
            position=Window(
                RowNumber(), partition_by=[group], order_by=[owner.asc(), "number", "pk"]
            )
        )
        .filter(position__lte=CHILDREN_SHOWN)
        .with_related()
        .select_related("committee__unit")
        .order_by(owner.asc(), "number", "pk")
    )
    views = {view.goal.pk: view for view in view_goals(top + shown, on)}
    children: dict[int, list[GoalView]] = {pk: [] for pk in top_ids}
    loose: list[GoalView] = []
    for goal in shown:
        children.get(goal.parent_id, loose).append(views[goal.pk])
    tree = []
    for goal in top:
        view = views[goal.pk]
        view.children = children[goal.pk]
        view.more = counts.get(goal.pk, 0) - len(view.children)
        tree.append(view)
    loose_total = sum(counts.values()) - sum(counts.get(pk, 0) for pk in top_ids)
    return GoalTree(goals=tree + loose, more_loose=loose_total - len(loose))


def owner_name(obj: Goal | ActionPlan) -> str:
    if obj.unit_id is not None:
        return obj.unit.name
    if obj.committee_id is not None:
        return obj.committee.name
    return ""


def goals_for_paths(organisation_id: int, paths: tuple[str, ...], year: int) -> QuerySet[Goal]:
    """The organisation's goals and the local goals of the units under `paths` (a committee's
    goals count for its unit)."""
    condition = Q(unit__isnull=True, committee__isnull=True)
    for path in paths:
        condition |= Q(unit__path__startswith=path) | Q(committee__unit__path__startswith=path)
    return goals_in_force(
        Goal.objects.filter(organisation_id=organisation_id).filter(condition), year
    )


# --- Action plans -----------------------------------------------------------------------------
@dataclass(frozen=True)
class PlanProgress:
    total: int
    done: int
    overdue: int

    @property
    def percent_done(self) -> int | None:
        return round(self.done * 100 / self.total) if self.total else None


def plans_with_progress(plans: QuerySet[ActionPlan], day: dt.date) -> QuerySet[ActionPlan]:
    """Plans with row counts (done, overdue) in the same query."""
    open_statuses = ActionItem.OPEN_STATUSES
    return (
        plans.select_related("unit", "committee")
        .annotate(
            row_total=Count("rows", filter=~Q(rows__action_item__status="cancelled")),
            row_done=Count("rows", filter=Q(rows__action_item__status="done")),
            row_overdue=Count(
                "rows",
                filter=Q(
                    rows__action_item__status__in=open_statuses,
                    rows__action_item__deadline__lt=day,
                ),
            ),
        )
        .order_by("-start_year", "title", "pk")
    )


def progress_of(plan: ActionPlan) -> PlanProgress:
    return PlanProgress(plan.row_total, plan.row_done, plan.row_overdue)


def plan_rows(plan: ActionPlan) -> list[ActionPlanRow]:
    """The plan's rows with their action items and goals; each linked goal gets its reading
    (`row.goal_view`), computed once per goal. Three queries whatever the number of rows."""
    rows = list(
        ActionPlanRow.objects.filter(plan=plan)
        .select_related("goal__unit", "goal__committee__unit", "action_item__owner")
        .prefetch_related(
            Prefetch(
                "goal__measurements",
                queryset=GoalMeasurement.objects.order_by("measured_on", "pk"),
                to_attr="measurement_list",
            )
        )
        .order_by("number", "pk")
    )
    goals = {row.goal_id: row.goal for row in rows if row.goal is not None}
    views = {view.goal.pk: view for view in view_goals(list(goals.values()))}
    for row in rows:
        if row.goal_id is not None:
            row.goal_view = views[row.goal_id]
    return rows


def plans_for_paths(
    organisation_id: int, paths: tuple[str, ...], start: dt.date, end: dt.date
) -> QuerySet[ActionPlan]:
    condition = Q(unit__isnull=True, committee__isnull=True)
    for path in paths:
        condition |= Q(unit__path__startswith=path) | Q(committee__unit__path__startswith=path)
    return ActionPlan.objects.filter(
        condition,
        organisation_id=organisation_id,
        start_year__lte=end.year,
        end_year__gte=start.year,
    )


# --- Internal control ---------------------------------------------------------------------------
POINTS: dict[int, tuple[str, str]] = {
    1: (
        _("Laws and regulations"),
        _(
            "Ensure that the laws and regulations on health, environment and safety that apply "
            "are available, and have an overview of the most important requirements."
        ),
    ),
    2: (
        _("Knowledge and skills"),
        _(
            "Ensure that employees have sufficient knowledge and skills in systematic HMS work, "
            "including information about changes."
        ),
    ),
    3: (
        _("Employee participation"),
        _("Ensure that employees take part, so that their collective knowledge is used."),
    ),
    4: (_("HMS goals"), _("Set goals for health, environment and safety.")),
    5: (
        _("Organisation and responsibility"),
        _(
            "Have an overview of the organisation, including how responsibility, tasks and "
            "authority for HMS work are distributed."
        ),
    ),
    6: (
        _("Hazards and risk"),
        _(
            "Map hazards and problems, assess the risk, and make plans and measures to reduce "
            "the risk."
        ),
    ),
    7: (
        _("Deviations"),
        _("Carry out routines to detect, correct and prevent breaches of HMS requirements."),
    ),
    8: (
        _("Monitoring and review"),
        _(
            "Monitor and review the internal control systematically, to make sure it works as "
            "intended."
        ),
    ),
}
WRITTEN = frozenset(range(4, 9))


class Derived:
    """What the records say when nobody has assessed the point."""

    DOCUMENTED = "documented"
    GAPS = "gaps"
    NONE = "none"

    LABELS = {
        DOCUMENTED: _("Documented"),
        GAPS: _("Documented, with gaps"),
        NONE: _("No records"),
    }
    BADGES = {DOCUMENTED: "badge--ok", GAPS: "badge--warn", NONE: "badge--error"}


STATUS_BADGES = {
    ControlStatus.Status.DONE: "badge--ok",
    ControlStatus.Status.PARTIAL: "badge--warn",
    ControlStatus.Status.MISSING: "badge--error",
}


@dataclass
class ControlPoint:
    number: int
    title: str
    text: str
    written: bool
    records: list[controls.Record]
    assessed: ControlStatus | None

    @property
    def derived(self) -> str:
        if not self.records:
            return Derived.NONE
        return Derived.DOCUMENTED if all(r.ok for r in self.records) else Derived.GAPS

    @property
    def derived_label(self) -> str:
        return str(Derived.LABELS[self.derived])

    @property
    def derived_badge(self) -> str:
        return Derived.BADGES[self.derived]

    @property
    def badge(self) -> str:
        if self.assessed is not None:
            return STATUS_BADGES[ControlStatus.Status(self.assessed.status)]
        return self.derived_badge

    @property
    def status_label(self) -> str:
        if self.assessed is not None:
            return str(self.assessed.get_status_display())
        return self.derived_label


def control_overview(organisation_id: int, unit: Unit | None) -> list[ControlPoint]:
    """The 8 points for the organisation (unit None) or a unit, with the records that document
    each and the assessed status. The records come from the modules' registered suppliers."""
    path = unit.path if unit is not None else ""
    # The records are the same for every reader (the suppliers take no user) and cost a query
    # or more each: kept until the organisation's data changes, per language (their titles).
    records = cached_for_organisation(
        organisation_id,
        f"control-records:{get_language()}:{path}",
        lambda: {number: controls.records_for(number, organisation_id, path) for number in POINTS},
    )
    assessed = {
        row.point: row
        for row in ControlStatus.objects.filter(organisation_id=organisation_id, unit=unit)
        .select_related("updated_by")
        .order_by("point")
    }
    return [
        ControlPoint(
            number=number,
            title=str(title),
            text=str(text),
            written=number in WRITTEN,
            records=records[number],
            assessed=assessed.get(number),
        )
        for number, (title, text) in POINTS.items()
    ]


def control_history(organisation_id: int, unit: Unit | None) -> QuerySet[ControlStatus]:
    return ControlStatus.objects.filter(organisation_id=organisation_id, unit=unit)


def current_year() -> int:
    return today().year

"""Stored readings of the goals bound to live indicators (`GoalReading`): stale while revalidate.

A live indicator can take seconds in a large organisation (sick leave walks every employment),
and the organisation's data version changes with every write anywhere in it (and every logged
read of sick-leave data), so readings cached by that version were computed again on most page
views, and once in every process. Instead each live goal keeps its last reading in the database,
shared by every process and server:

- current (computed today, at the organisation's present data version): shown as it is;
- older: shown at once with the time it was computed, and one background task computes it
  again. Only the request that marks the reading (`refresh_requested_at`) enqueues the task, so
  a busy page does not enqueue one per view; after RETRY_AFTER another request may, in case the
  worker died;
- missing, or computed for another indicator or unit, or without the trend the page shows:
  computed now, for those goals only, and stored.

The scheduler's tick asks for readings of an earlier day to be computed again
(`refresh_old_readings`, registered with `trygg.lib.periodic`), so the morning's first page
finds them current.
"""

from __future__ import annotations

import datetime as dt
import time
from collections import defaultdict
from collections.abc import Callable, Iterable
from decimal import Decimal

from django.db.models import Count, Max, Q, QuerySet
from django.utils import timezone

from trygg.audit.queries import latest_entry_id
from trygg.goals.measure import Reading, goal_paths, read_goal, status_of
from trygg.goals.models import Goal, GoalReading
from trygg.lib import indicators
from trygg.lib.dates import today

RETRY_AFTER = dt.timedelta(minutes=5)  # a refresh asked for and not done by then is asked again
TASK_SIZE = 100  # goals per background task when the scheduler refreshes a day's readings


def scope_of(goal: Goal) -> str:
    """What a goal's indicator is asked about (`measure.goal_paths`), as stored."""
    return "|".join(goal_paths(goal))


def is_live(goal: Goal) -> bool:
    """Bound to an indicator some module has registered (the others have nothing to store)."""
    return bool(goal.indicator_code) and indicators.get(goal.indicator_code) is not None


def readings_for(goals: Iterable[Goal], *, trend: Callable[[Goal], bool]) -> dict[int, Reading]:
    """The readings of the live goals among `goals`, by goal id; `trend(goal)` says whether the
    page shows its sparkline. Two queries (the stored readings and the data version), then the
    indicators only for goals with no usable reading. Goals need `unit` and `committee__unit`."""
    live = [goal for goal in goals if is_live(goal)]
    if not live:
        return {}
    day = today()
    # The version is read before anything is computed: a write during the computation leaves
    # the stored reading older than the data, so it is computed again, never kept as current.
    versions = {org: latest_entry_id(org) for org in {goal.organisation_id for goal in live}}
    stored = {
        row.goal_id: row for row in GoalReading.objects.filter(goal_id__in=[g.pk for g in live])
    }
    readings: dict[int, Reading] = {}
    missing: list[Goal] = []
    unasked: list[int] = []  # older readings whose refresh nobody has asked for lately
    asked_since = timezone.now() - RETRY_AFTER
    for goal in live:
        row = stored.get(goal.pk)
        if row is None or not _serves(row, goal, trend=trend(goal)):
            missing.append(goal)
            continue
        current = row.as_of == day and row.version == versions[goal.organisation_id]
        readings[goal.pk] = _reading(row, goal, trend=trend(goal), stale=not current)
        if not current and (
            row.refresh_requested_at is None or row.refresh_requested_at < asked_since
        ):
            unasked.append(row.pk)
    if missing:
        readings.update(_compute(missing, trend=trend, versions=versions, day=day))
    if unasked:  # otherwise the page writes nothing: a refresh is on its way
        _ask_for_refresh(GoalReading.objects.filter(pk__in=unasked))
    return readings


def stamp(organisation_id: int) -> str:
    """The state of the organisation's stored readings, for the keys of rendered pages that show
    them (their data version is in the key already): the newest computation, and while any
    reading is older than the data, the current RETRY_AFTER period too, so such a page is drawn
    again (and asks again for the refresh, should the worker have died) now and then."""
    version = latest_entry_id(organisation_id)
    found = GoalReading.objects.filter(organisation_id=organisation_id).aggregate(
        newest=Max("computed_at"),
        older=Count("pk", filter=Q(as_of__lt=today()) | ~Q(version=version)),
    )
    newest = found["newest"].timestamp() if found["newest"] else 0
    period = int(time.time() // RETRY_AFTER.total_seconds()) if found["older"] else 0
    return f"{newest}:{period}"


def refresh(goal_ids: Iterable[int]) -> int:
    """Compute the readings of these goals again (the background task) unless they are current
    by now; each keeps whether it had the trend. A goal no longer bound to a live indicator
    loses its reading. Returns how many were computed."""
    ids = list(goal_ids)
    goals = list(
        Goal.objects.filter(pk__in=ids)
        .with_related()
        .select_related("committee__unit")
        .order_by("pk")
    )
    live = [goal for goal in goals if is_live(goal)]
    GoalReading.objects.filter(goal_id__in=ids).exclude(
        goal_id__in=[goal.pk for goal in live]
    ).delete()
    if not live:
        return 0
    day = today()
    versions = {org: latest_entry_id(org) for org in {goal.organisation_id for goal in live}}
    stored = {
        row.goal_id: row for row in GoalReading.objects.filter(goal_id__in=[g.pk for g in live])
    }

    def with_trend(goal: Goal) -> bool:
        row = stored.get(goal.pk)
        return row.has_trend if row is not None else goal.is_organisation_goal

    due = [
        goal
        for goal in live
        if goal.pk not in stored
        or not _serves(stored[goal.pk], goal, trend=with_trend(goal))
        or stored[goal.pk].as_of != day
        or stored[goal.pk].version != versions[goal.organisation_id]
    ]
    _compute(due, trend=with_trend, versions=versions, day=day)
    return len(due)


def refresh_old_readings() -> int:
    """The scheduler's job: ask for the readings of goals in force that were computed on an
    earlier day to be computed again in the background. Returns how many were asked for."""
    day = today()
    old = GoalReading.objects.filter(
        as_of__lt=day,
        goal__is_active=True,
        goal__start_year__lte=day.year,
        goal__end_year__gte=day.year,
    )
    return _ask_for_refresh(old)


# --- Storing and asking -------------------------------------------------------------------------
def _serves(row: GoalReading, goal: Goal, *, trend: bool) -> bool:
    """Whether a stored reading was computed for what the goal asks now."""
    return (
        row.indicator_code == goal.indicator_code
        and row.scope == scope_of(goal)
        and (row.has_trend or not trend)
    )


def _reading(row: GoalReading, goal: Goal, *, trend: bool, stale: bool) -> Reading:
    """The stored reading with the goal's status now: a changed target shows at once."""
    value = Decimal(row.value) if row.value else None
    points = [(dt.date.fromisoformat(d), Decimal(v)) for d, v in row.points] if trend else []
    return Reading(
        value=value,
        points=points,
        status=status_of(goal, value, row.as_of),
        as_of=row.as_of,
        computed_at=row.computed_at,
        stale=stale,
    )


def _compute(
    goals: list[Goal],
    *,
    trend: Callable[[Goal], bool],
    versions: dict[int, int],
    day: dt.date,
) -> dict[int, Reading]:
    """Ask the indicators for these goals' readings and store them (one upsert)."""
    readings: dict[int, Reading] = {}
    rows: list[GoalReading] = []
    for goal in goals:
        with_trend = trend(goal)
        reading = read_goal(goal, day, trend=with_trend)
        reading.computed_at = timezone.now()
        readings[goal.pk] = reading
        rows.append(
            GoalReading(
                organisation_id=goal.organisation_id,
                goal=goal,
                indicator_code=goal.indicator_code,
                scope=scope_of(goal),
                has_trend=with_trend,
                value="" if reading.value is None else str(reading.value),
                points=[[d.isoformat(), str(v)] for d, v in reading.points],
                as_of=day,
                version=versions[goal.organisation_id],
                computed_at=reading.computed_at,
                refresh_requested_at=None,
            )
        )
    if rows:
        GoalReading.objects.bulk_create(
            rows,
            update_conflicts=True,
            unique_fields=["goal"],
            update_fields=[
                "indicator_code",
                "scope",
                "has_trend",
                "value",
                "points",
                "as_of",
                "version",
                "computed_at",
                "refresh_requested_at",
            ],
        )
    return readings


def _ask_for_refresh(rows: QuerySet[GoalReading]) -> int:
    """Mark these readings as being computed again, unless that was asked lately, and enqueue
    the background task for those this call marked: one conditional UPDATE decides, so of many
    requests at once only one enqueues. Returns how many goals were enqueued."""
    from trygg.goals.tasks import refresh_readings  # the task module imports this one

    now = timezone.now()
    marked = rows.filter(
        Q(refresh_requested_at__isnull=True) | Q(refresh_requested_at__lt=now - RETRY_AFTER)
    ).update(refresh_requested_at=now)
    if not marked:
        return 0
    by_organisation: dict[int, list[int]] = defaultdict(list)
    for organisation_id, goal_id in (
        rows.filter(refresh_requested_at=now)
        .order_by("organisation_id", "goal_id")
        .values_list("organisation_id", "goal_id")
    ):
        by_organisation[organisation_id].append(goal_id)
    for goal_ids in by_organisation.values():
        for i in range(0, len(goal_ids), TASK_SIZE):
            refresh_readings.enqueue(goal_ids=goal_ids[i : i + TASK_SIZE])
    return sum(len(ids) for ids in by_organisation.values())

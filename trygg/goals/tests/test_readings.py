"""Stored readings of live goals: current, older (shown, refreshed once in the background) and
missing or computed for something else (computed now); the scheduler's daily refresh."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from trygg.audit.models import AuditEntry
from trygg.audit.queries import latest_entry_id
from trygg.audit.services import record_event
from trygg.goals import queries, readings, services
from trygg.goals.measure import Status
from trygg.goals.models import Goal, GoalReading
from trygg.goals.tests.factories import make_goal
from trygg.lib import indicators, periodic
from trygg.lib.dates import today
from trygg.org import services as org_services


@pytest.fixture
def live():
    """Two live indicators answering from a dict, with every call recorded."""
    calls: list[tuple] = []
    values = {"test.live": Decimal("3"), "test.other": Decimal("9")}

    def compute_for(code):
        def compute(organisation_id, paths, start, end):
            calls.append((code, paths, start, end))
            return values[code]

        return compute

    for code in values:
        indicators.register(code, code, unit="%", lower_is_better=True, compute=compute_for(code))
    yield calls, values
    for code in ("test.live", "test.other"):
        indicators._indicators.pop(code, None)


def _change(world) -> None:
    """Any write in the organisation: a new data version."""
    record_event(
        actor=None,
        organisation_id=world.org.pk,
        action=AuditEntry.Action.UPDATE,
        object_type="test.change",
        description="A change",
    )


def _view(goal: Goal, *, trend: bool | None = None) -> queries.GoalView:
    fresh = Goal.objects.with_related().select_related("committee__unit").get(pk=goal.pk)
    (view,) = queries.view_goals([fresh], trend=trend)
    return view


@pytest.fixture
def enqueued(monkeypatch):
    """Record the refresh tasks instead of running them."""
    from trygg.goals import tasks

    sent: list[list[int]] = []

    class Recorder:
        @staticmethod
        def enqueue(*, goal_ids):
            sent.append(list(goal_ids))

    monkeypatch.setattr(tasks, "refresh_readings", Recorder)
    return sent


def test_a_reading_is_stored_once_and_read_back_exactly(world, live):
    calls, values = live
    values["test.live"] = Decimal("3.14159")
    goal = make_goal(world, indicator_code="test.live", measure="", target=Decimal("4"))
    first = _view(goal)
    assert len(calls) == 7 and first.reading.value == Decimal("3.14159")
    row = GoalReading.objects.get(goal=goal)
    assert (row.indicator_code, row.scope, row.has_trend) == ("test.live", "", True)
    assert row.as_of == today() and row.version == latest_entry_id(world.org.pk)
    again = _view(goal)
    assert len(calls) == 7  # nothing asked again
    assert again.reading.value == Decimal("3.14159") and not again.reading.stale
    assert again.reading.points == first.reading.points and len(again.reading.points) == 6
    assert again.reading.status == Status.ON_TRACK


def test_storing_a_reading_is_not_a_change_of_the_organisations_data(world, live):
    goal = make_goal(world, indicator_code="test.live", measure="")
    version = latest_entry_id(world.org.pk)
    _view(goal)
    assert GoalReading.objects.filter(goal=goal).exists()
    assert latest_entry_id(world.org.pk) == version
    assert not AuditEntry.objects.filter(object_type="goals.goalreading").exists()


def test_an_older_reading_is_shown_and_refreshed_once_in_the_background(world, live, enqueued):
    calls, values = live
    goal = make_goal(world, indicator_code="test.live", measure="")
    _view(goal)
    asked = len(calls)
    values["test.live"] = Decimal("5")
    _change(world)
    older = _view(goal)
    assert older.reading.value == Decimal("3") and older.reading.stale
    assert older.reading.computed_at is not None
    assert len(calls) == asked  # nothing computed in the request
    assert enqueued == [[goal.pk]]
    _view(goal)
    _view(goal)
    assert enqueued == [[goal.pk]]  # asked once, not on every view
    # A refresh asked for long ago (a worker that died) is asked for again.
    GoalReading.objects.filter(goal=goal).update(
        refresh_requested_at=timezone.now() - readings.RETRY_AFTER - dt.timedelta(seconds=1)
    )
    _view(goal)
    assert enqueued == [[goal.pk], [goal.pk]]
    # The task computes it again and clears the request.
    assert readings.refresh([goal.pk]) == 1
    current = _view(goal)
    assert current.reading.value == Decimal("5") and not current.reading.stale
    assert GoalReading.objects.get(goal=goal).refresh_requested_at is None
    assert readings.refresh([goal.pk]) == 0  # current by now: nothing to do
    # Measured by hand from now on: the task drops the reading.
    services.update_goal(actor=None, goal=goal, indicator_code="", measure="Telling")
    assert readings.refresh([goal.pk]) == 0
    assert not GoalReading.objects.filter(goal=goal).exists()


def test_the_page_shows_an_older_reading_with_its_time(client, world, live):
    _calls, values = live
    goal = make_goal(world, indicator_code="test.live", measure="")
    client.force_login(world.employee)
    first = client.get(goal.get_absolute_url()).content.decode()
    computed = GoalReading.objects.get(goal=goal).computed_at
    when = timezone.localtime(computed).strftime("%d.%m.%Y %H:%M")
    assert f"As of {when}" not in first  # computed for this view: current
    values["test.live"] = Decimal("6")
    _change(world)
    body = client.get(goal.get_absolute_url()).content.decode()
    assert f'<span class="muted">As of {when}</span>' in body
    # The test's task backend ran the refresh at once: the next view is current.
    body = client.get(goal.get_absolute_url()).content.decode()
    assert f"As of {when}" not in body and "<strong>6 %</strong>" in body


def test_a_changed_target_shows_at_once_without_asking_the_indicator(world, live, enqueued):
    calls, _values = live
    goal = make_goal(world, indicator_code="test.live", measure="", target=Decimal("4"))
    assert _view(goal).reading.status == Status.ON_TRACK
    asked = len(calls)
    goal = services.update_goal(actor=None, goal=goal, target=Decimal("2"))
    view = _view(goal)
    # The stored value (older now: the change is a write) measured against the new target.
    assert view.reading.value == Decimal("3") and view.reading.stale
    assert view.reading.status == Status.OFF_TRACK
    assert len(calls) == asked and enqueued == [[goal.pk]]


def test_a_reading_computed_for_something_else_is_never_shown(world, live, enqueued):
    calls, _values = live
    goal = make_goal(
        world, unit=world.nursing_home, indicator_code="test.live", measure="", target=Decimal("4")
    )
    assert _view(goal).reading.value == Decimal("3")
    # Another indicator: computed now, in the request.
    goal = services.update_goal(actor=None, goal=goal, indicator_code="test.other")
    view = _view(goal)
    assert view.reading.value == Decimal("9") and not view.reading.stale
    assert calls[-1][0] == "test.other"
    # The unit moved: its path, and so what the indicator is asked about, changed.
    unit = world.nursing_home
    org_services.update_unit(
        actor=None, unit=unit, name=unit.name, kind=unit.kind, code=unit.code, parent=world.top
    )
    unit.refresh_from_db()
    view = _view(goal)
    assert not view.reading.stale and calls[-1][1] == (unit.path,)
    assert GoalReading.objects.get(goal=goal).scope == unit.path
    assert enqueued == []


def test_a_reading_without_the_trend_does_not_serve_a_page_with_the_sparkline(world, live):
    calls, _values = live
    parent = make_goal(world, "Overordnet")
    local = make_goal(
        world, "Lokalt", unit=world.ward, parent=parent, indicator_code="test.live", measure=""
    )
    listed = _view(local)  # a local goal in a list: the current value only
    assert len(calls) == 1 and listed.reading.points == []
    detail = _view(local, trend=True)
    assert len(calls) == 1 + 7 and len(detail.reading.points) == 6
    assert GoalReading.objects.get(goal=local).has_trend
    assert _view(local).reading.points == []  # the list still shows no sparkline
    assert len(calls) == 8


def test_the_scheduler_refreshes_readings_of_an_earlier_day(world, live):
    from trygg.notifications.tasks import run_reminders

    calls, values = live
    goal = make_goal(world, indicator_code="test.live", measure="")
    ended = make_goal(
        world,
        "Gammelt",
        indicator_code="test.live",
        measure="",
        start_year=today().year - 3,
        end_year=today().year - 1,
    )
    queries.view_goals(list(Goal.objects.with_related().filter(pk__in=[goal.pk, ended.pk])))
    yesterday = today() - dt.timedelta(days=1)
    GoalReading.objects.update(as_of=yesterday)
    values["test.live"] = Decimal("7")
    assert readings.refresh_old_readings in periodic._jobs
    run_reminders.enqueue()  # the tick; the test's backend runs it and the refresh at once
    row = GoalReading.objects.get(goal=goal)
    assert row.as_of == today() and row.value == "7" and row.refresh_requested_at is None
    assert GoalReading.objects.get(goal=ended).as_of == yesterday  # not in force: left
    asked = len(calls)
    run_reminders.enqueue()
    assert len(calls) == asked  # nothing older than today is left


def test_the_goal_list_is_drawn_again_when_its_readings_change(client, world, live, enqueued):
    def drawn(response) -> bool:
        return "goals/_goal_tree.html" in [t.name for t in response.templates]

    _calls, values = live
    parent = make_goal(world, "Overordnet")
    make_goal(
        world, "Lokalt", unit=world.ward, parent=parent, indicator_code="test.live", measure=""
    )
    client.force_login(world.employee)
    url = reverse("goals:goal_list")
    assert "<strong>3 %</strong>" in client.get(url).content.decode()
    values["test.live"] = Decimal("5")
    _change(world)
    response = client.get(url)
    older = response.content.decode()  # drawn again: the data changed
    assert drawn(response) and "<strong>3 %</strong>" in older and "As of" in older
    response = client.get(url)
    assert not drawn(response) and "As of" in response.content.decode()  # kept
    assert readings.refresh(enqueued[0]) == 1  # the worker's task
    current = client.get(url).content.decode()
    assert "<strong>5 %</strong>" in current and "As of" not in current


def test_a_page_with_older_readings_is_drawn_again_now_and_then(world, live, monkeypatch):
    goal = make_goal(world, indicator_code="test.live", measure="")
    _view(goal)
    clock = [1_000_000.0]
    monkeypatch.setattr(readings.time, "time", lambda: clock[0])
    current = readings.stamp(world.org.pk)
    clock[0] += 2 * readings.RETRY_AFTER.total_seconds()
    assert readings.stamp(world.org.pk) == current  # current readings: kept however long
    GoalReading.objects.update(version=0)  # older than the data
    older = readings.stamp(world.org.pk)
    assert older != current and readings.stamp(world.org.pk) == older
    clock[0] += readings.RETRY_AFTER.total_seconds()
    assert readings.stamp(world.org.pk) != older  # a new period: drawn again, asked again

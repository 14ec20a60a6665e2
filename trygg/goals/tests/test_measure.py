"""A goal's reading: live indicators (registered or not), measurements, status and trend."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from trygg.goals import services
from trygg.goals.measure import Status, read_goal, sparkline, status_of
from trygg.goals.models import Goal
from trygg.goals.tests.factories import make_goal
from trygg.lib import indicators


@pytest.fixture
def fake_indicator():
    """A live indicator that answers from a dict, registered for the test only."""
    calls: list[tuple] = []
    values = {"value": Decimal("6.2")}

    def compute(organisation_id, paths, start, end):
        calls.append((organisation_id, paths, start, end))
        return values["value"]

    indicators.register("test.sick", "Test", unit="%", lower_is_better=True, compute=compute)
    yield calls, values
    indicators._indicators.pop("test.sick", None)


def _goal(**kwargs) -> Goal:
    goal = Goal(start_year=2026, end_year=2027, target=Decimal("5"), **kwargs)
    return goal


def test_it_is_on_track_when_the_target_is_met():
    goal = _goal(lower_is_better=True)
    assert status_of(goal, Decimal("4.9"), dt.date(2026, 6, 1)) == Status.ON_TRACK
    assert status_of(goal, Decimal("5"), dt.date(2026, 6, 1)) == Status.ON_TRACK


def test_it_follows_the_line_from_baseline_to_target():
    goal = _goal(lower_is_better=True, baseline=Decimal("9"))
    # Half-way through 2026–2027 the planned value is about 7.
    assert status_of(goal, Decimal("6.9"), dt.date(2027, 1, 1)) == Status.ON_TRACK
    assert status_of(goal, Decimal("7.5"), dt.date(2027, 1, 1)) == Status.OFF_TRACK
    higher = _goal(lower_is_better=False, baseline=Decimal("1"))
    higher.target = Decimal("9")
    assert status_of(higher, Decimal("2"), dt.date(2026, 1, 2)) == Status.ON_TRACK
    assert status_of(higher, Decimal("2"), dt.date(2027, 12, 31)) == Status.OFF_TRACK


def test_it_has_no_status_without_a_value():
    assert status_of(_goal(), None, dt.date(2026, 1, 1)) == Status.NO_DATA


def test_it_says_the_data_source_is_missing_for_an_unregistered_indicator(world):
    goal = make_goal(world, indicator_code="training.coverage", measure="")
    reading = read_goal(goal)
    assert reading.source_missing
    assert reading.status == Status.NO_DATA
    assert sparkline(goal, reading) == ""


def test_it_reads_a_live_indicator_for_the_goals_unit(world, fake_indicator):
    calls, _values = fake_indicator
    goal = make_goal(
        world, unit=world.nursing_home, indicator_code="test.sick", measure="", target=Decimal("7")
    )
    reading = read_goal(goal, dt.date(2026, 11, 22))
    assert reading.value == Decimal("6.2")
    assert reading.status == Status.ON_TRACK
    assert {c[1] for c in calls} == {(world.nursing_home.path,)}
    assert len(reading.points) == 6  # six quarters of trend
    assert reading.points[-1][0] == dt.date(2026, 11, 22)
    svg = sparkline(goal, reading)
    assert svg.startswith("<svg") and 'role="img"' in svg and "6,2" in svg
    # A live indicator's own unit and direction are kept, whatever was typed.
    assert goal.lower_is_better is True


def test_an_organisation_goal_asks_for_the_whole_organisation(world, fake_indicator):
    calls, _values = fake_indicator
    goal = make_goal(world, indicator_code="test.sick", measure="")
    read_goal(goal)
    assert calls[0][1] == ()  # no paths: the whole organisation


def test_it_reads_hand_entered_measurements_in_date_order(world):
    goal = make_goal(world, target=Decimal("90"), baseline=Decimal("60"))
    for day, value in ((dt.date(2025, 3, 1), "70"), (dt.date(2024, 3, 1), "60")):
        services.record_measurement(actor=None, goal=goal, measured_on=day, value=Decimal(value))
    goal = Goal.objects.with_related().get(pk=goal.pk)
    reading = read_goal(goal, dt.date(2025, 6, 1))
    assert reading.value == Decimal("70")
    assert [v for _d, v in reading.points] == [Decimal("60"), Decimal("70")]
    assert reading.as_of == dt.date(2025, 3, 1)


def test_a_hand_measured_goal_without_measurements_has_no_data(world):
    reading = read_goal(make_goal(world))
    assert reading.status == Status.NO_DATA and not reading.source_missing


def test_it_asks_an_indicator_with_a_series_once_for_all_periods(world):
    asked: list[list[tuple[dt.date, dt.date]]] = []

    def compute(organisation_id, paths, start, end):
        raise AssertionError("the series is asked instead")

    def compute_series(organisation_id, paths, spans):
        asked.append(list(spans))
        # One value per period; the second quarter has no data.
        return [None if i == 1 else Decimal(i) for i in range(len(spans))]

    indicators.register(
        "test.series",
        "S",
        unit="%",
        lower_is_better=True,
        compute=compute,
        compute_series=compute_series,
    )
    try:
        goal = make_goal(world, indicator_code="test.series", measure="", target=Decimal("7"))
        reading = read_goal(goal, dt.date(2026, 11, 22))
        (spans,) = asked
        assert spans[:6] == [
            (dt.date(2025, 7, 1), dt.date(2025, 9, 30)),
            (dt.date(2025, 10, 1), dt.date(2025, 12, 31)),
            (dt.date(2026, 1, 1), dt.date(2026, 3, 31)),
            (dt.date(2026, 4, 1), dt.date(2026, 6, 30)),
            (dt.date(2026, 7, 1), dt.date(2026, 9, 30)),
            (dt.date(2026, 10, 1), dt.date(2026, 11, 22)),
        ]
        assert spans[6] == (dt.date(2025, 11, 23), dt.date(2026, 11, 22))
        assert [v for _d, v in reading.points] == [Decimal(i) for i in (0, 2, 3, 4, 5)]
        assert reading.value == Decimal(6) and reading.status == Status.ON_TRACK
        read_goal(goal, dt.date(2026, 11, 22), trend=False)
        assert asked[1] == [(dt.date(2025, 11, 23), dt.date(2026, 11, 22))]
    finally:
        indicators._indicators.pop("test.series", None)

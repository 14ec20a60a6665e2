"""The worked examples of rules.md §1.2 and §1.3 and pure rules, to the day."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from trygg.absence import rules
from trygg.absence.rules import Interval

D = dt.date


def test_it_counts_q1_2025_workdays_as_63():
    assert rules.workdays(D(2025, 1, 1), D(2025, 3, 31)) == 63


def test_it_skips_easter_and_17_may_in_workdays():
    # April 2025: 22 weekdays minus Maundy Thursday, Good Friday and Easter Monday.
    assert rules.workdays(D(2025, 4, 1), D(2025, 4, 30)) == 19
    assert rules.workdays(D(2025, 5, 17), D(2025, 5, 17)) == 0  # a Saturday anyway
    assert rules.workdays(D(2024, 5, 17), D(2024, 5, 17)) == 0  # a Friday holiday
    assert rules.workdays(D(2025, 1, 2), D(2025, 1, 1)) == 0


def test_it_dates_the_milestones_of_the_worked_example_conservatively():
    start = D(2025, 1, 6)
    assert rules.employer_period_end(start) == D(2025, 1, 21)
    assert rules.due_in_weeks(start, 4) == D(2025, 2, 2)
    assert rules.due_in_weeks(start, 7) == D(2025, 2, 23)
    assert rules.activity_requirement_date(start) == D(2025, 3, 2)
    assert rules.dm2_candidate_date(start) == D(2025, 5, 5)
    assert rules.due_in_weeks(start, 26) == D(2025, 7, 6)
    assert rules.due_in_weeks(start, 26) - dt.timedelta(days=7) == D(2025, 6, 29)
    assert rules.notice_39_weeks_date(start) == D(2025, 10, 6)
    assert rules.maximum_date(start) == D(2026, 1, 2)


def test_it_dates_the_milestones_nav_style():
    start = D(2025, 1, 6)
    assert rules.due_in_weeks(start, 4, rules.NAV_STYLE) == D(2025, 2, 3)
    assert rules.due_in_weeks(start, 7, rules.NAV_STYLE) == D(2025, 2, 24)
    assert rules.due_in_weeks(start, 26, rules.NAV_STYLE) == D(2025, 7, 7)


def test_it_keeps_one_employer_period_across_a_short_gap():
    # rules.md §1.3.3: 6–10 Jan, back 11–19 Jan, again from 20 Jan: NAV pays from 31 Jan.
    period = rules.employer_period(
        [Interval(D(2025, 1, 6), D(2025, 1, 10)), Interval(D(2025, 1, 20), D(2025, 2, 28))]
    )
    assert period == rules.EmployerPeriod(D(2025, 1, 6), D(2025, 1, 30), True)
    assert period.last + rules.DAY == D(2025, 1, 31)


def test_it_starts_a_new_employer_period_after_16_days_back():
    period = rules.employer_period(
        [Interval(D(2025, 1, 6), D(2025, 1, 10)), Interval(D(2025, 1, 27), D(2025, 2, 28))]
    )
    assert period is not None and period.first == D(2025, 1, 27)


def test_it_starts_a_new_case_after_16_days_back_and_not_after_15():
    # rules.md §1.3.4
    new = rules.follow_up_cases(
        [Interval(D(2025, 1, 6), D(2025, 1, 31)), Interval(D(2025, 2, 17), D(2025, 3, 1))]
    )
    assert [c.start for c in new] == [D(2025, 1, 6), D(2025, 2, 17)]
    same = rules.follow_up_cases(
        [Interval(D(2025, 1, 6), D(2025, 1, 31)), Interval(D(2025, 2, 16), D(2025, 3, 1))]
    )
    assert [c.start for c in same] == [D(2025, 1, 6)]
    assert same[0].sick_days == 26 + 14


def test_it_classifies_duration_by_nav_categories():
    assert [
        rules.duration_category(n) for n in (1, 7, 8, 16, 17, 56, 57, 140, 141, 273, 274)
    ] == list("AABBCCDDEEF")
    assert not rules.is_long_term(16) and rules.is_long_term(17)


def test_it_joins_adjacent_spells_into_one_chain():
    runs = rules.chains(
        [
            Interval(D(2025, 1, 1), D(2025, 1, 10)),
            Interval(D(2025, 1, 11), D(2025, 1, 20), 50),
            Interval(D(2025, 1, 22), D(2025, 1, 22)),
        ]
    )
    assert runs == [(D(2025, 1, 1), D(2025, 1, 20)), (D(2025, 1, 22), D(2025, 1, 22))]


@pytest.mark.parametrize(
    ("lost", "agreed", "expected"),
    [
        (17, Decimal("144.9"), "11.7"),
        (15, Decimal("144.9"), "10.4"),
        (2, Decimal("144.9"), "1.4"),
        (12, Decimal("144.9"), "8.3"),
        (5, Decimal("144.9"), "3.5"),
    ],
)
def test_it_rounds_the_worked_example_half_up(lost, agreed, expected):
    assert rules.percent(lost, agreed) == Decimal(expected)


def test_it_never_sums_rounded_components():
    total = rules.percent(17, Decimal("144.9"))
    assert rules.percent(15, Decimal("144.9")) + rules.percent(2, Decimal("144.9")) != total


def test_it_counts_the_recurring_absence_window_in_months():
    assert rules._months_before(D(2025, 3, 31), 1) == D(2025, 2, 28)

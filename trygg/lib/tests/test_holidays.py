"""Norwegian public holidays and workday counting (rules.md §2: Mon–Fri minus public holidays)."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest

from trygg.lib.holidays import (
    easter_sunday,
    is_public_holiday,
    is_workday,
    public_holidays,
    workdays_between,
)

D = dt.date


@pytest.mark.parametrize(
    ("year", "easter"),
    [
        (2024, D(2024, 3, 31)),
        (2025, D(2025, 4, 20)),
        (2026, D(2026, 4, 5)),
        (2027, D(2027, 3, 28)),
        (2028, D(2028, 4, 16)),
        (2029, D(2029, 4, 1)),
        (2030, D(2030, 4, 21)),
        # The extremes of the Gregorian computus, and a century year.
        (1818, D(1818, 3, 22)),
        (2285, D(2285, 3, 22)),
        (1943, D(1943, 4, 25)),
        (2038, D(2038, 4, 25)),
        (2000, D(2000, 4, 23)),
    ],
)
def test_easter_sunday_of_known_years(year, easter):
    assert easter_sunday(year) == easter


def test_easter_is_always_a_sunday_between_22_march_and_25_april():
    for year in range(1900, 2101):
        easter = easter_sunday(year)
        assert easter.weekday() == 6, year
        assert D(year, 3, 22) <= easter <= D(year, 4, 25), year


def test_all_twelve_public_holidays_of_2026():
    assert public_holidays(2026) == {
        D(2026, 1, 1): "Første nyttårsdag",
        D(2026, 4, 2): "Skjærtorsdag",
        D(2026, 4, 3): "Langfredag",
        D(2026, 4, 5): "Første påskedag",
        D(2026, 4, 6): "Andre påskedag",
        D(2026, 5, 1): "Offentlig høytidsdag",
        D(2026, 5, 14): "Kristi himmelfartsdag",
        D(2026, 5, 17): "Grunnlovsdag",
        D(2026, 5, 24): "Første pinsedag",
        D(2026, 5, 25): "Andre pinsedag",
        D(2026, 12, 25): "Første juledag",
        D(2026, 12, 26): "Andre juledag",
    }


def test_public_holidays_are_in_date_order():
    days = list(public_holidays(2028))
    assert days == sorted(days)
    assert len(days) == 12


@pytest.mark.parametrize(
    ("year", "shared_day"),
    [
        (2008, D(2008, 5, 1)),  # Easter on 23 March puts Ascension Day on 1 May
        (2027, D(2027, 5, 17)),  # Easter on 28 March puts Whit Monday on Constitution Day
    ],
)
def test_a_movable_holiday_on_a_fixed_one_is_one_day_off(year, shared_day):
    assert len(public_holidays(year)) == 11
    assert is_public_holiday(shared_day)
    assert not is_workday(shared_day)


@pytest.mark.parametrize(
    ("day", "holiday"),
    [
        (D(2025, 4, 17), True),  # Skjærtorsdag
        (D(2025, 4, 16), False),  # the Wednesday before Easter is a working day
        (D(2025, 5, 17), True),
        (D(2025, 12, 24), False),  # Christmas Eve is not a public holiday by law
        (D(2025, 12, 31), False),
        (D(2025, 6, 9), True),  # Andre pinsedag
    ],
)
def test_is_public_holiday(day, holiday):
    assert is_public_holiday(day) is holiday


@pytest.mark.parametrize(
    ("day", "workday"),
    [
        (D(2026, 1, 2), True),  # Friday after New Year
        (D(2026, 1, 3), False),  # Saturday
        (D(2026, 1, 4), False),  # Sunday
        (D(2026, 1, 1), False),  # a Thursday, but New Year's Day
        (D(2026, 5, 14), False),  # Ascension Day, a Thursday
        (D(2026, 5, 15), True),
        (D(2026, 12, 24), True),
    ],
)
def test_is_workday(day, workday):
    assert is_workday(day) is workday


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        # rules.md §2.5: Q1 2025 has 63 workdays (Mon–Fri minus 1 January).
        (D(2025, 1, 1), D(2025, 3, 31), 63),
        (D(2025, 2, 3), D(2025, 2, 14), 10),  # spell A1
        (D(2025, 3, 10), D(2025, 3, 11), 2),  # spell A2
        (D(2025, 1, 6), D(2025, 1, 31), 20),  # spell B1
        # Easter week 2026: Mon 30 March – Mon 6 April, with Thu, Fri and Mon off.
        (D(2026, 3, 30), D(2026, 4, 6), 3),
        # Christmas to New Year, across the year boundary.
        (D(2025, 12, 22), D(2026, 1, 2), 7),
        # Whole years: 2024 is a leap year beginning on a Monday (262 weekdays, 10 holidays
        # on weekdays); 2025 and 2026 have 261 weekdays, with 9 and 8 holidays on weekdays.
        (D(2024, 1, 1), D(2024, 12, 31), 252),
        (D(2025, 1, 1), D(2025, 12, 31), 252),
        (D(2026, 1, 1), D(2026, 12, 31), 253),
        (D(2024, 1, 1), D(2026, 12, 31), 757),
        # One day: a workday, a Saturday, a holiday.
        (D(2026, 5, 15), D(2026, 5, 15), 1),
        (D(2026, 5, 16), D(2026, 5, 16), 0),
        (D(2026, 5, 14), D(2026, 5, 14), 0),
        # A holiday on a weekend is not subtracted twice: 17 May 2026 is a Sunday.
        (D(2026, 5, 11), D(2026, 5, 17), 4),
        # End before start.
        (D(2026, 5, 15), D(2026, 5, 14), 0),
    ],
)
def test_workdays_between(start, end, expected):
    assert workdays_between(start, end) == expected


def test_workdays_between_agrees_with_counting_day_by_day():
    starts = [D(2023, 12, 1) + dt.timedelta(days=n) for n in range(0, 3 * 366, 17)]
    lengths = [0, 1, 2, 4, 6, 7, 8, 13, 30, 45, 100, 400]
    for start, length in itertools.product(starts, lengths):
        end = start + dt.timedelta(days=length)
        by_day = sum(is_workday(start + dt.timedelta(days=n)) for n in range(length + 1))
        assert workdays_between(start, end) == by_day, (start, end)

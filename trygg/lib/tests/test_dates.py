"""Dates in Europe/Oslo and the dd.mm.yyyy convention."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
import time_machine

from trygg.lib.dates import add_years, format_date, parse_norwegian_date, today

OSLO = zoneinfo.ZoneInfo("Europe/Oslo")


def test_today_is_the_date_in_oslo_not_in_utc():
    # 23:30 UTC on New Year's Eve is already 00:30 on 1 January in Oslo (UTC+1 in winter).
    with time_machine.travel(dt.datetime(2025, 12, 31, 23, 30, tzinfo=dt.UTC), tick=False):
        assert today() == dt.date(2026, 1, 1)
    # 22:30 UTC in summer is 00:30 the next day in Oslo (UTC+2).
    with time_machine.travel(dt.datetime(2026, 6, 30, 22, 30, tzinfo=dt.UTC), tick=False):
        assert today() == dt.date(2026, 7, 1)
    with time_machine.travel(dt.datetime(2026, 6, 30, 21, 59, tzinfo=dt.UTC), tick=False):
        assert today() == dt.date(2026, 6, 30)


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (dt.date(2026, 3, 5), "05.03.2026"),
        (dt.date(2026, 12, 31), "31.12.2026"),
        (dt.datetime(2026, 1, 2, 15, 30, tzinfo=OSLO), "02.01.2026"),
        (None, ""),
    ],
)
def test_format_date(value, text):
    assert format_date(value) == text


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("05.03.2026", dt.date(2026, 3, 5)),
        ("5.3.2026", dt.date(2026, 3, 5)),
        ("05.03.26", dt.date(2026, 3, 5)),
        ("2026-03-05", dt.date(2026, 3, 5)),
        ("05/03/2026", dt.date(2026, 3, 5)),
        ("  29.02.2024 ", dt.date(2024, 2, 29)),
    ],
)
def test_parse_norwegian_date(text, day):
    assert parse_norwegian_date(text) == day


@pytest.mark.parametrize(
    "text",
    ["", "   ", "31.02.2026", "29.02.2025", "13.13.2026", "2026-13-01", "i morgen", "05-03-2026"],
)
def test_parse_norwegian_date_rejects_what_is_not_a_date(text):
    with pytest.raises(ValueError):
        parse_norwegian_date(text)


def test_format_and_parse_round_trip():
    day = dt.date(2027, 11, 9)
    assert parse_norwegian_date(format_date(day)) == day


@pytest.mark.parametrize(
    ("day", "years", "expected"),
    [
        (dt.date(2025, 3, 15), 2, dt.date(2027, 3, 15)),
        (dt.date(2025, 3, 15), -5, dt.date(2020, 3, 15)),
        (dt.date(2025, 3, 15), 0, dt.date(2025, 3, 15)),
        (dt.date(2024, 2, 29), 1, dt.date(2025, 2, 28)),
        (dt.date(2024, 2, 29), 4, dt.date(2028, 2, 29)),
        (dt.date(2024, 2, 29), -1, dt.date(2023, 2, 28)),
        (dt.date(2023, 12, 31), 1, dt.date(2024, 12, 31)),
    ],
)
def test_add_years(day, years, expected):
    assert add_years(day, years) == expected

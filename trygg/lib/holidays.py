"""Norwegian public holidays (helligdager og høytidsdager), the one source for every app.

Lov om helligdager og helligdagsfred § 2 and lov om 1. og 17. mai som høgtidsdager. Sundays are
holidays by law too, but they are weekends anyway; `is_workday` treats Saturday and Sunday as
non-working, which is how SSB and NAV count avtalte dagsverk (rules.md §2).
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache


def easter_sunday(year: int) -> dt.date:
    """Gregorian Easter Sunday (Meeus/Jones/Butcher algorithm)."""
    a = year % 19
    b, c = divmod(year, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    l_ = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * l_) // 451
    month, day = divmod(h + l_ - 7 * m + 114, 31)
    return dt.date(year, month, day + 1)


@lru_cache(maxsize=256)
def public_holidays(year: int) -> dict[dt.date, str]:
    """Every Norwegian public holiday in `year`, mapped to its bokmål name."""
    easter = easter_sunday(year)
    days = {
        dt.date(year, 1, 1): "Første nyttårsdag",
        easter - dt.timedelta(days=3): "Skjærtorsdag",
        easter - dt.timedelta(days=2): "Langfredag",
        easter: "Første påskedag",
        easter + dt.timedelta(days=1): "Andre påskedag",
        dt.date(year, 5, 1): "Offentlig høytidsdag",
        dt.date(year, 5, 17): "Grunnlovsdag",
        easter + dt.timedelta(days=39): "Kristi himmelfartsdag",
        easter + dt.timedelta(days=49): "Første pinsedag",
        easter + dt.timedelta(days=50): "Andre pinsedag",
        dt.date(year, 12, 25): "Første juledag",
        dt.date(year, 12, 26): "Andre juledag",
    }
    return dict(sorted(days.items()))


def is_public_holiday(day: dt.date) -> bool:
    return day in public_holidays(day.year)


def is_workday(day: dt.date) -> bool:
    """A weekday (Monday–Friday) that is not a public holiday."""
    return day.weekday() < 5 and not is_public_holiday(day)


def workdays_between(start: dt.date, end: dt.date) -> int:
    """Number of workdays from `start` to `end`, both included (0 when end < start)."""
    if end < start:
        return 0
    full_weeks, rest = divmod((end - start).days + 1, 7)
    weekdays = full_weeks * 5
    for offset in range(rest):
        if (start + dt.timedelta(days=full_weeks * 7 + offset)).weekday() < 5:
            weekdays += 1
    holidays = sum(
        1
        for year in range(start.year, end.year + 1)
        for day in public_holidays(year)
        if start <= day <= end and day.weekday() < 5
    )
    return weekdays - holidays

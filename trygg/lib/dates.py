"""Calendar dates in Europe/Oslo and the dd.mm.yyyy convention."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone


def today() -> dt.date:
    """Today's date in Europe/Oslo (the project's TIME_ZONE)."""
    return timezone.localdate()


def format_date(value: dt.date | None) -> str:
    return value.strftime("%d.%m.%Y") if value else ""


def parse_norwegian_date(text: str) -> dt.date:
    """Parse dd.mm.yyyy (also d.m.yyyy, dd.mm.yy and ISO yyyy-mm-dd). Raises ValueError."""
    text = text.strip()
    for fmt in ("%d.%m.%Y", "%d.%m.%y", "%Y-%m-%d", "%d/%m/%Y"):
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(text)


def add_years(day: dt.date, years: int) -> dt.date:
    """The same calendar day `years` later; 29 February falls back to 28 February."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)

"""Plain-language descriptions of when an item falls, for the list, the wheel and the API."""

from __future__ import annotations

from django.utils.dates import MONTHS
from django.utils.translation import gettext as _

from .models import ItemFields, Recurrence, Timing


def _month(number: int | None) -> str:
    return str(MONTHS[number]) if number else ""


def timing_text(item: ItemFields) -> str:
    """E.g. "March–April", "2nd tertial", "by 1 March", "At Januarmøtet", "Ongoing"."""
    timing = item.timing
    if timing == Timing.MONTH:
        text = _month(item.month)
    elif timing == Timing.MONTHS:
        text = f"{_month(item.month)}–{_month(item.end_month)}"
    elif timing == Timing.QUARTER:
        text = _("Quarter %(number)s") % {"number": item.period_number}
    elif timing == Timing.TERTIAL:
        text = _("Tertial %(number)s") % {"number": item.period_number}
    elif timing == Timing.DEADLINE:
        text = _("By %(day)s %(month)s") % {"day": item.deadline_day, "month": _month(item.month)}
    elif timing == Timing.MEETING:
        text = _("At %(meeting)s (%(month)s)") % {
            "meeting": item.meeting_label,
            "month": _month(item.month),
        }
    elif timing == Timing.ONGOING:
        text = _("Ongoing")
    else:
        text = _("By need")
    if item.extra_months:
        text += ", " + ", ".join(_month(m) for m in item.extra_months)
    if item.recurrence == Recurrence.BIENNIAL and item.first_year:
        text += " · " + _("every second year from %(year)s") % {"year": item.first_year}
    return text

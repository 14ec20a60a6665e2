"""iCalendar subscription feeds of committee meetings (RFC 5545).

Times are written as local Europe/Oslo times with a TZID, and the feed carries its own
VTIMEZONE (the EU summer-time rule in force since 1996), so calendar programs show the meeting
at the right hour on both sides of a clock change. Text is UTF-8 and escaped by icalendar.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.utils import timezone
from icalendar import Calendar, Event, Timezone, TimezoneDaylight, TimezoneStandard, vRecur

OSLO = ZoneInfo("Europe/Oslo")
TZID = "Europe/Oslo"
PRODID = "-//Trygg//Trygg HMS møter//NO"


def oslo_timezone() -> Timezone:
    tz = Timezone()
    tz.add("tzid", TZID)
    tz.add("x-lic-location", TZID)
    summer = TimezoneDaylight()
    summer.add("tzname", "CEST")
    summer.add("dtstart", dt.datetime(1970, 3, 29, 2, 0, 0))
    summer.add("rrule", vRecur(freq="YEARLY", bymonth=3, byday="-1SU"))
    summer.add("tzoffsetfrom", dt.timedelta(hours=1))
    summer.add("tzoffsetto", dt.timedelta(hours=2))
    winter = TimezoneStandard()
    winter.add("tzname", "CET")
    winter.add("dtstart", dt.datetime(1970, 10, 25, 3, 0, 0))
    winter.add("rrule", vRecur(freq="YEARLY", bymonth=10, byday="-1SU"))
    winter.add("tzoffsetfrom", dt.timedelta(hours=2))
    winter.add("tzoffsetto", dt.timedelta(hours=1))
    tz.add_component(summer)
    tz.add_component(winter)
    return tz


def _local(value: dt.datetime) -> dt.datetime:
    """The time in Oslo, written with TZID=Europe/Oslo (no offset in the value)."""
    local = value.astimezone(OSLO).replace(tzinfo=None)
    return local


def build_feed(
    rows: list[dict],
    *,
    name: str,
    host: str,
    meeting_url: callable,  # type: ignore[valid-type]
    cancelled_label: str,
    video_label: str,
) -> bytes:
    """A VCALENDAR of the meetings in `rows` (queries.feed_meetings)."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", TZID)
    calendar.add_component(oslo_timezone())
    stamp = timezone.now().astimezone(dt.UTC).replace(microsecond=0)
    for row in rows:
        event = Event()
        event.add("uid", f"meeting-{row['pk']}@{host}")
        event.add("dtstamp", stamp)
        event.add("created", row["created_at"].astimezone(dt.UTC).replace(microsecond=0))
        event.add("dtstart", _local(row["starts_at"]), parameters={"TZID": TZID})
        event.add("dtend", _local(row["ends_at"]), parameters={"TZID": TZID})
        event.add("sequence", row["sequence"])
        summary = row["committee_name"]
        if row["cancelled"]:
            summary = f"{cancelled_label}: {summary}"
        event.add("summary", summary)
        url = meeting_url(row["pk"])
        event.add("url", url)
        description = [url]
        if row["video_url"]:
            description.insert(0, f"{video_label}: {row['video_url']}")
        event.add("description", "\n".join(description))
        if row["place"] or row["video_url"]:
            event.add("location", row["place"] or row["video_url"])
        event.add("status", "CANCELLED" if row["cancelled"] else "CONFIRMED")
        event.add("transp", "OPAQUE")
        calendar.add_component(event)
    return calendar.to_ical()

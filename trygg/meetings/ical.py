"""iCalendar subscription feeds of committee meetings (RFC 5545).

Times are written as local Europe/Oslo times with a TZID, and the feed carries its own
VTIMEZONE (the EU summer-time rule in force since 1996), so calendar programs show the meeting
at the right hour on both sides of a clock change. Text is UTF-8 and escaped by icalendar.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import lru_cache
from zoneinfo import ZoneInfo

from django.utils import timezone
from icalendar import Timezone, TimezoneDaylight, TimezoneStandard, vDatetime, vRecur, vText

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
    return value.astimezone(OSLO).replace(tzinfo=None)


@lru_cache(maxsize=1)
def _timezone_block() -> bytes:
    return oslo_timezone().to_ical()


def fold(line: str) -> bytes:
    """One content line, folded after at most 75 octets without splitting a UTF-8 character
    (RFC 5545 § 3.1)."""
    data = line.encode("utf-8")
    if len(data) <= 75:
        return data
    parts: list[bytes] = []
    current = b""
    limit = 75
    for char in line:
        encoded = char.encode("utf-8")
        if len(current) + len(encoded) > limit:
            parts.append(current)
            current = b""
            limit = 74  # a continuation line starts with a space
        current += encoded
    parts.append(current)
    return b"\r\n ".join(parts)


def _text(value: str) -> str:
    return vText(value).to_ical().decode("utf-8")


def _when(value: dt.datetime) -> str:
    return vDatetime(value).to_ical().decode("ascii")


def build_feed(
    rows: list[dict],
    *,
    name: str,
    host: str,
    meeting_url: Callable[[int], str],
    cancelled_label: str,
    video_label: str,
) -> bytes:
    """A VCALENDAR of the meetings in `rows` (queries.feed_meetings).

    The calendar's frame and VTIMEZONE come from icalendar; the events are written line by
    line with icalendar's value encoders, which is about ten times faster than building a
    component per event (a five-year feed stays well under 100 ms)."""
    stamp = _when(timezone.now().astimezone(dt.UTC).replace(microsecond=0, tzinfo=None)) + "Z"
    lines = [
        "BEGIN:VCALENDAR",
        f"PRODID:{_text(PRODID)}",
        "VERSION:2.0",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{_text(name)}",
        f"X-WR-TIMEZONE:{TZID}",
    ]
    out = [fold(line) for line in lines]
    out.append(_timezone_block().rstrip(b"\r\n"))
    for row in rows:
        summary = row["committee_name"]
        if row["cancelled"]:
            summary = f"{cancelled_label}: {summary}"
        url = meeting_url(row["pk"])
        description = f"{video_label}: {row['video_url']}\n{url}" if row["video_url"] else url
        uid = "meeting-{}@{}".format(row["pk"], host)
        created = row["created_at"].astimezone(dt.UTC).replace(microsecond=0, tzinfo=None)
        event = [
            "BEGIN:VEVENT",
            f"UID:{_text(uid)}",
            f"DTSTAMP:{stamp}",
            f"CREATED:{_when(created)}Z",
            f"DTSTART;TZID={TZID}:{_when(_local(row['starts_at']))}",
            f"DTEND;TZID={TZID}:{_when(_local(row['ends_at']))}",
            f"SEQUENCE:{row['sequence']}",
            f"SUMMARY:{_text(summary)}",
            f"URL:{url}",
            f"DESCRIPTION:{_text(description)}",
        ]
        if row["place"] or row["video_url"]:
            event.append(f"LOCATION:{_text(row['place'] or row['video_url'])}")
        event += [
            f"STATUS:{'CANCELLED' if row['cancelled'] else 'CONFIRMED'}",
            "TRANSP:OPAQUE",
            "END:VEVENT",
        ]
        out.extend(fold(line) for line in event)
    out.append(b"END:VCALENDAR")
    return b"\r\n".join(out) + b"\r\n"

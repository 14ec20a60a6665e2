"""The iCalendar feeds: RFC 5545, parsed strictly, Europe/Oslo times, Norwegian text, secret
addresses that stop working when access ends."""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from icalendar import Calendar

from trygg.meetings import services
from trygg.meetings.models import CalendarFeed
from trygg.meetings.tests.factories import make_meeting
from trygg.org import services as org_services
from trygg.org.models import CommitteeMember

OSLO = ZoneInfo("Europe/Oslo")


def strict_parse(body: bytes) -> Calendar:
    """RFC 5545 as a strict reader sees it: CRLF line ends, lines folded at 75 octets, UTF-8,
    one VCALENDAR, required properties, and no component the parser had to repair."""
    text = body.decode("utf-8")
    assert text.endswith("\r\n") and "\n" not in text.replace("\r\n", "")
    for line in text.split("\r\n"):
        assert len(line.encode("utf-8")) <= 75, line
    calendar = Calendar.from_ical(body)
    for component in calendar.walk():
        assert not component.errors, (component.name, component.errors)
    assert calendar["VERSION"] == "2.0" and calendar["PRODID"]
    tzids = {tz["TZID"] for tz in calendar.walk("VTIMEZONE")}
    for event in calendar.walk("VEVENT"):
        for required in ("UID", "DTSTAMP", "DTSTART"):
            assert required in event, required
        for prop in ("DTSTART", "DTEND"):
            tzid = event[prop].params.get("TZID")
            assert tzid in tzids, f"{prop} refers to an undefined VTIMEZONE {tzid}"
    return calendar


@pytest.fixture
def feed_url(client, world):
    client.force_login(world.secretary)
    client.post(reverse("meetings:feed_create"), {"committee": world.amu.pk})
    url = client.session["meetings_new_feed"]
    client.logout()
    return url.removeprefix("http://testserver")


def test_the_committee_feed_parses_strictly_with_oslo_times(client, world, feed_url):
    summer = make_meeting(
        world.amu, dt.date(2030, 6, 11), start=dt.time(9, 30), place="Kantina på Ørsta rådhus"
    )
    winter = make_meeting(
        world.amu,
        dt.date(2030, 1, 15),
        start=dt.time(9, 30),
        place="Møterom «Fjellet»; 2. etg, Ålesund",
    )
    response = client.get(feed_url)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = strict_parse(response.content)
    events = {str(e["UID"]): e for e in calendar.walk("VEVENT")}
    assert len(events) == 2
    for meeting in (summer, winter):
        event = events[f"meeting-{meeting.pk}@testserver"]
        start = event.decoded("DTSTART")
        # The VTIMEZONE's rules give 09:30 local time in both summer and winter
        assert start.replace(tzinfo=None).time() == dt.time(9, 30)
        assert event["DTSTART"].params["TZID"] == "Europe/Oslo"
        assert event["SUMMARY"] == world.amu.name
    assert (
        str(events[f"meeting-{winter.pk}@testserver"]["LOCATION"])
        == "Møterom «Fjellet»; 2. etg, Ålesund"
    )
    assert "LOCATION:Møterom «Fjellet»\\; 2. etg\\, Ålesund" in response.content.decode()
    timezone = calendar.walk("VTIMEZONE")[0]
    summer_rule = timezone.walk("DAYLIGHT")[0]
    assert summer_rule["TZOFFSETTO"].td == dt.timedelta(hours=2)


def test_changes_and_cancellations_reach_the_calendar(client, world, feed_url):
    meeting = make_meeting(world.amu, dt.date(2030, 2, 12))
    services.cancel_meeting(actor=None, meeting=meeting)
    event = strict_parse(client.get(feed_url).content).walk("VEVENT")[0]
    assert event["STATUS"] == "CANCELLED" and int(event["SEQUENCE"]) == 1


def test_the_personal_feed_lists_every_committee_of_the_person(client, world):
    from trygg.org.models import Committee
    from trygg.org.tests import factories as f

    other = f.make_committee(world.org, world.top, Committee.Kind.HAMU, "HAMU")
    f.make_member(other, world.amu_member.person, CommitteeMember.Side.EMPLOYEE)
    make_meeting(world.amu, dt.date(2030, 3, 12))
    make_meeting(other, dt.date(2030, 3, 19))
    make_meeting(
        f.make_committee(world.org, world.school_area, Committee.Kind.AMU, "AMU Oppvekst"),
        dt.date(2030, 3, 20),
    )
    _feed, secret = services.create_calendar_feed(actor=world.amu_member)
    calendar = strict_parse(client.get(reverse("meetings:feed", args=[secret])).content)
    assert sorted(str(e["SUMMARY"]) for e in calendar.walk("VEVENT")) == [
        "AMU Helse og omsorg",
        "HAMU",
    ]


def test_a_feed_stops_when_access_ends_or_the_address_is_deleted(client, world):
    make_meeting(world.amu, dt.date(2030, 3, 12))
    _feed, secret = services.create_calendar_feed(actor=world.amu_member, committee=world.amu)
    url = reverse("meetings:feed", args=[secret])
    assert client.get(url).status_code == 200
    assert client.get(reverse("meetings:feed", args=["x" * 43])).status_code == 404
    membership = CommitteeMember.objects.get(committee=world.amu, person=world.amu_member.person)
    org_services.end_committee_membership(
        actor=None, member=membership, end_date=dt.date(2025, 6, 1)
    )
    assert client.get(url).status_code == 404
    assert CalendarFeed.objects.filter(digest=services.feed_digest(secret)).exists()
    assert secret not in str(CalendarFeed.objects.values_list("digest", flat=True)[0])


def test_only_the_owner_deletes_a_feed(client, world):
    feed, secret = services.create_calendar_feed(actor=world.secretary)
    client.force_login(world.amu_member)
    assert client.post(reverse("meetings:feed_delete", args=[feed.pk])).status_code == 404
    client.force_login(world.secretary)
    assert client.post(reverse("meetings:feed_delete", args=[feed.pk])).status_code == 302
    assert client.get(reverse("meetings:feed", args=[secret])).status_code == 404


def test_outsiders_cannot_make_a_feed_for_a_committee(client, world):
    for persona in ("colleague", "outsider"):
        client.force_login(getattr(world, persona))
        response = client.post(reverse("meetings:feed_create"), {"committee": world.amu.pk})
        assert response.status_code == 404
    assert not CalendarFeed.objects.exists()


def test_feed_lines_are_folded(client, world):
    make_meeting(world.amu, dt.date(2030, 4, 9), place="Å" * 120)
    _feed, secret = services.create_calendar_feed(actor=world.secretary, committee=world.amu)
    body = client.get(reverse("meetings:feed", args=[secret])).content
    strict_parse(body)
    assert re.search(rb"\r\n ", body)

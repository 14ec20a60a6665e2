"""The meeting plan: suggested dates, warnings, and agendas filled from the årshjul."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from trygg.lib.holidays import is_public_holiday
from trygg.meetings import services
from trygg.meetings.models import Case, Meeting
from trygg.meetings.tests.factories import make_meeting
from trygg.org.models import Committee
from trygg.org.tests import factories as f

JANUARY_AMU = [
    "Konstituering AMU",
    "Status HMS-opplæring",
    "Arbeidsgivers samarbeidsplan med BHT",
    "Vedta HMS-mål plan med bakgrunn i overordnede mål",
]


def test_it_suggests_one_workday_a_month_without_july_and_august():
    days = services.suggest_dates(2027)
    assert len(days) == 10
    assert {d.month for d in days} == set(range(1, 13)) - {7, 8}
    assert all(d.weekday() == 1 and not is_public_holiday(d) for d in days)


def test_it_moves_a_meeting_off_a_public_holiday():
    # 17 May 2027 is a Monday: the 3rd Monday of May
    days = services.suggest_dates(2027, weekday=0, week_of_month=3)
    may = next(d for d in days if d.month == 5)
    assert may != dt.date(2027, 5, 17) and may.month == 5


def test_it_warns_about_july_august_and_a_clash(world):
    make_meeting(world.amu, dt.date(2027, 3, 9), start=dt.time(12, 0))
    start = services.local_datetime(dt.date(2027, 7, 6), dt.time(12))
    clash = services.local_datetime(dt.date(2027, 3, 9), dt.time(13))
    warnings = services.plan_warnings(
        world.amu,
        [
            services.PlannedMeeting(start, start + dt.timedelta(hours=2)),
            services.PlannedMeeting(clash, clash + dt.timedelta(hours=1)),
        ],
    )
    assert any("06.07.2027" in w and "July" in w for w in warnings)
    assert any("09.03.2027" in w and "13:00" in w for w in warnings)


def test_two_planned_meetings_at_once_are_a_clash(world):
    start = services.local_datetime(dt.date(2027, 3, 9), dt.time(12))
    planned = [services.PlannedMeeting(start, start + dt.timedelta(hours=2))] * 2
    assert services.plan_warnings(world.amu, planned)


def test_a_meeting_needs_a_place_or_a_video_link(world):
    with pytest.raises(ValidationError) as error:
        services.plan_meetings(
            actor=None,
            committee=world.amu,
            dates=[dt.date(2027, 2, 9)],
            start=dt.time(12),
            duration=dt.timedelta(hours=2),
        )
    assert "place" in error.value.message_dict
    assert not Meeting.objects.exists()


def test_next_years_plan_puts_the_standing_cases_on_each_agenda(world):
    meetings = services.plan_meetings(
        actor=world.hms,
        committee=world.amu,
        dates=services.suggest_dates(2027),
        start=dt.time(9, 0),
        duration=dt.timedelta(hours=2),
        video_url="https://meet.example.no/amu",
    )
    assert len(meetings) == 10
    january = meetings[0]
    local = timezone.localtime(january.starts_at)
    assert (local.month, local.hour, str(local.tzinfo)) == (1, 9, "Europe/Oslo")
    titles = list(january.cases.order_by("position").values_list("title", flat=True))
    assert titles[:4] == JANUARY_AMU
    assert [c.number_display for c in january.cases.order_by("position")][:2] == ["01/27", "02/27"]
    june = next(m for m in meetings if m.local_date.month == 6)
    assert not june.cases.exists()  # "Ingen saker fra årshjul"
    # "Årsrapport AMU" falls in March/April: on the March agenda only
    march, april = (next(m for m in meetings if m.local_date.month == n) for n in (3, 4))
    assert march.cases.filter(title="Årsrapport AMU").exists()
    assert not april.cases.filter(title="Årsrapport AMU").exists()
    standing = Case.objects.filter(meeting=january, plan_item__isnull=False).first()
    assert standing.guidance  # the description from seed 000
    assert standing.case_type in dict(Case.Type.choices)


def test_hamu_gets_the_hamu_items(world):
    hamu = f.make_committee(world.org, world.top, Committee.Kind.HAMU, "HAMU")
    meeting = services.plan_meetings(
        actor=None,
        committee=hamu,
        dates=[dt.date(2027, 9, 14)],
        start=dt.time(12),
        duration=dt.timedelta(hours=2),
        place="Rådhuset",
    )[0]
    assert meeting.cases.filter(title="Møteplan neste år").exists()


def test_filling_again_adds_nothing_twice(world):
    meeting = services.plan_meetings(
        actor=None,
        committee=world.amu,
        dates=[dt.date(2027, 1, 12)],
        start=dt.time(12),
        duration=dt.timedelta(hours=2),
        place="Rådhuset",
    )[0]
    count = meeting.cases.count()
    assert services.fill_agenda(actor=None, meeting=meeting) == []
    assert meeting.cases.count() == count


def test_changing_a_meeting_bumps_its_calendar_sequence(world):
    meeting = make_meeting(world.amu, dt.date(2027, 2, 9))
    later = meeting.starts_at + dt.timedelta(days=1)
    services.update_meeting(
        actor=world.secretary,
        meeting=meeting,
        starts_at=later,
        ends_at=later + dt.timedelta(hours=1),
        place="Kantina",
        video_url="",
    )
    meeting.refresh_from_db()
    assert meeting.sequence == 1 and meeting.place == "Kantina"
    with pytest.raises(ValidationError):
        services.update_meeting(
            actor=None, meeting=meeting, starts_at=later, ends_at=later, place="X", video_url=""
        )


def test_hamus_plan_is_sent_to_the_secretaries_of_every_amu(client, world):
    from django.urls import reverse

    from trygg.notifications.models import Notification
    from trygg.org import services as org_services

    hamu = f.make_committee(world.org, world.top, Committee.Kind.HAMU, "HAMU")
    org_services.update_committee(
        actor=None,
        committee=world.amu,
        kind=world.amu.kind,
        name=world.amu.name,
        unit=world.amu.unit,
        parent=hamu,
    )
    client.force_login(world.hms)
    url = reverse("meetings:send_plan", args=[hamu.pk])
    response = client.post(url, {"year": 2027}, follow=True)
    assert "2027" in response.content.decode() and not Notification.objects.exists()
    make_meeting(hamu, dt.date(2027, 2, 16))
    client.post(url, {"year": 2027})
    notice = Notification.objects.get(user=world.secretary)
    assert "16.02.2027" in notice.body and f"/moter/utvalg/{world.amu.pk}/moteplan/" in notice.url
    client.force_login(world.amu_member)
    assert client.post(url, {"year": 2027}).status_code == 404

"""Plain `make_<thing>()` functions for the meetings tests; every write goes through services."""

from __future__ import annotations

import datetime as dt

from trygg.meetings import services
from trygg.meetings.models import Case, Meeting
from trygg.org import services as org_services
from trygg.org.models import Committee, CommitteeMember
from trygg.org.tests import factories as f


def make_meeting(
    committee: Committee,
    day: dt.date,
    *,
    start: dt.time = dt.time(12, 0),
    fill: bool = False,
    place: str = "Rådhuset, møterom Ålesund",
) -> Meeting:
    return services.plan_meetings(
        actor=None,
        committee=committee,
        dates=[day],
        start=start,
        duration=dt.timedelta(hours=2),
        place=place,
        fill=fill,
    )[0]


def make_case(
    committee: Committee, meeting: Meeting | None = None, title: str = "Sak om arbeidsmiljø"
) -> Case:
    return services.add_case(actor=None, committee=committee, title=title, meeting=meeting)


def make_chair(world, year: int) -> None:
    """amu_member chairs the world's AMU in `year`; leader is an ordinary member."""
    chair = CommitteeMember.objects.get(committee=world.amu, person=world.amu_member.person)
    org_services.constitute_committee(
        actor=None,
        committee=world.amu,
        year=year,
        chair=chair,
        deputy_chair=None,
        constituted_on=dt.date(year, 1, 10),
        deviation_reason="",
    )


def add_member(world) -> CommitteeMember:
    return f.make_member(world.amu, world.leader.person, CommitteeMember.Side.EMPLOYER)

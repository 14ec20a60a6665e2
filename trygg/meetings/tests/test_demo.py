"""The demo step: meetings with agendas for every committee, the past ones with approved
minutes."""

from __future__ import annotations

import datetime as dt

import time_machine

from trygg.meetings.demo import demo_step
from trygg.meetings.models import Case, Meeting
from trygg.org import services as org_services
from trygg.org.models import Committee, CommitteeMember
from trygg.org.tests import factories as f


def test_it_fills_the_committee_year(world):
    hamu = f.make_committee(world.org, world.top, Committee.Kind.HAMU, "HAMU")
    f.make_member(
        hamu,
        world.secretary.person,
        CommitteeMember.Side.EMPLOYER,
        CommitteeMember.Office.SECRETARY,
    )
    org_services.update_committee(
        actor=None,
        committee=world.amu,
        kind=world.amu.kind,
        name=world.amu.name,
        unit=world.amu.unit,
        parent=hamu,
    )
    f.make_committee(
        world.org, world.ward, Committee.Kind.LAMU, "L-AMU Avdeling A", parent=world.amu
    )
    with time_machine.travel(dt.datetime(2026, 6, 20, 12, tzinfo=dt.UTC), tick=False):
        demo_step(world.org, 2026)
        demo_step(world.org, 2026)  # a second run adds nothing
    amu_meetings = Meeting.objects.filter(committee=world.amu, year=2026)
    assert amu_meetings.count() == 10 and Meeting.objects.filter(committee=hamu).count() == 10
    past = amu_meetings.filter(starts_at__lt=dt.datetime(2026, 6, 20, tzinfo=dt.UTC))
    assert past.exists() and all(m.minutes_approved_at for m in past)
    january = amu_meetings.order_by("starts_at").first()
    assert january.cases.filter(title="Konstituering AMU").exists()
    lamu = Committee.objects.get(kind=Committee.Kind.LAMU)
    assert all(m.cases.exists() for m in Meeting.objects.filter(committee=lamu))
    sent = Case.objects.get(committee=hamu, origin__isnull=False)
    assert sent.meeting is not None and sent.meeting.starts_at > dt.datetime(
        2026, 6, 20, tzinfo=dt.UTC
    )

"""Reminders (sent once each by the notifications engine) and "Mine oppgaver"."""

from __future__ import annotations

import datetime as dt

import time_machine

from trygg.lib.mytasks import tasks_for
from trygg.meetings import services
from trygg.meetings.tasks_and_reminders import due_reminders
from trygg.meetings.tests.factories import add_member, make_case, make_chair, make_meeting
from trygg.notifications.models import Notification
from trygg.notifications.services import run_reminders


def keys(day, user=None):
    return {r.key for r in due_reminders(day) if user is None or r.user == user}


def test_the_secretary_members_and_chair_are_reminded(world):
    make_chair(world, 2026)
    add_member(world)
    meeting = make_meeting(world.amu, dt.date(2026, 3, 10))
    make_case(world.amu, meeting)
    # 12 days before: nothing yet; 10 days before: the secretary; 7 days: the members
    assert not keys(dt.date(2026, 2, 26))
    assert keys(dt.date(2026, 2, 28), world.secretary) == {
        f"meeting:{meeting.pk}:agenda:2026-03-10"
    }
    assert not keys(dt.date(2026, 2, 28), world.leader)
    assert f"meeting:{meeting.pk}:invitation:2026-03-10" in keys(dt.date(2026, 3, 3), world.leader)
    # once the invitation is sent, the secretary is no longer asked to finish the agenda
    services.send_invitation(actor=world.secretary, meeting=meeting)
    assert f"meeting:{meeting.pk}:agenda:2026-03-10" not in keys(dt.date(2026, 3, 3))
    # after the meeting: minutes due; once written, the chair approves
    assert keys(dt.date(2026, 3, 11), world.secretary) == {f"meeting:{meeting.pk}:minutes-due"}
    case = meeting.cases.get()
    services.record_case_minutes(actor=None, case=case, discussion="", decision="Vedtatt.")
    assert f"meeting:{meeting.pk}:approve:1" in keys(dt.date(2026, 3, 11), world.amu_member)


def test_the_engine_sends_each_reminder_once(world):
    meeting = make_meeting(world.amu, dt.date(2026, 3, 10))
    for _ in range(2):
        run_reminders(day=dt.date(2026, 3, 3))
    sent = Notification.objects.filter(
        user=world.amu_member, key__startswith=f"meeting:{meeting.pk}"
    )
    assert sent.count() == 1


def test_my_tasks_for_the_secretary_and_the_chair(world):
    make_chair(world, 2026)
    with time_machine.travel(dt.datetime(2026, 3, 5, 12, tzinfo=dt.UTC), tick=False):
        meeting = make_meeting(world.amu, dt.date(2026, 3, 10))
        services.propose_case(actor=world.colleague, committee=world.amu, title="Trekk")
        titles = [t.title for t in tasks_for(world.secretary)]
        assert any("Finish the agenda" in t for t in titles)
        assert any("Trekk" in t for t in titles)
    with time_machine.travel(dt.datetime(2026, 3, 12, 12, tzinfo=dt.UTC), tick=False):
        services.record_attendance(
            actor=None, meeting=meeting, present=[world.amu_member.person.pk], absent=[]
        )
        assert any("Write the minutes" in t.title for t in tasks_for(world.secretary))
        assert any("Approve the minutes" in t.title for t in tasks_for(world.amu_member))
        assert not any("minutes" in t.title for t in tasks_for(world.colleague))

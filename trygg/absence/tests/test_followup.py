"""Follow-up cases: merging, milestones and conventions, reminders to the leader once, retention,
and the figures other modules read (årshjul figure, goal indicator, demo data)."""

from __future__ import annotations

import datetime as dt
import time
from decimal import Decimal

import pytest
import time_machine

from trygg.absence import aggregates, queries, services, statistics
from trygg.absence.demo import fill_demo
from trygg.absence.models import (
    AbsenceSettings,
    AbsenceSpell,
    DialogueMeeting,
    FollowUpCase,
    FollowUpPlan,
)
from trygg.absence.tests.factories import make_spell
from trygg.lib import figures, indicators
from trygg.notifications.models import Notification
from trygg.notifications.services import run_reminders

D = dt.date


def codes(case: FollowUpCase) -> dict[str, queries.Milestone]:
    return {m.code: m for m in queries.milestones(case)}


@time_machine.travel(dt.datetime(2025, 3, 1, 12), tick=False)
def test_it_merges_spells_up_to_15_days_apart_into_one_case(world):
    person = world.employee.person
    make_spell(person, D(2025, 1, 6), D(2025, 1, 31))
    make_spell(person, D(2025, 2, 16), D(2025, 2, 20))  # 15 days back: the same case
    assert FollowUpCase.objects.filter(person=person).count() == 1
    make_spell(
        person, D(2025, 3, 10), D(2025, 3, 12), AbsenceSpell.Kind.SELF_CERTIFIED
    )  # 17 days: new
    cases = list(FollowUpCase.objects.filter(person=person).order_by("start"))
    assert [c.start for c in cases] == [D(2025, 1, 6), D(2025, 3, 10)]
    assert cases[0].sick_days == 31 and cases[0].status == "open"  # 16 days have not passed
    assert services.close_finished_cases(day=D(2025, 3, 9)) == 1
    cases[0].refresh_from_db()
    assert cases[0].status == "closed" and cases[0].closed_on == D(2025, 3, 8)


@time_machine.travel(dt.datetime(2025, 3, 1, 12), tick=False)
def test_it_keeps_the_leaders_records_when_the_spells_change(world):
    person = world.employee.person
    spell = make_spell(person, D(2025, 1, 6), D(2025, 2, 28))
    case = FollowUpCase.objects.get(person=person)
    services.save_plan(
        actor=world.leader, case=case, work_tasks="Lette oppgaver", made_on=D(2025, 2, 1)
    )
    services.correct_spell(
        actor=world.leader,
        spell=spell,
        first_day=D(2025, 1, 8),
        last_day=D(2025, 3, 14),
        kind="doctor",
        grade=100,
    )
    case.refresh_from_db()
    assert case.start == D(2025, 1, 8) and FollowUpPlan.objects.get().case_id == case.pk


@time_machine.travel(dt.datetime(2025, 3, 1, 12), tick=False)
def test_it_only_requires_dialogue_meeting_1_when_fully_absent(world):
    person = world.employee.person
    make_spell(person, D(2025, 1, 6), D(2025, 4, 30), grade=50)
    case = FollowUpCase.objects.get(person=person)
    milestones = codes(case)
    assert not milestones["dialogue_meeting_1"].applies
    assert milestones["follow_up_plan"].applies  # «helt eller delvis»
    assert milestones["activity_requirement"].done  # graded at the end: met by activity
    AbsenceSettings.objects.create(
        organisation=world.org, dm1_only_when_fully_absent=False, deadline_convention="nav"
    )
    milestones = codes(case)
    assert milestones["dialogue_meeting_1"].applies and milestones["dialogue_meeting_1"].due == D(
        2025, 2, 24
    )
    assert milestones["follow_up_plan"].due == D(2025, 2, 3)
    assert milestones["activity_requirement"].due == D(2025, 3, 2)  # the same under both


@time_machine.travel(dt.datetime(2025, 3, 1, 12), tick=False)
def test_it_dates_the_plan_to_nav_a_week_before_the_dm2_nav_sets(world):
    make_spell(world.employee.person, D(2025, 1, 6), D(2025, 8, 30))
    case = FollowUpCase.objects.get()
    services.set_dm2_date(actor=world.leader, case=case, day=D(2025, 6, 20))
    assert codes(case)["plan_to_nav"].due == D(2025, 6, 13)
    services.record_meeting(
        actor=world.leader, case=case, number=2, held_on=D(2025, 6, 24), participants="NAV"
    )
    case.refresh_from_db()
    assert (
        codes(case)["plan_to_nav"].due == D(2025, 6, 17) and codes(case)["dialogue_meeting_2"].done
    )


def test_it_reminds_the_leader_once_a_week_before_a_milestone(world):
    with time_machine.travel(dt.datetime(2025, 1, 27, 12), tick=False):
        make_spell(world.employee.person, D(2025, 1, 6), D(2025, 4, 30))
        assert run_reminders(day=D(2025, 1, 27)) >= 1  # the plan is due 2 February
        assert run_reminders(day=D(2025, 1, 27)) == 0
        assert run_reminders(day=D(2025, 1, 28)) == 0
    notices = Notification.objects.filter(user=world.leader)
    assert notices.filter(key__contains=":follow_up_plan:2025-02-02").count() == 1
    assert not Notification.objects.filter(user=world.employee).exists()
    assert "Eva" not in notices.first().subject  # no names in emails


def test_it_disposes_of_closed_cases_after_the_retention_period(world):
    with time_machine.travel(dt.datetime(2025, 3, 1, 12), tick=False):
        make_spell(world.employee.person, D(2023, 1, 9), D(2023, 3, 31))
        make_spell(world.employee.person, D(2025, 1, 6), D(2025, 1, 31))
        old = FollowUpCase.objects.get(start=D(2023, 1, 9))
        services.record_meeting(
            actor=None,
            case=old,
            number=1,
            held_on=D(2023, 2, 20),
            participants="Eva, Lars",
            summary="Samtale",
        )
        assert services.dispose_closed_cases() == 0  # closed 16.04.2023, kept 24 months
    with time_machine.travel(dt.datetime(2025, 6, 1, 12), tick=False):
        assert services.dispose_closed_cases() == 1
    old.refresh_from_db()
    assert old.person_id is None and old.anonymised_on == D(2025, 6, 1)
    assert DialogueMeeting.objects.get().participants == ""
    assert FollowUpCase.objects.filter(person=world.employee.person).count() == 1
    AbsenceSettings.objects.create(organisation=world.org, retention_months=1, disposal="delete")
    with time_machine.travel(dt.datetime(2025, 4, 1, 12), tick=False):
        assert services.dispose_closed_cases() == 1
    assert FollowUpCase.objects.filter(pk=old.pk).exists()  # already anonymised
    assert not FollowUpCase.objects.filter(person=world.employee.person).exists()


def test_it_supplies_the_sick_leave_figure_and_the_goal_indicator(world):
    make_spell(world.employee.person, D(2025, 1, 6), D(2025, 1, 17))
    request = figures.FigureRequest(
        world.org.pk, (world.top.path,), D(2025, 1, 1), D(2025, 4, 30), user=world.hr
    )
    figure = figures.figure_for("sick_leave", request)
    assert figure is not None and "<svg" in figure.svg and figure.rows[0][1].endswith("%")
    assert "Vacation" in figure.note or "Ferie" in figure.note or "ferie" in figure.note
    small = figures.figure_for(
        "sick_leave",
        figures.FigureRequest(
            world.org.pk, (world.ward.path,), D(2025, 1, 1), D(2025, 4, 30), user=world.safety_rep
        ),
    )
    assert small.rows[0][1] == "–"
    indicator = indicators.get("absence.percent")
    assert indicator is not None and indicator.lower_is_better
    value = indicator.compute(world.org.pk, (world.top.path,), D(2025, 1, 1), D(2025, 4, 30))
    assert isinstance(value, Decimal) and value > 0
    assert (
        indicator.compute(world.org.pk, (world.ward.path,), D(2025, 1, 1), D(2025, 4, 30)) is None
    )


def test_it_fills_the_demo_quickly_and_consistently(world):
    started = time.perf_counter()
    fill_demo(world.org, 2025)
    assert time.perf_counter() - started < 5
    assert AbsenceSpell.objects.filter(organisation=world.org).count() > 10
    assert aggregates.stored_rows(world.org.pk) == aggregates.rebuilt_rows(world.org.pk)
    year = statistics.unit_figures(
        world.org.pk, [world.top], D(2024, 7, 1), D(2025, 6, 30), unmasked=True
    )
    assert year.percent is not None and Decimal("0.5") < year.percent < Decimal("30")


@pytest.mark.parametrize("months", [1, 24])
def test_it_refuses_nothing_when_computing_retention_dates(months):
    assert services._months_before(D(2025, 3, 31), months) < D(2025, 3, 31)

"""Setting goals, breaking them down, measurements, plans and rows: rules and audit."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from trygg.actions.models import ActionItem
from trygg.audit.models import AuditEntry
from trygg.goals import services
from trygg.goals.models import ActionPlanRow, Goal, GoalMeasurement
from trygg.goals.tests.factories import make_goal, make_plan, make_row
from trygg.org.tests import factories as f


def test_it_rejects_a_goal_without_a_measurable_target(world):
    with pytest.raises(ValidationError) as caught:
        services.create_goal(
            actor=world.hms.person.user,
            organisation=world.org,
            title="Godt arbeidsmiljø",
            start_year=2026,
            end_year=2026,
            target=None,
        )
    errors = caught.value.message_dict
    assert "target" in errors and "measure" in errors
    assert "measurable" in errors["target"][0]
    assert not Goal.objects.exists()


def test_it_rejects_an_unknown_indicator(world):
    with pytest.raises(ValidationError) as caught:
        make_goal(world, indicator_code="nope.nothing", measure="")
    assert "indicator_code" in caught.value.message_dict


def test_it_accepts_an_expected_indicator_before_its_module_registers_it(world):
    goal = make_goal(world, indicator_code="risk.current_share", measure="")
    assert goal.indicator_code == "risk.current_share" and goal.measure == ""


def test_it_numbers_goals_per_owner_and_audits_them(world):
    first = make_goal(world, "A")
    second = make_goal(world, "B")
    local = make_goal(world, "C", unit=world.nursing_home, parent=first)
    assert (first.number, second.number, local.number) == (1, 2, 1)
    assert AuditEntry.objects.filter(object_type="goals.goal", action="create").count() == 3


def test_only_local_goals_break_down_an_overarching_goal(world):
    first = make_goal(world)
    with pytest.raises(ValidationError):
        make_goal(world, "Org igjen", parent=first)


def test_a_goal_cannot_belong_to_another_organisations_unit(world):
    other_unit = f.make_unit(world.other_org, "Annen")
    with pytest.raises(ValidationError):
        make_goal(world, unit=other_unit)


def test_it_rejects_a_period_that_ends_before_it_starts(world):
    with pytest.raises(ValidationError) as caught:
        make_goal(world, start_year=2027, end_year=2026)
    assert "end_year" in caught.value.message_dict


def test_updating_keeps_the_goal_measurable(world):
    goal = make_goal(world)
    with pytest.raises(ValidationError):
        services.update_goal(actor=None, goal=goal, target=None)
    goal.refresh_from_db()
    assert goal.target == Decimal("80")
    services.update_goal(actor=None, goal=goal, target=Decimal("85"))
    goal.refresh_from_db()
    assert goal.target == Decimal("85")
    assert AuditEntry.objects.filter(object_type="goals.goal", action="update").count() == 1


def test_a_live_goal_takes_no_hand_measurements(world):
    goal = make_goal(world, indicator_code="absence.percent", measure="")
    with pytest.raises(ValidationError):
        services.record_measurement(
            actor=None, goal=goal, measured_on=dt.date(2026, 1, 1), value=Decimal(5)
        )
    assert not GoalMeasurement.objects.exists()


def test_a_plan_row_is_an_action_item_with_the_row_as_source(world):
    plan = make_plan(world, unit=world.nursing_home)
    row = make_row(plan, "Kurs i sykefraværsoppfølging\nto dager", owner=world.leader.person)
    item = ActionItem.objects.get(pk=row.action_item_id)
    assert item.title == "Kurs i sykefraværsoppfølging"
    assert item.owner == world.leader.person
    assert item.unit == world.nursing_home
    assert item.source == row
    assert row.number == 1 and make_row(plan).number == 2


def test_a_committee_plans_items_belong_to_the_committees_unit(world):
    row = make_row(make_plan(world, committee=world.amu))
    assert row.action_item.unit == world.health


def test_a_row_number_is_unique_in_its_plan(world):
    plan = make_plan(world)
    make_row(plan, number=3)
    with pytest.raises(ValidationError):
        make_row(plan, number=3)
    assert ActionPlanRow.objects.count() == 1
    assert ActionItem.objects.count() == 1


def test_updating_a_row_updates_its_action_item(world):
    row = make_row(make_plan(world))
    services.update_plan_row(
        actor=None,
        row=row,
        owner=world.employee.person,
        deadline=dt.date(2030, 1, 31),
        activity="Ny aktivitet",
        reporting="AMU",
    )
    row.refresh_from_db()
    item = ActionItem.objects.get(pk=row.action_item_id)
    assert (row.reporting, item.title, item.owner, item.deadline) == (
        "AMU",
        "Ny aktivitet",
        world.employee.person,
        dt.date(2030, 1, 31),
    )


def test_a_row_needs_a_focus_area_and_an_activity(world):
    plan = make_plan(world)
    with pytest.raises(ValidationError) as caught:
        services.add_plan_row(actor=None, plan=plan, focus_area=" ", activity="")
    assert set(caught.value.message_dict) == {"focus_area", "activity"}
    assert not ActionItem.objects.exists()

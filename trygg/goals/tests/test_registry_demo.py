"""What the goals app gives the registries (figures, internal-control records, an indicator,
action-item sources) and the demo municipality's goals, plans and statuses."""

from __future__ import annotations

import datetime as dt
import time
from decimal import Decimal

from django.db import transaction
from django.test import Client

from trygg.accounts.models import Organisation
from trygg.actions.services import complete_action_item
from trygg.actions.sources import can_edit_source, can_view_source
from trygg.goals.demo import OVERARCHING, PLAN_ROWS, add_demo_goals
from trygg.goals.models import ActionPlan, ActionPlanRow, ControlStatus, Goal
from trygg.goals.tests.factories import make_goal, make_plan, make_row
from trygg.lib import controls, figures, indicators
from trygg.lib.dates import today


def _request(world, paths=("",), year=None) -> figures.FigureRequest:
    year = year or today().year
    return figures.FigureRequest(
        organisation_id=world.org.pk,
        unit_paths=paths,
        start=dt.date(year, 1, 1),
        end=dt.date(year, 12, 31),
    )


def test_it_supplies_the_hms_goals_figure_for_the_committees_units(world):
    goal = make_goal(world, "Overordnet")
    make_goal(world, "Lokalt sykehjem", unit=world.nursing_home, parent=goal)
    make_goal(world, "Lokalt barnehage", unit=world.kindergarten, parent=goal)
    figure = figures.figure_for("hms_goals", _request(world, (world.health.path,)))
    labels = " ".join(label for label, _value in figure.rows)
    assert "Overordnet" in labels and "Lokalt sykehjem" in labels
    assert "Lokalt barnehage" not in labels
    assert figure.url.startswith("/mal/")


def test_the_hms_goals_figure_says_when_there_are_none(world):
    figure = figures.figure_for("hms_goals", _request(world))
    assert figure.rows == [] and figure.note


def test_it_supplies_the_action_plan_progress(world):
    plan = make_plan(world, "AMU-plan", committee=world.amu)
    done = make_row(plan)
    make_row(plan)
    complete_action_item(actor=None, item=done.action_item, result="ok")
    make_plan(world, "Barnehageplan", unit=world.kindergarten)
    figure = figures.figure_for("action_plan", _request(world, (world.health.path,)))
    assert [label for label, _v in figure.rows] == ["AMU-plan"]
    assert "1" in figure.rows[0][1] and "2" in figure.rows[0][1]
    assert figure.svg.startswith("<svg") and "50 %" in figure.svg
    assert figure.url == plan.get_absolute_url()


def test_it_supplies_the_internal_control_figure(world):
    figure = figures.figure_for("internal_control", _request(world, (world.nursing_home.path,)))
    assert len(figure.rows) == 8 and world.nursing_home.name in figure.title
    assert figure.url.endswith(f"?enhet={world.nursing_home.pk}")
    whole = figures.figure_for("internal_control", _request(world))
    assert whole.url == "/mal/internkontroll/" and len(whole.rows) == 8


def test_it_registers_the_action_plan_completion_indicator(world):
    indicator = indicators.get("goals.action_plan_done")
    assert indicator is not None and not indicator.lower_is_better
    plan = make_plan(world, unit=world.nursing_home)
    due = today() + dt.timedelta(days=5)
    rows = [make_row(plan, deadline=due) for _i in range(4)]
    complete_action_item(actor=None, item=rows[0].action_item)
    span = (today(), today() + dt.timedelta(days=30))
    assert indicator.compute(world.org.pk, (), *span) == Decimal("25.0")
    assert indicator.compute(world.org.pk, (world.nursing_home.path,), *span) == Decimal("25.0")
    assert indicator.compute(world.org.pk, (world.kindergarten.path,), *span) is None
    assert indicator.compute(world.other_org.pk, (), *span) is None


def test_it_documents_points_1_3_4_and_5(world):
    assert controls.records_for(1, world.org.pk)
    assert not controls.records_for(4, world.org.pk)  # no goals yet
    make_goal(world)
    four = controls.records_for(4, world.org.pk)
    assert four and all(r.ok for r in four)
    plan = make_plan(world)
    make_row(plan, deadline=today() - dt.timedelta(days=1))  # overdue
    assert not all(r.ok for r in controls.records_for(4, world.org.pk))
    five = controls.records_for(5, world.org.pk, world.nursing_home.path)
    assert any("/organisasjon/" in r.url for r in five)
    three = controls.records_for(3, world.org.pk)
    assert any("1 of 1" in r.title or "1 av 1" in r.title for r in three)
    three_kindergarten = controls.records_for(3, world.org.pk, world.kindergarten.path)
    assert not three_kindergarten[0].ok  # no safety area covers the kindergarten


def test_plan_rows_are_a_source_of_action_items(world):
    row = make_row(make_plan(world, committee=world.amu))
    assert can_view_source(world.employee, row)
    assert not can_view_source(world.outsider, row)
    assert can_edit_source(world.secretary, row) and can_edit_source(world.hms, row)
    assert not can_edit_source(world.leader, row)


def test_the_demo_step_sets_goals_plans_and_statuses(db):
    from trygg.org.demo import _DemoBuilder

    year = today().year
    with transaction.atomic():
        organisation = Organisation.objects.create(name="Demo kommune", slug="demo")
        _DemoBuilder(organisation, year).build()
    started = time.perf_counter()
    add_demo_goals(organisation, year)
    elapsed = time.perf_counter() - started
    assert elapsed < 5, elapsed
    overall = list(
        Goal.objects.filter(organisation=organisation, unit=None, committee=None).order_by("number")
    )
    assert [g.title for g in overall] == list(OVERARCHING)
    assert all(g.target is not None for g in overall)
    local = Goal.objects.filter(organisation=organisation, unit__isnull=False)
    assert local.count() >= 4
    assert {g.indicator_code for g in local} >= {"absence.percent", ""}
    plan = ActionPlan.objects.get(organisation=organisation, unit=None, committee=None)
    assert ActionPlanRow.objects.filter(plan=plan).count() == len(PLAN_ROWS) == 13
    assert ActionPlan.objects.filter(organisation=organisation, committee__isnull=False).exists()
    statuses = dict(
        ControlStatus.objects.filter(organisation=organisation, unit=None).values_list(
            "point", "status"
        )
    )
    assert statuses == {1: "done", 2: "partial", 3: "done", 4: "done", 5: "done"}

    client = Client()
    client.force_login(organisation.users.get(username="hms"))
    assert client.get("/mal/").status_code == 200
    assert client.get(plan.get_absolute_url()).status_code == 200
    assert client.get("/mal/internkontroll/").status_code == 200

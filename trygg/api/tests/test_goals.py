"""/goals, /action-plans and /internal-control, role by role."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from trygg.api.tests.conftest import MEMBERS, ids
from trygg.goals.models import ActionPlanRow, ControlStatus, Goal
from trygg.goals.tests.factories import make_goal, make_plan, make_row

HMS = {"admin", "hms"}


@pytest.fixture
def goal(world):
    return make_goal(world, "Sykefraværet skal ned", indicator_code="training.coverage", measure="")


def test_every_member_reads_the_goals_and_outsiders_see_none(world, api_as, goal):
    local = make_goal(world, "Lokalt", unit=world.nursing_home, parent=goal)
    for persona in MEMBERS:
        response = api_as(persona, scope="read").get("/goals")
        assert response.status_code == 200, persona
        assert ids(response) == {goal.pk, local.pk}
    body = api_as("employee").get(f"/goals/{goal.pk}").json()
    assert body["status"] == "no_data" and body["data_source_missing"] is True
    assert Decimal(body["target"]) == Decimal(80)
    assert ids(api_as("outsider").get("/goals")) == set()
    assert api_as("outsider").get(f"/goals/{goal.pk}").status_code == 404


def test_a_goal_measured_by_hand_has_a_status_and_trend(world, api_as):
    goal = make_goal(world, target=Decimal("80"))
    response = api_as("hms").post(
        f"/goals/{goal.pk}/measurements",
        {"measured_on": "2026-03-15", "value": "85.5", "note": "Undersøkelsen"},
    )
    assert response.status_code == 201
    body = response.json()
    assert body["status"] == "on_track"
    assert [Decimal(p["value"]) for p in body["trend"]] == [Decimal("85.5")]


GOAL = {
    "title": "Ingen skal oppleve trakassering",
    "start_year": 2026,
    "end_year": 2030,
    "measure": "Andel som svarer nei",
    "target": "100",
}


@pytest.mark.parametrize("persona", MEMBERS)
def test_only_hms_coordinators_set_organisation_goals(world, api_as, persona):
    response = api_as(persona).post("/goals", GOAL)
    assert response.status_code == (201 if persona in HMS else 403), persona
    assert Goal.objects.filter(organisation=world.org).exists() == (persona in HMS)


def test_another_organisations_administrator_sets_only_their_own_goals(world, api_as):
    response = api_as("outsider").post("/goals", GOAL)
    assert response.status_code == 201
    assert Goal.objects.get().organisation == world.other_org
    assert ids(api_as("employee").get("/goals")) == set()


def test_a_leader_breaks_down_a_goal_for_their_unit(world, api_as, goal):
    api = api_as("leader")
    data = {**GOAL, "unit_id": world.nursing_home.pk, "parent_id": goal.pk}
    response = api.post("/goals", data)
    assert response.status_code == 201
    assert response.json()["unit"]["id"] == world.nursing_home.pk
    assert response.json()["parent_id"] == goal.pk
    assert api.post("/goals", {**data, "unit_id": world.kindergarten.pk}).status_code == 403
    assert api_as("leader", scope="read").post("/goals", data).status_code == 403


def test_a_goal_without_a_measurable_target_is_refused(world, api_as):
    response = api_as("hms", language="nb").post("/goals", {**GOAL, "target": None})
    assert response.status_code == 422
    assert "target" in response.json()["errors"]
    assert not Goal.objects.exists()


def test_goals_are_changed_by_their_editors(world, api_as, goal):
    assert api_as("leader").patch(f"/goals/{goal.pk}", {"target": "90"}).status_code == 403
    assert api_as("outsider").patch(f"/goals/{goal.pk}", {"target": "90"}).status_code == 404
    response = api_as("hms").patch(f"/goals/{goal.pk}", {"target": "90"})
    assert response.status_code == 200 and Decimal(response.json()["target"]) == 90
    assert api_as("hms").patch(f"/goals/{goal.pk}", {"target": None}).status_code == 422


def test_the_goal_list_uses_a_constant_number_of_queries(world, api_as):
    api = api_as("employee", scope="read")
    api.get("/goals")

    def count() -> int:
        cache.clear()
        with CaptureQueriesContext(connection) as queries:
            assert api.get("/goals").status_code == 200
        return len(queries)

    make_goal(world, "A")
    few = count()
    for i in range(8):
        make_goal(world, f"B{i}", unit=world.ward)
    assert count() == few


# --- Action plans -----------------------------------------------------------------------------
def test_members_read_plans_with_the_seed_columns(world, api_as):
    plan = make_plan(world, "Plan", committee=world.amu)
    make_row(
        plan,
        "Statusmøter",
        when="Haust",
        responsible="HMS",
        reporting="AMU",
        owner=world.leader.person,
        deadline=dt.date(2026, 11, 30),
    )
    for persona in MEMBERS:
        assert ids(api_as(persona, scope="read").get("/action-plans")) == {plan.pk}
    body = api_as("employee").get(f"/action-plans/{plan.pk}").json()
    row = body["rows"][0]
    assert (row["number"], row["focus_area"], row["activity"], row["when"]) == (
        1,
        "Oppfølging",
        "Statusmøter",
        "Haust",
    )
    assert (row["responsible"], row["reporting"], row["deadline"]) == ("HMS", "AMU", "2026-11-30")
    assert row["owner"]["id"] == world.leader.person.pk and row["status"] == "open"
    assert (
        body["progress"] == {"total": 1, "done": 0, "overdue": 0} or body["progress"]["total"] == 1
    )
    assert ids(api_as("outsider").get("/action-plans")) == set()
    assert api_as("outsider").get(f"/action-plans/{plan.pk}").status_code == 404


@pytest.mark.parametrize("persona", MEMBERS)
def test_a_committee_plan_takes_rows_from_its_secretary_and_the_hms_coordinator(
    world, api_as, persona
):
    plan = make_plan(world, "AMU-plan", committee=world.amu)
    response = api_as(persona).post(
        f"/action-plans/{plan.pk}/rows",
        {
            "focus_area": "Vold og trusler",
            "activity": "Oppdatere ROS",
            "owner_id": world.leader.person.pk,
        },
    )
    allowed = persona in HMS | {"secretary"}
    assert response.status_code == (201 if allowed else 403), persona
    assert ActionPlanRow.objects.filter(plan=plan).exists() == allowed


def test_a_row_refuses_people_of_another_organisation(world, api_as):
    plan = make_plan(world)
    response = api_as("hms").post(
        f"/action-plans/{plan.pk}/rows",
        {"focus_area": "A", "activity": "B", "owner_id": world.outsider.person.pk},
    )
    assert response.status_code == 422 and "owner_id" in response.json()["errors"]
    assert not ActionPlanRow.objects.exists()


def test_plans_are_created_for_what_the_user_leads(world, api_as):
    data = {"title": "Sykehjemmets plan", "start_year": 2026, "end_year": 2026}
    assert api_as("leader").post("/action-plans", data).status_code == 403  # the organisation's
    response = api_as("leader").post("/action-plans", {**data, "unit_id": world.nursing_home.pk})
    assert response.status_code == 201 and response.json()["unit"]["id"] == world.nursing_home.pk
    assert api_as("employee").post("/action-plans", data).status_code == 403


# --- Internal control ---------------------------------------------------------------------------
def test_the_internal_control_points(world, api_as):
    make_goal(world)
    body = api_as("employee", scope="read").get("/internal-control").json()
    assert [p["point"] for p in body] == list(range(1, 9))
    four = body[3]
    assert four["written"] and four["records"] and four["derived"] == "documented"
    unit = api_as("employee").get("/internal-control", unit_id=world.nursing_home.pk)
    assert unit.status_code == 200
    other = api_as("outsider").get("/internal-control", unit_id=world.nursing_home.pk)
    assert other.status_code == 404


def test_assessing_a_point_needs_a_record_for_points_4_to_8(world, api_as):
    api = api_as("hms")
    response = (
        api.put("/internal-control/6", {"status": "done", "note": "ROS"})
        if hasattr(api, "put")
        else api._send("put", "/internal-control/6", {"status": "done", "note": "ROS"})
    )
    assert response.status_code == 422
    assert not ControlStatus.objects.exists()
    ok = api._send("put", "/internal-control/6", {"status": "partial", "note": "Noe"})
    assert ok.status_code == 200 and ok.json()[5]["status"] == "partial"
    denied = api_as("employee")._send("put", "/internal-control/1", {"status": "done", "note": "x"})
    assert denied.status_code == 403
    leader = api_as("leader")._send(
        "put",
        "/internal-control/3",
        {"status": "done", "note": "Verneombud", "unit_id": world.nursing_home.pk},
    )
    assert leader.status_code == 200
    assert ControlStatus.objects.filter(unit=world.nursing_home, point=3).exists()

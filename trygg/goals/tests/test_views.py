"""Every goals page, role by role: allowed, 404 for outsiders, 403 for read-only; writes."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from trygg.audit.models import AuditEntry
from trygg.audit.services import record_event
from trygg.goals import services
from trygg.goals.models import ControlStatus, Goal, GoalReading
from trygg.goals.tests.factories import make_goal, make_plan, make_row
from trygg.lib import indicators

MEMBERS = [
    "admin",
    "hms",
    "hr",
    "bht",
    "leader",
    "safety_rep",
    "employee",
    "secretary",
    "amu_member",
    "colleague",
]
EDITORS_SOMEWHERE = {"admin", "hms", "leader", "secretary"}
HMS = {"admin", "hms"}


def _as(client, world, persona):
    client.force_login(getattr(world, persona))
    return client


@pytest.fixture
def things(world):
    goal = make_goal(world, "Overordnet mål")
    local = make_goal(world, "Lokalt mål", unit=world.nursing_home, parent=goal)
    plan = make_plan(world, "Plan for kommunen")
    row = make_row(plan)
    committee_plan = make_plan(world, "AMU-plan", committee=world.amu)
    unit_plan = make_plan(world, "Sykehjemmets plan", unit=world.nursing_home)
    return {
        "unit_plan": unit_plan,
        "goal": goal,
        "local": local,
        "plan": plan,
        "row": row,
        "committee_plan": committee_plan,
    }


def _expected(persona: str, default: int, **special: int) -> int:
    return special.get(persona, default)


PAGES = {
    "goal_list": (lambda t: reverse("goals:goal_list"), lambda p: 200),
    "goal_detail": (lambda t: reverse("goals:goal_detail", args=[t["goal"].pk]), lambda p: 200),
    "goal_create": (
        lambda t: reverse("goals:goal_create"),
        lambda p: 200 if p in EDITORS_SOMEWHERE else 403,
    ),
    "goal_edit": (
        lambda t: reverse("goals:goal_edit", args=[t["goal"].pk]),
        lambda p: 200 if p in HMS else 403,
    ),
    "local_goal_edit": (
        lambda t: reverse("goals:goal_edit", args=[t["local"].pk]),
        lambda p: 200 if p in HMS | {"leader"} else 403,
    ),
    "plan_list": (lambda t: reverse("goals:plan_list"), lambda p: 200),
    "plan_detail": (lambda t: reverse("goals:plan_detail", args=[t["plan"].pk]), lambda p: 200),
    "plan_xlsx": (lambda t: reverse("goals:plan_xlsx", args=[t["plan"].pk]), lambda p: 200),
    "plan_create": (
        lambda t: reverse("goals:plan_create"),
        lambda p: 200 if p in EDITORS_SOMEWHERE else 403,
    ),
    "plan_edit": (
        lambda t: reverse("goals:plan_edit", args=[t["plan"].pk]),
        lambda p: 200 if p in HMS else 403,
    ),
    "committee_plan_edit": (
        lambda t: reverse("goals:plan_edit", args=[t["committee_plan"].pk]),
        lambda p: 200 if p in HMS | {"secretary"} else 403,
    ),
    "unit_plan_row_create": (
        lambda t: reverse("goals:row_create", args=[t["unit_plan"].pk]),
        lambda p: 200 if p in HMS | {"leader"} else 403,
    ),
    "row_create": (
        lambda t: reverse("goals:row_create", args=[t["plan"].pk]),
        lambda p: 200 if p in HMS else 403,
    ),
    "row_edit": (
        lambda t: reverse("goals:row_edit", args=[t["row"].pk]),
        lambda p: 200 if p in HMS else 403,
    ),
    "plan_import": (
        lambda t: reverse("goals:plan_import", args=[t["plan"].pk]),
        lambda p: 200 if p in HMS else 403,
    ),
    "control_overview": (lambda t: reverse("goals:control_overview"), lambda p: 200),
    "control_edit": (
        lambda t: reverse("goals:control_edit", args=[4]),
        lambda p: 200 if p in HMS else 403,
    ),
    "laws": (lambda t: reverse("goals:laws"), lambda p: 200),
}


# Pages of the organisation as a whole: another organisation's user gets their own (empty) one.
ORGANISATION_PAGES = {
    "goal_list",
    "goal_create",
    "plan_list",
    "plan_create",
    "control_overview",
    "control_edit",
    "laws",
}


@pytest.mark.parametrize("page", list(PAGES))
def test_it_answers_each_role(world, things, page):
    from django.test import Client

    url, expected = PAGES[page]
    for persona in [*MEMBERS, "outsider"]:
        response = _as(Client(), world, persona).get(url(things))
        if persona == "outsider":
            if page in ORGANISATION_PAGES:
                assert response.status_code == 200, page  # their own organisation's page
                assert "Overordnet mål" not in response.content.decode()
                assert "Plan for kommunen" not in response.content.decode()
            else:
                assert response.status_code == 404, page
        else:
            assert response.status_code == expected(persona), (page, persona)


def test_a_leader_assesses_their_units_internal_control(client, world):
    url = reverse("goals:control_edit", args=[3]) + f"?enhet={world.nursing_home.pk}"
    assert _as(client, world, "leader").get(url).status_code == 200
    url = reverse("goals:control_edit", args=[3]) + f"?enhet={world.kindergarten.pk}"
    assert client.get(url).status_code == 403


def test_anonymous_users_are_sent_to_log_in(client, world):
    response = client.get(reverse("goals:goal_list"))
    assert response.status_code == 302 and "/konto/logg-inn/" in response["Location"]


# --- Writes -------------------------------------------------------------------------------------
GOAL_POST = {
    "title": "Ansatte skal gå hjem uten belastninger",
    "start_year": "2026",
    "end_year": "2030",
    "indicator_code": "absence.percent",
    "measure": "",
    "measure_unit": "%",
    "baseline": "8,1",
    "target": "5,4",
}


def test_the_hms_coordinator_sets_an_organisation_goal(client, world):
    response = _as(client, world, "hms").post(reverse("goals:goal_create"), GOAL_POST)
    goal = Goal.objects.get()
    assert response.status_code == 302 and response["Location"] == goal.get_absolute_url()
    assert goal.is_organisation_goal
    assert (goal.target, goal.baseline, goal.lower_is_better) == (
        Decimal("5.4"),
        Decimal("8.1"),
        True,
    )


def test_it_explains_that_a_goal_needs_a_measurable_target(client, world):
    data = {**GOAL_POST, "indicator_code": "", "target": ""}
    response = _as(client, world, "hms").post(reverse("goals:goal_create"), data)
    assert response.status_code == 200 and response.context["form"].errors
    body = response.content.decode()
    assert "målbart" in body or "measurable" in body
    assert not Goal.objects.exists()


def test_a_leader_breaks_down_a_goal_for_their_unit_only(client, world):
    parent = make_goal(world)
    _as(client, world, "leader")
    data = {**GOAL_POST, "unit": world.nursing_home.pk, "parent": parent.pk}
    response = client.post(reverse("goals:goal_create"), data)
    assert response.status_code == 302
    local = Goal.objects.get(unit=world.nursing_home)
    assert local.parent == parent
    data["unit"] = world.kindergarten.pk
    refused = client.post(reverse("goals:goal_create"), data)
    assert "unit" in refused.context["form"].errors  # not a choice
    assert Goal.objects.count() == 2
    # Leaving the unit empty would make an organisation goal: only for HMS coordinators.
    data.pop("unit")
    data.pop("parent")
    assert client.post(reverse("goals:goal_create"), data).status_code == 403


def test_breaking_down_starts_from_the_overarching_goal(client, world):
    parent = make_goal(world, indicator_code="deviations.closed_in_time", measure="")
    response = _as(client, world, "hms").get(
        reverse("goals:goal_create") + f"?overordnet={parent.pk}"
    )
    form = response.context["form"]
    assert form.initial["parent"] == parent.pk
    assert form.initial["indicator_code"] == "deviations.closed_in_time"


def test_an_employee_cannot_post_a_goal(client, world):
    response = _as(client, world, "employee").post(reverse("goals:goal_create"), GOAL_POST)
    assert response.status_code == 403
    assert not Goal.objects.exists()


def test_measurements_are_entered_by_editors(client, world):
    goal = make_goal(world, unit=world.nursing_home)
    url = reverse("goals:measurement_create", args=[goal.pk])
    data = {"measured_on": "15.03.2026", "value": "72,5", "note": "Undersøkelsen"}
    assert _as(client, world, "employee").post(url, data).status_code == 403
    assert _as(client, world, "outsider").post(url, data).status_code == 404
    response = _as(client, world, "leader").post(url, data)
    assert response.status_code == 302
    assert goal.measurements.get().value == Decimal("72.5")
    bad = client.post(url, {"measured_on": "32.13.2026", "value": "mye"})
    assert bad.context["form"].errors and goal.measurements.count() == 1


def test_the_goal_list_shows_status_and_local_goals(client, world):
    goal = make_goal(world, "Mål A", baseline=Decimal("50"))
    make_goal(world, "Lokalt A", unit=world.nursing_home, parent=goal)
    make_goal(world, "Trening", indicator_code="training.coverage", measure="")
    response = _as(client, world, "employee").get(reverse("goals:goal_list"))
    body = response.content.decode()
    assert "Mål A" in body and "Lokalt A" in body
    assert "Ingen data" in body or "No data" in body
    assert "not available in Trygg yet" in body or "ikke tilgjengelig" in body


def test_the_goal_list_uses_a_constant_number_of_queries(client, world):
    registered = []

    def compute(org, paths, start, end):
        return Decimal("4")

    indicators.register("test.q", "Q", unit="%", lower_is_better=True, compute=compute)
    registered.append("test.q")
    try:
        _as(client, world, "hms")

        def add(n: int) -> None:
            for i in range(n):
                parent = make_goal(world, f"Mål {i}")
                services.record_measurement(
                    actor=None, goal=parent, measured_on=parent.created_at.date(), value=Decimal(i)
                )
                make_goal(
                    world,
                    f"Lokal {i}",
                    unit=world.ward,
                    parent=parent,
                    indicator_code="test.q",
                    measure="",
                )

        def count() -> int:
            cache.clear()
            with CaptureQueriesContext(connection) as queries:
                assert client.get(reverse("goals:goal_list")).status_code == 200
            return len(queries)

        def each_state() -> list[int]:
            """No stored readings (computed and stored), current ones, and older ones (shown,
            and refreshed by the task, which the test backend runs at once)."""
            GoalReading.objects.all().delete()
            missing = count()
            current = count()
            record_event(
                actor=None,
                organisation_id=world.org.pk,
                action=AuditEntry.Action.UPDATE,
                object_type="test.change",
                description="Any change",
            )
            return [missing, current, count()]

        add(2)
        few = each_state()
        add(10)
        assert each_state() == few
        assert few[1] < few[0] and few[1] < few[2]
    finally:
        indicators._indicators.pop("test.q", None)


def test_the_plan_page_uses_a_constant_number_of_queries(client, world):
    plan = make_plan(world)
    goal = make_goal(world)
    _as(client, world, "hms")

    def count() -> int:
        cache.clear()
        with CaptureQueriesContext(connection) as queries:
            assert client.get(plan.get_absolute_url()).status_code == 200
        return len(queries)

    for _i in range(2):
        make_row(plan, goal=goal, owner=world.leader.person)
    few = count()
    for _i in range(15):
        make_row(plan, goal=goal, owner=world.employee.person)
    other = make_goal(world, "Et annet mål", unit=world.ward)
    make_row(plan, goal=other)
    assert count() == few
    page = client.get(plan.get_absolute_url()).content.decode()
    # Each linked goal's status (no data yet) is shown on its row.
    assert page.count("No data") + page.count("Ingen data") == 18


def test_the_plan_list_uses_a_constant_number_of_queries(client, world):
    _as(client, world, "employee")

    def count() -> int:
        cache.clear()
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("goals:plan_list")).status_code == 200
        return len(queries)

    make_row(make_plan(world, "P0", unit=world.nursing_home))
    few = count()
    for i in range(8):
        make_row(make_plan(world, f"P{i + 1}", committee=world.amu))
    assert count() == few


def test_a_plan_row_is_added_through_the_form(client, world):
    plan = make_plan(world, unit=world.nursing_home)
    goal = make_goal(world)
    data = {
        "focus_area": "Oppfølging",
        "goal": goal.pk,
        "activity": "Statusmøter med alle ledere",
        "when": "Høsten",
        "deadline": "30.11.2026",
        "responsible": "HMS-koordinator",
        "owner": world.leader.person.pk,
        "reporting": "AMU",
    }
    response = _as(client, world, "leader").post(reverse("goals:row_create", args=[plan.pk]), data)
    assert response.status_code == 302
    row = plan.rows.get()
    assert row.action_item.owner == world.leader.person
    page = client.get(plan.get_absolute_url()).content.decode()
    assert "Statusmøter med alle ledere" in page and goal.title in page


def test_the_plan_pdf_renders(client, world):
    plan = make_plan(world)
    make_row(plan, "Aktivitet med æøå")
    response = _as(client, world, "employee").get(reverse("goals:plan_pdf", args=[plan.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


# --- Internal control ---------------------------------------------------------------------------
def test_points_4_to_8_need_a_written_record(client, world):
    _as(client, world, "hms")
    url = reverse("goals:control_edit", args=[4])
    response = client.post(url, {"status": "done", "note": "Vi har mål"})
    assert response.status_code == 200 and response.context["form"].errors
    assert "skriftlig" in response.content.decode() or "in writing" in response.content.decode()
    assert not ControlStatus.objects.exists()
    make_goal(world)
    response = client.post(url, {"status": "done", "note": "Vedtatt i HAMU"})
    assert response.status_code == 302
    row = ControlStatus.objects.get()
    assert (row.point, row.status, row.unit) == (4, "done", None)
    assert AuditEntry.objects.filter(object_type="goals.controlstatus").exists()


def test_points_1_to_3_need_a_note_to_be_in_place(client, world):
    _as(client, world, "hms")
    url = reverse("goals:control_edit", args=[1])
    assert "note" in client.post(url, {"status": "done", "note": ""}).context["form"].errors
    assert not ControlStatus.objects.exists()
    assert client.post(url, {"status": "done", "note": "Lovdata"}).status_code == 302
    # A new assessment updates the same row, and the change is audit-logged.
    assert client.post(url, {"status": "partial", "note": "Mangler"}).status_code == 302
    assert ControlStatus.objects.get().status == "partial"
    assert AuditEntry.objects.filter(object_type="goals.controlstatus", action="update").exists()


def test_the_overview_shows_the_eight_points_with_records(client, world):
    make_goal(world, "Mål for alle")
    response = _as(client, world, "employee").get(reverse("goals:control_overview"))
    points = response.context["points"]
    assert [p.number for p in points] == list(range(1, 9))
    by_number = {p.number: p for p in points}
    assert by_number[4].records and by_number[5].records and by_number[1].records
    assert by_number[3].records
    body = response.content.decode()
    assert "training records" in body or "opplæring" in body.lower()


def test_the_unit_overview_is_for_a_unit_of_the_organisation(client, world):
    _as(client, world, "employee")
    url = reverse("goals:control_overview")
    assert client.get(url + f"?enhet={world.nursing_home.pk}").status_code == 200
    from trygg.org.models import Unit

    other = Unit.objects.filter(organisation=world.other_org).first()
    assert client.get(url + f"?enhet={other.pk}").status_code == 404
    assert client.get(url + "?enhet=abc").status_code == 404


def test_the_overview_uses_a_constant_number_of_queries(client, world):
    _as(client, world, "employee")

    def count() -> int:
        cache.clear()
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("goals:control_overview")).status_code == 200
        return len(queries)

    make_row(make_plan(world))
    make_goal(world)
    few = count()
    for i in range(5):
        make_goal(world, f"M{i}")
        make_row(make_plan(world, f"P{i}"))
    assert count() == few


def test_the_internal_control_pdf_renders(client, world):
    response = _as(client, world, "hms").get(reverse("goals:control_pdf"))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")


def test_a_goal_is_edited_and_can_be_made_inactive(client, world):
    goal = make_goal(world, "Gammelt mål")
    _as(client, world, "hms")
    data = {
        "title": "Gammelt mål",
        "start_year": goal.start_year,
        "end_year": goal.end_year,
        "indicator_code": "",
        "measure": goal.measure,
        "measure_unit": "%",
        "target": "85,5",
        "is_active": "",
    }
    response = client.post(reverse("goals:goal_edit", args=[goal.pk]), data)
    assert response.status_code == 302
    goal.refresh_from_db()
    assert goal.target == Decimal("85.5") and not goal.is_active
    assert "Gammelt mål" not in client.get(reverse("goals:goal_list")).content.decode()


def test_the_goal_list_shows_twelve_local_goals_per_goal_and_links_to_the_rest(client, world):
    from trygg.org.tests import factories as f

    goal = make_goal(world, "Overordnet")
    for i in range(14):
        unit = f.make_unit(world.org, f"Enhet {i:02d}", parent=world.kindergarten)
        make_goal(world, f"Lokalt {i:02d}", unit=unit, parent=goal)
    response = _as(client, world, "employee").get(reverse("goals:goal_list"))
    (view,) = response.context["tree"]
    assert len(view.children) == 12 and view.more == 2
    detail = client.get(goal.get_absolute_url())
    assert len(detail.context["children"]) == 14


def test_the_goal_list_orders_local_goals_by_owner_and_caps_the_loose_ones(client, world):
    from trygg.org.tests import factories as f

    first = make_goal(world, "Første")
    second = make_goal(world, "Andre")
    ended = make_goal(world, "Utløpt", start_year=2020, end_year=2021)
    units = [f.make_unit(world.org, f"Enhet {i:02d}", parent=world.kindergarten) for i in range(16)]
    for unit in reversed(units[:14]):
        make_goal(world, f"Lokalt {unit.name}", unit=unit, parent=first)
    make_goal(world, "AMU-mål", committee=world.amu, parent=second)
    make_goal(world, "Sykehjemmets mål", unit=world.nursing_home, parent=second)
    make_goal(world, "Barnehagens andre mål", unit=world.kindergarten, parent=second)
    make_goal(world, "Barnehagens mål", unit=world.kindergarten, parent=second)
    for unit in units:
        make_goal(world, f"Løst {unit.name}", unit=unit)  # breaks down no goal
    make_goal(world, "Under et utløpt mål", unit=units[15], parent=ended)
    response = _as(client, world, "employee").get(reverse("goals:goal_list"))
    tree = response.context["tree"]
    top_a, top_b, *loose = tree
    assert [v.goal.title for v in top_a.children] == [
        f"Lokalt Enhet {i:02d}" for i in range(12)
    ] and top_a.more == 2
    assert [(v.goal.title, v.goal.number) for v in top_b.children] == [
        ("AMU-mål", 1),
        ("Barnehagens andre mål", 1),
        ("Barnehagens mål", 2),
        ("Sykehjemmets mål", 1),
    ] and top_b.more == 0
    # 17 loose local goals (16, and one under a goal no longer in force): 12 shown.
    assert [v.goal.title for v in loose] == [f"Løst Enhet {i:02d}" for i in range(12)]
    assert response.context["more_loose"] == 5
    body = response.content.decode()
    assert "And 5 more local goals that break down no overarching goal" in body


def test_the_goal_list_queries_do_not_grow_with_local_goals(client, world):
    from trygg.org.tests import factories as f

    def compute(org, paths, start, end):
        return Decimal("4")

    indicators.register("test.tree", "T", unit="%", lower_is_better=True, compute=compute)
    try:
        tops = [make_goal(world, "Mål A"), make_goal(world, "Mål B", indicator_code="test.tree")]
        made = [0]

        def add(n: int) -> None:
            for _i in range(n):
                made[0] += 1
                unit = f.make_unit(world.org, f"Enhet {made[0]:03d}", parent=world.kindergarten)
                for parent in (*tops, None):
                    goal = make_goal(
                        world,
                        "Lokalt",
                        unit=unit,
                        parent=parent,
                        **({} if made[0] % 2 else {"indicator_code": "test.tree", "measure": ""}),
                    )
                    if not goal.indicator_code:
                        services.record_measurement(
                            actor=None, goal=goal, measured_on=goal.created_at.date(), value=1
                        )

        _as(client, world, "hms")

        def count() -> int:
            client.get(reverse("goals:goal_list"))  # stores (or refreshes) every reading
            cache.clear()
            with CaptureQueriesContext(connection) as queries:
                response = client.get(reverse("goals:goal_list"))
            assert response.status_code == 200
            return len(queries)

        add(2)
        few = count()
        add(18)  # beyond what the list shows, under each goal and loose
        assert count() == few
    finally:
        indicators._indicators.pop("test.tree", None)


def test_live_readings_are_kept_until_the_organisation_changes(world):
    from trygg.goals import queries

    calls = []
    values = {"now": Decimal("3")}

    def compute(org, paths, start, end):
        calls.append(paths)
        return values["now"]

    indicators.register("test.cached", "C", unit="%", lower_is_better=True, compute=compute)
    try:
        goal = make_goal(world, indicator_code="test.cached", measure="")
        goals = list(Goal.objects.with_related().filter(pk=goal.pk))
        first = queries.view_goals(goals)
        asked = len(calls)
        assert asked == 7  # six quarters and the last 12 months
        assert not first[0].reading.stale
        queries.view_goals(goals)
        assert len(calls) == asked  # the stored reading
        values["now"] = Decimal("4")
        make_goal(world, "Ny")  # any write is a new version of the organisation's data
        older = queries.view_goals(goals)
        # The stored reading is shown at once, marked as older; the refresh it asked for ran
        # (at once with the test's task backend), so the next view has the new value.
        assert older[0].reading.value == Decimal("3") and older[0].reading.stale
        assert len(calls) == 2 * asked
        again = queries.view_goals(goals)
        assert again[0].reading.value == Decimal("4") and not again[0].reading.stale
        assert len(calls) == 2 * asked
    finally:
        indicators._indicators.pop("test.cached", None)

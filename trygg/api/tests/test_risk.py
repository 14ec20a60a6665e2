"""/risk: assessments, hazards, measures, the heat map and the matrix, role by role."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from trygg.actions.models import ActionItem
from trygg.api.tests.conftest import ids
from trygg.risk.models import Assessment, Hazard
from trygg.risk.tests.factories import make_assessment, make_completed, make_hazard

WRITERS = ["hms", "leader", "safety_rep"]
READERS = ["bht", "admin", "employee"]
STRANGERS = ["colleague", "outsider"]


@pytest.fixture
def draft(world):
    assessment = make_assessment(world.nursing_home, "ROS Solbakken")
    make_hazard(assessment, "Fall", probability=2, consequence=3)
    return assessment


@pytest.mark.parametrize("persona", WRITERS + READERS)
def test_readers_list_and_read_the_assessment(world, api_as, draft, persona):
    api = api_as(persona, scope="read")
    assert draft.pk in ids(api.get("/risk/assessments"))
    body = api.get(f"/risk/assessments/{draft.pk}").json()
    assert body["title"] == "ROS Solbakken" and body["unit"]["id"] == world.nursing_home.pk
    assert body["hazards"][0] | {"id": 0} == {
        "id": 0,
        "position": 1,
        "category": "physical",
        "own_category": "",
        "title": "Fall",
        "description": "",
        "causes": [],
        "consequences": [],
        "preventive_barriers": [],
        "mitigating_barriers": [],
        "probability": 2,
        "consequence": 3,
        "score": 6,
        "band": "medium",
        "residual_probability": None,
        "residual_consequence": None,
        "residual_score": None,
        "residual_band": None,
    }
    assert body["matrix"]["version"] == 1 and len(body["matrix"]["probability_levels"]) == 5


@pytest.mark.parametrize("persona", STRANGERS)
def test_others_get_404_and_empty_lists(world, api_as, draft, persona):
    api = api_as(persona)
    assert api.get(f"/risk/assessments/{draft.pk}").status_code == 404
    assert draft.pk not in ids(api.get("/risk/assessments"))
    hazard = draft.hazards.get()
    assert (
        api.patch(f"/risk/hazards/{hazard.pk}", {"probability": 1, "consequence": 1}).status_code
        == 404
    )
    assert api.post(f"/risk/assessments/{draft.pk}/complete").status_code == 404


@pytest.mark.parametrize("persona", READERS)
def test_readers_get_403_on_writes(world, api_as, draft, persona):
    api = api_as(persona)
    hazard = draft.hazards.get()
    assert (
        api.post(
            f"/risk/assessments/{draft.pk}/hazards", {"category": "physical", "title": "X"}
        ).status_code
        == 403
    )
    assert (
        api.patch(f"/risk/hazards/{hazard.pk}", {"probability": 1, "consequence": 1}).status_code
        == 403
    )
    assert api.post(f"/risk/assessments/{draft.pk}/complete").status_code == 403
    assert api.post(f"/risk/hazards/{hazard.pk}/measures", {"title": "T"}).status_code == 403
    response = api.post(
        "/risk/assessments",
        {
            "unit_id": world.nursing_home.pk,
            "title": "X",
            "assessed_on": "2026-03-01",
            "review_due": "2027-03-01",
        },
    )
    assert response.status_code == 403
    assert Assessment.objects.count() == 1 and Hazard.objects.count() == 1


def test_a_read_token_cannot_write(world, api_as, draft):
    api = api_as("leader", scope="read")
    assert api.post(f"/risk/assessments/{draft.pk}/complete").status_code == 403


@pytest.mark.parametrize("persona", WRITERS)
def test_writers_run_an_assessment_from_the_template(world, api_as, persona):
    api = api_as(persona)
    response = api.post(
        "/risk/assessments",
        {
            "unit_id": world.nursing_home.pk,
            "title": "Vold og trusler",
            "scope": "theme",
            "assessed_on": "2026-03-01",
            "review_due": "2027-03-01",
            "template": "vold-og-trusler",
        },
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert len(body["hazards"]) >= 8 and body["status"] == "draft"
    for hazard in body["hazards"]:
        scored = api.patch(f"/risk/hazards/{hazard['id']}", {"probability": 3, "consequence": 4})
        assert scored.status_code == 200 and scored.json()["band"] == "high"
    done = api.post(f"/risk/assessments/{body['id']}/complete")
    assert done.status_code == 200 and done.json()["status"] == "completed"
    measure = api.post(
        f"/risk/hazards/{body['hazards'][0]['id']}/measures",
        {"title": "Alarm", "owner_id": world.leader.person.pk, "deadline": "2026-06-01"},
    )
    assert measure.status_code == 201 and measure.json()["owner"]["id"] == world.leader.person.pk
    assert ActionItem.objects.get(title="Alarm").source_id == body["hazards"][0]["id"]
    heat = api.get("/risk/heat-map").json()
    assert heat["cells"] == [
        {"probability": 3, "consequence": 4, "count": len(body["hazards"]), "band": "high"}
    ]


def test_bad_input_is_explained_and_nothing_is_saved(world, api_as, draft):
    api = api_as("leader")
    hazard = draft.hazards.get()
    response = api.patch(f"/risk/hazards/{hazard.pk}", {"probability": 9})
    assert response.status_code == 422
    assert "outside this assessment's matrix" in str(response.json())
    hazard.refresh_from_db()
    assert hazard.probability == 2
    response = api.post(
        "/risk/assessments",
        {
            "unit_id": world.kindergarten.pk,
            "title": "X",
            "assessed_on": "2026-03-01",
            "review_due": "2027-03-01",
        },
    )
    assert response.status_code == 422
    response = api.post(
        "/risk/assessments",
        {
            "unit_id": world.nursing_home.pk,
            "title": "X",
            "assessed_on": "2026-03-01",
            "review_due": "2025-03-01",
        },
    )
    assert response.status_code == 422 and "review" in str(response.json())
    response = api.post(
        "/risk/assessments",
        {
            "unit_id": world.nursing_home.pk,
            "title": "X",
            "assessed_on": "2026-03-01",
            "review_due": "2027-03-01",
            "template": "finnes-ikke",
        },
    )
    assert response.status_code == 422
    response = api.post(
        f"/risk/assessments/{draft.pk}/hazards", {"category": "weather", "title": "X"}
    )
    assert response.status_code == 422
    assert Assessment.objects.count() == 1 and Hazard.objects.count() == 1


def test_the_due_list_and_the_matrix(world, api_as):
    import datetime as dt

    overdue = make_completed(
        world.nursing_home,
        "Gammel",
        assessed_on=dt.date(2024, 1, 1),
        review_due=dt.date(2025, 1, 1),
    )
    make_completed(world.nursing_home, "Ny", review_due=dt.date(2099, 1, 1))
    api = api_as("hms", scope="read")
    assert ids(api.get("/risk/assessments", status="due")) == {overdue.pk}
    assert api.get("/risk/matrix").json()["low_max"] == 4
    assert {t["id"] for t in api.get("/risk/templates").json()} >= {"vold-og-trusler", "verksted"}
    assert api_as("outsider").get("/risk/matrix").json() is None


def test_the_list_and_heat_map_take_a_constant_number_of_queries(world, api_as):
    api = api_as("leader", scope="read")
    api.get("/risk/assessments")  # the token's first use records when it was used

    def count(path: str) -> int:
        cache.clear()
        with CaptureQueriesContext(connection) as captured:
            assert api.get(path).status_code == 200
        return len(captured)

    make_completed(world.nursing_home, "A")
    few = (count("/risk/assessments"), count("/risk/heat-map"))
    for i in range(8):
        make_completed(world.ward, f"B{i}", scores=((i % 5 + 1, 2),))
    assert (count("/risk/assessments"), count("/risk/heat-map")) == few

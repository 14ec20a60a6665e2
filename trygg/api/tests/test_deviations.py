"""/deviations: list, read and report, role by role; never another organisation's cases and
never an anonymous reporter."""

from __future__ import annotations

import pytest

from trygg.api.tests.conftest import MEMBERS
from trygg.deviations.models import Deviation
from trygg.deviations.tests.factories import make_deviation

BODY = {
    "category": "near_miss",
    "severity": "high",
    "title": "Vått gulv",
    "description": "<b>Sklei</b>",
    "occurred_at": "2026-01-05T14:30:00+01:00",
}


@pytest.fixture
def cases(world):
    return {
        "ward": make_deviation(world),
        "kindergarten": make_deviation(world, unit=world.kindergarten, reporter="colleague"),
        "anonymous": make_deviation(world, anonymous=True, reporter="employee"),
    }


LISTED = {
    "hms": {"ward", "kindergarten", "anonymous"},
    "leader": {"ward", "anonymous"},
    "safety_rep": {"ward", "anonymous"},
    "employee": {"ward"},  # their own, not the anonymous one
    "colleague": {"kindergarten"},
    "bht": set(),
    "outsider": set(),
}


@pytest.mark.parametrize("persona,expected", LISTED.items())
def test_it_lists_what_each_role_may_see(world, api_as, cases, persona, expected):
    response = api_as(persona, scope="read").get("/deviations")
    assert response.status_code == 200
    listed = {item["id"] for item in response.json()["items"]}
    assert listed == {cases[name].pk for name in expected}


@pytest.mark.parametrize(
    "persona,status",
    [
        ("hms", 200),
        ("leader", 200),
        ("safety_rep", 200),
        ("employee", 200),
        ("colleague", 404),
        ("bht", 404),
        ("outsider", 404),
    ],
)
def test_it_reads_a_case_per_role(world, api_as, cases, persona, status):
    assert api_as(persona).get(f"/deviations/{cases['ward'].pk}").status_code == status


def test_an_anonymous_case_names_no_reporter_and_no_time(world, api_as, cases):
    body = api_as("leader").get(f"/deviations/{cases['anonymous'].pk}").json()
    assert body["is_anonymous"] and body["reporter_id"] is None and body["occurred_at"] is None


def test_filters_and_keyset_pages(world, api_as, cases):
    api = api_as("hms")
    assert {
        i["id"] for i in api.get("/deviations", unit=world.kindergarten.pk).json()["items"]
    } == {cases["kindergarten"].pk}
    assert api.get("/deviations", category="violence").json()["items"] == []
    first = api.get("/deviations").json()
    assert first["count"] == 3 and first["next_before"] is None
    assert api.get("/deviations", unit=999999).status_code == 422


@pytest.mark.parametrize("persona", MEMBERS)
def test_every_member_may_report(world, api_as, persona):
    response = api_as(persona).post("/deviations", {**BODY, "unit_id": world.ward.pk})
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["reporter_id"] == getattr(world, persona).pk
    assert body["description"] == "<b>Sklei</b>"  # stored as text; pages escape it
    assert Deviation.objects.get(pk=body["id"]).handler == world.leader


def test_reporting_validates_and_is_idempotent(world, api_as):
    api = api_as("employee")
    bad = api.post(
        "/deviations",
        {
            **BODY,
            "unit_id": world.ward.pk,
            "category": "nope",
            "occurred_at": "2099-01-01T10:00:00+01:00",
        },
    )
    assert bad.status_code == 422
    assert {"category", "occurred_at"} <= set(bad.json()["errors"])
    other_unit = api.post(
        "/deviations", {**BODY, "unit_id": world.outsider.person.employments.first().unit_id}
    )
    assert other_unit.status_code == 422
    first = api.post("/deviations", {**BODY, "unit_id": world.ward.pk, "idempotency_key": "k1"})
    again = api.post("/deviations", {**BODY, "unit_id": world.ward.pk, "idempotency_key": "k1"})
    assert first.json()["id"] == again.json()["id"]
    assert Deviation.objects.count() == 1


def test_a_read_only_token_cannot_report(world, api_as):
    response = api_as("employee", scope="read").post(
        "/deviations", {**BODY, "unit_id": world.ward.pk}
    )
    assert response.status_code == 403
    assert not Deviation.objects.exists()


def test_another_organisation_reports_only_into_its_own_units(world, api_as):
    response = api_as("outsider").post("/deviations", {**BODY, "unit_id": world.ward.pk})
    assert response.status_code == 422
    assert not Deviation.objects.exists()

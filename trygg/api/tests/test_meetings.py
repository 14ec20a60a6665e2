"""/api/v1/meetings and /meeting-cases by role: chair, secretary, member, non-member, outsider."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from trygg.meetings import services
from trygg.meetings.models import Case
from trygg.meetings.tests.factories import add_member, make_case, make_chair, make_meeting

NOW = dt.datetime(2026, 3, 20, 12, 0, tzinfo=dt.UTC)


@pytest.fixture
def meeting(world):
    with time_machine.travel(NOW, tick=False):
        make_chair(world, 2026)
        add_member(world)
        meeting = make_meeting(world.amu, dt.date(2026, 3, 10))
        make_case(world.amu, meeting, title="Inneklima")
        yield meeting


@pytest.mark.parametrize("persona", ["amu_member", "secretary", "leader", "hms", "admin"])
def test_readers_list_and_read_meetings(api_as, world, meeting, persona):
    api = api_as(persona)
    listed = api.get("/meetings", committee_id=world.amu.pk)
    assert listed.status_code == 200
    assert [m["id"] for m in listed.json()["items"]] == [meeting.pk]
    detail = api.get(f"/meetings/{meeting.pk}")
    assert detail.status_code == 200
    body = detail.json()
    assert body["committee_name"] == world.amu.name
    assert [(c["number"], c["title"]) for c in body["agenda"]] == [("01/26", "Inneklima")]


@pytest.mark.parametrize("persona", ["colleague", "employee", "outsider"])
def test_others_see_nothing(api_as, world, meeting, persona):
    api = api_as(persona)
    assert api.get("/meetings").json()["items"] == []
    assert api.get(f"/meetings/{meeting.pk}").status_code == 404
    case = meeting.cases.get()
    assert api.get(f"/meeting-cases/{case.pk}").status_code == 404
    response = api._send("put", f"/meeting-cases/{case.pk}/minutes", {"decision": "x"})
    assert response.status_code == 404


def test_the_secretary_adds_a_case_and_writes_minutes(api_as, world, meeting):
    api = api_as("secretary")
    response = api.post(
        "/meeting-cases",
        {
            "committee_id": world.amu.pk,
            "title": "Turnus",
            "case_type": "vedtak",
            "meeting_id": meeting.pk,
        },
    )
    assert response.status_code == 201, response.json()
    case_id = response.json()["id"]
    assert response.json()["number"] == "02/26"
    bad = api.post("/meeting-cases", {"committee_id": world.amu.pk, "title": " "})
    assert bad.status_code == 422 and "title" in bad.json()["errors"]
    bad = api.post(
        "/meeting-cases", {"committee_id": world.amu.pk, "title": "x", "case_type": "nei"}
    )
    assert bad.status_code == 422 and "case_type" in bad.json()["errors"]
    minutes = api._send(
        "put", f"/meeting-cases/{case_id}/minutes", {"decision": "Vedtatt", "unanimous": False}
    )
    assert minutes.status_code == 422 and "minority_view" in minutes.json()["errors"]
    minutes = api._send("put", f"/meeting-cases/{case_id}/minutes", {"decision": "Vedtatt"})
    assert minutes.status_code == 200 and minutes.json()["decision"] == "Vedtatt"


def test_members_may_not_write(api_as, world, meeting):
    api = api_as("leader")
    response = api.post("/meeting-cases", {"committee_id": world.amu.pk, "title": "x"})
    assert response.status_code == 403
    case = meeting.cases.get()
    assert (
        api._send("put", f"/meeting-cases/{case.pk}/minutes", {"decision": "x"}).status_code == 403
    )
    assert api.post(f"/meetings/{meeting.pk}/approve").status_code == 403


def test_only_the_chair_approves(api_as, world, meeting):
    case = meeting.cases.get()
    services.record_case_minutes(actor=None, case=case, discussion="", decision="Vedtatt")
    assert api_as("secretary").post(f"/meetings/{meeting.pk}/approve").status_code == 403
    with time_machine.travel(NOW, tick=False):
        response = api_as("amu_member").post(f"/meetings/{meeting.pk}/approve")
    assert response.status_code == 200 and response.json()["minutes_version"] == 1
    again = api_as("amu_member").post(f"/meetings/{meeting.pk}/approve")
    assert again.status_code == 422


def test_anyone_proposes_a_case(api_as, world, meeting):
    response = api_as("colleague").post(
        "/meeting-proposals", {"committee_id": world.amu.pk, "title": "Støy"}
    )
    assert response.status_code == 201 and response.json()["number"] == ""
    assert Case.objects.get(title="Støy").status == Case.Status.PROPOSED
    outsider = api_as("outsider").post(
        "/meeting-proposals", {"committee_id": world.amu.pk, "title": "Støy"}
    )
    assert outsider.status_code == 404


def test_a_read_token_cannot_write(api_as, world, meeting):
    response = api_as("secretary", scope="read").post(
        "/meeting-cases", {"committee_id": world.amu.pk, "title": "x"}
    )
    assert response.status_code == 403

"""/safety-rounds: list, status, detail and answers from devices, role by role."""

from __future__ import annotations

import uuid

import pytest

from trygg.api.tests.conftest import ids
from trygg.safety_rounds.models import Answer
from trygg.safety_rounds.tests.factories import YEAR, answer_all, make_round

pytestmark = pytest.mark.django_db

READERS = ["leader", "safety_rep", "hms", "bht", "admin"]


@pytest.mark.parametrize("persona", READERS)
def test_readers_list_and_read_the_round(world, api_as, persona):
    round_ = make_round(world)
    api = api_as(persona, scope="read")
    assert ids(api.get("/safety-rounds", year=YEAR)) == {round_.pk}
    detail = api.get(f"/safety-rounds/{round_.pk}")
    assert detail.status_code == 200
    body = detail.json()
    assert body["unit"]["name"] == "Solbakken sykehjem"
    assert {p["role"] for p in body["participants"]} == {"leader", "safety_rep"}
    assert body["checklist"]["format"] == "trygg-checklist/1"


@pytest.mark.parametrize("persona", ["employee", "colleague", "outsider"])
def test_others_never_see_the_round(world, api_as, persona):
    round_ = make_round(world)
    api = api_as(persona)
    assert api.get(f"/safety-rounds/{round_.pk}").status_code == 404
    response = api.post(
        f"/safety-rounds/{round_.pk}/answers",
        {"answers": [{"id": str(uuid.uuid4()), "question": "q1", "value": "ok"}]},
    )
    assert response.status_code == 404
    assert not Answer.objects.exists()
    listed = api.get("/safety-rounds", year=YEAR)
    assert listed.status_code == 200 and round_.pk not in ids(listed)


def test_participants_send_answers_once_and_readers_may_not(world, api_as):
    round_ = make_round(world)
    body = {"answers": [{"id": str(uuid.uuid4()), "question": "q1", "value": "deviation"}]}
    first = api_as("leader").post(f"/safety-rounds/{round_.pk}/answers", body)
    again = api_as("safety_rep").post(f"/safety-rounds/{round_.pk}/answers", body)
    assert [r["status"] for r in first.json()] == ["saved"]
    assert [r["status"] for r in again.json()] == ["duplicate"]
    assert api_as("hms").post(f"/safety-rounds/{round_.pk}/answers", body).status_code == 403
    assert (
        api_as("leader", scope="read").post(f"/safety-rounds/{round_.pk}/answers", body).status_code
        == 403
    )
    assert Answer.objects.count() == 1


def test_the_status_counts_rounds_done_and_overdue(world, api_as):
    from trygg.safety_rounds import services

    done = make_round(world)
    make_round(world, world.kindergarten)
    answer_all(done)
    services.sign_round(actor=None, round_=done, person=world.leader.person)
    services.sign_round(actor=None, round_=done, person=world.safety_rep.person)
    body = api_as("hms").get("/safety-rounds/status", year=YEAR).json()
    assert (body["total"]["total"], body["total"]["done"]) == (2, 1)
    assert {a["label"] for a in body["areas"]} == {"Helse og omsorg", "Oppvekst"}
    leader = api_as("leader").get("/safety-rounds/status", year=YEAR).json()
    assert leader["total"]["total"] == 1  # only the leader's own units

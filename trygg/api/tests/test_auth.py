"""Who gets in: personal tokens by scope, the browser session with CSRF, and nobody else."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from trygg.accounts.models import ApiToken
from trygg.accounts.services import revoke_api_token
from trygg.api.tests.conftest import PREFIX, Api, ids, token
from trygg.org.models import Unit
from trygg.org.tests import factories as f


def new_unit(world) -> dict:
    return {"name": "Hjemmetjenesten", "parent_id": world.health.pk}


def test_it_answers_401_without_credentials(world):
    api = Api(Client())
    for response in (api.get("/units"), api.post("/units", new_unit(world))):
        assert response.status_code == 401
        assert response["WWW-Authenticate"].startswith("Bearer")
        assert response.json()["detail"]
    assert not Unit.objects.filter(name="Hjemmetjenesten").exists()


@pytest.mark.parametrize(
    "header",
    ["Bearer trygg_not-a-token", "Bearer ", "Basic YWRtaW46cGFzc29yZA==", "trygg_no_scheme"],
)
def test_it_answers_401_for_a_bad_authorization_header(world, header):
    response = Client().get(
        PREFIX + "/units", headers={"Authorization": header, "Accept-Language": "en"}
    )
    assert response.status_code == 401
    assert response.json() == {"detail": "The API token is invalid, expired or revoked."}


def test_it_answers_401_for_a_revoked_token(world):
    secret = token(world.admin)
    revoke_api_token(token=ApiToken.objects.get(user=world.admin))
    assert Api(Client(), secret).get("/units").status_code == 401


def test_it_answers_401_for_an_expired_token(world):
    secret = token(world.admin)  # valid for 30 days
    assert Api(Client(), secret).get("/units").status_code == 200
    with time_machine.travel(timezone.now() + dt.timedelta(days=31)):
        assert Api(Client(), secret).get("/units").status_code == 401


def test_it_answers_401_for_the_token_of_a_deactivated_user(world):
    secret = token(world.admin)
    world.admin.is_active = False
    world.admin.save()
    assert Api(Client(), secret).get("/units").status_code == 401


def test_it_judges_a_request_by_its_token_even_with_a_session(world):
    client = Client()
    client.force_login(world.admin)
    response = client.get(PREFIX + "/units", headers={"Authorization": "Bearer trygg_wrong"})
    assert response.status_code == 401


def test_it_acts_as_the_tokens_user(world, api_as):
    # The employee sees only herself; the admin sees everyone.
    assert ids(api_as("employee").get("/people")) == {world.employee.person.pk}
    assert world.leader.person.pk in ids(api_as("admin").get("/people"))


def test_it_records_when_a_token_was_last_used(world):
    secret = token(world.leader, "read")
    Api(Client(), secret).get("/units")
    assert ApiToken.objects.get(user=world.leader).last_used_at is not None


@pytest.mark.parametrize("persona", ["admin", "hr"])
def test_it_refuses_writes_with_a_read_token_even_for_an_admin(world, api_as, persona):
    api = api_as(persona, scope="read")
    assert api.get(f"/units/{world.health.pk}").status_code == 200
    created = api.post("/units", new_unit(world))
    changed = api.patch(f"/units/{world.health.pk}", {"name": "Omdøpt"})
    for response in (created, changed):
        assert response.status_code == 403
        assert "only read" in response.json()["detail"]
    assert not Unit.objects.filter(name="Hjemmetjenesten").exists()
    world.health.refresh_from_db()
    assert world.health.name == "Helse og omsorg"


def test_it_allows_writes_with_a_write_token(world, api_as):
    response = api_as("admin", scope="write").post("/units", new_unit(world))
    assert response.status_code == 201
    assert Unit.objects.filter(name="Hjemmetjenesten", parent=world.health).exists()


def test_it_accepts_the_browser_session(world, session_as):
    response = session_as("leader").get(f"/units/{world.nursing_home.pk}")
    assert response.status_code == 200
    assert response.json()["name"] == "Solbakken sykehjem"


def test_it_needs_a_csrf_token_for_session_writes(world, session_as):
    api = session_as("admin", enforce_csrf_checks=True)
    refused = api.post("/units", new_unit(world))
    assert refused.status_code == 403
    assert "CSRF" in refused.json()["detail"]
    assert not Unit.objects.filter(name="Hjemmetjenesten").exists()

    api.client.get("/")  # sets the csrftoken cookie, as any page does
    csrf = api.client.cookies["csrftoken"].value
    accepted = api.client.post(
        PREFIX + "/units",
        new_unit(world),
        content_type="application/json",
        headers={"X-CSRFToken": csrf},
    )
    assert accepted.status_code == 201


def test_it_needs_no_csrf_token_with_an_api_token(world, api_as):
    api = api_as("admin")
    api.client = Client(enforce_csrf_checks=True)
    assert api.post("/units", new_unit(world)).status_code == 201


def test_it_answers_404_to_a_user_without_an_organisation(world):
    lonely = f.make_user(None, "lonely")
    for api in (Api(Client(), token(lonely)), _session(lonely)):
        for path in (
            "/units",
            f"/units/{world.top.pk}",
            "/people",
            f"/people/{world.admin.person.pk}",
            "/committees",
            f"/committees/{world.amu.pk}",
        ):
            response = api.get(path)
            assert response.status_code == 404, path
            assert response.json() == {"detail": "Not found."}
        assert api.post("/units", {"name": "X"}).status_code == 404
        assert api.post("/people", {"first_name": "A", "last_name": "B"}).status_code == 404


def _session(user) -> Api:
    client = Client()
    client.force_login(user)
    return Api(client)

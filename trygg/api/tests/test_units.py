"""/units: list, detail, create and change, role by role."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from trygg.api.tests.conftest import MEMBERS, PERSONAS, ids
from trygg.org.models import Unit
from trygg.org.tests import factories as f

EDITORS = {"admin", "hr"}


@pytest.mark.parametrize("persona", MEMBERS)
def test_it_lists_the_organisations_units_to_every_member(world, api_as, persona):
    response = api_as(persona, scope="read").get("/units")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 6
    assert [u["name"] for u in body["items"][:3]] == [
        "Testkommune",
        "Helse og omsorg",
        "Solbakken sykehjem",
    ]
    assert body["items"][1] == {
        "id": world.health.pk,
        "name": "Helse og omsorg",
        "code": "2000",
        "kind": "area",
        "parent_id": world.top.pk,
        "depth": 1,
        "is_active": True,
    }


def test_it_never_lists_another_organisations_units(world, api_as):
    listed = ids(api_as("outsider").get("/units"))
    assert listed
    assert not Unit.objects.filter(pk__in=listed, organisation=world.org).exists()
    assert ids(api_as("outsider").get("/units", q="Solbakken")) == set()
    assert ids(api_as("outsider").get("/units", parent=world.health.pk)) == set()


def test_it_filters_units_by_parent_and_text(world, api_as):
    api = api_as("employee")
    assert ids(api.get("/units", parent=world.health.pk)) == {world.nursing_home.pk}
    assert ids(api.get("/units", q="barnehage")) == {world.kindergarten.pk}
    assert ids(api.get("/units", q="2110")) == {world.ward.pk}  # the exact unit code


def test_it_pages_units(world, api_as):
    api = api_as("employee")
    first = api.get("/units", page_size=4).json()
    second = api.get("/units", page_size=4, page=2).json()
    assert first["count"] == second["count"] == 6
    assert len(first["items"]) == 4 and len(second["items"]) == 2
    capped = api.get("/units", page_size=1000)
    assert capped.status_code == 200


def test_it_lists_units_in_a_constant_number_of_queries(world, api_as):
    api = api_as("employee", scope="read")

    def count_queries() -> int:
        cache.clear()  # count the cold request: cached figures are computed again
        with CaptureQueriesContext(connection) as queries:
            assert api.get("/units").status_code == 200
        return len(queries)

    for i in range(5):
        f.make_unit(world.org, f"Enhet {i}", parent=world.school_area)
    api.get("/units")  # the token's first use records when it was used
    few = count_queries()
    for i in range(45):
        f.make_unit(world.org, f"Avdeling {i}", parent=world.kindergarten)
    assert Unit.objects.filter(organisation=world.org).count() == 56
    assert count_queries() == few


@pytest.mark.parametrize("persona", PERSONAS)
def test_it_shows_a_unit_to_members_only(world, api_as, persona):
    response = api_as(persona, scope="read").get(f"/units/{world.nursing_home.pk}")
    if persona == "outsider":
        assert response.status_code == 404
        assert response.json() == {"detail": "Not found."}
        return
    assert response.status_code == 200
    body = response.json()
    assert body["ancestor_ids"] == [world.top.pk, world.health.pk]
    assert body["leaders"] == [
        {
            "id": world.leader.person.pk,
            "first_name": "Lars",
            "last_name": "Leder",
            "full_name": "Lars Leder",
        }
    ]
    # leader and safety rep here, the employee in the ward below
    assert (body["direct_headcount"], body["headcount"]) == (2, 3)
    assert body["has_children"] is True


def test_it_answers_404_for_a_unit_that_does_not_exist(world, api_as):
    assert api_as("admin").get("/units/999999").status_code == 404


@pytest.mark.parametrize("persona", PERSONAS)
def test_it_lets_only_editors_create_units(world, api_as, persona):
    response = api_as(persona).post(
        "/units", {"name": "Hjemmetjenesten", "parent_id": world.health.pk, "code": "2200"}
    )
    created = Unit.objects.filter(name="Hjemmetjenesten")
    if persona in EDITORS:
        assert response.status_code == 201
        unit = created.get()
        assert (unit.parent, unit.organisation, unit.code) == (world.health, world.org, "2200")
        assert response.json()["id"] == unit.pk
        assert response.json()["ancestor_ids"] == [world.top.pk, world.health.pk]
    elif persona == "outsider":
        # An administrator elsewhere: the parent is not among their choices.
        assert response.status_code == 422
        assert set(response.json()["errors"]) == {"parent_id"}
        assert not created.exists()
    else:
        assert response.status_code == 403
        assert not created.exists()


def test_it_lets_hr_with_a_subtree_grant_create_only_below_it(world, api_as):
    from trygg.org.models import RoleGrant

    local_hr = f.make_user(world.org, "local_hr")
    f.grant(local_hr, RoleGrant.Role.HR, unit=world.health)
    api = api_as(local_hr)
    assert (
        api.post("/units", {"name": "Under", "parent_id": world.nursing_home.pk}).status_code == 201
    )
    assert (
        api.post("/units", {"name": "Beside", "parent_id": world.school_area.pk}).status_code == 403
    )
    assert api.post("/units", {"name": "Top"}).status_code == 403
    # nor may a unit be moved out of the subtree, to the top level or elsewhere
    assert api.patch(f"/units/{world.ward.pk}", {"parent_id": None}).status_code == 403
    moved = api.patch(f"/units/{world.ward.pk}", {"parent_id": world.school_area.pk})
    assert moved.status_code == 403
    world.ward.refresh_from_db()
    assert world.ward.parent == world.nursing_home


@pytest.mark.parametrize("persona", PERSONAS)
def test_it_lets_only_editors_change_units(world, api_as, persona):
    response = api_as(persona).patch(f"/units/{world.nursing_home.pk}", {"name": "Solgløtt"})
    world.nursing_home.refresh_from_db()
    if persona in EDITORS:
        assert response.status_code == 200
        assert response.json()["name"] == "Solgløtt"
        # fields left out keep their values
        assert (world.nursing_home.code, world.nursing_home.parent) == ("2100", world.health)
        assert world.nursing_home.name == "Solgløtt"
        return
    assert response.status_code == (404 if persona == "outsider" else 403)
    assert world.nursing_home.name == "Solbakken sykehjem"


def test_it_moves_a_unit_with_its_subtree(world, api_as):
    response = api_as("admin").patch(
        f"/units/{world.nursing_home.pk}", {"parent_id": world.school_area.pk}
    )
    assert response.status_code == 200
    assert response.json()["ancestor_ids"] == [world.top.pk, world.school_area.pk]
    world.ward.refresh_from_db()
    assert world.ward.ancestor_ids() == [
        world.top.pk,
        world.school_area.pk,
        world.nursing_home.pk,
        world.ward.pk,
    ]


@pytest.mark.parametrize("target", ["itself", "its own subunit"])
def test_it_refuses_to_move_a_unit_under_itself(world, api_as, target):
    parent = world.nursing_home if target == "itself" else world.ward
    response = api_as("admin").patch(
        f"/units/{world.nursing_home.pk}", {"parent_id": parent.pk, "name": "Flyttet"}
    )
    assert response.status_code == 422
    body = response.json()
    assert body["errors"] == {
        "parent_id": ["A unit cannot be placed under itself or one of its own subunits."]
    }
    world.nursing_home.refresh_from_db()
    assert (world.nursing_home.parent, world.nursing_home.name) == (
        world.health,
        "Solbakken sykehjem",
    )


def test_it_reports_invalid_unit_fields_in_the_users_language(world, api_as):
    body = {"name": "", "kind": "galaxy", "parent_id": world.health.pk}
    english = api_as("admin", language="en").post("/units", body)
    assert english.status_code == 422
    assert english.json()["errors"] == {
        "name": ["This field cannot be blank."],
        "kind": ["Value 'galaxy' is not a valid choice."],
    }
    bokmal = api_as("admin", language="nb").post("/units", body).json()
    assert bokmal["errors"]["name"] == ["Feltet kan ikke være blankt."]
    nynorsk = api_as("admin", language="nn").post("/units", body).json()
    assert nynorsk["errors"]["name"] == ["Feltet kan ikkje vere tomt."]
    assert not Unit.objects.filter(name="").exists()


def test_it_refuses_malformed_unit_requests(world, api_as):
    api = api_as("admin")
    response = api.post("/units", {"parent_id": "three", "colour": "blue"})
    assert response.status_code == 422
    assert response.json()["errors"] == {
        "name": ["This field is required."],
        "parent_id": ["Enter a whole number."],
        "colour": ["This field is unknown."],
    }
    nulled = api.patch(f"/units/{world.ward.pk}", {"name": None})
    assert nulled.status_code == 422
    assert nulled.json()["errors"] == {"name": ["This field cannot be null."]}
    broken = api.client.post(
        "/api/v1/units",
        "{not json",
        content_type="application/json",
        headers={"Authorization": f"Bearer {api.secret}", "Accept-Language": "en"},
    )
    assert broken.status_code == 400
    assert broken.json() == {"detail": "The request body is not valid JSON."}


def test_it_refuses_a_duplicate_unit_code(world, api_as):
    response = api_as("admin").post("/units", {"name": "Kopi", "code": "2100"})
    assert response.status_code == 422
    assert response.json()["errors"]["code"]
    assert not Unit.objects.filter(name="Kopi").exists()

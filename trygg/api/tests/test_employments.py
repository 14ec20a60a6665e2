"""/people/{id}/employments and /employments/{id}: register and change positions."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from trygg.api.tests.conftest import PERSONAS
from trygg.org.models import Employment, RoleGrant
from trygg.org.tests import factories as f

EDITORS = {"admin", "hr"}
READERS = {"admin", "hr", "hms", "leader", "safety_rep"}  # of a person in the ward


@pytest.fixture
def tina(world):
    """Half a position in the ward."""
    return f.make_person(world.org, "Tina", "Turnus", unit=world.ward, percent="50")


def position(world, **changes) -> dict:
    return {"unit_id": world.ward.pk, "position_percent": 40, "start_date": "2025-01-01", **changes}


@pytest.mark.parametrize("persona", PERSONAS)
def test_it_lets_only_hr_and_admins_register_employments(world, api_as, tina, persona):
    response = api_as(persona).post(f"/people/{tina.pk}/employments", position(world))
    count = tina.employments.count()
    if persona in EDITORS:
        assert response.status_code == 201
        new = tina.employments.get(position_percent=Decimal("40"))
        assert response.json() == {
            "id": new.pk,
            "person_id": tina.pk,
            "unit": {"id": world.ward.pk, "name": "Avdeling A"},
            "title": "",
            "position_percent": 40.0,
            "employment_type": "permanent",
            "start_date": "2025-01-01",
            "end_date": None,
            "is_leader": False,
        }
        assert count == 2
        return
    assert response.status_code == (403 if persona in READERS else 404)
    assert count == 1


@pytest.mark.parametrize("persona", PERSONAS)
def test_it_lets_only_hr_and_admins_change_employments(world, api_as, tina, persona):
    employment = tina.employments.get()
    response = api_as(persona).patch(f"/employments/{employment.pk}", {"title": "Sykepleier"})
    employment.refresh_from_db()
    if persona in EDITORS:
        assert response.status_code == 200
        assert response.json()["title"] == "Sykepleier"
        assert (employment.title, employment.position_percent) == ("Sykepleier", Decimal("50"))
        return
    assert response.status_code == (403 if persona in READERS else 404)
    assert employment.title == "Rådgiver"


def test_it_ends_an_employment(world, api_as, tina):
    api = api_as("hr")
    employment = tina.employments.get()
    response = api.patch(f"/employments/{employment.pk}", {"end_date": "2024-12-31"})
    assert response.status_code == 200
    assert response.json()["end_date"] == "2024-12-31"
    assert api.get(f"/people/{tina.pk}").json()["current_employments"] == []
    reopened = api.patch(f"/employments/{employment.pk}", {"end_date": None})
    assert reopened.json()["end_date"] is None


def test_it_refuses_a_position_of_150_percent(world, api_as, tina):
    response = api_as("hr").post(
        f"/people/{tina.pk}/employments", position(world, position_percent=150)
    )
    assert response.status_code == 422
    assert response.json()["errors"] == {
        "position_percent": ["The position percentage must be more than 0 and at most 100."]
    }
    assert tina.employments.count() == 1


def test_it_refuses_positions_that_add_up_to_more_than_100_percent(world, api_as, tina):
    response = api_as("hr").post(
        f"/people/{tina.pk}/employments", position(world, position_percent="60")
    )
    assert response.status_code == 422
    [message] = response.json()["errors"]["position_percent"]
    assert "Tina Turnus" in message and "110" in message
    assert tina.employments.count() == 1


def test_it_refuses_an_end_before_the_start(world, api_as, tina):
    api = api_as("hr")
    created = api.post(f"/people/{tina.pk}/employments", position(world, end_date="2024-12-31"))
    assert created.status_code == 422
    assert created.json()["errors"] == {"end_date": ["The end date is before the start date."]}
    assert tina.employments.count() == 1

    employment = tina.employments.get()
    changed = api.patch(f"/employments/{employment.pk}", {"end_date": "2019-12-31"})
    assert changed.status_code == 422
    assert set(changed.json()["errors"]) == {"end_date"}
    employment.refresh_from_db()
    assert employment.end_date is None


def test_it_refuses_changes_that_break_the_rules_and_saves_nothing(world, api_as, tina):
    employment = tina.employments.get()
    response = api_as("admin").patch(
        f"/employments/{employment.pk}", {"position_percent": "150", "title": "Ny tittel"}
    )
    assert response.status_code == 422
    assert set(response.json()["errors"]) == {"position_percent"}
    employment.refresh_from_db()
    assert (employment.position_percent, employment.title) == (Decimal("50"), "Rådgiver")


def test_it_offers_only_the_organisations_active_units(world, api_as, tina):
    from trygg.org import services

    api = api_as("admin")
    services.update_unit(
        actor=None,
        unit=world.kindergarten,
        name=world.kindergarten.name,
        kind=world.kindergarten.kind,
        code=world.kindergarten.code,
        parent=world.school_area,
        is_active=False,
    )
    other = f.make_unit(world.other_org, "Nabo")
    for unit in (world.kindergarten, other):
        response = api.post(f"/people/{tina.pk}/employments", position(world, unit_id=unit.pk))
        assert response.status_code == 422
        assert set(response.json()["errors"]) == {"unit_id"}
    assert tina.employments.count() == 1


def test_it_lets_hr_employ_only_in_the_units_of_their_grant(world, api_as, tina):
    local_hr = f.make_user(world.org, "local_hr")
    f.grant(local_hr, RoleGrant.Role.HR, unit=world.health)
    api = api_as(local_hr)
    elsewhere = api.post(
        f"/people/{tina.pk}/employments", position(world, unit_id=world.kindergarten.pk)
    )
    assert elsewhere.status_code == 403
    assert elsewhere.json() == {"detail": "You may not register employments in this unit."}
    moved = api.patch(
        f"/employments/{tina.employments.get().pk}", {"unit_id": world.kindergarten.pk}
    )
    assert moved.status_code == 403
    assert tina.employments.get().unit == world.ward
    here = api.post(f"/people/{tina.pk}/employments", position(world))
    assert here.status_code == 201


def test_it_refuses_an_unknown_employment_type(world, api_as, tina):
    response = api_as("hr").post(
        f"/people/{tina.pk}/employments",
        position(world, employment_type="forever", start_date="01.01.2025"),
    )
    assert response.status_code == 422
    assert response.json()["errors"] == {"start_date": ["Enter a valid date."]}
    response = api_as("hr").post(
        f"/people/{tina.pk}/employments", position(world, employment_type="forever")
    )
    assert response.status_code == 422
    assert set(response.json()["errors"]) == {"employment_type"}
    assert not Employment.objects.filter(employment_type="forever").exists()
    assert tina.employments.get().start_date == dt.date(2020, 1, 1)

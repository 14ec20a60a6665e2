"""/people: list, detail, create and change, role by role."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from trygg.api.tests.conftest import PERSONAS, ids
from trygg.org import services
from trygg.org.models import Person
from trygg.org.tests import factories as f

READERS_OF_EMPLOYEE = {"admin", "hr", "hms", "leader", "safety_rep", "employee"}
EDITORS = {"admin", "hr"}


def test_it_lists_the_people_each_role_may_see(world, api_as):
    def listed(persona: str) -> set[int]:
        return ids(api_as(persona, scope="read").get("/people"))

    everyone_employed = set(
        Person.objects.filter(organisation=world.org, employments__isnull=False).values_list(
            "pk", flat=True
        )
    )
    assert listed("admin") == listed("hr") == listed("hms") == everyone_employed
    assert listed("leader") == {
        world.leader.person.pk,
        world.safety_rep.person.pk,
        world.employee.person.pk,
    }
    assert listed("employee") == {world.employee.person.pk}
    assert listed("colleague") == {world.colleague.person.pk}


def test_it_never_lists_another_organisations_people(world, api_as):
    listed = ids(api_as("outsider").get("/people", include_former=True))
    assert listed == {world.outsider.person.pk}
    assert not Person.objects.filter(pk__in=listed, organisation=world.org).exists()


def test_it_lists_people_with_their_current_employments(world, api_as):
    body = api_as("leader").get("/people", q="Ansatt").json()
    assert body["count"] == 1
    [eva] = body["items"]
    employment = world.employee.person.employments.get()
    assert eva == {
        "id": world.employee.person.pk,
        "first_name": "Eva",
        "last_name": "Ansatt",
        "full_name": "Eva Ansatt",
        "employee_number": world.employee.person.employee_number,
        "email": "",
        "phone": "",
        "is_external": False,
        "current_employments": [
            {
                "id": employment.pk,
                "person_id": world.employee.person.pk,
                "unit": {"id": world.ward.pk, "name": "Avdeling A"},
                "title": "Rådgiver",
                "position_percent": 100.0,
                "employment_type": "permanent",
                "start_date": "2020-01-01",
                "end_date": None,
                "is_leader": False,
            }
        ],
    }


def test_it_filters_people_by_unit_and_former_employees(world, api_as):
    former = f.make_person(
        world.org, "Fredrik", "Før", unit=world.ward, start_date=dt.date(2019, 1, 1)
    )
    services.end_employment(
        actor=None, employment=former.employments.get(), end_date=dt.date(2019, 12, 31)
    )
    api = api_as("hr")
    here_and_below = {world.leader.person.pk, world.safety_rep.person.pk, world.employee.person.pk}
    assert ids(api.get("/people", unit=world.nursing_home.pk)) == here_and_below
    assert ids(api.get("/people", unit=world.nursing_home.pk, subunits=False)) == {
        world.leader.person.pk,
        world.safety_rep.person.pk,
    }
    assert former.pk not in ids(api.get("/people"))
    assert former.pk in ids(api.get("/people", include_former=True))
    assert ids(api.get("/people", unit=world.ward.pk, include_former=True)) == {
        world.employee.person.pk,
        former.pk,
    }


def test_it_refuses_a_unit_filter_from_another_organisation(world, api_as):
    response = api_as("outsider").get("/people", unit=world.ward.pk)
    assert response.status_code == 422
    assert set(response.json()["errors"]) == {"unit"}


def test_it_lists_people_in_a_constant_number_of_queries(world, api_as):
    api = api_as("hr", scope="read")
    api.get("/people")  # the token's first use records when it was used

    def count_queries() -> int:
        with CaptureQueriesContext(connection) as queries:
            response = api.get("/people", unit=world.ward.pk, page_size=100)
            assert response.status_code == 200
        return len(queries), response.json()["count"]

    for i in range(4):
        f.make_person(world.org, f"Person{i}", "Få", unit=world.ward)
    few, count = count_queries()
    assert count == 5
    for i in range(45):
        f.make_person(world.org, f"Person{i}", "Mange", unit=world.ward, percent="50")
    many, count = count_queries()
    assert count == 50
    assert many == few


@pytest.mark.parametrize("persona", PERSONAS)
def test_it_shows_a_person_to_those_who_may_see_them(world, api_as, persona):
    employee = world.employee.person
    response = api_as(persona, scope="read").get(f"/people/{employee.pk}")
    if persona not in READERS_OF_EMPLOYEE:
        assert response.status_code == 404
        assert response.json() == {"detail": "Not found."}
        return
    assert response.status_code == 200
    body = response.json()
    assert body["full_name"] == "Eva Ansatt"
    assert [e["unit"]["id"] for e in body["employments"]] == [world.ward.pk]
    assert body["current_employments"] == body["employments"]


def test_it_shows_ended_employments_in_the_detail_only(world, api_as):
    person = world.employee.person
    services.end_employment(
        actor=None, employment=person.employments.get(), end_date=dt.date(2021, 6, 30)
    )
    services.add_employment(
        actor=None,
        person=person,
        unit=world.nursing_home,
        position_percent=Decimal("80"),
        start_date=dt.date(2021, 7, 1),
    )
    body = api_as("hr").get(f"/people/{person.pk}").json()
    assert [e["unit"]["id"] for e in body["employments"]] == [world.nursing_home.pk, world.ward.pk]
    assert body["employments"][1]["end_date"] == "2021-06-30"
    assert [e["unit"]["id"] for e in body["current_employments"]] == [world.nursing_home.pk]


@pytest.mark.parametrize("persona", PERSONAS)
def test_it_lets_only_hr_and_admins_create_people(world, api_as, persona):
    body = {"first_name": "Nina", "last_name": "Ny", "employee_number": "77", "email": "nina@x.no"}
    response = api_as(persona).post("/people", body)
    created = Person.objects.filter(first_name="Nina", last_name="Ny")
    if persona in EDITORS:
        assert response.status_code == 201
        person = created.get()
        assert person.organisation == world.org
        assert response.json()["id"] == person.pk
        assert response.json()["employments"] == []
    elif persona == "outsider":
        # An administrator of the other organisation creates people there, never here.
        assert response.status_code == 201
        assert created.get().organisation == world.other_org
    else:
        assert response.status_code == 403
        assert not created.exists()


@pytest.mark.parametrize("persona", PERSONAS)
def test_it_lets_only_hr_and_admins_change_people(world, api_as, persona):
    employee = world.employee.person
    response = api_as(persona).patch(f"/people/{employee.pk}", {"phone": "900 00 000"})
    employee.refresh_from_db()
    if persona in EDITORS:
        assert response.status_code == 200
        assert response.json()["phone"] == "900 00 000"
        assert (employee.phone, employee.first_name) == ("900 00 000", "Eva")
        return
    assert response.status_code == (403 if persona in READERS_OF_EMPLOYEE else 404)
    assert employee.phone == ""


def test_it_reports_invalid_person_fields_and_saves_nothing(world, api_as):
    employee = world.employee.person
    taken = world.leader.person.employee_number
    api = api_as("hr")
    response = api.patch(f"/people/{employee.pk}", {"first_name": "", "email": "not-an-email"})
    assert response.status_code == 422
    assert response.json()["errors"] == {
        "first_name": ["This field cannot be blank."],
        "email": ["Enter a valid email address."],
    }
    duplicate = api.post("/people", {"first_name": "A", "last_name": "B", "employee_number": taken})
    assert duplicate.status_code == 422
    assert duplicate.json()["errors"]["employee_number"]
    missing = api.post("/people", {"first_name": "A"})
    assert missing.json()["errors"] == {"last_name": ["This field is required."]}
    employee.refresh_from_db()
    assert (employee.first_name, employee.email) == ("Eva", "")
    assert not Person.objects.filter(first_name="A").exists()

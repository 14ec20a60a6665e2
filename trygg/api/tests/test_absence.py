"""/absence/statistics and /absence/cases/{id}, role by role."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from trygg.absence.models import FollowUpCase
from trygg.absence.tests.factories import make_spell
from trygg.api.tests.conftest import MEMBERS
from trygg.audit.models import AuditEntry
from trygg.org.tests import factories as f

D = dt.date
FIELDS = {
    "agreed_workdays",
    "lost_workdays",
    "percent",
    "percent_self_certified",
    "percent_doctor_certified",
    "percent_short_term",
    "percent_long_term",
    "persons",
    "masked",
}


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(dt.datetime(2025, 3, 1, 12, 0), tick=False):
        yield


@pytest.fixture
def sick(world):
    make_spell(world.employee.person, D(2025, 1, 6), D(2025, 4, 30))
    return FollowUpCase.objects.get(person=world.employee.person)


def stats(api, unit, **extra):
    return api.get(
        "/absence/statistics", unit=unit.pk, **{"from": "2025-01-01", "to": "2025-03-31", **extra}
    )


@pytest.mark.parametrize("persona", MEMBERS)
def test_it_serves_statistics_to_every_member(world, api_as, sick, persona):
    response = stats(api_as(persona, scope="read"), world.top)
    assert response.status_code == 200
    assert set(response.json()) >= FIELDS


def test_it_masks_a_small_unit_for_those_who_may_not_see_its_people(world, api_as, sick):
    body = stats(api_as("safety_rep", scope="read"), world.nursing_home).json()
    assert body["masked"] and body["percent"] is None and body["persons"] == 3
    assert body["agreed_workdays"] is None
    body = stats(api_as("leader", scope="read"), world.nursing_home).json()
    assert not body["masked"] and body["percent"] is not None


def test_it_computes_the_figures_as_the_pages_do(world, api_as, sick):
    for n in range(3):
        f.make_person(world.org, f"P{n}", "Q", unit=world.ward)
    body = stats(api_as("hr", scope="read"), world.ward, subunits="false").json()
    # 4 people at 100 % in the ward, 63 workdays; the employee is away from 6 January: 61 days.
    assert body["agreed_workdays"] == "252.00" and body["lost_workdays"] == "61.00"
    assert body["percent"] == "24.2" and body["percent_long_term"] == "24.2"
    assert body["percent_short_term"] == "0.0" and body["vacation_subtracted"] is False


def test_it_refuses_another_organisations_unit_and_bad_periods(world, api_as, sick):
    assert stats(api_as("outsider", scope="read"), world.top).status_code == 422
    bad = api_as("hr", scope="read").get(
        "/absence/statistics", unit=world.top.pk, **{"from": "2025-03-01", "to": "2025-01-01"}
    )
    assert bad.status_code == 422
    assert (
        api_as("hr", scope="read").get("/absence/statistics", unit=world.top.pk).status_code == 422
    )


@pytest.mark.parametrize("persona", ["employee", "leader", "hr"])
def test_it_serves_a_case_with_its_milestones_to_the_employee_leader_and_hr(
    world, api_as, sick, persona
):
    response = api_as(persona, scope="read").get(f"/absence/cases/{sick.pk}")
    assert response.status_code == 200
    milestones = {m["code"]: m["due_date"] for m in response.json()["milestones"]}
    assert milestones["follow_up_plan"] == "2025-02-02"
    assert milestones["dialogue_meeting_1"] == "2025-02-23"
    assert milestones["activity_requirement"] == "2025-03-02"
    assert milestones["dialogue_meeting_2"] == "2025-07-06"
    assert milestones["plan_to_nav"] == "2025-06-29"
    assert milestones["notice_39_weeks"] == "2025-10-06"
    assert milestones["employer_period_end"] == "2025-01-21"
    assert milestones["max_date"] == "2026-01-02"
    assert (
        AuditEntry.objects.filter(
            action=AuditEntry.Action.READ, object_type="absence.followupcase"
        ).count()
        == 1
    )


@pytest.mark.parametrize(
    "persona", ["admin", "hms", "safety_rep", "colleague", "amu_member", "outsider"]
)
def test_it_hides_cases_from_everyone_else(world, api_as, sick, persona):
    assert api_as(persona, scope="read").get(f"/absence/cases/{sick.pk}").status_code == 404

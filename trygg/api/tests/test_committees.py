"""/committees: list, detail with members by side, and the yearly constitution."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from trygg.api.tests.conftest import MEMBERS, PERSONAS, ids
from trygg.org import services
from trygg.org.models import Committee, CommitteeMember, CommitteeYear
from trygg.org.tests import factories as f

# The world's committee members serve 2025 and 2026.
IN_2026 = time_machine.travel(dt.datetime(2026, 3, 1, 12, 0, tzinfo=dt.UTC))
CONSTITUTERS = {"admin", "hms", "secretary"}


def membership(world, user) -> CommitteeMember:
    return world.amu.members.get(person=user.person)


@IN_2026
@pytest.mark.parametrize("persona", MEMBERS)
def test_it_lists_committees_to_every_member(world, api_as, persona):
    response = api_as(persona, scope="read").get("/committees")
    assert response.status_code == 200
    assert response.json() == {
        "items": [
            {
                "id": world.amu.pk,
                "name": "AMU Helse og omsorg",
                "kind": "amu",
                "unit": {"id": world.health.pk, "name": "Helse og omsorg"},
                "parent_id": None,
                "is_active": True,
                "member_count": 1,
            }
        ],
        "count": 1,
    }


def test_it_never_lists_another_organisations_committees(world, api_as):
    own = f.make_committee(world.other_org, world.other_org.units.get(), name="AMU Nabo")
    assert ids(api_as("outsider").get("/committees")) == {own.pk}


def test_it_lists_committees_in_a_constant_number_of_queries(world, api_as):
    api = api_as("employee", scope="read")
    api.get("/committees")  # the token's first use records when it was used

    def count_queries() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert api.get("/committees").status_code == 200
        return len(queries)

    people = [f.make_person(world.org, f"P{i}", "Medlem") for i in range(3)]

    def add_committees(n: int) -> None:
        for i in range(n):
            committee = f.make_committee(
                world.org, world.school_area, Committee.Kind.LAMU, f"L-AMU {i}", parent=world.amu
            )
            for person in people:
                f.make_member(committee, person)

    add_committees(4)
    few = count_queries()
    add_committees(45)
    assert Committee.objects.filter(organisation=world.org).count() == 50
    assert count_queries() == few


@IN_2026
@pytest.mark.parametrize("persona", PERSONAS)
def test_it_shows_a_committee_to_members_of_the_organisation(world, api_as, persona):
    response = api_as(persona, scope="read").get(f"/committees/{world.amu.pk}")
    if persona == "outsider":
        assert response.status_code == 404
        return
    assert response.status_code == 200
    body = response.json()
    assert (body["year"], body["constitution"], body["chair_side_due"]) == (2026, None, None)
    members = body["members"]
    assert [m["person"]["full_name"] for m in members["employee"]] == ["Arne Medlem"]
    assert members["employee"][0]["has_vote"] is True
    assert [(m["person"]["full_name"], m["office"]) for m in members["employer"]] == [
        ("Siri Sekretær", "secretary")
    ]
    assert members["bht"] == []


@IN_2026
@pytest.mark.parametrize("persona", PERSONAS)
def test_it_lets_the_secretary_hms_and_admins_constitute(world, api_as, persona):
    chair = membership(world, world.amu_member)
    response = api_as(persona).post(
        f"/committees/{world.amu.pk}/constitution", {"chair_id": chair.pk}
    )
    recorded = CommitteeYear.objects.filter(committee=world.amu)
    if persona in CONSTITUTERS:
        assert response.status_code == 201
        assert response.json()["year"] == 2026
        assert response.json()["chair"]["id"] == chair.pk
        assert response.json()["constituted_on"] == "2026-03-01"
        assert recorded.get().chair == chair
        return
    assert response.status_code == (404 if persona == "outsider" else 403)
    assert not recorded.exists()


@IN_2026
def test_it_shows_the_years_constitution_and_whose_turn_it_is(world, api_as):
    employer = f.make_member(world.amu, world.hms.person, CommitteeMember.Side.EMPLOYER)
    services.constitute_committee(
        actor=None,
        committee=world.amu,
        year=2025,
        chair=membership(world, world.amu_member),
        deputy_chair=employer,
        constituted_on=dt.date(2025, 2, 1),
    )
    api = api_as("hms")
    assert api.get(f"/committees/{world.amu.pk}").json()["chair_side_due"] == "employer"
    created = api.post(
        f"/committees/{world.amu.pk}/constitution",
        {
            "chair_id": employer.pk,
            "deputy_chair_id": membership(world, world.amu_member).pk,
            "constituted_on": "2026-02-15",
        },
    )
    assert created.status_code == 201
    body = api.get(f"/committees/{world.amu.pk}").json()
    assert body["constitution"]["chair"]["person"]["full_name"] == "Hanne Koordinator"
    assert body["constitution"]["deputy_chair"]["person"]["full_name"] == "Arne Medlem"
    assert body["constitution"]["chair_side"] == "employer"
    assert body["constitution"]["constituted_on"] == "2026-02-15"


@IN_2026
def test_it_refuses_a_chair_from_the_wrong_side_without_a_reason(world, api_as):
    f.make_member(world.amu, world.hms.person, CommitteeMember.Side.EMPLOYER)
    employee_side = membership(world, world.amu_member)
    services.constitute_committee(
        actor=None,
        committee=world.amu,
        year=2025,
        chair=employee_side,
        deputy_chair=None,
        constituted_on=dt.date(2025, 2, 1),
    )
    api = api_as("secretary")
    url = f"/committees/{world.amu.pk}/constitution"
    refused = api.post(url, {"chair_id": employee_side.pk})
    assert refused.status_code == 422
    [message] = refused.json()["errors"]["deviation_reason"]
    assert "employer side" in message and "2026" in message
    assert not CommitteeYear.objects.filter(committee=world.amu, year=2026).exists()

    reason = "Arbeidsgiversiden har ingen som kan lede i år."
    accepted = api.post(url, {"chair_id": employee_side.pk, "deviation_reason": reason})
    assert accepted.status_code == 201
    assert CommitteeYear.objects.get(committee=world.amu, year=2026).deviation_reason == reason


@IN_2026
def test_it_offers_only_the_committees_current_voting_members(world, api_as):
    other = f.make_committee(world.org, world.school_area, name="AMU Oppvekst")
    stranger = f.make_member(other, world.colleague.person, CommitteeMember.Side.EMPLOYEE)
    adviser = f.make_member(world.amu, world.bht.person, CommitteeMember.Side.BHT)
    secretary = membership(world, world.secretary)
    api = api_as("admin")
    url = f"/committees/{world.amu.pk}/constitution"
    for chair in (stranger, adviser, secretary):
        response = api.post(url, {"chair_id": chair.pk})
        assert response.status_code == 422
        assert set(response.json()["errors"]) == {"chair_id"}
    chair = membership(world, world.amu_member)
    same = api.post(url, {"chair_id": chair.pk, "deputy_chair_id": chair.pk})
    assert same.json()["errors"] == {
        "deputy_chair_id": ["The deputy chair must be another person than the chair."]
    }
    too_early = api.post(url, {"chair_id": chair.pk, "year": 1999})
    assert too_early.json()["errors"] == {
        "year": ["Ensure this value is greater than or equal to 2000."]
    }
    assert not CommitteeYear.objects.exists()

"""Who sees and handles which deviation: reporter, leader of the unit and of another unit,
verneombud of the area and of another area, HMS coordinator, another organisation."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from trygg.deviations import access
from trygg.deviations.models import Deviation
from trygg.deviations.tests.factories import listed_ids, make_deviation
from trygg.org import services as org_services
from trygg.org.models import SafetyRepresentative
from trygg.org.tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def others(world):
    """A leader of the kindergarten and the verneombud of the school area."""
    kg_leader = f.make_user(world.org, "kg_leader")
    f.make_person(
        world.org, "Kine", "Barnehageleder", user=kg_leader, unit=world.kindergarten, is_leader=True
    )
    school_rep = f.make_user(world.org, "school_rep")
    person = f.make_person(
        world.org, "Sverre", "Skoleombud", user=school_rep, unit=world.kindergarten
    )
    area = f.make_safety_area(world.org, [world.school_area, world.kindergarten], "Oppvekst")
    org_services.appoint_safety_representative(
        actor=None,
        person=person,
        role=SafetyRepresentative.Role.REPRESENTATIVE,
        area=area,
        start_date=dt.date(2025, 1, 1),
        end_date=dt.date(2099, 12, 31),
    )
    return {"kg_leader": kg_leader, "school_rep": school_rep}


READ = {
    "employee": 200,
    "leader": 200,
    "safety_rep": 200,
    "hms": 200,
    "kg_leader": 404,
    "school_rep": 404,
    "outsider": 404,
    "colleague": 404,
    "bht": 404,
}
WRITE = {
    "employee": 403,
    "leader": 302,
    "safety_rep": 403,
    "hms": 302,
    "kg_leader": 404,
    "school_rep": 404,
    "outsider": 404,
}


def _user(world, others, name):  # type: ignore[no-untyped-def]
    return others.get(name) or getattr(world, name)


@pytest.mark.parametrize("persona,status", READ.items())
def test_the_case_page_per_role(client, world, others, persona, status):
    deviation = make_deviation(world)
    client.force_login(_user(world, others, persona))
    assert client.get(deviation.get_absolute_url()).status_code == status


@pytest.mark.parametrize("persona,status", WRITE.items())
def test_starting_the_handling_per_role(client, world, others, persona, status):
    deviation = make_deviation(world)
    client.force_login(_user(world, others, persona))
    response = client.post(
        reverse("deviations:root_cause", args=[deviation.pk]), {"root_cause": "Dårlig rutine"}
    )
    assert response.status_code == status
    deviation.refresh_from_db()
    changed = deviation.status == Deviation.Status.IN_PROGRESS
    assert changed is (status == 302)


@pytest.mark.parametrize(
    "persona,count",
    [
        ("leader", 2),
        ("safety_rep", 2),
        ("hms", 3),
        ("kg_leader", 1),
        ("school_rep", 1),
        ("employee", 0),
    ],
)
def test_the_handling_list_shows_each_role_its_cases(client, world, others, persona, count):
    make_deviation(world)  # ward, in the health area
    make_deviation(world, unit=world.nursing_home, reporter="colleague")
    make_deviation(world, unit=world.kindergarten, reporter="colleague")
    client.force_login(_user(world, others, persona))
    response = client.get(reverse("deviations:list"))
    if count == 0:
        assert response.status_code == 404
        return
    assert response.status_code == 200
    assert len(listed_ids(response)) == count


def test_the_reporter_sees_their_own_case_elsewhere_but_not_others(world, others):
    mine = make_deviation(world, unit=world.kindergarten)
    theirs = make_deviation(world, unit=world.kindergarten, reporter="colleague")
    visible = set(access.visible_deviations(world.employee))
    assert mine in visible and theirs not in visible


def test_another_organisation_never_sees_a_case(client, world):
    from trygg.org.models import RoleGrant

    deviation = make_deviation(world)
    f.grant(world.outsider, RoleGrant.Role.HMS_COORDINATOR)  # HMS coordinator there
    client.force_login(world.outsider)
    assert not access.visible_deviations(world.outsider).exists()
    assert client.get(deviation.get_absolute_url()).status_code == 404
    assert listed_ids(client.get(reverse("deviations:list"))) == []
    url = reverse("deviations:root_cause", args=[deviation.pk])
    assert client.post(url, {"root_cause": "x"}).status_code == 404


def test_a_reassigned_handler_may_handle_outside_their_units(client, world, others):
    from trygg.deviations import services

    deviation = make_deviation(world)
    services.reassign_deviation(actor=world.hms, deviation=deviation, handler=others["kg_leader"])
    client.force_login(others["kg_leader"])
    assert client.get(deviation.get_absolute_url()).status_code == 200
    assert access.can_handle(others["kg_leader"], deviation)

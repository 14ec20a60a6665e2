"""The write pages: valid input saves through the service, invalid input explains and saves nothing."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from trygg.org.models import CommitteeMember, SafetyArea, SafetyRepresentative, Unit
from trygg.org.tests import factories as f

EN = {"Accept-Language": "en"}


def test_it_adds_a_committee_member_for_two_years(client, world):
    client.force_login(world.hms)
    response = client.post(
        reverse("org:member_create", args=[world.amu.pk]),
        {
            "person": world.leader.person.pk,
            "side": "employer",
            "office": "member",
            "start_date": "01.01.2026",
        },
    )
    assert response.status_code == 302
    member = world.amu.members.get(person=world.leader.person)
    assert member.end_date == dt.date(2027, 12, 31)


def test_it_appoints_a_safety_representative(client, world):
    area = SafetyArea.objects.get(organisation=world.org)
    client.force_login(world.hms)
    response = client.post(
        reverse("org:safety_rep_create", args=[area.pk]),
        {
            "person": world.employee.person.pk,
            "role": "deputy",
            "start_date": "01.02.2026",
            "end_date": "",
        },
    )
    assert response.status_code == 302
    term = SafetyRepresentative.objects.get(person=world.employee.person)
    assert (term.role, term.end_date) == ("deputy", dt.date(2028, 1, 31))


def test_it_explains_the_chair_rule_on_the_constitution_form(client, world):
    employer = f.make_member(world.amu, world.leader.person, CommitteeMember.Side.EMPLOYER)
    client.force_login(world.secretary)
    first = {"year": "2025", "chair": employer.pk, "constituted_on": "20.01.2025"}
    assert client.post(reverse("org:constitute", args=[world.amu.pk]), first).status_code == 302
    again = {"year": "2026", "chair": employer.pk, "constituted_on": "20.01.2026"}
    response = client.post(reverse("org:constitute", args=[world.amu.pk]), again, headers=EN)
    assert response.status_code == 200
    assert "turn to chair in 2026" in str(response.context["form"].errors["deviation_reason"])
    assert not world.amu.years.filter(year=2026).exists()
    again["deviation_reason"] = "Arbeidstakersiden stilte ingen kandidat."
    assert client.post(reverse("org:constitute", args=[world.amu.pk]), again).status_code == 302


def test_it_refuses_to_move_a_unit_under_its_own_subunit(client, world):
    client.force_login(world.admin)
    response = client.post(
        reverse("org:unit_edit", args=[world.health.pk]),
        {
            "name": "Helse",
            "code": "2000",
            "kind": "area",
            "parent": world.ward.pk,
            "is_active": "on",
        },
        headers=EN,
    )
    assert response.status_code == 200
    assert "under itself" in str(response.context["form"].errors["parent"])
    world.health.refresh_from_db()
    assert world.health.parent_id == world.top.pk


def test_it_escapes_html_in_names(client, world):
    client.force_login(world.admin)
    client.post(
        reverse("org:unit_create"),
        {
            "name": "<script>alert(1)</script>",
            "code": "",
            "kind": "unit",
            "parent": world.top.pk,
            "is_active": "on",
        },
    )
    unit = Unit.objects.get(name="<script>alert(1)</script>")
    page = client.get(reverse("org:unit_detail", args=[unit.pk])).content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_it_explains_an_impossible_position_on_the_employment_form(client, world):
    client.force_login(world.hr)
    response = client.post(
        reverse("org:employment_create", args=[world.employee.person.pk]),
        {
            "unit": world.kindergarten.pk,
            "position_percent": "150",
            "employment_type": "permanent",
            "start_date": "01.01.2026",
        },
        headers=EN,
    )
    assert response.status_code == 200
    assert "position_percent" in response.context["form"].errors
    assert world.employee.person.employments.count() == 1

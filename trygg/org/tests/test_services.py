"""The organisation's use cases: tree moves, employment rules, terms and the chair rule."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from trygg.audit.models import AuditEntry
from trygg.org import services
from trygg.org.models import CommitteeMember, Unit
from trygg.org.tests import factories as f

EMPLOYER = CommitteeMember.Side.EMPLOYER
EMPLOYEE = CommitteeMember.Side.EMPLOYEE


def test_it_builds_materialised_paths(world):
    assert world.ward.path.startswith(world.nursing_home.path)
    assert world.ward.depth == 3
    subtree = Unit.objects.filter(path__startswith=world.health.path)
    assert set(subtree) == {world.health, world.nursing_home, world.ward}


def test_it_moves_a_subtree_in_one_transaction(world):
    services.update_unit(
        actor=world.admin,
        unit=world.nursing_home,
        name="Solbakken",
        kind=Unit.Kind.UNIT,
        code="2100",
        parent=world.school_area,
    )
    world.ward.refresh_from_db()
    world.nursing_home.refresh_from_db()
    assert world.nursing_home.path.startswith(world.school_area.path)
    assert world.ward.path.startswith(world.nursing_home.path)
    assert world.ward.depth == 3
    assert world.ward.ancestor_ids() == [
        world.top.pk,
        world.school_area.pk,
        world.nursing_home.pk,
        world.ward.pk,
    ]


@pytest.mark.parametrize("target", ["nursing_home", "ward"])
def test_it_refuses_to_put_a_unit_under_itself(world, target):
    with pytest.raises(ValidationError) as error:
        services.update_unit(
            actor=None,
            unit=world.nursing_home,
            name="X",
            kind=Unit.Kind.UNIT,
            code="",
            parent=getattr(world, target),
        )
    assert "parent" in error.value.message_dict
    world.nursing_home.refresh_from_db()
    assert world.nursing_home.parent_id == world.health.pk


def test_it_refuses_a_parent_from_another_organisation(world):
    foreign = Unit.objects.get(organisation=world.other_org)
    with pytest.raises(ValidationError):
        services.create_unit(actor=None, organisation=world.org, name="X", parent=foreign)


@pytest.mark.parametrize("percent", ["0", "-5", "150", "100.01"])
def test_it_refuses_impossible_position_percentages(world, percent):
    person = f.make_person(world.org, "Per", "Prosent")
    with pytest.raises(ValidationError) as error:
        services.add_employment(
            actor=None,
            person=person,
            unit=world.ward,
            position_percent=Decimal(percent),
            start_date=dt.date(2024, 1, 1),
        )
    assert "position_percent" in error.value.message_dict
    assert not person.employments.exists()


def test_it_refuses_an_end_before_the_start(world):
    person = f.make_person(world.org, "Per", "Dato")
    with pytest.raises(ValidationError) as error:
        services.add_employment(
            actor=None,
            person=person,
            unit=world.ward,
            position_percent=Decimal("50"),
            start_date=dt.date(2024, 5, 1),
            end_date=dt.date(2024, 4, 30),
        )
    assert "end_date" in error.value.message_dict


def test_it_refuses_positions_above_100_percent_at_once(world):
    person = world.employee.person  # 100 % in the ward since 2020
    with pytest.raises(ValidationError) as error:
        services.add_employment(
            actor=None,
            person=person,
            unit=world.kindergarten,
            position_percent=Decimal("20"),
            start_date=dt.date(2025, 1, 1),
        )
    assert "100" in error.value.message_dict["position_percent"][0]


def test_it_allows_two_part_time_positions(world):
    person = f.make_person(world.org, "Delt", "Stilling", unit=world.ward, percent="60")
    services.add_employment(
        actor=None,
        person=person,
        unit=world.kindergarten,
        position_percent=Decimal("40"),
        start_date=dt.date(2024, 1, 1),
    )
    assert person.employments.count() == 2


def test_it_ends_employments_instead_of_deleting(world):
    employment = world.employee.person.employments.get()
    services.end_employment(actor=world.hr, employment=employment, end_date=dt.date(2026, 6, 30))
    employment.refresh_from_db()
    assert employment.end_date == dt.date(2026, 6, 30)
    entry = AuditEntry.objects.filter(object_type="org.employment", action="update").latest("id")
    assert entry.actor == world.hr
    assert entry.changes == {"before": {"end_date": None}, "after": {"end_date": "2026-06-30"}}


def test_it_gives_terms_two_years_by_default(world):
    member = services.add_committee_member(
        actor=None,
        committee=world.amu,
        person=world.leader.person,
        side=EMPLOYER,
        start_date=dt.date(2026, 1, 1),
    )
    assert member.end_date == dt.date(2027, 12, 31)


def _members(world):
    employer = f.make_member(world.amu, world.leader.person, EMPLOYER)
    employee = world.amu.members.get(person=world.amu_member.person)
    return employer, employee


def test_it_lets_the_sides_choose_the_first_chair(world):
    employer, _employee = _members(world)
    assert services.chair_side_due(world.amu, 2025) is None
    services.constitute_committee(
        actor=None,
        committee=world.amu,
        year=2025,
        chair=employer,
        deputy_chair=None,
        constituted_on=dt.date(2025, 1, 20),
    )
    assert services.chair_side_due(world.amu, 2026) == EMPLOYEE  # rules.md §4.5


def test_it_refuses_a_chair_from_the_wrong_side_without_a_reason(world):
    employer, employee = _members(world)
    services.constitute_committee(
        actor=None,
        committee=world.amu,
        year=2025,
        chair=employer,
        deputy_chair=employee,
        constituted_on=dt.date(2025, 1, 20),
    )
    with pytest.raises(ValidationError) as error:
        services.constitute_committee(
            actor=None,
            committee=world.amu,
            year=2026,
            chair=employer,
            deputy_chair=employee,
            constituted_on=dt.date(2026, 1, 20),
        )
    assert "deviation_reason" in error.value.message_dict
    assert not world.amu.years.filter(year=2026).exists()


def test_it_accepts_a_chair_from_the_wrong_side_with_a_reason(world):
    employer, employee = _members(world)
    services.constitute_committee(
        actor=None,
        committee=world.amu,
        year=2025,
        chair=employer,
        deputy_chair=None,
        constituted_on=dt.date(2025, 1, 20),
    )
    record = services.constitute_committee(
        actor=None,
        committee=world.amu,
        year=2026,
        chair=employer,
        deputy_chair=employee,
        constituted_on=dt.date(2026, 1, 20),
        deviation_reason="Arbeidstakersiden ønsket ikke ledervervet.",
    )
    assert record.chair_side == EMPLOYER
    assert services.chair_side_due(world.amu, 2027) == EMPLOYEE


def test_it_refuses_the_bht_as_chair(world):
    bht_member = services.add_committee_member(
        actor=None,
        committee=world.amu,
        person=world.bht.person,
        side=CommitteeMember.Side.BHT,
        start_date=dt.date(2025, 1, 1),
    )
    with pytest.raises(ValidationError) as error:
        services.constitute_committee(
            actor=None,
            committee=world.amu,
            year=2026,
            chair=bht_member,
            deputy_chair=None,
            constituted_on=dt.date(2026, 1, 20),
        )
    assert "chair" in error.value.message_dict


def test_it_refuses_a_second_constitution_for_the_same_year(world):
    employer, _employee = _members(world)
    services.constitute_committee(
        actor=None,
        committee=world.amu,
        year=2026,
        chair=employer,
        deputy_chair=None,
        constituted_on=dt.date(2026, 1, 20),
    )
    with pytest.raises(ValidationError) as error:
        services.constitute_committee(
            actor=None,
            committee=world.amu,
            year=2026,
            chair=employer,
            deputy_chair=None,
            constituted_on=dt.date(2026, 2, 20),
        )
    assert "year" in error.value.message_dict


def test_it_audits_every_write_with_before_and_after(world):
    services.update_person(actor=world.hr, person=world.employee.person, first_name="Evy")
    entry = AuditEntry.objects.filter(object_type="org.person", action="update").latest("id")
    assert entry.changes == {"before": {"first_name": "Eva"}, "after": {"first_name": "Evy"}}
    assert entry.actor_name == "hr"
    assert entry.organisation_id == world.org.pk


def test_it_keeps_the_audit_log_append_only(world):
    entry = AuditEntry.objects.first()
    with pytest.raises(TypeError):
        entry.save()
    with pytest.raises(TypeError):
        entry.delete()
    with pytest.raises(TypeError):
        AuditEntry.objects.all().delete()
    with pytest.raises(TypeError):
        AuditEntry.objects.update(action="read")


def test_it_refuses_a_deputy_chair_without_a_vote(world):
    employer, _employee = _members(world)
    secretary = world.amu.members.get(person=world.secretary.person)
    with pytest.raises(ValidationError) as error:
        services.constitute_committee(
            actor=None,
            committee=world.amu,
            year=2026,
            chair=employer,
            deputy_chair=secretary,
            constituted_on=dt.date(2026, 1, 20),
        )
    assert "deputy_chair" in error.value.message_dict


@pytest.mark.parametrize("field", ["code", "employee_number"])
def test_it_explains_a_duplicate_code_on_its_field(world, field):
    with pytest.raises(ValidationError) as error:
        if field == "code":
            services.create_unit(
                actor=None, organisation=world.org, name="Kopi", code=world.ward.code
            )
        else:
            services.create_person(
                actor=None,
                organisation=world.org,
                first_name="Kopi",
                last_name="Person",
                employee_number=world.employee.person.employee_number,
            )
    assert field in error.value.message_dict


def test_it_lets_subtree_hr_complete_a_new_persons_registration(client, world):
    from django.urls import reverse

    from trygg.org.models import RoleGrant

    hr_user = f.make_user(world.org, "hr_health")
    f.grant(hr_user, RoleGrant.Role.HR, world.health)
    client.force_login(hr_user)
    response = client.post(
        reverse("org:person_create"), {"first_name": "Ny", "last_name": "Ansatt"}
    )
    assert response.status_code == 302
    person = world.org.people.get(first_name="Ny")
    response = client.post(
        reverse("org:employment_create", args=[person.pk]),
        {
            "unit": world.ward.pk,
            "position_percent": "80",
            "employment_type": "permanent",
            "start_date": "01.12.2026",
        },
    )
    assert response.status_code == 302
    assert person.employments.get().unit == world.ward
    # ...but not place a unit of theirs at the top of the tree.
    response = client.post(
        reverse("org:unit_edit", args=[world.ward.pk]),
        {
            "name": "Avdeling A",
            "code": "2110",
            "kind": "department",
            "parent": "",
            "is_active": "on",
        },
    )
    assert response.status_code == 403

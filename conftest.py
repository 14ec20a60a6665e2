"""Shared fixtures: a small organisation tree with one persona per role (STYLE.md, Tests)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest

from trygg.accounts.models import Organisation, User
from trygg.org.models import Committee, CommitteeMember, RoleGrant, SafetyRepresentative, Unit
from trygg.org.tests import factories as f


@dataclass
class World:
    org: Organisation
    top: Unit
    health: Unit  # kommunalområde
    nursing_home: Unit
    ward: Unit  # avdeling under the nursing home
    school_area: Unit
    kindergarten: Unit
    amu: Committee
    # personas
    admin: User
    hms: User
    hr: User
    bht: User
    leader: User  # leads the nursing home (and the ward under it)
    safety_rep: User  # verneombud for the health area
    employee: User  # works in the ward
    secretary: User  # AMU secretary
    amu_member: User
    colleague: User  # works in the kindergarten: an outsider to the nursing home
    other_org: Organisation
    outsider: User  # administrator of another organisation


@pytest.fixture
def world(db) -> World:
    org = f.make_organisation("Testkommune")
    top = f.make_unit(org, "Testkommune", kind=Unit.Kind.TOP, code="1000")
    health = f.make_unit(org, "Helse og omsorg", parent=top, kind=Unit.Kind.AREA, code="2000")
    nursing_home = f.make_unit(org, "Solbakken sykehjem", parent=health, code="2100")
    ward = f.make_unit(
        org, "Avdeling A", parent=nursing_home, kind=Unit.Kind.DEPARTMENT, code="2110"
    )
    school_area = f.make_unit(org, "Oppvekst", parent=top, kind=Unit.Kind.AREA, code="3000")
    kindergarten = f.make_unit(org, "Lia barnehage", parent=school_area, code="3100")

    def persona(username: str, first: str, last: str, unit: Unit | None, **kw) -> User:
        user = f.make_user(org, username)
        user.first_name, user.last_name = first, last
        user.save()
        f.make_person(org, first, last, user=user, unit=unit, **kw)
        return user

    admin = persona("admin", "Ada", "Admin", top)
    hms = persona("hms", "Hanne", "Koordinator", top)
    hr = persona("hr", "Harald", "Personal", top)
    bht = persona("bht", "Berit", "Bedriftshelse", None)
    leader = persona("leader", "Lars", "Leder", nursing_home, is_leader=True)
    safety_rep = persona("safety_rep", "Vera", "Verneombud", nursing_home)
    employee = persona("employee", "Eva", "Ansatt", ward)
    secretary = persona("secretary", "Siri", "Sekretær", top)
    amu_member = persona("amu_member", "Arne", "Medlem", health)
    colleague = persona("colleague", "Kåre", "Kollega", kindergarten)

    f.grant(admin, RoleGrant.Role.ADMIN)
    f.grant(hms, RoleGrant.Role.HMS_COORDINATOR)
    f.grant(hr, RoleGrant.Role.HR)
    f.grant(bht, RoleGrant.Role.BHT)

    area = f.make_safety_area(org, [health, nursing_home, ward], "Helse og omsorg")
    from trygg.org import services

    services.appoint_safety_representative(
        actor=None,
        person=safety_rep.person,
        role=SafetyRepresentative.Role.REPRESENTATIVE,
        area=area,
        start_date=dt.date(2025, 1, 1),
        end_date=dt.date(2099, 12, 31),
    )
    amu = f.make_committee(org, health, Committee.Kind.AMU, "AMU Helse og omsorg")
    f.make_member(amu, amu_member.person, CommitteeMember.Side.EMPLOYEE)
    f.make_member(
        amu, secretary.person, CommitteeMember.Side.EMPLOYER, CommitteeMember.Office.SECRETARY
    )

    other_org = f.make_organisation("Nabokommune")
    other_top = f.make_unit(other_org, "Nabokommune", kind=Unit.Kind.TOP)
    outsider = f.make_user(other_org, "outsider")
    f.make_person(other_org, "Otto", "Utenfor", user=outsider, unit=other_top)
    f.grant(outsider, RoleGrant.Role.ADMIN)

    return World(
        org=org,
        top=top,
        health=health,
        nursing_home=nursing_home,
        ward=ward,
        school_area=school_area,
        kindergarten=kindergarten,
        amu=amu,
        admin=admin,
        hms=hms,
        hr=hr,
        bht=bht,
        leader=leader,
        safety_rep=safety_rep,
        employee=employee,
        secretary=secretary,
        amu_member=amu_member,
        colleague=colleague,
        other_org=other_org,
        outsider=outsider,
    )


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _empty_cache():
    """Cached figures are keyed by ids, which a new test database may reuse."""
    from django.core.cache import cache

    cache.clear()

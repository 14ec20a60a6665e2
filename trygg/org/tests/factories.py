"""Plain `make_<model>()` functions for tests; every write goes through the services."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal

from trygg.accounts.models import Organisation, User
from trygg.org import services
from trygg.org.models import (
    Committee,
    CommitteeMember,
    Employment,
    Person,
    RoleGrant,
    SafetyArea,
    Unit,
)

_seq = itertools.count(1)
START = dt.date(2020, 1, 1)


def make_organisation(name: str = "Testkommune") -> Organisation:
    n = next(_seq)
    return Organisation.objects.create(name=name, slug=f"org-{n}")


def make_user(
    organisation: Organisation | None, username: str | None = None, password: str = "passord-1234"
) -> User:
    user = User.objects.create_user(
        username=username or f"user{next(_seq)}",
        password=password,
        organisation=organisation,
        email=f"{username or 'user'}@example.no",
    )
    return user


def make_unit(
    organisation: Organisation,
    name: str = "Enhet",
    parent: Unit | None = None,
    kind: str = Unit.Kind.UNIT,
    code: str = "",
) -> Unit:
    return services.create_unit(
        actor=None, organisation=organisation, name=name, parent=parent, kind=kind, code=code
    )


def make_person(
    organisation: Organisation,
    first_name: str = "Kari",
    last_name: str = "Nordmann",
    *,
    user: User | None = None,
    unit: Unit | None = None,
    percent: str = "100",
    is_leader: bool = False,
    employee_number: str | None = None,
    start_date: dt.date = START,
) -> Person:
    person = services.create_person(
        actor=None,
        organisation=organisation,
        first_name=first_name,
        last_name=last_name,
        employee_number=employee_number if employee_number is not None else str(10000 + next(_seq)),
    )
    if user is not None:
        person.user = user
        person.save(update_fields=["user"])
    if unit is not None:
        services.add_employment(
            actor=None,
            person=person,
            unit=unit,
            position_percent=Decimal(percent),
            start_date=start_date,
            is_leader=is_leader,
            title="Leder" if is_leader else "Rådgiver",
            employment_type=Employment.Type.PERMANENT,
        )
    return person


def make_committee(
    organisation: Organisation,
    unit: Unit,
    kind: str = Committee.Kind.AMU,
    name: str = "AMU",
    parent: Committee | None = None,
) -> Committee:
    return services.create_committee(
        actor=None, organisation=organisation, kind=kind, name=name, unit=unit, parent=parent
    )


def make_member(
    committee: Committee,
    person: Person,
    side: str = CommitteeMember.Side.EMPLOYER,
    office: str = CommitteeMember.Office.MEMBER,
) -> CommitteeMember:
    return services.add_committee_member(
        actor=None,
        committee=committee,
        person=person,
        side=side,
        office=office,
        start_date=dt.date(2025, 1, 1),
    )


def make_safety_area(
    organisation: Organisation, units: list[Unit], name: str = "Verneområde"
) -> SafetyArea:
    return services.create_safety_area(
        actor=None, organisation=organisation, name=name, units=units
    )


def grant(user: User, role: str, unit: Unit | None = None) -> RoleGrant:
    return services.grant_role(
        actor=None, organisation=user.organisation, user=user, role=role, unit=unit
    )

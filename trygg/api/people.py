"""/people and /employments: people and their positions, as under /organisasjon/personer/.

Who may see whom is org/access.py's visible_people: HR, HMS and administrators for their grant,
leaders and safety representatives for their units, everyone for themselves.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from trygg.api.common import Input, Pagination, UnitRef, changes, choice, unit_choice
from trygg.api.errors import ERRORS, WRITE_ERRORS, field_names
from trygg.lib.typing import AnyUser
from trygg.org import access, queries, services
from trygg.org.models import Employment, Person, Unit

router = Router(tags=["people"])

EMPLOYMENT_TYPES = {"enum": list(Employment.Type.values)}


class EmploymentOut(Schema):
    id: int
    person_id: int
    unit: UnitRef
    title: str
    position_percent: float = Field(description="Stillingsprosent, more than 0 and at most 100.")
    employment_type: str = Field(json_schema_extra=EMPLOYMENT_TYPES)
    start_date: dt.date
    end_date: dt.date | None
    is_leader: bool = Field(description="Personnel responsibility for the unit and below.")


class PersonOut(Schema):
    id: int
    first_name: str
    last_name: str
    full_name: str
    employee_number: str
    email: str
    phone: str
    is_external: bool = Field(description="Not employed here, e.g. a BHT adviser.")
    current_employments: list[EmploymentOut]


class PersonDetailOut(PersonOut):
    employments: list[EmploymentOut] = Field(description="Every employment, the newest first.")

    @staticmethod
    def resolve_employments(obj: Person) -> list[Employment]:
        return obj.employment_history  # type: ignore[attr-defined]


class PersonIn(Input):
    first_name: str
    last_name: str
    employee_number: str = ""
    email: str = ""
    phone: str = ""
    is_external: bool = False


class PersonPatch(Input):
    first_name: str | None = None
    last_name: str | None = None
    employee_number: str | None = None
    email: str | None = None
    phone: str | None = None
    is_external: bool | None = None


class EmploymentIn(Input):
    unit_id: int
    position_percent: Decimal = Field(description="More than 0 and at most 100, e.g. 62.5.")
    start_date: dt.date
    end_date: dt.date | None = None
    title: str = ""
    employment_type: str = Field(Employment.Type.PERMANENT, json_schema_extra=EMPLOYMENT_TYPES)
    is_leader: bool = False


class EmploymentPatch(Input):
    unit_id: int | None = None
    position_percent: Decimal | None = None
    start_date: dt.date | None = None
    end_date: dt.date | None = Field(None, description="null: the employment has no end.")
    title: str | None = None
    employment_type: str | None = Field(None, json_schema_extra=EMPLOYMENT_TYPES)
    is_leader: bool | None = None


def _detail(person: Person) -> PersonDetailOut:
    employments = person.employments.select_related("unit")
    person.employment_history = list(employments.order_by("-start_date"))  # type: ignore[attr-defined]
    person.current_employments = list(employments.current().order_by("-start_date"))  # type: ignore[attr-defined]
    return PersonDetailOut.model_validate(person)


def _require_employer_in(user: AnyUser, unit: Unit) -> None:
    if not access.may_employ_in(user, unit):
        raise PermissionDenied(_("You may not register employments in this unit."))


@router.get("/people", response={200: list[PersonOut], **ERRORS})
@paginate(Pagination)
def list_people(
    request: HttpRequest,
    q: str = Query("", description="Words of the name, or the employee number."),
    unit: int | None = Query(None, description="Only people employed in this unit."),
    subunits: bool = Query(True, description="With `unit`: also people in its subunits."),
    include_former: bool = Query(False, description="Also people with no current employment."),
) -> QuerySet[Person]:
    """The people you may see, by last name, with their current employments."""
    access.require_member(request.user)
    in_unit = None
    if unit is not None:
        in_unit = choice(access.visible_units(request.user), unit, "unit")
    return queries.people_list(
        access.visible_people(request.user),
        text=q.strip()[:100],
        unit=in_unit,
        subunits=subunits,
        include_former=include_former,
    )


@router.get("/people/{person_id}", response={200: PersonDetailOut, **ERRORS})
def get_person(request: HttpRequest, person_id: int) -> PersonDetailOut:
    return _detail(access.get_person_for_user(request.user, person_id))


@router.post("/people", response={201: PersonDetailOut, **WRITE_ERRORS})
def create_person(request: HttpRequest, payload: PersonIn) -> Status[PersonDetailOut]:
    """HR and administrators. Add an employment next (POST /people/{id}/employments)."""
    access.require_person_creation(request.user)
    person = services.create_person(
        actor=request.user, organisation=request.user.organisation, **payload.model_dump()
    )
    return Status(201, _detail(person))


@router.patch("/people/{person_id}", response={200: PersonDetailOut, **WRITE_ERRORS})
def update_person(request: HttpRequest, person_id: int, payload: PersonPatch) -> PersonDetailOut:
    person = access.get_person_for_user(request.user, person_id, write=True)
    data = changes(payload)
    if data:
        person = services.update_person(actor=request.user, person=person, **data)
    return _detail(person)


@router.post("/people/{person_id}/employments", response={201: EmploymentOut, **WRITE_ERRORS})
def create_employment(
    request: HttpRequest, person_id: int, payload: EmploymentIn
) -> Status[Employment]:
    """Register a position in a unit you may employ in (HR for that unit, or an administrator)."""
    user = request.user
    person = access.get_person_for_user(user, person_id)
    access.require_person_creation(user)
    data = payload.model_dump()
    unit = unit_choice(user, data.pop("unit_id"), "unit_id", active_only=True)
    _require_employer_in(user, unit)
    with field_names(unit="unit_id"):
        employment = services.add_employment(actor=user, person=person, unit=unit, **data)
    return Status(201, employment)


@router.patch("/employments/{employment_id}", response={200: EmploymentOut, **WRITE_ERRORS})
def update_employment(
    request: HttpRequest, employment_id: int, payload: EmploymentPatch
) -> Employment:
    """Change or end an employment (set `end_date`); fields left out keep their value."""
    user = request.user
    employment = access.get_employment_for_user(user, employment_id, write=True)
    data = changes(payload, nullable=frozenset({"end_date"}))
    if "unit_id" in data:
        data["unit"] = unit_choice(user, data.pop("unit_id"), "unit_id", active_only=True)
    _require_employer_in(user, data.get("unit", employment.unit))
    if data:
        with field_names(unit="unit_id"):
            employment = services.update_employment(actor=user, employment=employment, **data)
    return employment

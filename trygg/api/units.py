"""/units: the organisation's units (enheter), as on the pages under /organisasjon/enheter/."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from trygg.api.common import Input, Pagination, PersonRef, changes, unit_choice
from trygg.api.errors import ERRORS, WRITE_ERRORS, field_names
from trygg.org import access, queries, services
from trygg.org.models import Unit
from trygg.org.queries import UnitNode

router = Router(tags=["units"])

KINDS = {"enum": list(Unit.Kind.values)}


class UnitOut(Schema):
    id: int
    name: str
    code: str = Field(description="The unit's number in the HR or payroll system.")
    kind: str = Field(json_schema_extra=KINDS)
    parent_id: int | None
    depth: int = Field(description="0 for a top-level unit.")
    is_active: bool


class UnitDetailOut(UnitOut):
    ancestor_ids: list[int] = Field(description="The units above this one, the top first.")
    leaders: list[PersonRef] = Field(description="People with personnel responsibility here.")
    headcount: int = Field(description="People currently employed here or in a subunit.")
    direct_headcount: int = Field(description="People currently employed in this unit itself.")
    has_children: bool


class UnitIn(Input):
    name: str
    kind: str = Field(Unit.Kind.UNIT, json_schema_extra=KINDS)
    code: str = ""
    parent_id: int | None = Field(None, description="Empty for a top-level unit.")


class UnitPatch(Input):
    name: str | None = None
    kind: str | None = Field(None, json_schema_extra=KINDS)
    code: str | None = None
    parent_id: int | None = Field(None, description="null moves the unit to the top level.")
    is_active: bool | None = None


def _detail(node: UnitNode) -> UnitDetailOut:
    unit = node.unit
    return UnitDetailOut(
        **UnitOut.model_validate(unit).model_dump(),
        ancestor_ids=unit.ancestor_ids()[:-1],
        leaders=[PersonRef.model_validate(person) for person in node.leaders],
        headcount=node.headcount,
        direct_headcount=node.direct_headcount,
        has_children=node.has_children,
    )


def _node(unit: Unit) -> UnitNode:
    return queries.build_nodes(unit.organisation_id, [unit])[0]


@router.get("/units", response={200: list[UnitOut], **ERRORS})
@paginate(Pagination)
def list_units(
    request: HttpRequest,
    parent: int | None = Query(None, description="Only the units directly under this unit."),
    q: str = Query("", description="Part of the name, or the exact unit code."),
) -> QuerySet[Unit]:
    """Units, in tree order; with `q`, the units whose name contains it or whose code is it."""
    access.require_member(request.user)
    units = access.visible_units(request.user)
    if parent is not None:
        units = units.filter(parent_id=parent)
    text = q.strip()[:100]
    if text:
        # The same match as queries.search_units, without its limit of 50, so it can page.
        return units.filter(Q(name__icontains=text) | Q(code__iexact=text)).order_by("name", "pk")
    return units.order_by("path")


@router.get("/units/{unit_id}", response={200: UnitDetailOut, **ERRORS})
def get_unit(request: HttpRequest, unit_id: int) -> UnitDetailOut:
    unit = access.get_unit_for_user(request.user, unit_id)
    return _detail(_node(unit))


@router.post("/units", response={201: UnitDetailOut, **WRITE_ERRORS})
def create_unit(request: HttpRequest, payload: UnitIn) -> Status[UnitDetailOut]:
    """Administrators anywhere; HR under the units their grant covers."""
    user = request.user
    access.require_unit_editor(user)
    parent = None
    if payload.parent_id is not None:
        parent = unit_choice(user, payload.parent_id, "parent_id")
    access.require_unit_creation(user, parent)
    with field_names(parent="parent_id"):
        unit = services.create_unit(
            actor=user,
            organisation=user.organisation,
            name=payload.name,
            parent=parent,
            kind=payload.kind,
            code=payload.code,
        )
    return Status(201, _detail(_node(unit)))


@router.patch("/units/{unit_id}", response={200: UnitDetailOut, **WRITE_ERRORS})
def update_unit(request: HttpRequest, unit_id: int, payload: UnitPatch) -> UnitDetailOut:
    """Rename, move (`parent_id`) or deactivate a unit; fields left out keep their value."""
    user = request.user
    unit = access.get_unit_for_user(user, unit_id, write=True)
    data = changes(payload, nullable=frozenset({"parent_id"}))
    parent = unit.parent
    if "parent_id" in data:
        new_parent_id = data["parent_id"]
        parent = None if new_parent_id is None else unit_choice(user, new_parent_id, "parent_id")
        if new_parent_id != unit.parent_id:
            # Moving a unit is creating it again somewhere else: the same right is needed there.
            access.require_unit_creation(user, parent)
    with field_names(parent="parent_id"):
        unit = services.update_unit(
            actor=user,
            unit=unit,
            name=data.get("name", unit.name),
            kind=data.get("kind", unit.kind),
            code=data.get("code", unit.code),
            parent=parent,
            is_active=data.get("is_active", unit.is_active),
        )
    return _detail(_node(unit))

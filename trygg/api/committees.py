"""/committees: AMU, HAMU and L-AMU with their members and yearly constitution (konstituering).

The chair alternates yearly between the employer and employee sides (AML § 7-1, FOLM § 3-12);
org.services.constitute_committee enforces it, here as on the page.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from trygg.api.common import Input, Pagination, PersonRef, UnitRef, choice
from trygg.api.errors import ERRORS, WRITE_ERRORS, field_names
from trygg.lib.dates import today
from trygg.org import access, queries, services
from trygg.org.models import Committee, CommitteeMember, CommitteeYear

router = Router(tags=["committees"])

COMMITTEE_KINDS = {"enum": list(Committee.Kind.values)}
SIDES = {"enum": list(CommitteeMember.Side.values)}
OFFICES = {"enum": list(CommitteeMember.Office.values)}


class CommitteeOut(Schema):
    id: int
    name: str
    kind: str = Field(json_schema_extra=COMMITTEE_KINDS)
    unit: UnitRef = Field(description="The part of the organisation the committee covers.")
    parent_id: int | None = Field(description="The committee this one reports to.")
    is_active: bool


class CommitteeListOut(CommitteeOut):
    member_count: int = Field(description="Current members (not deputies or secretaries).")


class MemberOut(Schema):
    id: int
    person: PersonRef
    side: str = Field(json_schema_extra=SIDES)
    office: str = Field(json_schema_extra=OFFICES)
    has_vote: bool
    start_date: dt.date
    end_date: dt.date | None


class MembersBySide(Schema):
    employer: list[MemberOut]
    employee: list[MemberOut]
    bht: list[MemberOut] = Field(description="The occupational health service, without vote.")


class ConstitutionOut(Schema):
    year: int
    chair: MemberOut
    deputy_chair: MemberOut | None
    chair_side: str = Field(json_schema_extra=SIDES)
    deviation_reason: str = Field(description="Why the chair is not from the side due.")
    constituted_on: dt.date


class CommitteeDetailOut(CommitteeOut):
    year: int = Field(description="This year, which `constitution` and `chair_side_due` are for.")
    members: MembersBySide = Field(description="Current members by side.")
    constitution: ConstitutionOut | None = Field(description="This year's, if recorded.")
    chair_side_due: str | None = Field(
        json_schema_extra=SIDES,
        description="The side whose turn it is to chair this year; null in the first year.",
    )


class ConstitutionIn(Input):
    year: int | None = Field(None, ge=2000, le=2100, description="This year if left out.")
    chair_id: int = Field(description="A current voting member of the committee.")
    deputy_chair_id: int | None = Field(None, description="A current voting member.")
    constituted_on: dt.date | None = Field(None, description="Today if left out.")
    deviation_reason: str = Field(
        "", description="Required when the chair is not from the side whose turn it is."
    )


def _detail(committee: Committee) -> CommitteeDetailOut:
    year = today().year
    members = queries.committee_members(committee)
    constitution = queries.constitution(committee, year)
    return CommitteeDetailOut(
        **CommitteeOut.model_validate(committee).model_dump(),
        year=year,
        members=MembersBySide(
            **{
                side: [MemberOut.model_validate(m) for m in members if m.side == side]
                for side in CommitteeMember.Side.values
            }
        ),
        constitution=ConstitutionOut.model_validate(constitution) if constitution else None,
        chair_side_due=services.chair_side_due(committee, year),
    )


@router.get("/committees", response={200: list[CommitteeListOut], **ERRORS})
@paginate(Pagination)
def list_committees(request: HttpRequest) -> QuerySet[Committee]:
    access.require_member(request.user)
    return queries.committees_with_counts(access.visible_committees(request.user))


@router.get("/committees/{committee_id}", response={200: CommitteeDetailOut, **ERRORS})
def get_committee(request: HttpRequest, committee_id: int) -> CommitteeDetailOut:
    return _detail(access.get_committee_for_user(request.user, committee_id))


@router.post(
    "/committees/{committee_id}/constitution", response={201: ConstitutionOut, **WRITE_ERRORS}
)
def constitute_committee(
    request: HttpRequest, committee_id: int, payload: ConstitutionIn
) -> Status[CommitteeYear]:
    """Record the year's chair and deputy chair: the committee's secretary, HMS or an admin."""
    committee = access.get_committee_to_constitute(request.user, committee_id)
    # The choices the page's form offers: current voting members of this committee.
    voting = (
        committee.members.current()
        .filter(office=CommitteeMember.Office.MEMBER)
        .exclude(side=CommitteeMember.Side.BHT)
        .select_related("person")
    )
    chair = choice(voting, payload.chair_id, "chair_id")
    deputy = None
    if payload.deputy_chair_id is not None:
        deputy = choice(voting, payload.deputy_chair_id, "deputy_chair_id")
    with field_names(chair="chair_id", deputy_chair="deputy_chair_id"):
        record = services.constitute_committee(
            actor=request.user,
            committee=committee,
            year=payload.year or today().year,
            chair=chair,
            deputy_chair=deputy,
            constituted_on=payload.constituted_on or today(),
            deviation_reason=payload.deviation_reason,
        )
    return Status(201, record)

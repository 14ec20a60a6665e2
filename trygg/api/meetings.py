"""/meetings and /meeting-cases: committee meetings, their agendas and minutes, as on the pages
under /moter/. The same access rules and services as the pages: members of a committee read,
its secretary (and HMS coordinators, administrators) write, the chair approves the minutes,
anyone in the organisation sends a case to a committee's secretary."""

from __future__ import annotations

import datetime as dt

from django.db.models import F, QuerySet
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from trygg.api.common import Input, Pagination, choice
from trygg.api.errors import ERRORS, WRITE_ERRORS, field_names
from trygg.meetings import access, queries, services
from trygg.meetings.models import Case, Meeting

router = Router(tags=["meetings"])

CASE_TYPES = {"enum": list(Case.Type.values)}
CASE_STATUSES = {"enum": list(Case.Status.values)}


class MeetingOut(Schema):
    id: int
    committee_id: int
    committee_name: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    place: str
    video_url: str
    cancelled: bool
    invitation_sent_at: dt.datetime | None
    minutes_approved_at: dt.datetime | None
    minutes_version: int = Field(description="How many times the minutes have been approved.")


class CaseOut(Schema):
    id: int
    committee_id: int
    number: str = Field(description='"NN/YY", empty until the secretary registers the case.')
    title: str
    description: str
    case_type: str = Field(json_schema_extra=CASE_TYPES)
    status: str = Field(json_schema_extra=CASE_STATUSES)
    meeting_id: int | None
    standing: bool = Field(description="A standing case from the årshjul.")
    origin_case_id: int | None = Field(description="The case in the committee below it came from.")
    statement: str = Field(description="The statement of the committee below.")
    discussion: str
    decision: str
    unanimous: bool
    majority_view: str
    minority_view: str


class MeetingDetailOut(MeetingOut):
    agenda: list[CaseOut]


class CaseIn(Input):
    committee_id: int
    title: str
    description: str = ""
    case_type: str = Field(Case.Type.DECISION, json_schema_extra=CASE_TYPES)
    meeting_id: int | None = Field(None, description="Put the case on this meeting's agenda.")


class ProposalIn(Input):
    committee_id: int
    title: str
    description: str = ""
    case_type: str = Field(Case.Type.DECISION, json_schema_extra=CASE_TYPES)


class CaseMinutesIn(Input):
    discussion: str = ""
    decision: str = ""
    unanimous: bool = True
    majority_view: str = ""
    minority_view: str = ""


def _case_out(case: Case) -> CaseOut:
    return CaseOut(
        id=case.pk,
        committee_id=case.committee_id,
        number=case.number_display,
        title=case.title,
        description=case.description,
        case_type=case.case_type,
        status=case.status,
        meeting_id=case.meeting_id,
        standing=case.plan_month is not None,
        origin_case_id=case.origin_id,
        statement=case.statement,
        discussion=case.discussion,
        decision=case.decision,
        unanimous=case.unanimous,
        majority_view=case.majority_view,
        minority_view=case.minority_view,
    )


def _meeting_detail(meeting: Meeting) -> MeetingDetailOut:
    meeting.committee_name = meeting.committee.name  # type: ignore[attr-defined]
    return MeetingDetailOut(
        **MeetingOut.model_validate(meeting).model_dump(),
        agenda=[_case_out(c) for c in queries.agenda(meeting)],
    )


@router.get("/meetings", response={200: list[MeetingOut], **ERRORS})
@paginate(Pagination)
def list_meetings(
    request: HttpRequest,
    committee_id: int | None = Query(None, description="Only this committee's meetings."),
    year: int | None = Query(None, description="Only meetings in this year."),
) -> QuerySet[Meeting]:
    """Meetings of the committees the user belongs to (or runs), the earliest first."""
    access.require_member(request.user)
    meetings = Meeting.objects.filter(committee__in=access.readable_committees(request.user))
    if committee_id is not None:
        meetings = meetings.filter(committee_id=committee_id)
    if year is not None:
        meetings = meetings.filter(year=year)
    return meetings.annotate(committee_name=F("committee__name")).order_by("starts_at", "pk")


@router.get("/meetings/{int:meeting_id}", response={200: MeetingDetailOut, **ERRORS})
def get_meeting(request: HttpRequest, meeting_id: int) -> MeetingDetailOut:
    """A meeting with its agenda and, for each case, the minutes."""
    return _meeting_detail(access.get_meeting_for_user(request.user, meeting_id))


@router.post("/meetings/{int:meeting_id}/approve", response={200: MeetingDetailOut, **WRITE_ERRORS})
def approve_meeting_minutes(request: HttpRequest, meeting_id: int) -> MeetingDetailOut:
    """The chair (or deputy chair) of the meeting's year approves the minutes."""
    meeting = access.get_meeting_to_approve(request.user, meeting_id)
    services.approve_minutes(actor=request.user, meeting=meeting)
    return _meeting_detail(access.get_meeting_for_user(request.user, meeting_id))


@router.get("/meeting-cases/{int:case_id}", response={200: CaseOut, **ERRORS})
def get_meeting_case(request: HttpRequest, case_id: int) -> CaseOut:
    return _case_out(access.get_case_for_user(request.user, case_id))


@router.post("/meeting-cases", response={201: CaseOut, **WRITE_ERRORS})
def add_meeting_case(request: HttpRequest, payload: CaseIn) -> Status[CaseOut]:
    """The secretary registers a case (it gets its number at once)."""
    committee = access.get_committee_for_user(request.user, payload.committee_id, write=True)
    meeting = None
    if payload.meeting_id is not None:
        meeting = choice(queries.open_meetings(committee), payload.meeting_id, "meeting_id")
    with field_names(meeting="meeting_id"):
        case = services.add_case(
            actor=request.user,
            committee=committee,
            title=payload.title,
            description=payload.description,
            case_type=payload.case_type,
            meeting=meeting,
        )
    return Status(201, _case_out(case))


@router.post("/meeting-proposals", response={201: CaseOut, **WRITE_ERRORS})
def propose_meeting_case(request: HttpRequest, payload: ProposalIn) -> Status[CaseOut]:
    """Anyone in the organisation sends a case to a committee's secretary (the postkasse)."""
    committee = access.get_committee_for_proposal(request.user, payload.committee_id)
    with field_names():
        case = services.propose_case(
            actor=request.user,
            committee=committee,
            title=payload.title,
            description=payload.description,
            case_type=payload.case_type,
        )
    return Status(201, _case_out(case))


@router.put("/meeting-cases/{int:case_id}/minutes", response={200: CaseOut, **WRITE_ERRORS})
def record_meeting_case_minutes(
    request: HttpRequest, case_id: int, payload: CaseMinutesIn
) -> CaseOut:
    """The discussion and decision for a case on an agenda; refused once the minutes are
    approved."""
    case = access.get_case_for_user(request.user, case_id, write=True)
    services.record_case_minutes(actor=request.user, case=case, **payload.model_dump())
    return _case_out(access.get_case_for_user(request.user, case_id))

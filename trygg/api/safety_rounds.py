"""/safety-rounds: safety rounds and internal audits, their status, answers from devices, and
/checklists in the open checklist format — as on the pages under /vernerunder/."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from trygg.api.common import Pagination, UnitRef
from trygg.api.errors import ERRORS, WRITE_ERRORS
from trygg.lib.dates import today
from trygg.safety_rounds import access, queries, services
from trygg.safety_rounds.models import Kind, SafetyRound

router = Router(tags=["safety-rounds"])


class ParticipantOut(Schema):
    person_id: int
    full_name: str
    role: str
    signed_at: dt.datetime | None


class RoundOut(Schema):
    id: int
    kind: str = Field(json_schema_extra={"enum": list(Kind.values)})
    title: str
    unit: UnitRef
    year: int
    deadline: dt.date
    status: str = Field(json_schema_extra={"enum": list(SafetyRound.Status.values)})
    overdue: bool
    finding_count: int
    checklist_version_id: int

    @staticmethod
    def resolve_overdue(obj: Any) -> bool:
        return obj["overdue"] if isinstance(obj, dict) else obj.is_overdue(today())

    @staticmethod
    def resolve_checklist_version_id(obj: Any) -> int:
        return obj["checklist_version_id"] if isinstance(obj, dict) else obj.template_version_id


class AnswerOut(Schema):
    question: str
    value: str = Field(description="ok, deviation, not_relevant or empty")
    number: float | None
    text: str
    comment: str
    answered_at: dt.datetime


class FindingOut(Schema):
    question: str
    title: str
    follow_up: str
    deviation_id: int | None
    action_item_id: int | None


class RoundDetailOut(RoundOut):
    scope: str
    participants: list[ParticipantOut]
    answers: list[AnswerOut] = Field(description="The answer that counts for each question.")
    findings: list[FindingOut]
    checklist: dict[str, Any] = Field(description="The checklist version the round uses.")


class AnswerIn(Schema):
    id: str = Field(description="A UUID made by the device; sending it again is harmless.")
    question: str
    value: str = ""
    number: str | float | None = None
    text: str = ""
    comment: str = ""
    answered_at: str = Field("", description="ISO 8601 time the answer was given.")


class AnswersIn(Schema):
    answers: list[AnswerIn] = Field(max_length=500)


class AnswerResultOut(Schema):
    id: str
    status: str = Field(
        description="saved, duplicate, late (round closed: kept, not counted) or invalid"
    )
    message: str


class StatusOut(Schema):
    label: str
    total: int
    done: int
    overdue: int
    findings: int
    open_findings: int


class StatusReportOut(Schema):
    year: int
    total: StatusOut
    areas: list[StatusOut]


def _round_out(round_: SafetyRound, day: dt.date) -> dict[str, Any]:
    return {
        "id": round_.pk,
        "kind": round_.kind,
        "title": round_.title,
        "unit": round_.unit,
        "year": round_.year,
        "deadline": round_.deadline,
        "status": round_.status,
        "overdue": round_.is_overdue(day),
        "finding_count": round_.finding_count,
        "checklist_version_id": round_.template_version_id,
    }


@router.get("/safety-rounds", response={200: list[RoundOut], **ERRORS})
@paginate(Pagination)
def list_rounds(
    request: HttpRequest,
    year: int | None = Query(None, description="Only rounds of this year."),
    status: str = Query("", description="planned, in_progress, completed or overdue"),
    kind: str = Query("", description="safety_round or internal_audit"),
) -> QuerySet[SafetyRound]:
    """The rounds and audits the user may see, the nearest deadline first."""
    access.require_status_reader(request.user)
    return queries.filter_rounds(
        access.visible_rounds(request.user),
        queries.RoundFilter(year=year, kind=kind if kind in Kind.values else "", status=status),
        on=today(),
    )


@router.get("/safety-rounds/status", response={200: StatusReportOut, **ERRORS})
def round_status(request: HttpRequest, year: int | None = None) -> dict[str, Any]:
    """Rounds done, overdue and open findings for the year, in total and per service area,
    over the units the user may read."""
    principal, paths = access.require_status_reader(request.user)
    day = today()
    year = year or day.year
    total, areas = queries.status_by_area(principal.organisation_id, year, day, paths=paths)

    def out(status: queries.Status) -> dict[str, Any]:
        return {
            "label": status.label,
            "total": status.total,
            "done": status.done,
            "overdue": status.overdue,
            "findings": status.findings,
            "open_findings": status.open_findings,
        }

    return {"year": year, "total": out(total), "areas": [out(a) for a in areas]}


@router.get("/safety-rounds/{round_id}", response={200: RoundDetailOut, **ERRORS})
def get_round(request: HttpRequest, round_id: int) -> dict[str, Any]:
    round_ = access.get_round_for_user(request.user, round_id)
    view = queries.round_view(round_)
    answers = [
        {
            "question": q.key,
            "value": q.answer.value,
            "number": float(q.answer.number) if q.answer.number is not None else None,
            "text": q.answer.text,
            "comment": q.answer.comment,
            "answered_at": q.answer.answered_at,
        }
        for section in view.sections
        for q in section.questions
        if q.answer is not None
    ]
    return {
        **_round_out(round_, today()),
        "scope": round_.scope,
        "participants": [
            {
                "person_id": p.person_id,
                "full_name": p.person.full_name,
                "role": p.role,
                "signed_at": p.signed_at,
            }
            for p in view.participants
        ],
        "answers": answers,
        "findings": [
            {
                "question": f.question_key,
                "title": f.title,
                "follow_up": f.follow_up,
                "deviation_id": f.deviation_id,
                "action_item_id": f.action_item_id,
            }
            for f in view.findings
        ],
        "checklist": round_.template_version.content,
    }


@router.post(
    "/safety-rounds/{round_id}/answers", response={200: list[AnswerResultOut], **WRITE_ERRORS}
)
def send_answers(request: HttpRequest, round_id: int, payload: AnswersIn) -> list[dict[str, str]]:
    """Answers from a device, as the checklist page sends them. Participants only."""
    round_ = access.get_round_for_user(request.user, round_id, write=True)
    results = services.record_answers(
        actor=request.user,
        round_=round_,
        items=[item.model_dump() for item in payload.answers],
    )
    return [{"id": r.client_id, "status": r.status, "message": r.message} for r in results]

"""/deviations: list, read and report deviations (avvik), as on the pages under /avvik/.

The list pages by keyset (`before` = the last id seen), so a page costs the same deep in a
long list. No answer names an anonymous reporter, and none carries the reporter's IP address
or the time of day of an anonymous report, because they are never stored.
"""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status

from trygg.api.common import Input, UnitRef, unit_choice
from trygg.api.errors import ERRORS, WRITE_ERRORS, field_names
from trygg.deviations import access, queries, services
from trygg.deviations.models import Deviation

router = Router(tags=["deviations"])

CATEGORIES = {"enum": list(Deviation.Category.values)}
SEVERITIES = {"enum": list(Deviation.Severity.values)}
STATUSES = {"enum": list(Deviation.Status.values)}


class DeviationOut(Schema):
    id: int
    reference: str = Field(description="AV-<number>, the case number people use.")
    title: str
    category: str = Field(json_schema_extra=CATEGORIES)
    severity: str = Field(json_schema_extra=SEVERITIES)
    status: str = Field(json_schema_extra=STATUSES)
    unit: UnitRef
    reported_on: dt.date
    deadline: dt.date
    closed_on: dt.date | None


class DeviationDetailOut(DeviationOut):
    description: str
    location: str
    occurred_at: dt.datetime | None = Field(
        description="When it happened; null time of day is withheld (occurred_on only)."
    )
    occurred_on: dt.date
    immediate_action: str
    is_anonymous: bool
    reporter_id: int | None = Field(
        description="The reporting user; null for anonymous reports and for people without an "
        "account."
    )
    handler_id: int | None
    root_cause: str
    closing_evaluation: str
    measures_effective: str


class DeviationPage(Schema):
    items: list[DeviationOut]
    count: int
    next_before: int | None = Field(
        description="Pass as `before` for the next page; null at the end."
    )


class DeviationIn(Input):
    unit_id: int
    category: str = Field(json_schema_extra=CATEGORIES)
    severity: str = Field(Deviation.Severity.MEDIUM, json_schema_extra=SEVERITIES)
    title: str = Field(..., max_length=200)
    description: str = Field(..., max_length=5000)
    occurred_at: dt.datetime = Field(
        description="With a time zone, e.g. 2026-03-01T14:30:00+01:00."
    )
    location: str = Field("", max_length=200)
    immediate_action: str = Field("", max_length=2000)
    idempotency_key: str = Field(
        "", max_length=64, description="The same key twice gives one case."
    )


def _out(deviation: Deviation) -> DeviationOut:
    return DeviationOut(
        id=deviation.pk,
        reference=deviation.reference,
        title=deviation.title,
        category=deviation.category,
        severity=deviation.severity,
        status=deviation.status,
        unit=UnitRef(id=deviation.unit_id, name=deviation.unit.name),
        reported_on=deviation.reported_on,
        deadline=deviation.deadline,
        closed_on=deviation.closed_on,
    )


def _detail(deviation: Deviation) -> DeviationDetailOut:
    return DeviationDetailOut(
        **_out(deviation).model_dump(),
        description=deviation.description,
        location=deviation.location,
        occurred_at=deviation.occurred_at if deviation.occurred_time_known else None,
        occurred_on=timezone.localdate(deviation.occurred_at),
        immediate_action=deviation.immediate_action,
        is_anonymous=deviation.is_anonymous,
        reporter_id=None if deviation.is_anonymous else deviation.reporter_id,
        handler_id=deviation.handler_id,
        root_cause=deviation.root_cause,
        closing_evaluation=deviation.closing_evaluation,
        measures_effective=deviation.measures_effective,
    )


@router.get("/deviations", response={200: DeviationPage, **ERRORS})
def list_deviations(
    request: HttpRequest,
    unit: int | None = Query(None, description="This unit and its subunits."),
    status: str = Query("", description="open, overdue or a status."),
    category: str = Query("", description="A category: " + ", ".join(Deviation.Category.values)),
    mine: bool = Query(False, description="Only the cases the user reported."),
    before: int | None = Query(None, description="The `next_before` of the previous page."),
) -> DeviationPage:
    """The cases the user may handle or follow (their own reports with `mine`), newest first."""
    principal = access.require_reporter_access(request.user)
    if mine:
        qs = Deviation.objects.filter(
            organisation_id=principal.organisation_id, reporter_id=request.user.pk
        )
    elif access.can_see_handling(request.user):
        qs = access.handled_deviations(request.user)
    else:
        qs = access.visible_deviations(request.user)
    flt = queries.ListFilter(
        unit=unit_choice(request.user, unit, "unit") if unit is not None else None,
        status=status,
        category=category,
    )
    page = queries.list_page(qs, flt, before=before, organisation_id=principal.organisation_id)
    return DeviationPage(
        items=[_out(d) for d in page.rows], count=page.total, next_before=page.next_before
    )


@router.get("/deviations/{deviation_id}", response={200: DeviationDetailOut, **ERRORS})
def get_deviation(request: HttpRequest, deviation_id: int) -> DeviationDetailOut:
    return _detail(access.get_deviation_for_user(request.user, deviation_id))


@router.post("/deviations", response={201: DeviationDetailOut, **WRITE_ERRORS})
def report_deviation(request: HttpRequest, payload: DeviationIn) -> Status[DeviationDetailOut]:
    """Every member of the organisation may report (AML § 2-3); the case goes to the leader of
    the unit. Anonymous reports are made on the pages, where the receipt code is shown."""
    user = request.user
    access.require_reporter_access(user)
    unit = unit_choice(user, payload.unit_id, "unit_id", active_only=True)
    occurred_at = payload.occurred_at
    if timezone.is_naive(occurred_at):
        occurred_at = timezone.make_aware(occurred_at)
    with field_names(unit="unit_id"):
        deviation = services.report_deviation(
            organisation=user.organisation,
            reporter=user,
            unit=unit,
            category=payload.category,
            title=payload.title,
            description=payload.description,
            occurred_at=occurred_at,
            severity=payload.severity,
            location=payload.location,
            immediate_action=payload.immediate_action,
            idempotency_key=payload.idempotency_key,
        )
    return Status(201, _detail(deviation))

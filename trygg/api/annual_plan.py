"""/annual-plan: the årshjul in force for a year with its items, one item, and marking an item
done, through the same access, queries and services as the pages under /arshjul/."""

from __future__ import annotations

import datetime as dt

from django.http import Http404, HttpRequest
from ninja import Field, Query, Router, Schema

from trygg.annual_plan import access, queries, services
from trygg.annual_plan.labels import timing_text
from trygg.annual_plan.models import PlanItem
from trygg.api.common import Input
from trygg.api.errors import ERRORS, WRITE_ERRORS
from trygg.lib.dates import today
from trygg.org.access import visible_committees, visible_units

router = Router(tags=["annual-plan"])


class PlanItemOut(Schema):
    id: int
    title: str
    category: str
    committee_kind: str = Field(description="hamu, amu, lamu, or empty for an HMS activity.")
    case_type: str = Field(description="vedtak, orientering, uttalelse or empty.")
    timing: str
    when: str = Field(description="When the item falls, in words (in the request's language).")
    months: list[int] = Field(description="The months (1–12) the item falls in.")
    month: int | None
    end_month: int | None
    period_number: int | None
    deadline_day: int | None
    meeting_label: str
    recurrence: str
    first_year: int | None
    figure_kind: str
    figure_period: str
    owner_id: int | None
    owner_role: str
    participants: str
    recipients: str
    forward_to_parent: bool
    unit_id: int | None
    due: dt.date | None
    done_on: dt.date | None
    template_item_id: int | None


class PlanItemDetailOut(PlanItemOut):
    guidance: str
    done_note: str
    plan_year: int
    missing_data: str = Field(description="The data no module supplies yet, or empty.")


class PlanOut(Schema):
    id: int
    year: int
    label: str
    version: int
    year_kind: str
    adopted_on: dt.date
    note: str
    items: list[PlanItemOut]


class DoneIn(Input):
    year: int = Field(description="The plan year the item belongs to.")
    done_on: dt.date | None = Field(None, description="Today when left out.")
    note: str = ""


def _item(item: PlanItem) -> dict:
    return {
        **{name: getattr(item, name) for name in PlanItemOut.model_fields if hasattr(item, name)},
        "when": timing_text(item),
        "months": list(item.months()),
        "due": item.due_date(),
    }


@router.get("/annual-plan", response={200: PlanOut, **ERRORS})
def get_plan(
    request: HttpRequest,
    year: int | None = Query(None, description="The plan year; this year when left out."),
    committee: int | None = Query(None, description="Only the cases of this committee's level."),
    unit: int | None = Query(None, description="Only items for this unit, above or under it."),
) -> dict:
    """The plan in force for a year (its newest version) with its items; 404 when none has
    been adopted."""
    principal = access.require_reader(request.user)
    day = today()
    year = year or queries.plan_year_for(principal.organisation_id, day.year, day.month)
    plan = queries.plan_in_force(principal.organisation_id, year)
    if plan is None:
        raise Http404
    chosen = (
        visible_committees(request.user).filter(pk=committee).select_related("unit").first()
        if committee
        else None
    )
    if committee and chosen is None:
        raise Http404
    chosen_unit = visible_units(request.user).filter(pk=unit).first() if unit else None
    if unit and chosen_unit is None:
        raise Http404
    items = queries.plan_items(
        plan,
        committee_kind=chosen.kind if chosen else "",
        unit=chosen_unit or (chosen.unit if chosen else None),
    )
    return {
        "id": plan.pk,
        "year": plan.year,
        "label": plan.label,
        "version": plan.version,
        "year_kind": plan.year_kind,
        "adopted_on": plan.adopted_on,
        "note": plan.note,
        "items": [_item(item) for item in items],
    }


@router.get("/annual-plan/items/{item_id}", response={200: PlanItemDetailOut, **ERRORS})
def get_item(request: HttpRequest, item_id: int) -> dict:
    item = access.get_plan_item_for_user(request.user, item_id)
    return {
        **_item(item),
        "guidance": item.guidance,
        "done_note": item.done_note,
        "plan_year": item.plan.year,
        "missing_data": queries.missing_data(item),
    }


@router.post("/annual-plan/items/{item_id}/done", response={200: PlanItemDetailOut, **WRITE_ERRORS})
def mark_item_done(request: HttpRequest, item_id: int, body: DoneIn) -> dict:
    """Mark the item done (its owner, HMS coordinators and the committee level's secretaries)."""
    item = access.get_plan_item_for_user(request.user, item_id, write=True)
    services.mark_done(
        actor=request.user, item=item, year=body.year, on=body.done_on, note=body.note
    )
    return get_item(request, item_id)

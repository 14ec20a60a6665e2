"""/action-items: action items (tiltak) from every module, as on the pages under /tiltak/."""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from trygg.actions import access, queries, services
from trygg.actions.models import ActionItem
from trygg.api.common import Input, Pagination, PersonRef, UnitRef, changes, choice
from trygg.api.errors import ERRORS, WRITE_ERRORS, not_a_choice
from trygg.lib.dates import today
from trygg.org.access import require_member

router = Router(tags=["action-items"])

STATUSES = {"enum": list(ActionItem.Status.values)}


class ActionItemOut(Schema):
    id: int
    title: str
    description: str
    status: str = Field(json_schema_extra=STATUSES)
    deadline: dt.date | None
    owner: PersonRef | None
    unit: UnitRef | None
    result: str
    source_type: str | None = Field(
        description="What created the item, e.g. `deviations.deviation`; null when stand-alone."
    )
    source_id: int | None
    completed_at: dt.datetime | None

    @staticmethod
    def resolve_source_type(item: ActionItem) -> str | None:
        if item.source_type is None:
            return None
        return f"{item.source_type.app_label}.{item.source_type.model}"


class ActionItemPatch(Input):
    title: str | None = None
    description: str | None = None
    status: str | None = Field(None, json_schema_extra=STATUSES)
    deadline: dt.date | None = None
    owner_id: int | None = Field(None, description="A person in the organisation; null: nobody.")
    result: str | None = None


@router.get("/action-items", response={200: list[ActionItemOut], **ERRORS})
@paginate(Pagination)
def list_action_items(
    request: HttpRequest,
    status: str = Query("open", description="open, overdue, in_progress, done, cancelled, or all"),
    mine: bool = Query(False, description="Only items the user is responsible for."),
) -> QuerySet[ActionItem]:
    """The items the user sees: their own, those they created, and those in units they lead or
    coordinate HMS for."""
    principal = require_member(request.user)
    return queries.filter_items(
        access.visible_action_items(request.user),
        queries.ItemFilter(status="" if status == "all" else status, mine=mine),
        user_id=principal.user_id,
        day=today(),
    )


@router.get("/action-items/{item_id}", response={200: ActionItemOut, **ERRORS})
def get_action_item(request: HttpRequest, item_id: int) -> ActionItem:
    return access.get_action_item_for_user(request.user, item_id)


@router.patch("/action-items/{item_id}", response={200: ActionItemOut, **WRITE_ERRORS})
def update_action_item(request: HttpRequest, item_id: int, payload: ActionItemPatch) -> ActionItem:
    """Change status, deadline, owner or result; fields left out keep their value."""
    item = access.get_action_item_for_user(request.user, item_id, write=True)
    data = changes(payload, nullable=frozenset({"deadline", "owner_id"}))
    if "status" in data and data["status"] not in ActionItem.Status.values:
        raise not_a_choice("status")
    if "owner_id" in data:
        owner_id = data.pop("owner_id")
        data["owner"] = (
            None
            if owner_id is None
            else choice(queries.owner_choices(item.organisation_id), owner_id, "owner_id")
        )
    return services.update_action_item(actor=request.user, item=item, **data)

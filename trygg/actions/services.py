"""Use cases for action items (tiltak). Atomic, keyword-only and audit-logged.

Every module creates its measures and tasks here, with the record that caused them as `source`.
The caller has checked access (actions.access or the source app's own access module).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from trygg.actions.models import ActionItem
from trygg.audit.models import AuditEntry
from trygg.audit.services import record_change, record_created, snapshot
from trygg.lib.typing import AnyUser
from trygg.notifications.services import notify
from trygg.org.models import Person, Unit

EDITABLE = ("title", "description", "owner", "deadline", "unit", "status", "result")


def _organisation_id(actor: AnyUser | None, source: models.Model | None, unit: Unit | None) -> int:
    for candidate in (
        getattr(source, "organisation_id", None),
        getattr(unit, "organisation_id", None),
        getattr(actor, "organisation_id", None),
    ):
        if candidate:
            return candidate
    raise ValidationError(_("An action item must belong to an organisation."))


def _check(item: ActionItem) -> None:
    errors: dict[str, str] = {}
    if not item.title.strip():
        errors["title"] = _("Describe the action.")
    if item.owner_id and item.owner.organisation_id != item.organisation_id:
        errors["owner"] = _("The responsible person belongs to another organisation.")
    if item.unit_id and item.unit.organisation_id != item.organisation_id:
        errors["unit"] = _("The unit belongs to another organisation.")
    if errors:
        raise ValidationError(errors)


def _tell_owner(actor: AnyUser | None, item: ActionItem) -> None:
    owner: Person | None = item.owner
    user = owner.user if owner else None
    if user is None or (actor is not None and user.pk == getattr(actor, "pk", None)):
        return
    deadline = item.deadline.strftime("%d.%m.%Y") if item.deadline else _("no deadline")
    notify(
        user=user,
        key=f"action-item:{item.pk}:assigned:{owner.pk}",
        subject=_("New action item for you: %(title)s") % {"title": item.title},
        body=_("You are responsible for this action. Deadline: %(deadline)s.")
        % {"deadline": deadline},
        url=item.get_absolute_url(),
    )


@transaction.atomic
def create_action_item(
    *,
    actor: AnyUser | None,
    title: str,
    owner: Person | None = None,
    deadline: dt.date | None = None,
    unit: Unit | None = None,
    description: str = "",
    source: models.Model | None = None,
) -> ActionItem:
    """Create a measure or task. `source` is the record it comes from (a deviation, a meeting
    decision, a hazard...); its organisation is the item's organisation."""
    item = ActionItem(
        organisation_id=_organisation_id(actor, source, unit),
        title=title.strip(),
        description=description,
        owner=owner,
        deadline=deadline,
        unit=unit,
        source=source,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    _check(item)
    item.full_clean(exclude=["source_type", "source_id", "created_by"])
    item.save()
    record_created(actor, item)
    _tell_owner(actor, item)
    return item


@transaction.atomic
def update_action_item(*, actor: AnyUser | None, item: ActionItem, **changes: Any) -> ActionItem:
    """Change the title, description, owner, deadline, unit, status or result."""
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise TypeError(f"update_action_item() cannot change {sorted(unknown)}")
    before = snapshot(item)
    old_owner = item.owner_id
    for name, value in changes.items():
        setattr(item, name, value)
    if item.status == ActionItem.Status.DONE and item.completed_at is None:
        item.completed_at = timezone.now()
    elif item.status != ActionItem.Status.DONE:
        item.completed_at = None
    _check(item)
    item.full_clean(exclude=["source_type", "source_id", "created_by"])
    item.save()
    record_change(
        actor=actor,
        instance=item,
        action=AuditEntry.Action.UPDATE,
        before=before,
        after=snapshot(item),
    )
    if item.owner_id != old_owner:
        _tell_owner(actor, item)
    return item


def complete_action_item(
    *, actor: AnyUser | None, item: ActionItem, result: str = ""
) -> ActionItem:
    """Mark the action done, with what was done and whether it worked."""
    return update_action_item(
        actor=actor, item=item, status=ActionItem.Status.DONE, result=result or item.result
    )

"""Writing to the audit log. Every service that changes data calls `record_change`; every view
that shows a special-category record (sick leave, whistleblowing) calls `record_read`."""

from __future__ import annotations

import datetime as dt
import decimal
import uuid
from collections.abc import Iterable
from typing import Any

from django.db import models
from django.db.models.fields.files import FieldFile
from django.utils import timezone

from trygg.audit.models import AuditEntry

Snapshot = dict[str, Any]


def _plain(value: Any) -> Any:
    if isinstance(value, FieldFile):
        return str(value)  # the stored file's name, "" when there is none
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    return value


def snapshot(instance: models.Model, exclude: Iterable[str] = ("password",)) -> Snapshot:
    """The instance's concrete field values as JSON-safe data."""
    data: Snapshot = {}
    for field in instance._meta.concrete_fields:
        if field.name in exclude:
            continue
        data[field.name] = _plain(getattr(instance, field.attname))
    return data


def _actor_fields(actor: Any) -> dict[str, Any]:
    if actor is None or not getattr(actor, "is_authenticated", False):
        return {"actor": None, "actor_name": ""}
    return {"actor": actor, "actor_name": actor.get_username()}


def record_change(
    *,
    actor: Any,
    instance: models.Model,
    action: str,
    before: Snapshot | None = None,
    after: Snapshot | None = None,
    organisation_id: int | None = None,
    date_only: bool = False,
) -> AuditEntry:
    """Log a create, update or delete. Only fields that changed are kept for updates.

    `date_only` keeps the day but not the time of day (midnight, Europe/Oslo), for entries whose
    exact time could identify someone who is entitled to stay anonymous (an anonymous report).
    """
    before = before or {}
    after = after or {}
    if action == AuditEntry.Action.UPDATE:
        changed = {k for k in after if before.get(k) != after.get(k)}
        before = {k: v for k, v in before.items() if k in changed}
        after = {k: v for k, v in after.items() if k in changed}
    return AuditEntry.objects.create(
        organisation_id=organisation_id or getattr(instance, "organisation_id", None),
        action=action,
        object_type=instance._meta.label_lower,
        object_id=str(instance.pk or before.get("id") or ""),
        object_repr=str(instance)[:300],
        changes={"before": before, "after": after},
        **_actor_fields(actor),
        **_withheld_time(date_only),
    )


def _withheld_time(date_only: bool) -> dict[str, Any]:
    if not date_only:
        return {}
    midnight = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    return {"created_at": midnight, "time_withheld": True}


def record_created(actor: Any, instance: models.Model) -> AuditEntry:
    """Log a new row with all its fields (the common case of `record_change`)."""
    return record_change(
        actor=actor, instance=instance, action=AuditEntry.Action.CREATE, after=snapshot(instance)
    )


def record_read(*, actor: Any, instance: models.Model, purpose: str = "") -> AuditEntry:
    """Log that `actor` was shown a special-category record (a hook for sick leave and
    whistleblowing: every read of such a record must leave a trace)."""
    return AuditEntry.objects.create(
        organisation_id=getattr(instance, "organisation_id", None),
        action=AuditEntry.Action.READ,
        object_type=instance._meta.label_lower,
        object_id=str(instance.pk),
        object_repr=str(instance)[:300],
        changes={"purpose": purpose} if purpose else {},
        **_actor_fields(actor),
    )


def record_event(
    *,
    actor: Any,
    organisation_id: int | None,
    action: str,
    object_type: str,
    description: str,
    details: Snapshot | None = None,
) -> AuditEntry:
    """Log something that is not one model row, such as a whole import."""
    return AuditEntry.objects.create(
        organisation_id=organisation_id,
        action=action,
        object_type=object_type,
        object_repr=description[:300],
        changes=details or {},
        **_actor_fields(actor),
    )

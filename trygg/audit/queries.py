"""Reads of the audit log: its page and export, and the organisation's data version that
cached figures are keyed by."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from django.core.cache import cache
from django.db.models import QuerySet

from trygg.audit.models import AuditEntry
from trygg.lib.dates import today

T = TypeVar("T")


@dataclass(frozen=True)
class AuditFilter:
    action: str = ""
    object_type: str = ""
    actor: str = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None


def entries_for_organisation(organisation_id: int, flt: AuditFilter) -> QuerySet[AuditEntry]:
    qs = AuditEntry.objects.filter(organisation_id=organisation_id)
    if flt.action:
        qs = qs.filter(action=flt.action)
    if flt.object_type:
        qs = qs.filter(object_type=flt.object_type)
    if flt.actor:
        qs = qs.filter(actor_name__icontains=flt.actor)
    if flt.date_from:
        qs = qs.filter(created_at__date__gte=flt.date_from)
    if flt.date_to:
        qs = qs.filter(created_at__date__lte=flt.date_to)
    return qs.order_by("-created_at", "-id")


def history_for(instance) -> QuerySet[AuditEntry]:  # type: ignore[no-untyped-def]
    """The changes to one row, newest first (the "history" of a case or an item)."""
    return AuditEntry.objects.filter(
        organisation_id=instance.organisation_id,
        object_type=instance._meta.label_lower,
        object_id=str(instance.pk),
    ).order_by("-created_at", "-id")


def object_types(organisation_id: int) -> list[str]:
    return list(
        AuditEntry.objects.filter(organisation_id=organisation_id)
        .order_by("object_type")
        .values_list("object_type", flat=True)
        .distinct()
    )


_request = threading.local()


def request_started(**kwargs: object) -> None:
    _request.versions = {}


def request_finished(**kwargs: object) -> None:
    _request.versions = None


def entry_written(**kwargs: object) -> None:
    versions = getattr(_request, "versions", None)
    if versions:
        versions.clear()


def latest_entry_id(organisation_id: int) -> int:
    """The id of the organisation's newest audit entry: it changes with every write, so it is
    the version that cached figures for the organisation are keyed by.

    The id, not the time: an entry whose time of day is withheld is dated midnight but is still
    the newest. Within one request the version is read once (a page asks for several cached
    figures) and read again after the request writes an entry (see AuditConfig.ready)."""
    versions = getattr(_request, "versions", None)
    if versions is not None and organisation_id in versions:
        return versions[organisation_id]
    version = (
        AuditEntry.objects.filter(organisation_id=organisation_id)
        .order_by("-id")
        .values_list("id", flat=True)
        .first()
        or 0
    )
    if versions is not None:
        versions[organisation_id] = version
    return version


def cached_for_organisation(organisation_id: int, name: str, compute: Callable[[], T]) -> T:
    """`compute()` cached until the organisation's data changes or the day turns.

    Every write is audit-logged, so the newest audit entry is the organisation's version; the
    date is part of the key because "current" depends on the day.
    """
    version = latest_entry_id(organisation_id)
    key = f"trygg:org:{organisation_id}:{name}:{today().isoformat()}:{version}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, timeout=6 * 3600)
    return value

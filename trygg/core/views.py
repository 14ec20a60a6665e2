"""The application shell: the start page, the accessibility statement and the audit log."""

from __future__ import annotations

import csv
import json

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from trygg.audit.queries import AuditFilter, entries_for_organisation, object_types
from trygg.core.forms import AuditFilterForm
from trygg.lib.mytasks import tasks_for
from trygg.notifications.models import Notification
from trygg.org.access import require_admin
from trygg.org.principal import get_principal


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Mine oppgaver: what this person must do now, from every module."""
    principal = get_principal(request.user)
    tasks = tasks_for(request.user) if principal.is_member else []
    notifications = (
        list(Notification.objects.for_user(request.user).unread().order_by("-created_at")[:5])
        if principal.is_member
        else []
    )
    return render(
        request,
        "core/home.html",
        {"tasks": tasks, "principal": principal, "notifications": notifications},
    )


@require_GET
def accessibility(request: HttpRequest) -> HttpResponse:
    """Tilgjengelighetserklæring (likestillings- og diskrimineringsloven § 18, WAD)."""
    return render(request, "core/accessibility.html")


@require_GET
def health(request: HttpRequest) -> JsonResponse:
    """For load balancers and monitoring: answers 200 when the database answers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def _audit_filter(
    request: HttpRequest, organisation_id: int
) -> tuple[AuditFilterForm, AuditFilter]:
    form = AuditFilterForm(request.GET or None, object_types=object_types(organisation_id))
    flt = AuditFilter()
    if form.is_bound and form.is_valid():
        flt = AuditFilter(**{k: v for k, v in form.cleaned_data.items() if v not in (None, "")})
    return form, flt


@login_required
@require_GET
def audit_log(request: HttpRequest) -> HttpResponse:
    principal = require_admin(request.user)
    form, flt = _audit_filter(request, principal.organisation_id)
    entries = entries_for_organisation(principal.organisation_id, flt)
    page = Paginator(entries, 50).get_page(request.GET.get("side"))
    query = request.GET.copy()
    query.pop("side", None)
    return render(
        request,
        "core/audit_log.html",
        {"form": form, "page": page, "query": query.urlencode()},
    )


class _Echo:
    def write(self, value: str) -> str:
        return value


@login_required
@require_GET
def audit_log_export(request: HttpRequest) -> StreamingHttpResponse:
    """The filtered log as CSV (semicolon-separated, UTF-8 with BOM, so Excel opens it)."""
    principal = require_admin(request.user)
    _form, flt = _audit_filter(request, principal.organisation_id)
    entries = entries_for_organisation(principal.organisation_id, flt)
    writer = csv.writer(_Echo(), delimiter=";")

    def rows():  # type: ignore[no-untyped-def]
        yield "\ufeff" + writer.writerow(
            ["tid", "bruker", "handling", "objekttype", "objekt-id", "objekt", "endringer"]
        )
        for entry in entries.iterator(chunk_size=2000):
            yield writer.writerow(
                [
                    timezone.localtime(entry.created_at).strftime(
                        "%d.%m.%Y" if entry.time_withheld else "%d.%m.%Y %H:%M:%S"
                    ),
                    entry.actor_name,
                    entry.get_action_display(),
                    entry.object_type,
                    entry.object_id,
                    entry.object_repr,
                    json.dumps(entry.changes, ensure_ascii=False, sort_keys=True),
                ]
            )

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="trygg-logg.csv"'
    return response

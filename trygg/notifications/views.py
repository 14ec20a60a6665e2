"""The user's notifications ("Varsler"): reminders and notices from every module."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from trygg.notifications import services
from trygg.notifications.models import Notification
from trygg.org.access import require_member


@login_required
@require_GET
def notification_list(request: HttpRequest) -> HttpResponse:
    require_member(request.user)
    notifications = Notification.objects.for_user(request.user).order_by("-created_at", "-pk")
    page = Paginator(notifications, 30).get_page(request.GET.get("side"))
    return render(request, "notifications/list.html", {"page": page})


@login_required
@require_POST
def notification_open(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark a notification read and go to what it is about."""
    require_member(request.user)
    notification = Notification.objects.for_user(request.user).filter(pk=pk).first()
    if notification is None:
        raise Http404
    services.mark_read(user=request.user, notification=notification)
    target = notification.url
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect("notifications:list")


@login_required
@require_POST
def notification_read_all(request: HttpRequest) -> HttpResponse:
    require_member(request.user)
    services.mark_all_read(user=request.user)
    return redirect("notifications:list")

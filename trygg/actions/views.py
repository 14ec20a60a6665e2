"""Action items (tiltak): the list, a stand-alone new item, and one item's page."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from trygg.actions import queries, services
from trygg.actions.access import (
    can_create_items,
    can_edit_item,
    get_action_item_for_user,
    units_for_new_items,
    visible_action_items,
)
from trygg.actions.forms import ActionItemEditForm, ActionItemForm, ItemFilterForm
from trygg.audit.queries import history_for
from trygg.lib.dates import today
from trygg.lib.forms import submit
from trygg.org.access import require_member


@login_required
@require_GET
def item_list(request: HttpRequest) -> HttpResponse:
    principal = require_member(request.user)
    form = ItemFilterForm(request.GET or None)
    flt = queries.ItemFilter(status="open")
    if form.is_bound and form.is_valid():
        flt = queries.ItemFilter(status=form.cleaned_data["status"], mine=form.cleaned_data["mine"])
    day = today()
    items = queries.filter_items(
        visible_action_items(request.user), flt, user_id=principal.user_id, day=day
    )
    page = Paginator(items, 50).get_page(request.GET.get("side"))
    query = request.GET.copy()
    query.pop("side", None)
    return render(
        request,
        "actions/list.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "today": day,
            "can_create": can_create_items(request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def item_create(request: HttpRequest) -> HttpResponse:
    principal = require_member(request.user)
    if not can_create_items(request.user):
        raise PermissionDenied
    units = units_for_new_items(request.user)
    form = ActionItemForm(
        request.POST or None,
        people=queries.owner_choices(principal.organisation_id),
        units=units,
    )
    response = submit(
        request,
        form,
        lambda data: services.create_action_item(actor=request.user, **data),
        success=_("The action item was created."),
        then=lambda item: item.get_absolute_url(),
    )
    return response or render(request, "actions/form.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def item_detail(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_action_item_for_user(request.user, pk, write=request.method == "POST")
    may_edit = can_edit_item(request.user, item)
    form = None
    if may_edit:
        form = ActionItemEditForm(
            request.POST or None,
            people=queries.owner_choices(item.organisation_id, item.unit),
            initial={
                "title": item.title,
                "description": item.description,
                "owner": item.owner_id,
                "deadline": item.deadline,
                "status": item.status,
                "result": item.result,
            },
        )
        response = submit(
            request,
            form,
            lambda data: services.update_action_item(actor=request.user, item=item, **data),
            success=_("The action item was saved."),
            then=lambda saved: saved.get_absolute_url(),
        )
        if response:
            return response
    return render(
        request,
        "actions/detail.html",
        {
            "item": item,
            "source": item.source,
            "form": form,
            "history": history_for(item)[:20],
            "today": today(),
        },
    )

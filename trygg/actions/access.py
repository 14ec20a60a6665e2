"""Who may see and change action items.

An item is visible to its owner and its creator, to leaders of its unit, to HMS coordinators and
administrators covering its unit (items without a unit: organisation-wide ones), and to anyone
who may see the record it comes from (the source app decides, see `sources`). The same people
may change it, except that seeing the source is not enough: changing needs the source's edit
right. Outsiders get 404, readers 403 on changes.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from trygg.actions.models import ActionItem
from trygg.actions.sources import can_edit_source, can_view_source
from trygg.lib.typing import AnyUser
from trygg.org.access import can_manage_hms
from trygg.org.models import Unit, path_condition
from trygg.org.principal import ALL, Principal, Role, get_principal


def _manager_paths(principal: Principal) -> tuple[str, ...]:
    return principal.paths(Role.ADMIN, Role.HMS_COORDINATOR) + principal.leader_paths


def _scope(principal: Principal) -> Q:
    q = Q(owner__user_id=principal.user_id) | Q(created_by_id=principal.user_id)
    paths = _manager_paths(principal)
    if ALL in paths:
        return Q()
    return q | path_condition(paths, "unit__path")


def visible_action_items(user: AnyUser) -> QuerySet[ActionItem]:
    """The items the user sees in lists (items reached through a source are shown there)."""
    principal = get_principal(user)
    if not principal.is_member:
        return ActionItem.objects.none()
    return ActionItem.objects.filter(_scope(principal), organisation_id=principal.organisation_id)


def _is_manager(principal: Principal, item: ActionItem) -> bool:
    if item.unit_id is None:
        return ALL in _manager_paths(principal)
    return principal.covers(item.unit.path, _manager_paths(principal))


def can_edit_item(user: AnyUser, item: ActionItem) -> bool:
    principal = get_principal(user)
    if principal.organisation_id != item.organisation_id:
        return False
    return (
        (item.owner_id is not None and item.owner.user_id == principal.user_id)
        or item.created_by_id == principal.user_id
        or _is_manager(principal, item)
        or can_edit_source(user, item.source)
    )


def get_action_item_for_user(user: AnyUser, pk: int, *, write: bool = False) -> ActionItem:
    principal = get_principal(user)
    item = (
        ActionItem.objects.with_relations()
        .filter(pk=pk, organisation_id=principal.organisation_id)
        .first()
        if principal.is_member
        else None
    )
    if item is None:
        raise Http404
    if can_edit_item(user, item):
        return item
    if write or not can_view_source(user, item.source):
        if write and can_view_source(user, item.source):
            raise PermissionDenied
        raise Http404
    return item


def can_create_items(user: AnyUser) -> bool:
    """Leaders and HMS coordinators create stand-alone action items."""
    principal = get_principal(user)
    return principal.is_member and bool(_manager_paths(principal))


def units_for_new_items(user: AnyUser) -> QuerySet[Unit]:
    principal = get_principal(user)
    paths = _manager_paths(principal)
    units = Unit.objects.filter(organisation_id=principal.organisation_id)
    if ALL in paths or can_manage_hms(user):
        return units
    return units.filter(path_condition(paths))

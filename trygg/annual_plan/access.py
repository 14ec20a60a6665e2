"""The only place that decides who may see or change the årshjul.

Everyone in the organisation reads the wheel and its items (committee members, secretaries,
leaders and employees alike); HMS coordinators for the whole organisation and administrators
edit the template and adopt plans; an item's owner, HMS coordinators and the secretaries of the
item's committee level mark items done. Outsiders get 404, read-only users 403 on writes.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from trygg.lib.typing import AnyUser
from trygg.org.access import can_manage_hms
from trygg.org.models import Committee
from trygg.org.principal import Principal, get_principal

from .models import Plan, PlanItem, TemplateItem


def _principal(user: AnyUser) -> Principal:
    principal = get_principal(user)
    if not principal.is_member:
        raise Http404
    return principal


def can_see_menu(user: AnyUser) -> bool:
    return get_principal(user).is_member


def require_reader(user: AnyUser) -> Principal:
    return _principal(user)


def can_edit(user: AnyUser) -> bool:
    """Edit the template, add activities and adopt plans: HMS coordinators and admins."""
    return can_manage_hms(user)


def require_editor(user: AnyUser) -> Principal:
    principal = _principal(user)
    if not can_edit(user):
        raise PermissionDenied
    return principal


def visible_plans(user: AnyUser) -> QuerySet[Plan]:
    principal = get_principal(user)
    if not principal.is_member:
        return Plan.objects.none()
    return Plan.objects.filter(organisation_id=principal.organisation_id)


def visible_plan_items(user: AnyUser) -> QuerySet[PlanItem]:
    principal = get_principal(user)
    if not principal.is_member:
        return PlanItem.objects.none()
    return PlanItem.objects.filter(organisation_id=principal.organisation_id)


def secretary_kinds(principal: Principal) -> set[str]:
    if not principal.secretary_committee_ids:
        return set()
    return set(
        Committee.objects.filter(pk__in=principal.secretary_committee_ids).values_list(
            "kind", flat=True
        )
    )


def can_mark_done(user: AnyUser, item: PlanItem) -> bool:
    principal = get_principal(user)
    if not principal.is_member or item.organisation_id != principal.organisation_id:
        return False
    if can_edit(user):
        return True
    if principal.person_id and item.owner_id == principal.person_id:
        return True
    return bool(item.committee_kind) and item.committee_kind in secretary_kinds(principal)


def get_plan_item_for_user(user: AnyUser, pk: int, *, write: bool = False) -> PlanItem:
    item = visible_plan_items(user).filter(pk=pk).for_display().first()
    if item is None:
        raise Http404
    if write and not can_mark_done(user, item):
        raise PermissionDenied
    return item


def visible_template(user: AnyUser) -> QuerySet[TemplateItem]:
    principal = get_principal(user)
    if not principal.is_member:
        return TemplateItem.objects.none()
    return TemplateItem.objects.filter(organisation_id=principal.organisation_id)


def get_template_item_for_user(user: AnyUser, pk: int, *, write: bool = False) -> TemplateItem:
    item = visible_template(user).filter(pk=pk).select_related("owner", "unit").first()
    if item is None:
        raise Http404
    if write and not can_edit(user):
        raise PermissionDenied
    return item

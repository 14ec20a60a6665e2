"""The only place that decides who may see or change goals, action plans and the internal-control
overview.

Everyone in the organisation reads them (they are the organisation's written HMS goals and plans,
open to employees and their representatives). HMS coordinators and administrators change the
organisation's goals and every plan; a leader changes the goals and plans of the units they lead;
a committee's secretary those of the committee. Others get 404 (another organisation) or 403.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from trygg.lib.typing import AnyUser
from trygg.org.principal import ALL, Principal, Role, get_principal

if TYPE_CHECKING:
    from trygg.goals.models import ActionPlan, Goal
    from trygg.org.models import Committee, Unit


def require_member(user: AnyUser) -> Principal:
    principal = get_principal(user)
    if not principal.is_member:
        raise Http404
    return principal


def is_member(user: AnyUser) -> bool:
    return get_principal(user).is_member


def _hms_paths(principal: Principal) -> tuple[str, ...]:
    return principal.paths(Role.ADMIN, Role.HMS_COORDINATOR)


def is_hms_manager(user: AnyUser) -> bool:
    """HMS coordinators and administrators for the whole organisation."""
    return ALL in _hms_paths(get_principal(user))


def may_edit_owner(user: AnyUser, *, unit: Unit | None, committee: Committee | None) -> bool:
    """May the user set goals and plans for this unit, committee, or (both None) the
    organisation?"""
    principal = get_principal(user)
    if not principal.is_member:
        return False
    hms = _hms_paths(principal)
    if ALL in hms:
        return True
    if committee is not None:
        return committee.pk in principal.secretary_committee_ids or principal.covers(
            committee.unit.path, hms
        )
    if unit is not None:
        return principal.covers(unit.path, hms + principal.leader_paths)
    return False


def may_edit_somewhere(user: AnyUser) -> bool:
    principal = get_principal(user)
    return bool(
        _hms_paths(principal) or principal.leader_paths or principal.secretary_committee_ids
    )


def require_editor_somewhere(user: AnyUser) -> Principal:
    principal = require_member(user)
    if not may_edit_somewhere(user):
        raise PermissionDenied
    return principal


def require_owner_editor(user: AnyUser, *, unit: Unit | None, committee: Committee | None) -> None:
    require_member(user)
    if not may_edit_owner(user, unit=unit, committee=committee):
        raise PermissionDenied


# --- Goals ----------------------------------------------------------------------------------
def visible_goals(user: AnyUser) -> QuerySet[Goal]:
    from trygg.goals.models import Goal

    principal = get_principal(user)
    if not principal.is_member:
        return Goal.objects.none()
    return Goal.objects.filter(organisation_id=principal.organisation_id)


def can_edit_goal(user: AnyUser, goal: Goal) -> bool:
    return may_edit_owner(user, unit=goal.unit, committee=goal.committee)


def get_goal_for_user(user: AnyUser, pk: int, *, write: bool = False) -> Goal:
    goal = (
        visible_goals(user).with_related().select_related("committee__unit").filter(pk=pk).first()
    )
    if goal is None:
        raise Http404
    if write and not can_edit_goal(user, goal):
        raise PermissionDenied
    return goal


# --- Action plans -----------------------------------------------------------------------------
def visible_plans(user: AnyUser) -> QuerySet[ActionPlan]:
    from trygg.goals.models import ActionPlan

    principal = get_principal(user)
    if not principal.is_member:
        return ActionPlan.objects.none()
    return ActionPlan.objects.filter(organisation_id=principal.organisation_id)


def can_edit_plan(user: AnyUser, plan: ActionPlan) -> bool:
    return may_edit_owner(user, unit=plan.unit, committee=plan.committee)


def get_plan_for_user(user: AnyUser, pk: int, *, write: bool = False) -> ActionPlan:
    plan = visible_plans(user).select_related("unit", "committee__unit").filter(pk=pk).first()
    if plan is None:
        raise Http404
    if write and not can_edit_plan(user, plan):
        raise PermissionDenied
    return plan


def can_view_plan(user: AnyUser, plan: ActionPlan) -> bool:
    return get_principal(user).organisation_id == plan.organisation_id


# --- Internal control ---------------------------------------------------------------------------
def may_assess_control(user: AnyUser, unit: Unit | None) -> bool:
    """The organisation's statuses: HMS coordinators and administrators; a unit's: also its
    leader."""
    return may_edit_owner(user, unit=unit, committee=None)


def require_control_assessor(user: AnyUser, unit: Unit | None) -> None:
    require_member(user)
    if not may_assess_control(user, unit):
        raise PermissionDenied

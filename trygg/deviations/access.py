"""The only place that decides who may see or handle deviations and the injury register.

- The reporter sees their own reports (and answers questions on them).
- A new report goes to the leader of its unit: leaders handle the deviations of their units
  and everything under them, as does the assigned handler.
- Verneombud see the reports of their safety area (the hovedverneombud all) and may comment.
- HMS coordinators see and handle all (or their subtree).
- The injury register (AML § 5-1 (3)) is open to verneombud, BHT and AMU, besides the
  leaders and HMS coordinators.
Outsiders get 404; people who may see a case but not handle it get 403 on writes.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from trygg.audit.queries import cached_for_organisation
from trygg.deviations.models import Deviation, Injury
from trygg.lib.typing import AnyUser
from trygg.org.models import Committee, path_condition
from trygg.org.principal import ALL, Principal, Role, get_principal


def _member(user: AnyUser) -> Principal:
    principal = get_principal(user)
    if not principal.is_member:
        raise Http404
    return principal


def handler_paths(principal: Principal) -> tuple[str, ...]:
    return principal.leader_paths + principal.paths(Role.HMS_COORDINATOR)


def reader_paths(principal: Principal) -> tuple[str, ...]:
    paths = handler_paths(principal) + principal.safety_paths
    if principal.is_main_safety_rep:
        paths += (ALL,)
    return paths


def _committee_paths(principal: Principal) -> tuple[str, ...]:
    if not principal.committee_ids or principal.organisation_id is None:
        return ()
    ids = tuple(sorted(principal.committee_ids))
    return cached_for_organisation(
        principal.organisation_id,
        f"committee-paths:{','.join(map(str, ids))}",
        lambda: tuple(
            Committee.objects.filter(pk__in=ids, is_active=True).values_list(
                "unit__path", flat=True
            )
        ),
    )


def register_paths(principal: Principal) -> tuple[str, ...]:
    """Where the user may read the injury register: AML § 5-1 (3) names verneombud, BHT and
    AMU; leaders and HMS coordinators keep it."""
    return reader_paths(principal) + principal.paths(Role.BHT) + _committee_paths(principal)


def statistics_paths(principal: Principal) -> tuple[str, ...]:
    return register_paths(principal)


# --- Deviations --------------------------------------------------------------------------
def visible_deviations(user: AnyUser) -> QuerySet[Deviation]:
    principal = get_principal(user)
    if not principal.is_member:
        return Deviation.objects.none()
    qs = Deviation.objects.filter(organisation_id=principal.organisation_id)
    paths = reader_paths(principal)
    if ALL in paths:
        return qs
    condition = Q(reporter_id=principal.user_id) | Q(handler_id=principal.user_id)
    if paths:
        condition |= path_condition(paths, "unit_path")
    return qs.filter(condition)


def handled_deviations(user: AnyUser) -> QuerySet[Deviation]:
    """The cases the user may handle (the handling list)."""
    principal = get_principal(user)
    if not principal.is_member:
        return Deviation.objects.none()
    qs = Deviation.objects.filter(organisation_id=principal.organisation_id)
    paths = reader_paths(principal)
    if ALL in paths:
        return qs
    condition = Q(handler_id=principal.user_id)
    if paths:
        condition |= path_condition(paths, "unit_path")
    return qs.filter(condition)


def can_view(user: AnyUser, deviation: Deviation) -> bool:
    principal = get_principal(user)
    if principal.organisation_id != deviation.organisation_id:
        return False
    return (
        is_reporter(user, deviation)
        or deviation.handler_id == principal.user_id
        or principal.covers(deviation.unit_path, reader_paths(principal))
    )


def can_handle(user: AnyUser, deviation: Deviation) -> bool:
    principal = get_principal(user)
    if principal.organisation_id != deviation.organisation_id:
        return False
    return deviation.handler_id == principal.user_id or principal.covers(
        deviation.unit_path, handler_paths(principal)
    )


def can_comment(user: AnyUser, deviation: Deviation) -> bool:
    """Handlers and the verneombud of the area write comments; the reporter answers."""
    principal = get_principal(user)
    return can_handle(user, deviation) or principal.covers(
        deviation.unit_path, reader_paths(principal)
    )


def is_reporter(user: AnyUser, deviation: Deviation) -> bool:
    return deviation.reporter_id is not None and deviation.reporter_id == getattr(user, "pk", None)


def can_read_injury(user: AnyUser, deviation: Deviation) -> bool:
    principal = get_principal(user)
    if principal.organisation_id != deviation.organisation_id:
        return False
    return deviation.handler_id == principal.user_id or principal.covers(
        deviation.unit_path, register_paths(principal)
    )


def get_deviation_for_user(user: AnyUser, pk: int, *, write: bool = False) -> Deviation:
    _member(user)
    deviation = (
        visible_deviations(user)
        .filter(pk=pk)
        .select_related("unit", "handler", "reporter", "closed_by")
        .first()
    )
    if deviation is None:
        raise Http404
    if write and not can_handle(user, deviation):
        raise PermissionDenied
    return deviation


def get_deviation_to_comment(user: AnyUser, pk: int) -> Deviation:
    deviation = get_deviation_for_user(user, pk)
    if not can_comment(user, deviation):
        raise PermissionDenied
    return deviation


def require_reporter_access(user: AnyUser) -> Principal:
    """Every member of an organisation may report a deviation."""
    return _member(user)


def can_see_handling(user: AnyUser) -> bool:
    principal = get_principal(user)
    return principal.is_member and bool(reader_paths(principal))


# --- Injury register ---------------------------------------------------------------------
def visible_injuries(user: AnyUser) -> QuerySet[Injury]:
    principal = get_principal(user)
    if not principal.is_member:
        return Injury.objects.none()
    qs = Injury.objects.filter(organisation_id=principal.organisation_id)
    paths = register_paths(principal)
    if ALL in paths:
        return qs
    condition = Q(deviation__handler_id=principal.user_id)
    if paths:
        condition |= path_condition(paths, "deviation__unit_path")
    return qs.filter(condition)


def can_read_register(user: AnyUser) -> bool:
    principal = get_principal(user)
    return principal.is_member and bool(register_paths(principal))


def require_register_reader(user: AnyUser) -> Principal:
    principal = _member(user)
    if not register_paths(principal):
        raise Http404
    return principal


def get_injury_for_user(user: AnyUser, pk: int, *, write: bool = False) -> Injury:
    _member(user)
    injury = visible_injuries(user).filter(pk=pk).select_related("deviation__unit").first()
    if injury is None:
        raise Http404
    if write and not can_handle(user, injury.deviation):
        raise PermissionDenied
    return injury


# --- Statistics and settings -------------------------------------------------------------
def require_statistics_reader(user: AnyUser) -> tuple[Principal, tuple[str, ...]]:
    principal = _member(user)
    paths = statistics_paths(principal)
    if not paths:
        raise Http404
    return principal, (ALL,) if ALL in paths else paths


def can_manage(user: AnyUser) -> bool:
    """Deadlines, the public link and hours worked: HMS coordinators for the whole
    organisation and administrators."""
    principal = get_principal(user)
    return principal.is_admin or ALL in principal.paths(Role.HMS_COORDINATOR)


def require_manager(user: AnyUser) -> Principal:
    principal = _member(user)
    if not can_manage(user):
        raise PermissionDenied
    return principal

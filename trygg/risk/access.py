"""The only place that decides who may see or change risk assessments.

- Write: the leader of the unit (personnel responsibility for it or a unit above), the
  verneombud whose safety area covers the unit, and HMS coordinators (for their subtree).
- Read: those, plus the BHT, system administrators and the main safety representative
  (everything), and employees of the unit (assessments of their unit and of the units above
  it, which cover their work too).
- Everyone else, and every other organisation: 404. Readers who try to write: 403.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from trygg.audit.queries import cached_for_organisation
from trygg.lib.dates import today
from trygg.lib.typing import AnyUser
from trygg.org.models import Employment, Unit, path_condition
from trygg.org.principal import ALL, Principal, Role, get_principal
from trygg.risk.models import Assessment, Hazard, Participant


def _principal(user: AnyUser) -> Principal:
    principal = get_principal(user)
    if not principal.is_member:
        raise Http404
    return principal


def writer_paths(principal: Principal) -> tuple[str, ...]:
    return principal.paths(Role.HMS_COORDINATOR) + principal.leader_paths + principal.safety_paths


def _reads_everything(principal: Principal) -> bool:
    return ALL in principal.paths(Role.HMS_COORDINATOR, Role.BHT, Role.ADMIN) or (
        principal.is_main_safety_rep
    )


def _employee_paths(principal: Principal) -> tuple[str, ...]:
    """The paths of the units the user works in now (cached with the organisation's version)."""
    if principal.person_id is None or principal.organisation_id is None:
        return ()
    person_id = principal.person_id

    def compute() -> tuple[str, ...]:
        return tuple(
            Employment.objects.current(today())
            .filter(person_id=person_id)
            .values_list("unit__path", flat=True)
        )

    return cached_for_organisation(
        principal.organisation_id, f"risk-employee-paths:{person_id}", compute
    )


def units_in(paths: tuple[str, ...], organisation_id: int | None = None) -> Q:
    """Rows whose `unit` lies under one of `paths`, as `unit IN (SELECT id FROM units …)`: the
    database resolves the few thousand units once and then uses the (organisation, unit, …)
    and (organisation, status, review_due) indexes, instead of joining every row to its unit."""
    units = Unit.objects.filter(path_condition(paths))
    if organisation_id is not None:
        units = units.filter(organisation_id=organisation_id)
    return Q(unit__in=units.values("pk"))


def reader_condition(principal: Principal) -> Q | None:
    """None when the user reads every unit; else the condition on the row's `unit`."""
    if _reads_everything(principal):
        return None
    paths = writer_paths(principal) + principal.paths(Role.BHT, Role.ADMIN)
    units = Unit.objects.filter(organisation_id=principal.organisation_id)
    condition = path_condition(paths)
    ancestors = {
        ancestor
        for path in _employee_paths(principal)
        for ancestor in Unit(path=path).ancestor_paths()
    }
    if ancestors:
        condition |= Q(path__in=sorted(ancestors))
    return Q(unit__in=units.filter(condition).values("pk"))


def visible_assessments(user: AnyUser) -> QuerySet[Assessment]:
    principal = get_principal(user)
    if not principal.is_member:
        return Assessment.objects.none()
    assessments = Assessment.objects.filter(organisation_id=principal.organisation_id)
    condition = reader_condition(principal)
    return assessments if condition is None else assessments.filter(condition)


def can_write_unit(user: AnyUser, unit: Unit) -> bool:
    principal = get_principal(user)
    return unit.organisation_id == principal.organisation_id and principal.covers(
        unit.path, writer_paths(principal)
    )


def can_write(user: AnyUser, assessment: Assessment) -> bool:
    return can_write_unit(user, assessment.unit)


def writable_units(user: AnyUser) -> QuerySet[Unit]:
    principal = get_principal(user)
    if not principal.is_member:
        return Unit.objects.none()
    return Unit.objects.filter(organisation_id=principal.organisation_id, is_active=True).filter(
        path_condition(writer_paths(principal))
    )


def may_create(user: AnyUser) -> bool:
    return bool(writer_paths(get_principal(user)))


def require_creator(user: AnyUser) -> Principal:
    principal = _principal(user)
    if not writer_paths(principal):
        raise PermissionDenied
    return principal


def require_member(user: AnyUser) -> Principal:
    return _principal(user)


def get_assessment_for_user(user: AnyUser, pk: int, *, write: bool = False) -> Assessment:
    assessment = (
        visible_assessments(user).filter(pk=pk).select_related("unit", "matrix", "series").first()
    )
    if assessment is None:
        raise Http404
    if write and not can_write(user, assessment):
        raise PermissionDenied
    return assessment


def get_hazard_for_user(user: AnyUser, pk: int, *, write: bool = False) -> Hazard:
    hazard = (
        Hazard.objects.filter(pk=pk, assessment__in=visible_assessments(user))
        .select_related("assessment__unit", "assessment__matrix")
        .first()
    )
    if hazard is None:
        raise Http404
    if write and not can_write(user, hazard.assessment):
        raise PermissionDenied
    return hazard


def get_participant_for_user(user: AnyUser, pk: int) -> Participant:
    participant = (
        Participant.objects.filter(pk=pk, assessment__in=visible_assessments(user))
        .select_related("assessment__unit")
        .first()
    )
    if participant is None:
        raise Http404
    if not can_write(user, participant.assessment):
        raise PermissionDenied
    return participant


def can_manage_matrix(user: AnyUser) -> bool:
    """The matrix and acceptance criteria are the organisation's: HMS coordinators for all."""
    return ALL in get_principal(user).paths(Role.HMS_COORDINATOR)


def require_matrix_manager(user: AnyUser) -> Principal:
    principal = _principal(user)
    if not can_manage_matrix(user):
        raise PermissionDenied
    return principal


# For the action-item engine: whoever may see a hazard may see its measures.
def can_view_hazard(user: AnyUser, hazard: Hazard) -> bool:
    return visible_assessments(user).filter(pk=hazard.assessment_id).exists()


def can_edit_hazard(user: AnyUser, hazard: Hazard) -> bool:
    return can_view_hazard(user, hazard) and can_write(user, hazard.assessment)

"""Who may see and do what with sick leave: the only place that decides it.

Person-level absence (spells, follow-up cases) is visible to the employee, their leader(s) and
HR only (rules.md §8): leaders through personnel responsibility for a unit the person works in
now, HR through a grant covering it. System administrators, HMS coordinators, safety
representatives and everyone else in the organisation see aggregates, masked below 5 persons
unless they may see every person behind the figure. Outsiders get 404; people who may see but
not change get 403.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from trygg.absence.models import AbsenceSpell, FollowUpCase
from trygg.lib.typing import AnyUser
from trygg.org.models import Employment, Person, Unit, path_condition
from trygg.org.principal import ALL, Principal, Role, get_principal


def _member(user: AnyUser) -> Principal:
    principal = get_principal(user)
    if not principal.is_member:
        raise Http404
    return principal


def hr_paths(principal: Principal) -> tuple[str, ...]:
    return principal.paths(Role.HR)


def person_reader_paths(principal: Principal) -> tuple[str, ...]:
    """Unit subtrees whose people's absence the user may see: as leader or as HR."""
    return principal.leader_paths + hr_paths(principal)


def may_see_statistics(user: AnyUser) -> bool:
    """Everyone in the organisation sees aggregates (masked below 5 persons)."""
    return get_principal(user).is_member


def require_statistics_reader(user: AnyUser) -> Principal:
    return _member(user)


def sees_people_of(principal: Principal, unit: Unit) -> bool:
    """Whether the user may see every person behind a figure for this unit (and its subunits):
    then the figure is not masked for them."""
    return principal.covers(unit.path, person_reader_paths(principal))


def unmasked_paths(principal: Principal) -> tuple[str, ...]:
    return person_reader_paths(principal)


def visible_people(user: AnyUser) -> QuerySet[Person]:
    """People whose absence the user may see: themselves, their people as leader, and HR's."""
    principal = get_principal(user)
    if not principal.is_member:
        return Person.objects.none()
    people = Person.objects.filter(organisation_id=principal.organisation_id)
    paths = person_reader_paths(principal)
    if ALL in paths:
        return people
    condition = Q(pk=principal.person_id) if principal.person_id else Q(pk__in=[])
    if paths:
        condition |= Exists(
            Employment.objects.current()
            .filter(person_id=OuterRef("pk"))
            .filter(path_condition(paths, "unit__path"))
        )
    return people.filter(condition)


def managed_people(user: AnyUser) -> QuerySet[Person]:
    """People whose absence the user may register and whose cases they follow up (not self)."""
    principal = get_principal(user)
    if not principal.is_member:
        return Person.objects.none()
    people = Person.objects.filter(organisation_id=principal.organisation_id)
    paths = person_reader_paths(principal)
    if ALL in paths:
        return people.exclude(pk=principal.person_id) if principal.person_id else people
    if not paths:
        return people.none()
    managed = people.filter(
        Exists(
            Employment.objects.current()
            .filter(person_id=OuterRef("pk"))
            .filter(path_condition(paths, "unit__path"))
        )
    )
    return managed.exclude(pk=principal.person_id) if principal.person_id else managed


def get_person_for_user(user: AnyUser, pk: int, *, write: bool = False) -> Person:
    person = visible_people(user).filter(pk=pk).first()
    if person is None:
        raise Http404
    if write and not managed_people(user).filter(pk=pk).exists():
        raise PermissionDenied
    return person


def get_spell_for_user(user: AnyUser, pk: int, *, write: bool = False) -> AbsenceSpell:
    spell = (
        AbsenceSpell.objects.filter(pk=pk, person__in=visible_people(user))
        .select_related("person")
        .first()
    )
    if spell is None:
        raise Http404
    if write and not managed_people(user).filter(pk=spell.person_id).exists():
        raise PermissionDenied
    return spell


def visible_cases(user: AnyUser) -> QuerySet[FollowUpCase]:
    principal = get_principal(user)
    if not principal.is_member:
        return FollowUpCase.objects.none()
    return FollowUpCase.objects.filter(
        organisation_id=principal.organisation_id,
        person__in=visible_people(user),
        anonymised_on__isnull=True,
    )


def get_case_for_user(user: AnyUser, pk: int, *, write: bool = False) -> FollowUpCase:
    case = visible_cases(user).filter(pk=pk).select_related("person").first()
    if case is None:
        raise Http404
    if write and not can_follow_up(user, case):
        raise PermissionDenied
    return case


def can_follow_up(user: AnyUser, case: FollowUpCase) -> bool:
    """The leader(s) and HR record the plan, meetings and measures; not the employee."""
    return managed_people(user).filter(pk=case.person_id).exists()


def may_comment(user: AnyUser, case: FollowUpCase) -> bool:
    """The employee comments on their own plan; the leader and HR may answer."""
    principal = get_principal(user)
    return case.person_id == principal.person_id or can_follow_up(user, case)


def can_import(user: AnyUser) -> bool:
    """Imports write everyone's absence: HR for the whole organisation."""
    return ALL in hr_paths(get_principal(user))


def require_importer(user: AnyUser) -> Principal:
    principal = _member(user)
    if not can_import(user):
        raise PermissionDenied
    return principal


def can_manage_settings(user: AnyUser) -> bool:
    principal = get_principal(user)
    return principal.is_admin or ALL in hr_paths(principal)


def require_settings_manager(user: AnyUser) -> Principal:
    principal = _member(user)
    if not can_manage_settings(user):
        raise PermissionDenied
    return principal


def may_follow_up_anyone(user: AnyUser) -> bool:
    return bool(person_reader_paths(get_principal(user)))

"""The only place that decides who may see or change the organisation's records.

Outsiders (another organisation, or no role that covers the record) get 404 so that existence is
not revealed; people who may see a record but not change it get 403.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from trygg.lib.typing import AnyUser
from trygg.org.models import (
    Committee,
    Employment,
    OHSContact,
    OHSProvider,
    Person,
    RoleGrant,
    SafetyArea,
    UnionRepresentative,
    Unit,
    path_condition,
)
from trygg.org.principal import ALL, Principal, Role, get_principal


def _principal(user: AnyUser) -> Principal:
    principal = get_principal(user)
    if not principal.is_member:
        raise Http404
    return principal


# --- Units -------------------------------------------------------------------------------
def visible_units(user: AnyUser) -> QuerySet[Unit]:
    """The organisation chart is open to everyone in the organisation."""
    principal = get_principal(user)
    if not principal.is_member:
        return Unit.objects.none()
    return Unit.objects.filter(organisation_id=principal.organisation_id)


def unit_editor_paths(principal: Principal) -> tuple[str, ...]:
    return principal.paths(Role.ADMIN, Role.HR)


def can_edit_unit(user: AnyUser, unit: Unit | None = None) -> bool:
    principal = get_principal(user)
    paths = unit_editor_paths(principal)
    if unit is None:
        return ALL in paths
    return principal.covers(unit.path, paths)


def get_unit_for_user(user: AnyUser, pk: int, *, write: bool = False) -> Unit:
    unit = visible_units(user).filter(pk=pk).first()
    if unit is None:
        raise Http404
    if write and not can_edit_unit(user, unit):
        raise PermissionDenied
    return unit


def require_unit_creation(user: AnyUser, parent: Unit | None) -> None:
    principal = _principal(user)
    paths = unit_editor_paths(principal)
    allowed = ALL in paths if parent is None else principal.covers(parent.path, paths)
    if not allowed:
        raise PermissionDenied


def require_unit_editor(user: AnyUser) -> None:
    """Someone who may create units somewhere (an administrator, or HR for a subtree)."""
    if not unit_editor_paths(_principal(user)):
        raise PermissionDenied


# --- People ------------------------------------------------------------------------------
def people_reader_paths(principal: Principal) -> tuple[str, ...]:
    """Unit subtrees whose people the user may list: by grant, leadership or safety area."""
    paths = principal.paths(Role.ADMIN, Role.HR, Role.HMS_COORDINATOR)
    if principal.is_main_safety_rep:
        paths += (ALL,)
    return paths + principal.leader_paths + principal.safety_paths


def visible_people(user: AnyUser) -> QuerySet[Person]:
    principal = get_principal(user)
    if not principal.is_member:
        return Person.objects.none()
    people = Person.objects.filter(organisation_id=principal.organisation_id)
    paths = people_reader_paths(principal)
    if ALL in paths:
        return people
    employed_in_scope = Exists(
        Employment.objects.filter(person_id=OuterRef("pk")).filter(
            path_condition(paths, "unit__path")
        )
    )
    condition = Q(pk=principal.person_id) if principal.person_id else Q(pk__in=[])
    condition |= employed_in_scope
    if principal.paths(Role.ADMIN, Role.HR):
        # HR for part of the tree registers new people before their first employment.
        condition |= ~Exists(Employment.objects.filter(person_id=OuterRef("pk")))
    return people.filter(condition)


def can_edit_people(user: AnyUser) -> bool:
    return bool(get_principal(user).paths(Role.ADMIN, Role.HR))


def get_person_for_user(user: AnyUser, pk: int, *, write: bool = False) -> Person:
    person = visible_people(user).filter(pk=pk).first()
    if person is None:
        raise Http404
    if write:
        principal = get_principal(user)
        paths = principal.paths(Role.ADMIN, Role.HR)
        if ALL not in paths:
            unit_paths = list(
                Employment.objects.filter(person=person).values_list("unit__path", flat=True)
            )
            if unit_paths:
                in_scope = any(principal.covers(p, paths) for p in unit_paths)
            else:  # not employed anywhere yet: any HR may complete the registration
                in_scope = bool(paths)
            if not in_scope:
                raise PermissionDenied
    return person


def get_employment_for_user(user: AnyUser, pk: int, *, write: bool = False) -> Employment:
    employment = (
        Employment.objects.filter(pk=pk, person__in=visible_people(user))
        .select_related("person", "unit")
        .first()
    )
    if employment is None:
        raise Http404
    get_person_for_user(user, employment.person_id, write=write)
    return employment


def require_person_creation(user: AnyUser) -> None:
    _principal(user)
    if not can_edit_people(user):
        raise PermissionDenied


def may_employ_in(user: AnyUser, unit: Unit) -> bool:
    principal = get_principal(user)
    return principal.covers(unit.path, principal.paths(Role.ADMIN, Role.HR))


# --- Committees, safety areas, BHT -------------------------------------------------------
def can_manage_hms(user: AnyUser) -> bool:
    """HMS coordinators and administrators run committees, safety areas and the BHT."""
    principal = get_principal(user)
    return principal.is_admin or ALL in principal.paths(Role.HMS_COORDINATOR)


def visible_committees(user: AnyUser) -> QuerySet[Committee]:
    principal = get_principal(user)
    if not principal.is_member:
        return Committee.objects.none()
    return Committee.objects.filter(organisation_id=principal.organisation_id)


def get_committee_for_user(user: AnyUser, pk: int, *, write: bool = False) -> Committee:
    committee = visible_committees(user).filter(pk=pk).first()
    if committee is None:
        raise Http404
    if write and not can_manage_hms(user):
        raise PermissionDenied
    return committee


def can_constitute(user: AnyUser, committee: Committee) -> bool:
    """The committee's secretary may record the yearly constitution, as may HMS coordinators."""
    return can_manage_hms(user) or committee.pk in get_principal(user).secretary_committee_ids


def get_committee_to_constitute(user: AnyUser, pk: int) -> Committee:
    committee = get_committee_for_user(user, pk)
    if not can_constitute(user, committee):
        raise PermissionDenied
    return committee


def visible_safety_areas(user: AnyUser) -> QuerySet[SafetyArea]:
    principal = get_principal(user)
    if not principal.is_member:
        return SafetyArea.objects.none()
    return SafetyArea.objects.filter(organisation_id=principal.organisation_id)


def get_safety_area_for_user(user: AnyUser, pk: int, *, write: bool = False) -> SafetyArea:
    area = visible_safety_areas(user).filter(pk=pk).first()
    if area is None:
        raise Http404
    if write and not can_manage_hms(user):
        raise PermissionDenied
    return area


def require_hms_manager(user: AnyUser) -> None:
    _principal(user)
    if not can_manage_hms(user):
        raise PermissionDenied


def visible_ohs_providers(user: AnyUser) -> QuerySet[OHSProvider]:
    principal = get_principal(user)
    if not principal.is_member:
        return OHSProvider.objects.none()
    return OHSProvider.objects.filter(organisation_id=principal.organisation_id)


def can_manage_logins(user: AnyUser) -> bool:
    """Logins and role grants are for system administrators."""
    return get_principal(user).is_admin


def get_person_for_login(user: AnyUser, pk: int) -> Person:
    person = get_person_for_user(user, pk)
    if not can_manage_logins(user):
        raise PermissionDenied
    return person


def get_grant_for_admin(user: AnyUser, pk: int) -> RoleGrant:
    principal = _principal(user)
    grant = (
        RoleGrant.objects.filter(pk=pk, organisation_id=principal.organisation_id)
        .select_related("user__person")
        .first()
    )
    if grant is None:
        raise Http404
    if not principal.is_admin:
        raise PermissionDenied
    return grant


def require_member(user: AnyUser) -> Principal:
    """Any logged-in person of an organisation; others get 404."""
    return _principal(user)


def require_admin(user: AnyUser) -> Principal:
    principal = _principal(user)
    if not principal.is_admin:
        raise PermissionDenied
    return principal


def can_import(user: AnyUser) -> bool:
    """Imports replace HR data for the whole organisation: HR for everything, or an admin."""
    return ALL in get_principal(user).paths(Role.ADMIN, Role.HR)


def require_importer(user: AnyUser) -> Principal:
    principal = _principal(user)
    if not can_import(user):
        raise PermissionDenied
    return principal


# --- BHT and union representatives ---
# Appended as one block; its import belongs in the header when the file is next tidied.


def get_ohs_provider_for_user(user: AnyUser, pk: int, *, write: bool = False) -> OHSProvider:
    """Everyone in the organisation may see its BHT; HMS coordinators and admins change it."""
    provider = visible_ohs_providers(user).filter(pk=pk).first()
    if provider is None:
        raise Http404
    if write and not can_manage_hms(user):
        raise PermissionDenied
    return provider


def get_ohs_contact_for_user(user: AnyUser, pk: int, *, write: bool = False) -> OHSContact:
    contact = (
        OHSContact.objects.filter(pk=pk, provider__in=visible_ohs_providers(user))
        .select_related("person", "provider")
        .first()
    )
    if contact is None:
        raise Http404
    if write and not can_manage_hms(user):
        raise PermissionDenied
    return contact


def visible_union_representatives(user: AnyUser) -> QuerySet[UnionRepresentative]:
    """Union representatives are part of the written overview, open to the whole organisation."""
    principal = get_principal(user)
    if not principal.is_member:
        return UnionRepresentative.objects.none()
    return UnionRepresentative.objects.filter(organisation_id=principal.organisation_id)


def get_union_representative_for_user(
    user: AnyUser, pk: int, *, write: bool = False
) -> UnionRepresentative:
    representative = (
        visible_union_representatives(user).filter(pk=pk).select_related("person", "unit").first()
    )
    if representative is None:
        raise Http404
    if write and not can_manage_hms(user):
        raise PermissionDenied
    return representative

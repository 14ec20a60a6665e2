"""Who the user is in their organisation, resolved once per request.

Roles are facts of the organisation (DESIGN.md): leadership follows from employments with
personnel responsibility, safety-representative roles from current terms, committee roles from
memberships, and the rest from explicit grants. Every app's access.py asks only this object.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field

from trygg.audit.queries import cached_for_organisation
from trygg.lib.dates import today
from trygg.lib.typing import AnyUser
from trygg.org.models import (
    CommitteeMember,
    Employment,
    Person,
    RoleGrant,
    SafetyRepresentative,
    Unit,
)

ALL = ""  # the path prefix every unit path starts with: a grant for the whole organisation
Role = RoleGrant.Role


@dataclass(frozen=True)
class Principal:
    user_id: int | None
    organisation_id: int | None
    person_id: int | None = None
    leader_paths: tuple[str, ...] = ()
    safety_paths: tuple[str, ...] = ()
    is_main_safety_rep: bool = False
    committee_ids: frozenset[int] = frozenset()
    secretary_committee_ids: frozenset[int] = frozenset()
    grants: dict[str, tuple[str, ...]] = field(default_factory=dict)

    @property
    def is_member(self) -> bool:
        return self.organisation_id is not None

    def paths(self, *roles: str) -> tuple[str, ...]:
        found: list[str] = []
        for role in roles:
            found.extend(self.grants.get(role, ()))
        return tuple(found)

    def has(self, role: str) -> bool:
        return role in self.grants

    @property
    def is_admin(self) -> bool:
        return ALL in self.grants.get(Role.ADMIN, ())

    @property
    def is_hms_coordinator(self) -> bool:
        return bool(self.grants.get(Role.HMS_COORDINATOR))

    @property
    def is_leader(self) -> bool:
        return bool(self.leader_paths)

    @property
    def is_safety_rep(self) -> bool:
        return bool(self.safety_paths) or self.is_main_safety_rep

    def covers(self, path: str, paths: tuple[str, ...]) -> bool:
        return any(path.startswith(prefix) for prefix in paths)

    def role_labels(self) -> list[str]:
        """Human-readable roles, for the page header and the start page."""
        from django.utils.translation import gettext as _

        labels = [str(Role(role).label) for role in self.grants]
        if self.leader_paths:
            labels.append(_("Leader"))
        if self.is_main_safety_rep:
            labels.append(_("Main safety representative"))
        elif self.safety_paths:
            labels.append(_("Safety representative"))
        if self.secretary_committee_ids:
            labels.append(_("Committee secretary"))
        elif self.committee_ids:
            labels.append(_("Committee member"))
        if not labels and self.person_id:
            labels.append(_("Employee"))
        return labels


ANONYMOUS = Principal(user_id=None, organisation_id=None)


def _resolve(user: AnyUser) -> Principal:
    if not getattr(user, "is_authenticated", False) or not user.organisation_id:
        return Principal(user_id=getattr(user, "pk", None), organisation_id=None)
    org_id = user.organisation_id
    day = today()
    person = (
        Person.objects.filter(organisation_id=org_id, user_id=user.pk)
        .values_list("pk", flat=True)
        .first()
    )

    leader_paths: tuple[str, ...] = ()
    safety_paths: tuple[str, ...] = ()
    main_rep = False
    committee_ids: set[int] = set()
    secretary_ids: set[int] = set()
    if person is not None:
        leader_paths = tuple(
            Employment.objects.current(day)
            .filter(person_id=person, is_leader=True)
            .values_list("unit__path", flat=True)
        )
        terms = list(
            SafetyRepresentative.objects.serving(day)
            .filter(person_id=person)
            .values_list("role", "area_id")
        )
        main_rep = any(role == SafetyRepresentative.Role.MAIN for role, _ in terms)
        area_ids = [area for _, area in terms if area is not None]
        if area_ids:
            safety_paths = tuple(
                Unit.objects.filter(safety_areas__in=area_ids)
                .values_list("path", flat=True)
                .distinct()
            )
        for committee_id, office in (
            CommitteeMember.objects.current(day)
            .filter(person_id=person)
            .values_list("committee_id", "office")
        ):
            committee_ids.add(committee_id)
            if office == CommitteeMember.Office.SECRETARY:
                secretary_ids.add(committee_id)

    grants: dict[str, list[str]] = {}
    for role, path in RoleGrant.objects.filter(organisation_id=org_id, user_id=user.pk).values_list(
        "role", "unit__path"
    ):
        grants.setdefault(role, []).append(path or ALL)

    return Principal(
        user_id=user.pk,
        organisation_id=org_id,
        person_id=person,
        leader_paths=leader_paths,
        safety_paths=safety_paths,
        is_main_safety_rep=main_rep,
        committee_ids=frozenset(committee_ids),
        secretary_committee_ids=frozenset(secretary_ids),
        grants={role: tuple(paths) for role, paths in grants.items()},
    )


def get_principal(user: AnyUser) -> Principal:
    """The user's principal, computed once and kept on the user object for the request."""
    cached = getattr(user, "_trygg_principal", None)
    if cached is None:
        org_id = getattr(user, "organisation_id", None)
        if getattr(user, "is_authenticated", False) and org_id:
            # Roles change only through audited writes (or with the date), so the resolved
            # principal is kept until the organisation's next change.
            cached = cached_for_organisation(org_id, f"principal:{user.pk}", lambda: _resolve(user))
        else:
            cached = _resolve(user)
        # AnonymousUser has no settable attributes here; it is cheap to resolve again.
        with contextlib.suppress(AttributeError):
            user._trygg_principal = cached
    return cached

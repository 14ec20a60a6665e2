"""The only place that decides who may see or do what with safety rounds and internal audits.

- Reading: administrators, HMS coordinators and the BHT (for their scope), the main safety
  representative (everything), leaders for their units and subunits, verneombud for the units of
  their safety area, and every participant for their own rounds.
- Doing a round (answers, photos, findings, signing): its participants only. Others who may read
  the round get 403; outsiders (another organisation, another area) get 404.
- Planning, checklists and settings: administrators and organisation-wide HMS coordinators.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from trygg.lib.typing import AnyUser
from trygg.org.models import path_condition
from trygg.org.principal import ALL, Principal, Role, get_principal
from trygg.safety_rounds.models import ChecklistTemplate, Participant, Photo, SafetyRound


def _member(user: AnyUser) -> Principal:
    principal = get_principal(user)
    if not principal.is_member:
        raise Http404
    return principal


def reader_paths(principal: Principal) -> tuple[str, ...]:
    paths = principal.paths(Role.ADMIN, Role.HMS_COORDINATOR, Role.BHT)
    if principal.is_main_safety_rep:
        paths += (ALL,)
    return paths + principal.leader_paths + principal.safety_paths


def can_plan(user: AnyUser) -> bool:
    principal = get_principal(user)
    return principal.is_member and ALL in principal.paths(Role.ADMIN, Role.HMS_COORDINATOR)


def sees_status(user: AnyUser) -> bool:
    """The menu entry and the status page: anyone who reads some rounds."""
    principal = get_principal(user)
    return principal.is_member and bool(reader_paths(principal))


def in_menu(user: AnyUser) -> bool:
    return sees_status(user)


def visible_rounds(user: AnyUser) -> QuerySet[SafetyRound]:
    principal = get_principal(user)
    if not principal.is_member:
        return SafetyRound.objects.none()
    rounds = SafetyRound.objects.filter(organisation_id=principal.organisation_id)
    paths = reader_paths(principal)
    if ALL in paths:
        return rounds
    condition = path_condition(paths, "unit__path")
    if principal.person_id:
        condition |= Q(
            Exists(
                Participant.objects.filter(round_id=OuterRef("pk"), person_id=principal.person_id)
            )
        )
    return rounds.filter(condition)


def is_participant(user: AnyUser, round_: SafetyRound) -> bool:
    person_id = get_principal(user).person_id
    return person_id is not None and any(
        p.person_id == person_id for p in round_.participants.all()
    )


def get_round_for_user(user: AnyUser, pk: int, *, write: bool = False) -> SafetyRound:
    """The round if the user may see it (404 otherwise); with `write`, only its participants
    may go on (403 for the others)."""
    _member(user)
    round_ = (
        visible_rounds(user)
        .filter(pk=pk)
        .select_related("unit", "template_version__template", "organisation")
        .prefetch_related("participants")
        .first()
    )
    if round_ is None:
        raise Http404
    if write and not is_participant(user, round_):
        raise PermissionDenied
    return round_


def signing_person_id(user: AnyUser, round_: SafetyRound) -> int | None:
    """The user's person if they are one who signs this round."""
    person_id = get_principal(user).person_id
    for participant in round_.participants.all():
        if participant.person_id == person_id and participant.must_sign:
            return person_id
    return None


def get_photo_for_user(user: AnyUser, round_pk: int, pk: int) -> Photo:
    round_ = get_round_for_user(user, round_pk)
    photo = Photo.objects.filter(round=round_, pk=pk).first()
    if photo is None:
        raise Http404
    return photo


def require_planner(user: AnyUser) -> Principal:
    principal = _member(user)
    if not can_plan(user):
        raise PermissionDenied
    return principal


def require_status_reader(user: AnyUser) -> tuple[Principal, tuple[str, ...]]:
    principal = _member(user)
    paths = reader_paths(principal)
    return principal, paths


def visible_templates(user: AnyUser) -> QuerySet[ChecklistTemplate]:
    """Checklists are open to everyone in the organisation (they hold no personal data)."""
    principal = get_principal(user)
    if not principal.is_member:
        return ChecklistTemplate.objects.none()
    return ChecklistTemplate.objects.filter(organisation_id=principal.organisation_id)


def get_template_for_user(user: AnyUser, pk: int, *, write: bool = False) -> ChecklistTemplate:
    _member(user)
    template = visible_templates(user).filter(pk=pk).select_related("current_version").first()
    if template is None:
        raise Http404
    if write and not can_plan(user):
        raise PermissionDenied
    return template


# The source checks for action items made from a finding (actions.sources).
def can_view_answer(user: AnyUser, answer) -> bool:  # type: ignore[no-untyped-def]
    return visible_rounds(user).filter(pk=answer.round_id).exists()


def can_edit_answer(user: AnyUser, answer) -> bool:  # type: ignore[no-untyped-def]
    round_ = visible_rounds(user).filter(pk=answer.round_id).first()
    return round_ is not None and is_participant(user, round_)

"""Use cases that change the organisation. Each is atomic, keyword-only and audit-logged.

Views, the API, imports and the demo all write through these functions; access has already
been checked by the caller through org/access.py.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Sum, Value
from django.db.models.functions import Concat, Substr
from django.utils.translation import gettext as _

from trygg.accounts.models import Organisation
from trygg.audit.models import AuditEntry
from trygg.audit.services import record_change, snapshot
from trygg.lib.dates import add_years
from trygg.lib.typing import AnyUser
from trygg.org.models import (
    Committee,
    CommitteeMember,
    CommitteeYear,
    Employment,
    Person,
    RoleGrant,
    SafetyArea,
    SafetyRepresentative,
    Unit,
    path_segment,
)

TERM_YEARS = 2  # verneombud (FOLM § 3-4) and committee members (FOLM § 3-15)


def _check_unique_code(organisation_id: int, code: str, exclude_pk: int | None = None) -> None:
    if (
        code
        and Unit.objects.filter(organisation_id=organisation_id, code=code)
        .exclude(pk=exclude_pk)
        .exists()
    ):
        raise ValidationError(
            {"code": _("Another unit already has the code %(code)s.") % {"code": code}}
        )


def _check_unique_employee_number(
    organisation_id: int, number: str, exclude_pk: int | None = None
) -> None:
    if (
        number
        and Person.objects.filter(organisation_id=organisation_id, employee_number=number)
        .exclude(pk=exclude_pk)
        .exists()
    ):
        raise ValidationError(
            {
                "employee_number": _("Another person already has the employee number %(number)s.")
                % {"number": number}
            }
        )


def _created(actor: AnyUser | None, instance: Any) -> None:
    record_change(
        actor=actor, instance=instance, action=AuditEntry.Action.CREATE, after=snapshot(instance)
    )


def _update(actor: AnyUser | None, instance: Any, changes: dict[str, Any]) -> None:
    before = snapshot(instance)
    for name, value in changes.items():
        setattr(instance, name, value)
    instance.full_clean()
    instance.save()
    record_change(
        actor=actor,
        instance=instance,
        action=AuditEntry.Action.UPDATE,
        before=before,
        after=snapshot(instance),
    )


# --- Units -------------------------------------------------------------------------------
@transaction.atomic
def create_unit(
    *,
    actor: AnyUser | None,
    organisation: Organisation,
    name: str,
    parent: Unit | None = None,
    kind: str = Unit.Kind.UNIT,
    code: str = "",
) -> Unit:
    if parent is not None and parent.organisation_id != organisation.pk:
        raise ValidationError(_("The parent unit belongs to another organisation."))
    _check_unique_code(organisation.pk, code)
    unit = Unit(organisation=organisation, parent=parent, name=name, kind=kind, code=code, path="-")
    unit.full_clean()
    unit.save()
    unit.path = (parent.path if parent else "") + path_segment(unit.pk)
    unit.depth = parent.depth + 1 if parent else 0
    unit.save(update_fields=["path", "depth"])
    _created(actor, unit)
    return unit


@transaction.atomic
def update_unit(
    *,
    actor: AnyUser | None,
    unit: Unit,
    name: str,
    kind: str,
    code: str,
    parent: Unit | None,
    is_active: bool = True,
) -> Unit:
    """Rename or move a unit. Moving rewrites the whole subtree's paths in this transaction."""
    unit = Unit.objects.select_for_update().get(pk=unit.pk)
    if parent is not None:
        if parent.organisation_id != unit.organisation_id:
            raise ValidationError(_("The parent unit belongs to another organisation."))
        if parent.path.startswith(unit.path):
            raise ValidationError(
                {"parent": _("A unit cannot be placed under itself or one of its own subunits.")}
            )
    _check_unique_code(unit.organisation_id, code, exclude_pk=unit.pk)
    moved = (parent.pk if parent else None) != unit.parent_id
    old_path, old_depth = unit.path, unit.depth
    _update(
        actor,
        unit,
        {"name": name, "kind": kind, "code": code, "parent": parent, "is_active": is_active},
    )
    if moved:
        new_path = (parent.path if parent else "") + path_segment(unit.pk)
        new_depth = parent.depth + 1 if parent else 0
        Unit.objects.filter(organisation_id=unit.organisation_id, path__startswith=old_path).update(
            path=Concat(
                Value(new_path),
                Substr("path", len(old_path) + 1),
                output_field=Unit._meta.get_field("path"),
            ),
            depth=F("depth") + (new_depth - old_depth),
        )
        unit.refresh_from_db()
    return unit


# --- People and employments --------------------------------------------------------------
def check_employment(
    *,
    person: Person,
    unit: Unit,
    position_percent: Decimal,
    start_date: dt.date,
    end_date: dt.date | None,
    exclude_pk: int | None = None,
) -> None:
    """The rules a single model cannot check: tenancy and the 100 % ceiling across positions."""
    errors: dict[str, str] = {}
    if unit.organisation_id != person.organisation_id:
        errors["unit"] = _("The unit belongs to another organisation.")
    if end_date is not None and end_date < start_date:
        errors["end_date"] = _("The end date is before the start date.")
    if not (Decimal("0") < position_percent <= Decimal("100")):
        errors["position_percent"] = _(
            "The position percentage must be more than 0 and at most 100."
        )
    if errors:
        raise ValidationError(errors)
    others = person.employments.overlapping(start_date, end_date)
    if exclude_pk:
        others = others.exclude(pk=exclude_pk)
    total = (
        others.aggregate(total=Sum("position_percent"))["total"] or Decimal("0")
    ) + position_percent
    if total > 100:
        raise ValidationError(
            {
                "position_percent": _(
                    "%(name)s already has positions in this period; together they would be "
                    "%(total)s %%, more than 100 %%. End the other position first."
                )
                % {"name": person.full_name, "total": f"{total:g}".replace(".", ",")}
            }
        )


@transaction.atomic
def create_person(
    *,
    actor: AnyUser | None,
    organisation: Organisation,
    first_name: str,
    last_name: str,
    employee_number: str = "",
    email: str = "",
    phone: str = "",
    is_external: bool = False,
) -> Person:
    _check_unique_employee_number(organisation.pk, employee_number)
    person = Person(
        organisation=organisation,
        first_name=first_name,
        last_name=last_name,
        employee_number=employee_number,
        email=email,
        phone=phone,
        is_external=is_external,
    )
    person.full_clean()
    person.save()
    _created(actor, person)
    return person


@transaction.atomic
def update_person(*, actor: AnyUser | None, person: Person, **changes: Any) -> Person:
    allowed = {"first_name", "last_name", "employee_number", "email", "phone", "is_external"}
    unknown = set(changes) - allowed
    if unknown:
        raise TypeError(f"update_person() cannot change {sorted(unknown)}")
    if "employee_number" in changes:
        _check_unique_employee_number(
            person.organisation_id, changes["employee_number"], exclude_pk=person.pk
        )
    _update(actor, person, changes)
    return person


@transaction.atomic
def add_employment(
    *,
    actor: AnyUser | None,
    person: Person,
    unit: Unit,
    position_percent: Decimal,
    start_date: dt.date,
    end_date: dt.date | None = None,
    title: str = "",
    employment_type: str = Employment.Type.PERMANENT,
    is_leader: bool = False,
) -> Employment:
    Person.objects.select_for_update().filter(pk=person.pk).first()
    check_employment(
        person=person,
        unit=unit,
        position_percent=position_percent,
        start_date=start_date,
        end_date=end_date,
    )
    employment = Employment(
        organisation_id=person.organisation_id,
        person=person,
        unit=unit,
        title=title,
        position_percent=position_percent,
        employment_type=employment_type,
        start_date=start_date,
        end_date=end_date,
        is_leader=is_leader,
    )
    employment.full_clean()
    employment.save()
    _created(actor, employment)
    return employment


@transaction.atomic
def update_employment(
    *, actor: AnyUser | None, employment: Employment, **changes: Any
) -> Employment:
    allowed = {
        "unit",
        "title",
        "position_percent",
        "employment_type",
        "start_date",
        "end_date",
        "is_leader",
    }
    unknown = set(changes) - allowed
    if unknown:
        raise TypeError(f"update_employment() cannot change {sorted(unknown)}")
    merged = {name: changes.get(name, getattr(employment, name)) for name in allowed}
    check_employment(
        person=employment.person,
        unit=merged["unit"],
        position_percent=merged["position_percent"],
        start_date=merged["start_date"],
        end_date=merged["end_date"],
        exclude_pk=employment.pk,
    )
    _update(actor, employment, changes)
    return employment


@transaction.atomic
def end_employment(
    *, actor: AnyUser | None, employment: Employment, end_date: dt.date
) -> Employment:
    """People who leave are ended, never deleted: their history stays for statistics."""
    if end_date < employment.start_date:
        raise ValidationError({"end_date": _("The end date is before the start date.")})
    _update(actor, employment, {"end_date": end_date})
    return employment


# --- Safety areas and representatives -----------------------------------------------------
@transaction.atomic
def create_safety_area(
    *, actor: AnyUser | None, organisation: Organisation, name: str, units: list[Unit]
) -> SafetyArea:
    if any(unit.organisation_id != organisation.pk for unit in units):
        raise ValidationError(_("A unit belongs to another organisation."))
    area = SafetyArea(organisation=organisation, name=name)
    area.full_clean()
    area.save()
    area.units.set(units)
    _created(actor, area)
    return area


@transaction.atomic
def update_safety_area(
    *, actor: AnyUser | None, area: SafetyArea, name: str, units: list[Unit]
) -> SafetyArea:
    if any(unit.organisation_id != area.organisation_id for unit in units):
        raise ValidationError(_("A unit belongs to another organisation."))
    _update(actor, area, {"name": name})
    area.units.set(units)
    return area


@transaction.atomic
def appoint_safety_representative(
    *,
    actor: AnyUser | None,
    person: Person,
    role: str,
    start_date: dt.date,
    area: SafetyArea | None = None,
    end_date: dt.date | None = None,
) -> SafetyRepresentative:
    """Record a verneombud term; the term is 2 years unless another end date is given."""
    if area is not None and area.organisation_id != person.organisation_id:
        raise ValidationError(_("The safety area belongs to another organisation."))
    if role != SafetyRepresentative.Role.MAIN and area is None:
        raise ValidationError({"area": _("A safety representative needs a safety area.")})
    end = end_date or add_years(start_date, TERM_YEARS) - dt.timedelta(days=1)
    if end <= start_date:
        raise ValidationError({"end_date": _("The term must end after it starts.")})
    term = SafetyRepresentative(
        organisation_id=person.organisation_id,
        person=person,
        role=role,
        area=area,
        start_date=start_date,
        end_date=end,
    )
    term.full_clean()
    term.save()
    _created(actor, term)
    return term


# --- Committees ----------------------------------------------------------------------------
@transaction.atomic
def create_committee(
    *,
    actor: AnyUser | None,
    organisation: Organisation,
    kind: str,
    name: str,
    unit: Unit,
    parent: Committee | None = None,
) -> Committee:
    if unit.organisation_id != organisation.pk or (
        parent and parent.organisation_id != organisation.pk
    ):
        raise ValidationError(_("The unit or parent committee belongs to another organisation."))
    committee = Committee(organisation=organisation, kind=kind, name=name, unit=unit, parent=parent)
    committee.full_clean()
    committee.save()
    _created(actor, committee)
    return committee


@transaction.atomic
def update_committee(
    *,
    actor: AnyUser | None,
    committee: Committee,
    kind: str,
    name: str,
    unit: Unit,
    parent: Committee | None,
    is_active: bool = True,
) -> Committee:
    if parent is not None and (
        parent.pk == committee.pk or parent.organisation_id != committee.organisation_id
    ):
        raise ValidationError(
            {"parent": _("A committee cannot report to itself or to another organisation.")}
        )
    _update(
        actor,
        committee,
        {"kind": kind, "name": name, "unit": unit, "parent": parent, "is_active": is_active},
    )
    return committee


@transaction.atomic
def add_committee_member(
    *,
    actor: AnyUser | None,
    committee: Committee,
    person: Person,
    side: str,
    office: str = CommitteeMember.Office.MEMBER,
    start_date: dt.date,
    end_date: dt.date | None = None,
) -> CommitteeMember:
    if person.organisation_id != committee.organisation_id:
        raise ValidationError(_("The person belongs to another organisation."))
    end = end_date or add_years(start_date, TERM_YEARS) - dt.timedelta(days=1)
    if end <= start_date:
        raise ValidationError({"end_date": _("The term must end after it starts.")})
    if committee.members.current(start_date).filter(person=person, office=office).exists():
        raise ValidationError(
            _("%(name)s already has this office in the committee.") % {"name": person.full_name}
        )
    member = CommitteeMember(
        organisation_id=committee.organisation_id,
        committee=committee,
        person=person,
        side=side,
        office=office,
        start_date=start_date,
        end_date=end,
    )
    member.full_clean()
    member.save()
    _created(actor, member)
    return member


@transaction.atomic
def end_committee_membership(
    *, actor: AnyUser | None, member: CommitteeMember, end_date: dt.date
) -> CommitteeMember:
    if end_date <= member.start_date:
        raise ValidationError({"end_date": _("The term must end after it starts.")})
    _update(actor, member, {"end_date": end_date})
    return member


def chair_side_due(committee: Committee, year: int) -> str | None:
    """The side whose turn it is to chair in `year`: the other side from the latest earlier
    constitution. None in a committee's first year, when the sides agree or draw lots."""
    previous = (
        committee.years.filter(year__lt=year)
        .order_by("-year")
        .values_list("chair_side", "year")
        .first()
    )
    if previous is None:
        return None
    side, prev_year = previous
    flips = year - prev_year
    if flips % 2 == 0:
        return side
    return (
        CommitteeMember.Side.EMPLOYEE
        if side == CommitteeMember.Side.EMPLOYER
        else CommitteeMember.Side.EMPLOYER
    )


@transaction.atomic
def constitute_committee(
    *,
    actor: AnyUser | None,
    committee: Committee,
    year: int,
    chair: CommitteeMember,
    deputy_chair: CommitteeMember | None,
    constituted_on: dt.date,
    deviation_reason: str = "",
) -> CommitteeYear:
    """Record the yearly constitution. The chair must come from the side whose turn it is
    (AML § 7-1, FOLM § 3-12) unless a reason is recorded."""
    errors: dict[str, str] = {}
    for field, member in (("chair", chair), ("deputy_chair", deputy_chair)):
        if member is None:
            continue
        if member.committee_id != committee.pk:
            errors[field] = _("Choose a member of this committee.")
        elif not member.has_vote:
            errors[field] = _("Choose a voting member from the employer or employee side.")
        elif member.start_date > constituted_on or (
            member.end_date and member.end_date < constituted_on
        ):
            errors[field] = _("%(name)s is not a member on the day of the constitution.") % {
                "name": member.person.full_name
            }
    if deputy_chair is not None and deputy_chair.pk == chair.pk:
        errors["deputy_chair"] = _("The deputy chair must be another person than the chair.")
    due = chair_side_due(committee, year)
    if due and chair.side != due and not deviation_reason.strip():
        errors["deviation_reason"] = _(
            "It is the %(side)s's turn to chair in %(year)s. Choose a chair from that side, "
            "or write why the committee departs from the rule."
        ) % {"side": CommitteeMember.Side(due).label.lower(), "year": year}
    if committee.years.filter(year=year).exists():
        errors["year"] = _("The committee is already constituted for %(year)s.") % {"year": year}
    if errors:
        raise ValidationError(errors)
    record = CommitteeYear(
        organisation_id=committee.organisation_id,
        committee=committee,
        year=year,
        chair=chair,
        chair_side=chair.side,
        deputy_chair=deputy_chair,
        constituted_on=constituted_on,
        deviation_reason=deviation_reason.strip(),
    )
    record.full_clean()
    record.save()
    _created(actor, record)
    return record


# --- Role grants ---------------------------------------------------------------------------
@transaction.atomic
def grant_role(
    *,
    actor: AnyUser | None,
    organisation: Organisation,
    user: Any,
    role: str,
    unit: Unit | None = None,
) -> RoleGrant:
    if user.organisation_id != organisation.pk or (
        unit and unit.organisation_id != organisation.pk
    ):
        raise ValidationError(_("The user or unit belongs to another organisation."))
    grant, created = RoleGrant.objects.get_or_create(
        organisation=organisation, user=user, role=role, unit=unit
    )
    if created:
        _created(actor, grant)
    return grant


@transaction.atomic
def revoke_role(*, actor: AnyUser | None, grant: RoleGrant) -> None:
    before = snapshot(grant)
    grant.delete()
    record_change(
        actor=actor,
        instance=grant,
        action=AuditEntry.Action.DELETE,
        before=before,
        organisation_id=before["organisation"],
    )

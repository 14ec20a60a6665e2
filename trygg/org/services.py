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
from django.db.models import F, Q, Sum, Value
from django.db.models.functions import Concat, Substr
from django.utils.translation import gettext as _

from trygg.accounts.models import Organisation, User
from trygg.audit.models import AuditEntry
from trygg.audit.services import record_change, record_created, snapshot
from trygg.lib.dates import add_years
from trygg.lib.typing import AnyUser
from trygg.org.models import (
    Committee,
    CommitteeMember,
    CommitteeYear,
    Employment,
    OHSContact,
    OHSProvider,
    Person,
    RoleGrant,
    SafetyArea,
    SafetyRepresentative,
    UnionRepresentative,
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


def _insert(actor: AnyUser | None, instance: Any) -> None:
    """Validate, save and audit a new row."""
    instance.full_clean()
    instance.save()
    record_created(actor, instance)


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
    record_created(actor, unit)
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
    _insert(actor, person)
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
    _insert(actor, employment)
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
    record_created(actor, area)
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
    _insert(actor, term)
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
    _insert(actor, committee)
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
    _insert(actor, member)
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
    _insert(actor, record)
    return record


# --- Logins -------------------------------------------------------------------------------
@transaction.atomic
def create_login(*, actor: AnyUser | None, person: Person, username: str, email: str) -> User:
    """Give a person a login. The account has no password until the person chooses one from
    the welcome email (accounts.services.send_welcome_email)."""
    person = Person.objects.select_for_update().get(pk=person.pk)
    errors: dict[str, str] = {}
    if person.user_id is not None:
        errors["username"] = _("%(name)s already has a login.") % {"name": person.full_name}
    if User.objects.filter(username__iexact=username).exists():
        errors["username"] = _("The username %(username)s is taken.") % {"username": username}
    if not email:
        errors["email"] = _(
            "A login needs an email address, for the welcome email and password resets."
        )
    if errors:
        raise ValidationError(errors)
    user = User(
        username=username,
        email=email,
        first_name=person.first_name,
        last_name=person.last_name,
        organisation_id=person.organisation_id,
    )
    user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    record_change(
        actor=actor,
        instance=user,
        action=AuditEntry.Action.CREATE,
        after=snapshot(user),
        organisation_id=person.organisation_id,
    )
    _update(actor, person, {"user": user, "email": person.email or email})
    return user


@transaction.atomic
def set_login_active(*, actor: AnyUser | None, person: Person, active: bool) -> User:
    """Deactivate (or reactivate) a person's login; the account and its history stay."""
    user = person.user
    if user is None:
        raise ValidationError(_("%(name)s has no login.") % {"name": person.full_name})
    if (
        not active
        and RoleGrant.objects.filter(
            user=user, role=RoleGrant.Role.ADMIN, unit__isnull=True
        ).exists()
    ):
        others = RoleGrant.objects.filter(
            organisation_id=person.organisation_id,
            role=RoleGrant.Role.ADMIN,
            unit__isnull=True,
            user__is_active=True,
        ).exclude(user=user)
        if not others.exists():
            raise ValidationError(
                _("The organisation must keep at least one system administrator.")
            )
    before = snapshot(user)
    user.is_active = active
    user.save(update_fields=["is_active"])
    record_change(
        actor=actor,
        instance=user,
        action=AuditEntry.Action.UPDATE,
        before=before,
        after=snapshot(user),
        organisation_id=person.organisation_id,
    )
    return user


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
        record_created(actor, grant)
    return grant


@transaction.atomic
def revoke_role(*, actor: AnyUser | None, grant: RoleGrant) -> None:
    last_admin = (
        grant.role == RoleGrant.Role.ADMIN
        and grant.unit_id is None
        and not RoleGrant.objects.filter(
            organisation_id=grant.organisation_id,
            role=RoleGrant.Role.ADMIN,
            unit__isnull=True,
            user__is_active=True,
        )
        .exclude(pk=grant.pk)
        .exists()
    )
    if last_admin:
        raise ValidationError(_("The organisation must keep at least one system administrator."))
    before = snapshot(grant)
    grant.delete()
    record_change(
        actor=actor,
        instance=grant,
        action=AuditEntry.Action.DELETE,
        before=before,
        organisation_id=before["organisation"],
    )


# --- BHT and union representatives ---
# Appended as one block; its imports belong in the header when the file is next tidied.


def _clean_org_number(org_number: str) -> str:
    """Organisation numbers are often written in groups ("974 760 673"): keep the digits."""
    number = "".join(org_number.split())
    if number and not (len(number) == 9 and number.isascii() and number.isdigit()):
        raise ValidationError(
            {
                "org_number": _(
                    "An organisation number has 9 digits, for example 974 760 673. "
                    "Leave the field empty if you do not know it."
                )
            }
        )
    return number


@transaction.atomic
def create_ohs_provider(
    *,
    actor: AnyUser | None,
    organisation: Organisation,
    name: str,
    org_number: str = "",
    approved: bool = True,
    email: str = "",
    phone: str = "",
    agreement_start: dt.date | None = None,
) -> OHSProvider:
    """Register the organisation's occupational health service (AML § 3-3)."""
    provider = OHSProvider(
        organisation=organisation,
        name=name.strip(),
        org_number=_clean_org_number(org_number),
        approved=approved,
        email=email,
        phone=phone.strip(),
        agreement_start=agreement_start,
    )
    _insert(actor, provider)
    return provider


@transaction.atomic
def update_ohs_provider(
    *,
    actor: AnyUser | None,
    provider: OHSProvider,
    name: str,
    org_number: str,
    approved: bool,
    email: str,
    phone: str,
    agreement_start: dt.date | None,
) -> OHSProvider:
    provider = OHSProvider.objects.select_for_update().get(pk=provider.pk)
    _update(
        actor,
        provider,
        {
            "name": name.strip(),
            "org_number": _clean_org_number(org_number),
            "approved": approved,
            "email": email,
            "phone": phone.strip(),
            "agreement_start": agreement_start,
        },
    )
    return provider


@transaction.atomic
def add_ohs_contact(
    *, actor: AnyUser | None, provider: OHSProvider, person: Person, profession: str = ""
) -> OHSContact:
    """Make a person (usually external, see add_external_ohs_contact) a contact at the BHT."""
    if person.organisation_id != provider.organisation_id:
        raise ValidationError({"person": _("The person belongs to another organisation.")})
    if provider.contacts.filter(person=person).exists():
        raise ValidationError(
            {
                "person": _("%(name)s is already a contact person at %(provider)s.")
                % {"name": person.full_name, "provider": provider.name}
            }
        )
    contact = OHSContact(
        organisation_id=provider.organisation_id,
        provider=provider,
        person=person,
        profession=profession.strip(),
    )
    _insert(actor, contact)
    return contact


@transaction.atomic
def add_external_ohs_contact(
    *,
    actor: AnyUser | None,
    provider: OHSProvider,
    first_name: str,
    last_name: str,
    email: str = "",
    phone: str = "",
    profession: str = "",
) -> OHSContact:
    """A BHT adviser who is not in the HR data: an external person and the contact, together."""
    person = create_person(
        actor=actor,
        organisation=provider.organisation,
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        email=email,
        phone=phone.strip(),
        is_external=True,
    )
    return add_ohs_contact(actor=actor, provider=provider, person=person, profession=profession)


@transaction.atomic
def remove_ohs_contact(*, actor: AnyUser | None, contact: OHSContact) -> None:
    """The contact goes; the person stays (they may have other roles, and history)."""
    before = snapshot(contact)
    contact.delete()
    record_change(
        actor=actor,
        instance=contact,
        action=AuditEntry.Action.DELETE,
        before=before,
        organisation_id=before["organisation"],
    )


@transaction.atomic
def appoint_union_representative(
    *,
    actor: AnyUser | None,
    person: Person,
    union: str,
    start_date: dt.date,
    is_main: bool = False,
    unit: Unit | None = None,
    end_date: dt.date | None = None,
) -> UnionRepresentative:
    """Record a tillitsvalgt's term. The term is open-ended unless an end date is given."""
    union = " ".join(union.split())
    if unit is not None and unit.organisation_id != person.organisation_id:
        raise ValidationError({"unit": _("The unit belongs to another organisation.")})
    if end_date is not None and end_date <= start_date:
        raise ValidationError({"end_date": _("The term must end after it starts.")})
    Person.objects.select_for_update().filter(pk=person.pk).first()
    overlapping = person.union_terms.filter(union__iexact=union, unit=unit).filter(
        Q(end_date__isnull=True) | Q(end_date__gte=start_date)
    )
    if end_date is not None:
        overlapping = overlapping.filter(start_date__lte=end_date)
    if union and overlapping.exists():
        raise ValidationError(
            _("%(name)s is already a union representative for %(union)s in this period.")
            % {"name": person.full_name, "union": union}
        )
    term = UnionRepresentative(
        organisation_id=person.organisation_id,
        person=person,
        union=union,
        is_main=is_main,
        unit=unit,
        start_date=start_date,
        end_date=end_date,
    )
    _insert(actor, term)
    return term


@transaction.atomic
def end_union_representative(
    *, actor: AnyUser | None, representative: UnionRepresentative, end_date: dt.date
) -> UnionRepresentative:
    """Terms are ended, never deleted: the overview must show who represented whom, and when."""
    representative = UnionRepresentative.objects.select_for_update().get(pk=representative.pk)
    if end_date <= representative.start_date:
        raise ValidationError({"end_date": _("The term must end after it starts.")})
    _update(actor, representative, {"end_date": end_date})
    return representative

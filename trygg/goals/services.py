"""Use cases that change goals, action plans and internal-control statuses. Each is atomic,
keyword-only and audit-logged; access has been checked by the caller through goals/access.py."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from trygg.accounts.models import Organisation
from trygg.actions.services import create_action_item, update_action_item
from trygg.audit.models import AuditEntry
from trygg.audit.services import record_change, record_created, snapshot
from trygg.goals.measure import KNOWN_INDICATORS
from trygg.goals.models import ActionPlan, ActionPlanRow, ControlStatus, Goal, GoalMeasurement
from trygg.lib import controls, indicators
from trygg.lib.typing import AnyUser
from trygg.org.models import Committee, Person, Unit

WRITTEN_POINTS = range(4, 9)  # internkontrollforskriften § 5: no. 4–8 must be in writing
MIN_YEAR, MAX_YEAR = 2000, 2100


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


def _check_owner(organisation_id: int, unit: Unit | None, committee: Committee | None) -> None:
    if unit is not None and committee is not None:
        raise ValidationError(_("A goal or plan belongs to a unit or a committee, not both."))
    for owner in (unit, committee):
        if owner is not None and owner.organisation_id != organisation_id:
            raise ValidationError(_("The unit or committee belongs to another organisation."))


def _check_years(start_year: int, end_year: int) -> None:
    if not (MIN_YEAR <= start_year <= MAX_YEAR and MIN_YEAR <= end_year <= MAX_YEAR):
        raise ValidationError(
            {
                "start_year": _("Enter a year between %(low)s and %(high)s.")
                % {"low": MIN_YEAR, "high": MAX_YEAR}
            }
        )
    if end_year < start_year:
        raise ValidationError({"end_year": _("The period cannot end before it starts.")})


def _check_measurable(data: dict[str, Any]) -> None:
    """A goal is measurable: an indicator (live, or a measure entered by hand) and a target."""
    errors: dict[str, str] = {}
    code = data.get("indicator_code", "")
    if code and indicators.get(code) is None and code not in KNOWN_INDICATORS:
        errors["indicator_code"] = _("Unknown indicator “%(code)s”.") % {"code": code}
    if not code and not data.get("measure", "").strip():
        errors["measure"] = _(
            "A goal must be measurable: choose a live indicator or describe what is measured."
        )
    if data.get("target") is None:
        errors["target"] = _(
            "A goal must be measurable: give the target value the indicator should reach."
        )
    if errors:
        raise ValidationError(errors)


def _indicator_defaults(data: dict[str, Any]) -> None:
    """A live indicator's own unit and direction win over what was typed."""
    code = data.get("indicator_code", "")
    if not code:
        return
    registered = indicators.get(code)
    if registered is not None:
        data["measure_unit"], data["lower_is_better"] = registered.unit, registered.lower_is_better
    elif code in KNOWN_INDICATORS:
        _label, data["measure_unit"], data["lower_is_better"] = KNOWN_INDICATORS[code]
    data["measure"] = ""


GOAL_FIELDS = (
    "title",
    "description",
    "start_year",
    "end_year",
    "indicator_code",
    "measure",
    "measure_unit",
    "lower_is_better",
    "baseline",
    "target",
    "parent",
)


@transaction.atomic
def create_goal(
    *,
    actor: AnyUser | None,
    organisation: Organisation,
    title: str,
    start_year: int,
    end_year: int,
    target: Decimal | None,
    unit: Unit | None = None,
    committee: Committee | None = None,
    parent: Goal | None = None,
    description: str = "",
    indicator_code: str = "",
    measure: str = "",
    measure_unit: str = "%",
    lower_is_better: bool = False,
    baseline: Decimal | None = None,
) -> Goal:
    """Set an HMS goal for the organisation (no unit or committee) or break one down for a unit
    or committee. Rejected unless it is measurable."""
    data = {
        "title": title.strip(),
        "description": description.strip(),
        "start_year": start_year,
        "end_year": end_year,
        "indicator_code": indicator_code,
        "measure": measure.strip(),
        "measure_unit": (measure_unit or "%").strip(),
        "lower_is_better": lower_is_better,
        "baseline": baseline,
        "target": target,
        "parent": parent,
    }
    _validate_goal(organisation.pk, data, unit=unit, committee=committee)
    number = (
        Goal.objects.filter(organisation=organisation, unit=unit, committee=committee).aggregate(
            n=Max("number")
        )["n"]
        or 0
    ) + 1
    goal = Goal(organisation=organisation, unit=unit, committee=committee, number=number, **data)
    goal.full_clean()
    goal.save()
    record_created(actor, goal)
    return goal


def _validate_goal(
    organisation_id: int,
    data: dict[str, Any],
    *,
    unit: Unit | None,
    committee: Committee | None,
    goal: Goal | None = None,
) -> None:
    if not data["title"]:
        raise ValidationError({"title": _("Write the goal.")})
    _check_owner(organisation_id, unit, committee)
    _check_years(data["start_year"], data["end_year"])
    _check_measurable(data)
    _indicator_defaults(data)
    parent = data.get("parent")
    if parent is not None:
        if parent.organisation_id != organisation_id:
            raise ValidationError(
                {"parent": _("The overarching goal belongs to another organisation.")}
            )
        if goal is not None and parent.pk == goal.pk:
            raise ValidationError({"parent": _("A goal cannot break down itself.")})
        if unit is None and committee is None:
            raise ValidationError(
                {
                    "parent": _(
                        "Only a unit's or a committee's goal breaks down an overarching goal."
                    )
                }
            )


@transaction.atomic
def update_goal(*, actor: AnyUser | None, goal: Goal, **changes: Any) -> Goal:
    unknown = set(changes) - set(GOAL_FIELDS) - {"is_active"}
    if unknown:
        raise TypeError(f"unknown goal fields: {sorted(unknown)}")
    goal = Goal.objects.select_for_update().get(pk=goal.pk)
    data = {name: getattr(goal, name) for name in GOAL_FIELDS}
    data.update(changes)
    data["title"] = (data["title"] or "").strip()
    data["measure"] = (data["measure"] or "").strip()
    _validate_goal(goal.organisation_id, data, unit=goal.unit, committee=goal.committee, goal=goal)
    _update(actor, goal, data)
    return goal


@transaction.atomic
def record_measurement(
    *,
    actor: AnyUser | None,
    goal: Goal,
    measured_on: dt.date,
    value: Decimal,
    note: str = "",
) -> GoalMeasurement:
    """Enter a value of a goal's hand-entered measure (a live indicator needs none)."""
    if goal.indicator_code:
        raise ValidationError(
            _("This goal is measured by live data in Trygg; values are not entered by hand.")
        )
    if value is None:
        raise ValidationError({"value": _("Enter the measured value.")})
    measurement = GoalMeasurement(
        organisation_id=goal.organisation_id,
        goal=goal,
        measured_on=measured_on,
        value=value,
        note=note.strip(),
        recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    measurement.full_clean()
    measurement.save()
    record_created(actor, measurement)
    return measurement


# --- Internal control ---------------------------------------------------------------------------
@transaction.atomic
def set_control_status(
    *,
    actor: AnyUser | None,
    organisation: Organisation,
    point: int,
    status: str,
    note: str = "",
    unit: Unit | None = None,
) -> ControlStatus:
    """Assess one point of internkontrollforskriften § 5 for the organisation or a unit. Points
    4–8 must be documented in writing: "in place" needs a record in Trygg that documents it."""
    if not 1 <= point <= 8:
        raise ValidationError({"point": _("Internkontrollforskriften § 5 has points 1 to 8.")})
    if status not in ControlStatus.Status.values:
        raise ValidationError({"status": _("Choose a status.")})
    if unit is not None and unit.organisation_id != organisation.pk:
        raise ValidationError(_("The unit belongs to another organisation."))
    note = note.strip()
    if status == ControlStatus.Status.DONE:
        if point in WRITTEN_POINTS:
            records = controls.records_for(point, organisation.pk, unit.path if unit else "")
            if not any(record.ok for record in records):
                raise ValidationError(
                    {
                        "status": _(
                            "Point %(point)s must be documented in writing: it cannot be marked "
                            "as in place until Trygg holds a record that documents it."
                        )
                        % {"point": point}
                    }
                )
        elif not note:
            raise ValidationError(
                {"note": _("Write down how the point is in place, so the status is documented.")}
            )
    existing = (
        ControlStatus.objects.select_for_update()
        .filter(organisation=organisation, unit=unit, point=point)
        .first()
    )
    user = actor if getattr(actor, "is_authenticated", False) else None
    if existing is None:
        row = ControlStatus(
            organisation=organisation,
            unit=unit,
            point=point,
            status=status,
            note=note,
            updated_by=user,
        )
        row.full_clean()
        row.save()
        record_created(actor, row)
        return row
    _update(actor, existing, {"status": status, "note": note, "updated_by": user})
    return existing


# --- Action plans -----------------------------------------------------------------------------
PLAN_ROW_FIELDS = (
    "focus_area",
    "goal",
    "goal_text",
    "activity",
    "when",
    "responsible",
    "reporting",
)


@transaction.atomic
def create_plan(
    *,
    actor: AnyUser | None,
    organisation: Organisation,
    title: str,
    start_year: int,
    end_year: int,
    unit: Unit | None = None,
    committee: Committee | None = None,
    description: str = "",
) -> ActionPlan:
    """An action plan (handlingsplan) for the organisation, a unit or a committee."""
    title = title.strip()
    if not title:
        raise ValidationError({"title": _("Give the plan a title.")})
    _check_owner(organisation.pk, unit, committee)
    _check_years(start_year, end_year)
    plan = ActionPlan(
        organisation=organisation,
        unit=unit,
        committee=committee,
        title=title,
        description=description.strip(),
        start_year=start_year,
        end_year=end_year,
    )
    plan.full_clean()
    plan.save()
    record_created(actor, plan)
    return plan


@transaction.atomic
def update_plan(
    *,
    actor: AnyUser | None,
    plan: ActionPlan,
    title: str,
    start_year: int,
    end_year: int,
    description: str = "",
) -> ActionPlan:
    if not title.strip():
        raise ValidationError({"title": _("Give the plan a title.")})
    _check_years(start_year, end_year)
    _update(
        actor,
        plan,
        {
            "title": title.strip(),
            "start_year": start_year,
            "end_year": end_year,
            "description": description.strip(),
        },
    )
    return plan


def plan_unit(plan: ActionPlan) -> Unit | None:
    """The unit the plan's action items belong to (a committee's plan: the committee's unit)."""
    if plan.unit_id is not None:
        return plan.unit
    if plan.committee_id is not None:
        return plan.committee.unit
    return None


def _check_row(plan: ActionPlan, data: dict[str, Any], owner: Person | None) -> None:
    errors: dict[str, str] = {}
    if not data["focus_area"]:
        errors["focus_area"] = _("Name the focus area (innsatsområde).")
    if not data["activity"]:
        errors["activity"] = _("Describe the activity.")
    goal = data.get("goal")
    if goal is not None and goal.organisation_id != plan.organisation_id:
        errors["goal"] = _("The goal belongs to another organisation.")
    if owner is not None and owner.organisation_id != plan.organisation_id:
        errors["owner"] = _("The responsible person belongs to another organisation.")
    if errors:
        raise ValidationError(errors)


def _item_title(activity: str) -> str:
    first = activity.strip().splitlines()[0] if activity.strip() else ""
    return first if len(first) <= 300 else first[:297] + "..."


@transaction.atomic
def add_plan_row(
    *,
    actor: AnyUser | None,
    plan: ActionPlan,
    focus_area: str,
    activity: str,
    number: int | None = None,
    goal: Goal | None = None,
    goal_text: str = "",
    when: str = "",
    responsible: str = "",
    reporting: str = "",
    owner: Person | None = None,
    deadline: dt.date | None = None,
) -> ActionPlanRow:
    """Add a row to the plan; its activity becomes an action item with the owner and deadline."""
    data = {
        "focus_area": focus_area.strip(),
        "goal": goal,
        "goal_text": goal_text.strip(),
        "activity": activity.strip(),
        "when": when.strip(),
        "responsible": responsible.strip(),
        "reporting": reporting.strip(),
    }
    _check_row(plan, data, owner)
    taken = ActionPlanRow.objects.filter(plan=plan)
    if number is None:
        number = (taken.aggregate(n=Max("number"))["n"] or 0) + 1
    elif number < 1:
        raise ValidationError({"number": _("The number must be 1 or more.")})
    elif taken.filter(number=number).exists():
        raise ValidationError(
            {"number": _("The plan already has a row number %(number)s.") % {"number": number}}
        )
    row = ActionPlanRow(organisation_id=plan.organisation_id, plan=plan, number=number, **data)
    row.full_clean(exclude=["action_item"])
    row.save()
    row.action_item = create_action_item(
        actor=actor,
        title=_item_title(row.activity),
        description=row.activity,
        owner=owner,
        deadline=deadline,
        unit=plan_unit(plan),
        source=row,
    )
    row.save(update_fields=["action_item"])
    record_created(actor, row)
    return row


@transaction.atomic
def update_plan_row(
    *,
    actor: AnyUser | None,
    row: ActionPlanRow,
    owner: Person | None,
    deadline: dt.date | None,
    **changes: Any,
) -> ActionPlanRow:
    unknown = set(changes) - set(PLAN_ROW_FIELDS)
    if unknown:
        raise TypeError(f"unknown plan-row fields: {sorted(unknown)}")
    data = {name: getattr(row, name) for name in PLAN_ROW_FIELDS}
    data.update({k: v.strip() if isinstance(v, str) else v for k, v in changes.items()})
    _check_row(row.plan, data, owner)
    _update(actor, row, data)
    update_action_item(
        actor=actor,
        item=row.action_item,
        title=_item_title(row.activity),
        description=row.activity,
        owner=owner,
        deadline=deadline,
    )
    return row


@transaction.atomic
def import_plan_rows(
    *, actor: AnyUser | None, plan: ActionPlan, rows: list[dict[str, Any]]
) -> list[ActionPlanRow]:
    """Add rows read from a spreadsheet (already checked by goals.importing); all or nothing."""
    return [add_plan_row(actor=actor, plan=plan, **row) for row in rows]

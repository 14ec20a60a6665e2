"""/goals, /action-plans and /internal-control: HMS goals with their live status, action plans
(handlingsplaner) with the seed plan's columns, and the 8 points of internkontrollforskriften § 5,
as on the pages under /mal/."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from trygg.actions.queries import owner_choices
from trygg.api.common import Input, Pagination, PersonRef, UnitRef, changes, choice, unit_choice
from trygg.api.errors import ERRORS, WRITE_ERRORS, not_a_choice
from trygg.goals import access, queries, services
from trygg.goals.measure import Status as GoalStatus
from trygg.goals.models import ActionPlan, ControlStatus, Goal
from trygg.lib.dates import today
from trygg.org import access as org_access
from trygg.org.models import Committee, Unit

router = Router(tags=["goals"])

GOAL_STATUSES = {"enum": [GoalStatus.ON_TRACK, GoalStatus.OFF_TRACK, GoalStatus.NO_DATA]}
CONTROL_STATUSES = {"enum": list(ControlStatus.Status.values)}


class CommitteeRef(Schema):
    id: int
    name: str


class PointOut(Schema):
    date: dt.date
    value: Decimal


class GoalOut(Schema):
    id: int
    number: int
    title: str
    description: str
    unit: UnitRef | None = Field(description="Set for a unit's local goal.")
    committee: CommitteeRef | None = Field(description="Set for a committee's local goal.")
    parent_id: int | None = Field(description="The overarching goal this one breaks down.")
    start_year: int
    end_year: int
    indicator_code: str = Field(description="The live indicator; empty when measured by hand.")
    measure: str = Field(description="What is measured by hand.")
    measure_unit: str
    lower_is_better: bool
    baseline: Decimal | None
    target: Decimal
    status: str = Field(json_schema_extra=GOAL_STATUSES)
    value: Decimal | None = Field(description="The current value (live: the last 12 months).")
    data_source_missing: bool = Field(
        description="True when no module supplies the live indicator yet."
    )
    trend: list[PointOut]


class GoalIn(Input):
    title: str
    start_year: int = Field(ge=2000, le=2100)
    end_year: int = Field(ge=2000, le=2100)
    target: Decimal | None = Field(None, description="Required: a goal must be measurable.")
    unit_id: int | None = Field(None, description="A unit's local goal.")
    committee_id: int | None = Field(None, description="A committee's local goal.")
    parent_id: int | None = Field(None, description="The overarching goal it breaks down.")
    description: str = ""
    indicator_code: str = Field("", description="A live indicator, or empty with `measure`.")
    measure: str = ""
    measure_unit: str = "%"
    lower_is_better: bool = False
    baseline: Decimal | None = None


class GoalPatch(Input):
    title: str | None = None
    description: str | None = None
    start_year: int | None = Field(None, ge=2000, le=2100)
    end_year: int | None = Field(None, ge=2000, le=2100)
    indicator_code: str | None = None
    measure: str | None = None
    measure_unit: str | None = None
    lower_is_better: bool | None = None
    baseline: Decimal | None = None
    target: Decimal | None = None
    is_active: bool | None = None


class MeasurementIn(Input):
    measured_on: dt.date
    value: Decimal
    note: str = ""


def _goal_out(goal: Goal, view: queries.GoalView | None = None) -> GoalOut:
    view = view or queries.view_goals([goal], trend=True)[0]
    return GoalOut(
        id=goal.pk,
        number=goal.number,
        title=goal.title,
        description=goal.description,
        unit=UnitRef.model_validate(goal.unit) if goal.unit else None,
        committee=CommitteeRef.model_validate(goal.committee) if goal.committee else None,
        parent_id=goal.parent_id,
        start_year=goal.start_year,
        end_year=goal.end_year,
        indicator_code=goal.indicator_code,
        measure=goal.measure,
        measure_unit=goal.measure_unit,
        lower_is_better=goal.lower_is_better,
        baseline=goal.baseline,
        target=goal.target,
        status=view.reading.status,
        value=view.reading.value,
        data_source_missing=view.reading.source_missing,
        trend=[PointOut(date=d, value=v) for d, v in view.reading.points],
    )


def _fresh(goal: Goal) -> Goal:
    return Goal.objects.with_related().select_related("committee__unit").get(pk=goal.pk)


@router.get("/goals", response={200: list[GoalOut], **ERRORS})
@paginate(Pagination)
def list_goals(
    request: HttpRequest,
    year: int | None = Query(None, description="Goals in force this year (default: this year)."),
) -> list[GoalOut]:
    """The organisation's goals and the local goals, with their status and trend."""
    access.require_member(request.user)
    goals = queries.goals_in_force(access.visible_goals(request.user), year or today().year)
    rows = (
        goals.with_related()
        .select_related("committee__unit")
        .order_by("unit", "committee", "number", "pk")
    )
    return [_goal_out(view.goal, view) for view in queries.view_goals(list(rows))]


@router.get("/goals/{goal_id}", response={200: GoalOut, **ERRORS})
def get_goal(request: HttpRequest, goal_id: int) -> GoalOut:
    return _goal_out(access.get_goal_for_user(request.user, goal_id))


def _committee_choice(request: HttpRequest, pk: int) -> Committee:
    return choice(org_access.visible_committees(request.user), pk, "committee_id")


@router.post("/goals", response={201: GoalOut, **WRITE_ERRORS})
def create_goal(request: HttpRequest, payload: GoalIn) -> Status[GoalOut]:
    """HMS coordinators set the organisation's goals; leaders and committee secretaries break
    them down for their units and committees. A goal without a measurable target is refused."""
    user = request.user
    access.require_editor_somewhere(user)
    unit: Unit | None = None
    committee: Committee | None = None
    if payload.unit_id is not None:
        unit = unit_choice(user, payload.unit_id, "unit_id", active_only=True)
    if payload.committee_id is not None:
        committee = _committee_choice(request, payload.committee_id)
    parent = None
    if payload.parent_id is not None:
        parent = access.visible_goals(user).filter(pk=payload.parent_id).first()
        if parent is None:
            raise not_a_choice("parent_id")
    access.require_owner_editor(user, unit=unit, committee=committee)
    data = payload.model_dump(exclude={"unit_id", "committee_id", "parent_id"})
    goal = services.create_goal(
        actor=user,
        organisation=user.organisation,
        unit=unit,
        committee=committee,
        parent=parent,
        **data,
    )
    return Status(201, _goal_out(_fresh(goal)))


@router.patch("/goals/{goal_id}", response={200: GoalOut, **WRITE_ERRORS})
def update_goal(request: HttpRequest, goal_id: int, payload: GoalPatch) -> GoalOut:
    """Change a goal; fields left out keep their value. `target` cannot be removed."""
    goal = access.get_goal_for_user(request.user, goal_id, write=True)
    data = changes(payload, nullable=frozenset({"baseline", "target"}))
    goal = services.update_goal(actor=request.user, goal=goal, **data)
    return _goal_out(_fresh(goal))


@router.post("/goals/{goal_id}/measurements", response={201: GoalOut, **WRITE_ERRORS})
def add_measurement(request: HttpRequest, goal_id: int, payload: MeasurementIn) -> Status[GoalOut]:
    """Enter a value of a goal measured by hand (a live goal takes none)."""
    goal = access.get_goal_for_user(request.user, goal_id, write=True)
    services.record_measurement(actor=request.user, goal=goal, **payload.model_dump())
    return Status(201, _goal_out(_fresh(goal)))


# --- Action plans -----------------------------------------------------------------------------
class ProgressOut(Schema):
    total: int
    done: int
    overdue: int


class PlanOut(Schema):
    id: int
    title: str
    description: str
    unit: UnitRef | None
    committee: CommitteeRef | None
    start_year: int
    end_year: int
    progress: ProgressOut


class RowOut(Schema):
    id: int
    number: int = Field(description="NR")
    focus_area: str = Field(description="INNSATSOMRÅDE")
    goal_id: int | None = Field(description="MÅL, when it is one of the HMS goals")
    goal: str = Field(description="MÅL as text")
    activity: str = Field(description="AKTIVITET")
    when: str = Field(description="NÅR")
    responsible: str = Field(description="ANSVAR")
    reporting: str = Field(description="RAPPORTERING")
    action_item_id: int | None
    owner: PersonRef | None = Field(description="The person who has the activity as a task.")
    deadline: dt.date | None
    status: str = Field(description="The action item's status.")


class PlanDetailOut(PlanOut):
    rows: list[RowOut]


class PlanIn(Input):
    title: str
    start_year: int = Field(ge=2000, le=2100)
    end_year: int = Field(ge=2000, le=2100)
    unit_id: int | None = None
    committee_id: int | None = None
    description: str = ""


class RowIn(Input):
    focus_area: str
    activity: str
    number: int | None = Field(None, ge=1, le=999, description="The next number if left out.")
    goal_id: int | None = None
    goal_text: str = ""
    when: str = ""
    responsible: str = ""
    reporting: str = ""
    owner_id: int | None = Field(None, description="A person employed in the organisation.")
    deadline: dt.date | None = None


def _plan_out(plan: ActionPlan, progress: queries.PlanProgress) -> PlanOut:
    return PlanOut(
        id=plan.pk,
        title=plan.title,
        description=plan.description,
        unit=UnitRef.model_validate(plan.unit) if plan.unit else None,
        committee=CommitteeRef.model_validate(plan.committee) if plan.committee else None,
        start_year=plan.start_year,
        end_year=plan.end_year,
        progress=ProgressOut(total=progress.total, done=progress.done, overdue=progress.overdue),
    )


def _plan_detail(plan: ActionPlan) -> PlanDetailOut:
    annotated = queries.plans_with_progress(ActionPlan.objects.filter(pk=plan.pk), today()).get()
    rows = []
    for row in queries.plan_rows(plan):
        item = row.action_item
        rows.append(
            RowOut(
                id=row.pk,
                number=row.number,
                focus_area=row.focus_area,
                goal_id=row.goal_id,
                goal=row.goal.title if row.goal else row.goal_text,
                activity=row.activity,
                when=row.when,
                responsible=row.responsible,
                reporting=row.reporting,
                action_item_id=item.pk if item else None,
                owner=PersonRef.model_validate(item.owner) if item and item.owner else None,
                deadline=item.deadline if item else None,
                status=item.status if item else "",
            )
        )
    base = _plan_out(annotated, queries.progress_of(annotated))
    return PlanDetailOut(**base.model_dump(), rows=rows)


@router.get("/action-plans", response={200: list[PlanOut], **ERRORS})
@paginate(Pagination)
def list_plans(request: HttpRequest) -> list[PlanOut]:
    access.require_member(request.user)
    plans = queries.plans_with_progress(access.visible_plans(request.user), today())
    return [_plan_out(plan, queries.progress_of(plan)) for plan in plans]


@router.get("/action-plans/{plan_id}", response={200: PlanDetailOut, **ERRORS})
def get_plan(request: HttpRequest, plan_id: int) -> PlanDetailOut:
    """The plan with its rows: NR, innsatsområde, mål, aktivitet, når, ansvar, rapportering."""
    return _plan_detail(access.get_plan_for_user(request.user, plan_id))


@router.post("/action-plans", response={201: PlanDetailOut, **WRITE_ERRORS})
def create_plan(request: HttpRequest, payload: PlanIn) -> Status[PlanDetailOut]:
    user = request.user
    access.require_editor_somewhere(user)
    unit = unit_choice(user, payload.unit_id, "unit_id") if payload.unit_id else None
    committee = _committee_choice(request, payload.committee_id) if payload.committee_id else None
    access.require_owner_editor(user, unit=unit, committee=committee)
    plan = services.create_plan(
        actor=user,
        organisation=user.organisation,
        unit=unit,
        committee=committee,
        **payload.model_dump(exclude={"unit_id", "committee_id"}),
    )
    return Status(201, _plan_detail(plan))


@router.post("/action-plans/{plan_id}/rows", response={201: PlanDetailOut, **WRITE_ERRORS})
def add_row(request: HttpRequest, plan_id: int, payload: RowIn) -> Status[PlanDetailOut]:
    """Add a row; its activity becomes an action item for `owner_id` with `deadline`."""
    user = request.user
    plan = access.get_plan_for_user(user, plan_id, write=True)
    goal = None
    if payload.goal_id is not None:
        goal = access.visible_goals(user).filter(pk=payload.goal_id).first()
        if goal is None:
            raise not_a_choice("goal_id")
    owner = None
    if payload.owner_id is not None:
        owner = choice(owner_choices(plan.organisation_id), payload.owner_id, "owner_id")
    services.add_plan_row(
        actor=user,
        plan=plan,
        goal=goal,
        owner=owner,
        **payload.model_dump(exclude={"goal_id", "owner_id"}),
    )
    return Status(201, _plan_detail(plan))


# --- Internal control ---------------------------------------------------------------------------
class RecordOut(Schema):
    title: str
    url: str
    date: dt.date | None
    ok: bool = Field(description="False when the record shows a gap (e.g. something overdue).")


class ControlPointOut(Schema):
    point: int = Field(description="The number in internkontrollforskriften § 5.")
    title: str
    written: bool = Field(description="Points 4–8 must be documented in writing.")
    status: str | None = Field(json_schema_extra=CONTROL_STATUSES, description="As assessed.")
    note: str
    derived: str = Field(description="What the records say: documented, gaps or none.")
    records: list[RecordOut]


class ControlIn(Input):
    status: str = Field(json_schema_extra=CONTROL_STATUSES)
    note: str = ""
    unit_id: int | None = Field(None, description="A unit's status; the organisation's if empty.")


def _points(organisation_id: int, unit: Unit | None) -> list[ControlPointOut]:
    return [
        ControlPointOut(
            point=p.number,
            title=p.title,
            written=p.written,
            status=p.assessed.status if p.assessed else None,
            note=p.assessed.note if p.assessed else "",
            derived=p.derived,
            records=[
                RecordOut(title=str(r.title), url=r.url, date=r.date, ok=r.ok) for r in p.records
            ],
        )
        for p in queries.control_overview(organisation_id, unit)
    ]


@router.get("/internal-control", response={200: list[ControlPointOut], **ERRORS})
def internal_control(
    request: HttpRequest,
    unit_id: int | None = Query(None, description="A unit (with its subunits)."),
) -> list[ControlPointOut]:
    """The 8 points of internkontrollforskriften § 5 with their status and records."""
    principal = access.require_member(request.user)
    unit = org_access.get_unit_for_user(request.user, unit_id) if unit_id else None
    return _points(principal.organisation_id, unit)


@router.put("/internal-control/{point}", response={200: list[ControlPointOut], **WRITE_ERRORS})
def assess_point(request: HttpRequest, point: int, payload: ControlIn) -> list[ControlPointOut]:
    """Assess one point. Points 4–8 cannot be `done` without a record that documents them."""
    user = request.user
    principal = access.require_member(user)
    unit = unit_choice(user, payload.unit_id, "unit_id") if payload.unit_id else None
    access.require_control_assessor(user, unit)
    services.set_control_status(
        actor=user,
        organisation=user.organisation,
        point=point,
        status=payload.status,
        note=payload.note,
        unit=unit,
    )
    return _points(principal.organisation_id, unit)

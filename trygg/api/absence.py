"""/absence: sick-leave statistics (masked below 5 persons for those who may not see the people)
and follow-up cases with their milestones, as on the pages under /sykefravaer/."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from trygg.absence import access, queries, statistics
from trygg.api.common import unit_choice
from trygg.api.errors import ERRORS, invalid
from trygg.audit.services import record_read
from trygg.lib.dates import today

router = Router(tags=["absence"])
PERCENT = "Rounded half-up to one decimal from the raw sums; null when masked or no data."


class StatisticsOut(Schema):
    unit_id: int
    start: dt.date
    end: dt.date
    subunits: bool
    agreed_workdays: Decimal | None = Field(description="Avtalte dagsverk; null when masked.")
    lost_workdays: Decimal | None = Field(description="Tapte dagsverk; null when masked.")
    percent: Decimal | None = Field(description=PERCENT)
    percent_self_certified: Decimal | None = Field(description="Egenmeldt. " + PERCENT)
    percent_doctor_certified: Decimal | None = Field(description="Legemeldt. " + PERCENT)
    percent_short_term: Decimal | None = Field(
        description="Spells of 1–16 calendar days. " + PERCENT
    )
    percent_long_term: Decimal | None = Field(description="Spells of 17 days or more. " + PERCENT)
    persons: int
    masked: bool = Field(description="True when fewer than 5 persons and you may not see them.")
    vacation_subtracted: bool = Field(description="The organisation's setting (rules.md §2.4).")
    goal_percent: Decimal


class MilestoneOut(Schema):
    code: str = Field(description="Stable: follow_up_plan, plan_to_doctor, dialogue_meeting_1, …")
    label: str
    due_date: dt.date
    basis: str
    applies: bool = Field(description="Whether the absence reaches the milestone.")
    done: bool
    overdue: bool


class CaseOut(Schema):
    id: int
    person_id: int | None
    start: dt.date
    end: dt.date
    sick_days: int
    status: str
    graded_at_end: bool
    milestones: list[MilestoneOut]


@router.get("/absence/statistics", response={200: StatisticsOut, **ERRORS})
def absence_statistics(
    request: HttpRequest,
    unit: int = Query(..., description="The unit's id."),
    from_: dt.date = Query(..., alias="from", description="First day, YYYY-MM-DD."),  # noqa: B008
    to: dt.date = Query(..., description="Last day, YYYY-MM-DD (included)."),  # noqa: B008
    subunits: bool = Query(True, description="Include the units under it."),
) -> StatisticsOut:
    """Sick leave for a unit and period, computed as SSB and NAV do (docs/absence.md)."""
    principal = access.require_statistics_reader(request.user)
    chosen = unit_choice(request.user, unit, "unit")
    if to < from_:
        raise invalid(to=_("The last day is before the first day."))
    if (to - from_).days > 3660:
        raise invalid(to=_("The period may be at most ten years."))
    settings = statistics.settings_for(chosen.organisation_id)
    figures = statistics.unit_figures(
        chosen.organisation_id,
        [chosen],
        from_,
        to,
        subunits=subunits,
        unmasked=access.sees_people_of(principal, chosen),
        settings=settings,
    )
    return StatisticsOut(
        unit_id=chosen.pk,
        start=from_,
        end=to,
        subunits=subunits,
        agreed_workdays=None if figures.masked else figures.agreed_workdays,
        lost_workdays=None if figures.masked else figures.lost_workdays,
        percent=figures.percent,
        percent_self_certified=figures.percent_self_certified,
        percent_doctor_certified=figures.percent_doctor_certified,
        percent_short_term=figures.percent_short_term,
        percent_long_term=figures.percent_long_term,
        persons=figures.persons,
        masked=figures.masked,
        vacation_subtracted=figures.vacation_subtracted,
        goal_percent=settings.goal_percent,
    )


@router.get("/absence/cases/{case_id}", response={200: CaseOut, **ERRORS})
def get_case(request: HttpRequest, case_id: int) -> CaseOut:
    """A follow-up case with its milestones: for the employee, their leaders and HR only.
    Every read is written to the audit log."""
    case = queries.with_details(access.visible_cases(request.user).filter(pk=case_id)).first()
    if case is None:
        case = access.get_case_for_user(request.user, case_id)  # raises 404
    record_read(actor=request.user, instance=case, purpose="follow-up case (API)")
    day = today()
    return CaseOut(
        id=case.pk,
        person_id=case.person_id,
        start=case.start,
        end=case.end,
        sick_days=case.sick_days,
        status=case.status,
        graded_at_end=case.graded_at_end,
        milestones=[
            MilestoneOut(
                code=m.code,
                label=str(m.label),
                due_date=m.due,
                basis=str(m.basis),
                applies=m.applies,
                done=m.done,
                overdue=m.overdue(day),
            )
            for m in queries.milestones(case)
        ],
    )

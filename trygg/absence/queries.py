"""Reads for the sick-leave pages, the API and the reminders: milestones of follow-up cases,
periods, and the cases a leader follows up."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from trygg.absence import rules
from trygg.absence.models import (
    AbsenceSettings,
    DialogueMeeting,
    FollowUpCase,
    FollowUpPlan,
)
from trygg.absence.statistics import settings_for

DAY = rules.DAY


@dataclass(frozen=True)
class Milestone:
    code: str  # stable, used by the API and reminder keys
    label: str | Promise
    due: dt.date
    basis: str  # the legal source or practice
    applies: bool  # whether the case reaches it (still absent on the due date)
    done: bool = False
    done_note: str | Promise = ""
    employer_duty: bool = True

    def overdue(self, day: dt.date) -> bool:
        return self.applies and self.employer_duty and not self.done and self.due < day


MILESTONE_LABELS = {
    "employer_period_end": _("End of the employer period (day 16)"),
    "follow_up_plan": _("Follow-up plan ready"),
    "plan_to_doctor": _("Follow-up plan sent to the doctor"),
    "dialogue_meeting_1": _("Dialogue meeting 1"),
    "activity_requirement": _("Activity requirement (8 weeks)"),
    "dm2_candidate": _("NAV considers dialogue meeting 2 (day 120)"),
    "plan_to_nav": _("Updated plan to NAV (a week before dialogue meeting 2)"),
    "dialogue_meeting_2": _("Dialogue meeting 2 (NAV)"),
    "notice_39_weeks": _("NAV's 39-week notice"),
    "max_date": _("Approximate maximum date for sickness benefit"),
}


def milestones(case: FollowUpCase, settings: AbsenceSettings | None = None) -> list[Milestone]:
    """The case's milestones with due dates by the organisation's deadline convention
    (rules.md §0.3 and §1.2). Uses `case.plan` and `case.meetings` (prefetched on lists)."""
    settings = settings or settings_for(case.organisation_id)
    convention = settings.deadline_convention
    start = case.start
    plan = _plan(case)
    meetings = list(case.meetings.all())
    held = {m.number for m in meetings}

    def reaches(day: dt.date) -> bool:
        return case.end >= day

    plan_due = rules.due_in_weeks(start, 4, convention)
    dm1_start = case.fully_absent_from if settings.dm1_only_when_fully_absent else start
    dm1_due = rules.due_in_weeks(dm1_start or start, 7, convention)
    activity_due = rules.activity_requirement_date(start)
    dm2_due = case.dm2_date or rules.due_in_weeks(start, 26, convention)
    result = [
        Milestone(
            "employer_period_end",
            MILESTONE_LABELS["employer_period_end"],
            rules.employer_period_end(start),
            "ftrl § 8-19",
            reaches(rules.employer_period_end(start)),
            employer_duty=False,
        ),
        Milestone(
            "follow_up_plan",
            MILESTONE_LABELS["follow_up_plan"],
            plan_due,
            "AML § 4-6 (3)",
            reaches(plan_due),
            done=plan is not None,
        ),
        Milestone(
            "plan_to_doctor",
            MILESTONE_LABELS["plan_to_doctor"],
            plan_due,
            "AML § 4-6 (3)",
            reaches(plan_due),
            done=plan is not None and plan.sent_to_doctor_on is not None,
        ),
        Milestone(
            "dialogue_meeting_1",
            MILESTONE_LABELS["dialogue_meeting_1"],
            dm1_due,
            "AML § 4-6 (4)",
            dm1_start is not None and reaches(dm1_due),
            done=DialogueMeeting.Number.FIRST in held,
        ),
        Milestone(
            "activity_requirement",
            MILESTONE_LABELS["activity_requirement"],
            activity_due,
            "ftrl § 8-8",
            reaches(activity_due),
            done=case.graded_at_end,
            done_note=_("Met by graded sick leave") if case.graded_at_end else "",
        ),
        Milestone(
            "dm2_candidate",
            MILESTONE_LABELS["dm2_candidate"],
            rules.dm2_candidate_date(start),
            _("NAV practice"),
            reaches(rules.dm2_candidate_date(start)),
            employer_duty=False,
        ),
        Milestone(
            "plan_to_nav",
            MILESTONE_LABELS["plan_to_nav"],
            dm2_due - dt.timedelta(days=7),
            "AML § 4-6 (3)",
            reaches(dm2_due - dt.timedelta(days=7)),
            done=plan is not None and plan.sent_to_nav_on is not None,
        ),
        Milestone(
            "dialogue_meeting_2",
            MILESTONE_LABELS["dialogue_meeting_2"],
            dm2_due,
            "ftrl § 8-7 a",
            reaches(dm2_due),
            done=DialogueMeeting.Number.SECOND in held,
            employer_duty=False,
        ),
        Milestone(
            "notice_39_weeks",
            MILESTONE_LABELS["notice_39_weeks"],
            rules.notice_39_weeks_date(start),
            _("NAV practice"),
            reaches(rules.notice_39_weeks_date(start)),
            employer_duty=False,
        ),
        Milestone(
            "max_date",
            MILESTONE_LABELS["max_date"],
            rules.maximum_date(start),
            "ftrl § 8-12",
            reaches(rules.employer_period_end(start) + DAY),
            employer_duty=False,
        ),
    ]
    return result


def _plan(case: FollowUpCase) -> FollowUpPlan | None:
    try:
        return case.plan
    except FollowUpPlan.DoesNotExist:
        return None


def with_details(cases: QuerySet[FollowUpCase]) -> QuerySet[FollowUpCase]:
    return cases.select_related("person", "plan").prefetch_related(
        Prefetch("meetings", queryset=DialogueMeeting.objects.order_by("held_on"))
    )


def open_cases(cases: QuerySet[FollowUpCase], day: dt.date) -> QuerySet[FollowUpCase]:
    """Cases still running or ended recently enough that a milestone may still be due."""
    return with_details(
        cases.filter(status=FollowUpCase.Status.OPEN, start__gte=day - dt.timedelta(days=400))
    ).order_by("start")


# --- Periods --------------------------------------------------------------------------------
PERIOD_KINDS = {
    "month": _("Month"),
    "tertial": _("Tertial"),
    "quarter": _("Quarter"),
    "year": _("Year"),
    "rolling": _("Last four quarters"),
    "custom": _("From–to"),
}


def period_bounds(kind: str, day: dt.date) -> tuple[dt.date, dt.date]:
    """The period of `kind` that contains `day` (the rolling period ends with its quarter)."""
    if kind == "month":
        first = day.replace(day=1)
        return first, (first.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - DAY
    if kind == "tertial":
        index = (day.month - 1) // 4
        first = dt.date(day.year, index * 4 + 1, 1)
        last_month = dt.date(day.year, index * 4 + 4, 1)
        return first, (last_month.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - DAY
    if kind == "quarter":
        quarter = rules.Quarter.of(day)
        return quarter.first_day, quarter.last_day
    if kind == "rolling":
        quarter = rules.Quarter.of(day)
        return quarter.minus(3).first_day, quarter.last_day
    return dt.date(day.year, 1, 1), dt.date(day.year, 12, 31)

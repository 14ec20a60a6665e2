"""The demo municipality's committee year: every committee's meetings for the year with the
årshjul's standing cases on the agendas; the meetings already held have approved minutes, one
AMU case went on to HAMU and one decision created an action item."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from trygg.lib.dates import today
from trygg.meetings import services
from trygg.meetings.models import Case, Meeting
from trygg.org.models import Committee, CommitteeMember

# (weekday, week of the month): AMUs meet before HAMU, so their cases reach HAMU in time.
SCHEDULE = {
    Committee.Kind.LAMU: (3, 1, dt.time(13, 0)),
    Committee.Kind.AMU: (1, 1, dt.time(9, 0)),
    Committee.Kind.HAMU: (2, 3, dt.time(12, 0)),
}
# L-AMU has no standing cases in seed 000's årshjul; its meetings get the cases a local
# committee typically has (seed 002: sick leave, safety rounds, input to the AMU).
LOCAL_CASES = (
    ("Sykefravær i avdelingen – status og tiltak", Case.Type.INFORMATION),
    ("Oppfølging av funn fra vernerunden", Case.Type.DECISION),
    ("Innspill til AMU", Case.Type.STATEMENT),
)
DECISIONS = {
    Case.Type.DECISION: "Vedtatt som foreslått.",
    Case.Type.STATEMENT: "Utvalget slutter seg til framlegget og sender uttalelsen videre.",
    Case.Type.INFORMATION: "Tatt til orientering.",
}


def demo_step(organisation: Any, year: int) -> None:
    now = timezone.now()
    committees = list(
        Committee.objects.filter(organisation=organisation, is_active=True)
        .select_related("unit", "parent")
        .order_by("kind", "name")
    )
    members = {}
    for member in CommitteeMember.objects.current().filter(committee__in=committees):
        members.setdefault(member.committee_id, []).append(member)
    first_amu_case: Case | None = None
    for committee in committees:
        if Meeting.objects.filter(committee=committee, year=year).exists():
            continue
        weekday, week, start = SCHEDULE.get(committee.kind, (1, 2, dt.time(12, 0)))
        meetings = services.plan_meetings(
            actor=None,
            committee=committee,
            dates=services.suggest_dates(year, weekday, week),
            start=start,
            duration=dt.timedelta(hours=2),
            place=f"Møterom {committee.unit.name}",
        )
        if committee.kind == Committee.Kind.LAMU:
            for index, meeting in enumerate(meetings):
                title, case_type = LOCAL_CASES[index % len(LOCAL_CASES)]
                services.add_case(
                    actor=None,
                    committee=committee,
                    title=title,
                    case_type=case_type,
                    meeting=meeting,
                )
        people = members.get(committee.pk, [])
        for meeting in meetings:
            if meeting.ends_at > now:
                continue
            services.record_attendance(
                actor=None,
                meeting=meeting,
                present=[m.person_id for m in people if m.office != CommitteeMember.Office.DEPUTY],
                absent=[],
            )
            for case in meeting.cases.all():
                services.record_case_minutes(
                    actor=None,
                    case=case,
                    discussion="Saken ble lagt fram av sekretær og drøftet i utvalget.",
                    decision=DECISIONS.get(case.case_type, DECISIONS[Case.Type.INFORMATION]),
                )
                if first_amu_case is None and committee.kind == Committee.Kind.AMU:
                    first_amu_case = case
            services.approve_minutes(actor=None, meeting=meeting)
    if first_amu_case is not None:
        _follow_up(first_amu_case)


def _follow_up(case: Case) -> None:
    """One decision with an action item, and one case sent on to HAMU (taken up on HAMU's next
    agenda)."""
    secretary = (
        CommitteeMember.objects.current()
        .filter(committee_id=case.committee_id, office=CommitteeMember.Office.SECRETARY)
        .select_related("person")
        .first()
    )
    if secretary is not None:
        services.create_decision_action(
            actor=None,
            case=case,
            title=f"Følge opp: {case.title}",
            owner=secretary.person,
            deadline=today() + dt.timedelta(days=30),
        )
    if case.committee.parent_id:
        incoming = services.forward_case(
            actor=None,
            case=case,
            statement="AMU ber HAMU vurdere felles tiltak på tvers av kommunalområdene.",
        )
        parent = case.committee.parent
        upcoming = (
            Meeting.objects.filter(committee=parent, cancelled=False, starts_at__gt=timezone.now())
            .order_by("starts_at")
            .first()
        )
        services.register_case(actor=None, case=incoming, meeting=upcoming)

"""Reads for the meeting pages, documents, the calendar feeds and the API, each in a constant
number of queries however many meetings and cases there are."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, F, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.utils import timezone

from trygg.lib.dates import today
from trygg.meetings.models import AnnualReport, Attachment, Attendance, Case, Meeting
from trygg.org.models import Committee, CommitteeMember, CommitteeYear


def committees_overview(committees: QuerySet[Committee]) -> list[Committee]:
    """Each committee with its next meeting and the cases waiting for its secretary."""
    now = timezone.now()
    upcoming = Meeting.objects.filter(
        committee=OuterRef("pk"), cancelled=False, starts_at__gte=now
    ).order_by("starts_at")
    return list(
        committees.filter(is_active=True)
        .select_related("unit", "parent")
        .annotate(
            next_meeting_id=Subquery(upcoming.values("pk")[:1]),
            next_meeting_at=Subquery(upcoming.values("starts_at")[:1]),
            waiting=Count(
                "cases",
                filter=Q(cases__status=Case.Status.PROPOSED),
                distinct=True,
            ),
        )
        .order_by("kind", "name")
    )


def meetings_of(committee: Committee, year: int) -> list[Meeting]:
    return list(
        Meeting.objects.filter(committee=committee, year=year)
        .annotate(case_count=Count("cases"))
        .order_by("starts_at")
    )


def meeting_years(committee: Committee) -> list[int]:
    years = set(
        Meeting.objects.filter(committee=committee).values_list("year", flat=True).distinct()
    )
    years.add(today().year)
    return sorted(years)


def agenda(meeting: Meeting) -> list[Case]:
    """The meeting's cases in agenda order, with their attachments and where they came from and
    went to."""
    return list(
        meeting.cases.select_related(
            "origin__committee", "forwarded_as__committee", "forwarded_as__meeting"
        )
        .prefetch_related(Prefetch("attachments", queryset=Attachment.objects.order_by("pk")))
        .order_by("position", "number", "pk")
    )


def attendance(meeting: Meeting) -> list[Attendance]:
    return list(meeting.attendance.select_related("person").order_by("status", "person__last_name"))


def current_members(committee: Committee, day: dt.date) -> list[CommitteeMember]:
    return list(
        CommitteeMember.objects.current(day)
        .filter(committee=committee)
        .select_related("person")
        .order_by("side", "office", "person__last_name", "person__first_name")
    )


def constitution(committee: Committee, year: int) -> CommitteeYear | None:
    return (
        CommitteeYear.objects.filter(committee=committee, year=year)
        .select_related("chair__person", "deputy_chair__person")
        .first()
    )


def incoming(committee: Committee) -> list[Case]:
    """Cases waiting for the secretary: proposals through the postkasse and cases sent on from
    the committees below."""
    return list(
        Case.objects.filter(committee=committee, status=Case.Status.PROPOSED)
        .select_related("origin__committee", "origin__meeting", "submitted_by")
        .order_by("created_at", "pk")
    )


def waiting_cases(committee: Committee) -> list[Case]:
    """Registered cases not on any agenda yet."""
    return list(
        Case.objects.filter(
            committee=committee, status=Case.Status.REGISTERED, meeting__isnull=True
        ).order_by("year", "number")
    )


def next_meeting(committee: Committee) -> Meeting | None:
    return (
        Meeting.objects.filter(
            committee=committee, cancelled=False, minutes_approved_at__isnull=True
        )
        .filter(starts_at__gte=timezone.now() - dt.timedelta(hours=12))
        .order_by("starts_at")
        .first()
    )


def open_meetings(committee: Committee) -> QuerySet[Meeting]:
    """Meetings a case may still be put on."""
    return Meeting.objects.filter(
        committee=committee, cancelled=False, minutes_approved_at__isnull=True
    ).order_by("starts_at")


def feed_meetings(committee_ids: list[int], start: dt.datetime) -> list[dict]:
    """Plain rows for the iCalendar feed: one query, no model instances."""
    return list(
        Meeting.objects.filter(committee_id__in=committee_ids, starts_at__gte=start)
        .order_by("starts_at")
        .values(
            "pk",
            "starts_at",
            "ends_at",
            "place",
            "video_url",
            "cancelled",
            "sequence",
            "created_at",
            committee_name=F("committee__name"),
        )
    )


@dataclass(frozen=True)
class ChildReport:
    committee: Committee
    report: AnnualReport | None


def child_reports(committee: Committee, year: int) -> list[ChildReport]:
    """The reports of the committees that report to this one (the HAMU report aggregates them)."""
    children = list(committee.children.filter(is_active=True).order_by("name"))
    reports = {
        r.committee_id: r for r in AnnualReport.objects.filter(committee__in=children, year=year)
    }
    return [ChildReport(c, reports.get(c.pk)) for c in children]


def decided_cases(committee: Committee, year: int) -> list[Case]:
    return list(
        Case.objects.filter(committee=committee, year=year, status=Case.Status.DECIDED)
        .select_related("meeting")
        .order_by("number")
    )


def year_summary(committee: Committee, year: int) -> dict[str, int]:
    meetings = Meeting.objects.filter(committee=committee, year=year, cancelled=False)
    cases = Case.objects.filter(committee=committee, year=year)
    return {
        "meetings": meetings.count(),
        "held": meetings.filter(minutes_approved_at__isnull=False).count(),
        "cases": cases.count(),
        "forwarded": Case.objects.filter(origin__committee=committee, origin__year=year).count(),
    }

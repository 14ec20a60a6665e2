"""What committee work asks of people: "Mine oppgaver", reminders (sent once each by the
notifications engine) and the annual reviews for the internal-control overview.

- The secretary finishes the agenda before a meeting and writes the minutes after it; cases
  sent to the committee wait for the secretary.
- The chair approves the minutes.
- Members are told of the meeting, with the agenda, before it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from trygg.audit.queries import cached_for_organisation
from trygg.lib.controls import Record
from trygg.lib.dates import format_date, today
from trygg.lib.mytasks import TaskItem
from trygg.lib.typing import AnyUser
from trygg.meetings.models import AnnualReport, Case, Meeting, MeetingSettings
from trygg.notifications.reminders import Reminder
from trygg.org.models import CommitteeMember, CommitteeYear
from trygg.org.principal import get_principal

LOOK_AHEAD = dt.timedelta(days=60)


def _local(value: dt.datetime) -> dt.datetime:
    return timezone.localtime(value)


def tasks_for(user: AnyUser) -> list[TaskItem]:
    principal = get_principal(user)
    if not principal.is_member or not (principal.committee_ids or principal.person_id):
        return []
    return cached_for_organisation(
        principal.organisation_id,
        f"meeting-tasks:{user.pk}:{get_language()}",
        lambda: _tasks(principal),
    )


def _tasks(principal) -> list[TaskItem]:  # type: ignore[no-untyped-def]
    day = today()
    now = timezone.now()
    items: list[TaskItem] = []
    secretary_of = list(principal.secretary_committee_ids)
    if secretary_of:
        settings = MeetingSettings.objects.filter(organisation_id=principal.organisation_id).first()
        lead = dt.timedelta(days=settings.agenda_reminder_days if settings else 10)
        for meeting in (
            Meeting.objects.filter(committee_id__in=secretary_of, cancelled=False)
            .filter(
                Q(starts_at__gte=now, starts_at__lte=now + lead, invitation_sent_at__isnull=True)
                | Q(
                    starts_at__lt=now,
                    starts_at__gte=now - LOOK_AHEAD,
                    minutes_approved_at__isnull=True,
                )
            )
            .select_related("committee")
            .order_by("starts_at")[:20]
        ):
            local = _local(meeting.starts_at)
            if meeting.starts_at >= now:
                title = _("Finish the agenda and send the invitation: %(committee)s %(date)s")
                due = local.date()
            else:
                title = _("Write the minutes and have them approved: %(committee)s %(date)s")
                due = local.date() + dt.timedelta(days=14)
            items.append(
                TaskItem(
                    title=title
                    % {"committee": meeting.committee.name, "date": format_date(local.date())},
                    url=meeting.get_absolute_url(),
                    due=due,
                    context=_("Committee secretary"),
                    overdue=due < day,
                )
            )
        waiting = (
            Case.objects.filter(committee_id__in=secretary_of, status=Case.Status.PROPOSED)
            .select_related("committee")
            .order_by("created_at")[:20]
        )
        for case in waiting:
            items.append(
                TaskItem(
                    title=_("Take up the case “%(title)s” for %(committee)s")
                    % {"title": case.title, "committee": case.committee.name},
                    url=reverse("meetings:incoming", args=[case.committee_id]),
                    context=_("Cases sent to the committee"),
                )
            )
    if principal.person_id:
        chaired = CommitteeYear.objects.filter(
            Q(chair__person_id=principal.person_id) | Q(deputy_chair__person_id=principal.person_id)
        ).values_list("committee_id", "year")
        pairs = set(chaired)
        if pairs:
            condition = Q(pk__in=[])
            for committee_id, year in pairs:
                condition |= Q(committee_id=committee_id, year=year)
            for meeting in (
                Meeting.objects.filter(
                    condition, minutes_started=True, minutes_approved_at__isnull=True
                )
                .filter(starts_at__lt=now)
                .select_related("committee")
                .order_by("starts_at")[:20]
            ):
                local = _local(meeting.starts_at)
                items.append(
                    TaskItem(
                        title=_("Approve the minutes: %(committee)s %(date)s")
                        % {"committee": meeting.committee.name, "date": format_date(local.date())},
                        url=meeting.get_absolute_url(),
                        due=local.date() + dt.timedelta(days=14),
                        context=_("Committee chair"),
                        overdue=local.date() + dt.timedelta(days=14) < day,
                    )
                )
    return items


def due_reminders(day: dt.date) -> Iterable[Reminder]:
    """Before a meeting: the secretary to finish the agenda, the members the invitation; after
    it: the secretary that the minutes are due, the chair that they await approval."""
    settings = {s.organisation_id: s for s in MeetingSettings.objects.all()}
    default = MeetingSettings()
    horizon = day + dt.timedelta(
        days=max(
            [default.agenda_reminder_days, default.invitation_days_before]
            + [max(s.agenda_reminder_days, s.invitation_days_before) for s in settings.values()]
        )
    )
    start = dt.datetime.combine(
        day - dt.timedelta(days=30), dt.time(0), tzinfo=timezone.get_current_timezone()
    )
    end = dt.datetime.combine(
        horizon + dt.timedelta(days=1), dt.time(0), tzinfo=timezone.get_current_timezone()
    )
    meetings = list(
        Meeting.objects.filter(cancelled=False, starts_at__gte=start, starts_at__lt=end)
        .select_related("committee")
        .order_by("starts_at")
    )
    if not meetings:
        return
    members: dict[int, list[CommitteeMember]] = {}
    for member in (
        CommitteeMember.objects.current(day)
        .filter(committee_id__in={m.committee_id for m in meetings}, person__user__isnull=False)
        .select_related("person__user")
    ):
        members.setdefault(member.committee_id, []).append(member)
    chairs: dict[tuple[int, int], list] = {}
    for constitution in CommitteeYear.objects.filter(
        committee_id__in={m.committee_id for m in meetings}
    ).select_related("chair__person__user"):
        user = constitution.chair.person.user
        if user is not None:
            chairs.setdefault((constitution.committee_id, constitution.year), []).append(user)
    for meeting in meetings:
        conf = settings.get(meeting.organisation_id, default)
        local = _local(meeting.starts_at)
        meeting_day = local.date()
        names = {
            "committee": meeting.committee.name,
            "date": format_date(meeting_day),
            "time": local.strftime("%H:%M"),
        }
        url = meeting.get_absolute_url()
        people = members.get(meeting.committee_id, [])
        if meeting_day > day:
            days_left = (meeting_day - day).days
            if days_left <= conf.agenda_reminder_days and meeting.invitation_sent_at is None:
                for member in people:
                    if member.office == CommitteeMember.Office.SECRETARY:
                        yield Reminder(
                            key=f"meeting:{meeting.pk}:agenda:{meeting_day.isoformat()}",
                            user=member.person.user,
                            subject=_("Finish the agenda for %(committee)s %(date)s") % names,
                            body=_(
                                "The meeting is on %(date)s at %(time)s. Finish the agenda and send the invitation to the members."
                            )
                            % names,
                            url=url,
                        )
            if days_left <= conf.invitation_days_before:
                for member in people:
                    yield Reminder(
                        key=f"meeting:{meeting.pk}:invitation:{meeting_day.isoformat()}",
                        user=member.person.user,
                        subject=_("Meeting of %(committee)s %(date)s at %(time)s") % names,
                        body=(meeting.place or meeting.video_url or "")
                        + "\n"
                        + _("The agenda is on the meeting page and as PDF."),
                        url=url,
                    )
        elif meeting_day < day and meeting.minutes_approved_at is None:
            for member in people:
                if member.office == CommitteeMember.Office.SECRETARY:
                    yield Reminder(
                        key=f"meeting:{meeting.pk}:minutes-due",
                        user=member.person.user,
                        subject=_("Minutes due for %(committee)s %(date)s") % names,
                        body=_("Write the minutes and ask the chair to approve them."),
                        url=url,
                    )
            if meeting.minutes_started:
                for user in chairs.get((meeting.committee_id, meeting.year), []):
                    yield Reminder(
                        key=f"meeting:{meeting.pk}:approve:{meeting.minutes_version + 1}",
                        user=user,
                        subject=_("The minutes of %(committee)s %(date)s await your approval")
                        % names,
                        url=url,
                    )


def annual_review_records(organisation_id: int, unit_path: str) -> list[Record]:
    """Internkontrollforskriften § 5 no. 8 (annual review): the adopted annual reports."""
    reports = AnnualReport.objects.filter(
        organisation_id=organisation_id, status=AnnualReport.Status.ADOPTED
    ).select_related("committee__unit")
    if unit_path:
        reports = reports.filter(committee__unit__path__startswith=unit_path)
    return [
        Record(
            title=_("Annual report %(year)s – %(committee)s")
            % {"year": report.year, "committee": report.committee.name},
            url=report.get_absolute_url(),
            date=timezone.localtime(report.adopted_at).date() if report.adopted_at else None,
        )
        for report in reports.order_by("-year", "committee__name")[:100]
    ]

"""Safety rounds in "Mine oppgaver", reminders before and after the deadline, the årshjul figure
("Status vernerunder", "Oppfølging ROS og vernerunder") and the internal-control records."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.urls import reverse
from django.utils.html import escape
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from trygg.audit.queries import cached_for_organisation
from trygg.lib.controls import Record
from trygg.lib.dates import format_date, today
from trygg.lib.figures import Figure, FigureRequest
from trygg.lib.mytasks import TaskItem
from trygg.lib.typing import AnyUser
from trygg.notifications.reminders import Reminder
from trygg.org.models import Person
from trygg.safety_rounds import queries
from trygg.safety_rounds.models import Kind, Participant, SafetyRound, Settings

MAX_TASKS = 50
OVERDUE_WINDOW = dt.timedelta(days=60)  # overdue reminders are looked for this long
LONGEST_NOTICE = dt.timedelta(days=120)  # Settings.remind_days_before is at most 120


def round_tasks(user: AnyUser) -> list[TaskItem]:
    if not getattr(user, "organisation_id", None):
        return []
    return cached_for_organisation(
        user.organisation_id,
        f"safety-round-tasks:{user.pk}:{get_language()}",
        lambda: _tasks(user),
    )


def _tasks(user: AnyUser) -> list[TaskItem]:
    person_id = (
        Person.objects.filter(organisation_id=user.organisation_id, user_id=user.pk)
        .values_list("pk", flat=True)
        .first()
    )
    day = today()
    return [
        TaskItem(
            title=round_.title,
            url=round_.get_absolute_url(),
            due=round_.deadline,
            context=(
                _("Internal audit: answer and sign")
                if round_.kind == Kind.INTERNAL_AUDIT
                else _("Safety round: walk it and sign")
            ),
            overdue=round_.is_overdue(day),
        )
        for round_ in queries.rounds_of_person(person_id)[:MAX_TASKS]
    ]


def round_reminders(day: dt.date) -> Iterable[Reminder]:
    """Each participant who has not signed: once when the organisation's notice period before
    the deadline starts, and once when the deadline has passed."""
    notice = {
        s.organisation_id: s.remind_days_before
        for s in Settings.objects.only("organisation_id", "remind_days_before")
    }
    participants = (
        Participant.objects.filter(
            signed_at__isnull=True,
            person__user__is_active=True,
            round__deadline__gte=day - OVERDUE_WINDOW,
            round__deadline__lte=day + LONGEST_NOTICE,
        )
        .exclude(round__status=SafetyRound.Status.COMPLETED)
        .select_related("round", "person__user")
        .order_by("round_id", "pk")
        .iterator(chunk_size=500)
    )
    default = Settings().remind_days_before
    for participant in participants:
        round_ = participant.round
        deadline = format_date(round_.deadline)
        days = notice.get(round_.organisation_id, default)
        url = round_.get_absolute_url()
        if round_.deadline >= day:
            if round_.deadline - day > dt.timedelta(days=days):
                continue
            yield Reminder(
                key=f"safety-round:{round_.pk}:soon:{round_.deadline.isoformat()}",
                user=participant.person.user,
                subject=_("Deadline %(deadline)s: %(title)s")
                % {"deadline": deadline, "title": round_.title},
                body=_("You take part in this round. Walk it with the checklist and sign it."),
                url=url,
            )
        else:
            yield Reminder(
                key=f"safety-round:{round_.pk}:overdue:{round_.deadline.isoformat()}",
                user=participant.person.user,
                subject=_("Overdue since %(deadline)s: %(title)s")
                % {"deadline": deadline, "title": round_.title},
                body=_("The deadline has passed and the round is not signed."),
                url=url,
            )


def _bar(done: int, overdue: int, total: int) -> str:
    """A stacked bar: done, overdue, the rest; with a text alternative."""
    if not total:
        return ""
    width = 300
    done_w = round(width * done / total)
    overdue_w = round(width * overdue / total)
    label = _("%(done)s of %(total)s done, %(overdue)s overdue") % {
        "done": done,
        "total": total,
        "overdue": overdue,
    }
    return (
        f'<svg class="chart" viewBox="0 0 {width} 24" width="{width}" height="24" role="img" '
        f'aria-label="{escape(label)}"><title>{escape(label)}</title>'
        f'<rect x="0" y="0" width="{width}" height="24" fill="#c9d3d0"/>'
        f'<rect x="0" y="0" width="{done_w}" height="24" fill="#1e6b2f"/>'
        f'<rect x="{done_w}" y="0" width="{overdue_w}" height="24" fill="#a4161a"/></svg>'
    )


def safety_rounds_figure(request: FigureRequest) -> Figure:
    """This year's safety rounds in the committee's units (the year of the period's end)."""
    year = request.end.year
    day = today()
    paths = request.unit_paths or ("",)
    total, _areas = queries.status_by_area(request.organisation_id, year, day, paths=paths)
    audits, _audit_areas = queries.status_by_area(
        request.organisation_id, year, day, paths=paths, kind=Kind.INTERNAL_AUDIT
    )
    rows = [
        (_("Safety rounds %(year)s") % {"year": year}, str(total.total)),
        (_("Done"), str(total.done)),
        (_("Not done"), str(total.not_done)),
        (_("Overdue"), str(total.overdue)),
        (_("Findings"), str(total.findings)),
        (_("Open findings"), str(total.open_findings)),
    ]
    if audits.total:
        rows.append((_("Internal audits done"), f"{audits.done} / {audits.total}"))
    deadline = queries.settings_for(request.organisation_id).deadline_for(year)
    return Figure(
        title=_("Status of safety rounds (deadline %(date)s)") % {"date": format_date(deadline)},
        rows=rows,
        svg=_bar(total.done, total.overdue, total.total),
        url=reverse("safety_rounds:index") + f"?aar={year}",
        note="" if total.total else _("No safety rounds are planned for the year."),
    )


def safety_round_records(organisation_id: int, unit_path: str) -> list[Record]:
    """IK-f § 5 no. 6: the year's safety rounds map hazards and problems."""
    day = today()
    total, _areas = queries.status_by_area(organisation_id, day.year, day, paths=(unit_path,))
    if not total.total:
        return []
    return [
        Record(
            title=_("Safety rounds %(year)s: %(done)s of %(total)s done, %(overdue)s overdue")
            % {
                "year": day.year,
                "done": total.done,
                "total": total.total,
                "overdue": total.overdue,
            },
            url=reverse("safety_rounds:index") + f"?aar={day.year}",
            date=queries.settings_for(organisation_id).deadline_for(day.year),
            ok=total.overdue == 0,
        )
    ]


def audit_records(organisation_id: int, unit_path: str) -> list[Record]:
    """IK-f § 5 no. 8: internal audits check that the internal control works."""
    day = today()
    audits = (
        SafetyRound.objects.filter(
            organisation_id=organisation_id,
            kind=Kind.INTERNAL_AUDIT,
            unit__path__startswith=unit_path,
        )
        .order_by("-deadline", "-pk")
        .only("pk", "title", "deadline", "status", "completed_at")[:10]
    )
    return [
        Record(
            title=audit.title,
            url=audit.get_absolute_url(),
            date=audit.completed_at.date() if audit.completed_at else audit.deadline,
            ok=not audit.is_overdue(day),
        )
        for audit in audits
    ]

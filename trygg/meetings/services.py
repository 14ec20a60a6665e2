"""Use cases of committee work. Each is atomic, keyword-only and audit-logged.

Access has been checked by the caller through meetings/access.py; these functions check the
state rules (approved minutes are frozen, a case is sent on once, numbers are never reused).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from trygg.audit.models import AuditEntry
from trygg.audit.services import record_change, record_created, record_event, snapshot
from trygg.lib.dates import format_date
from trygg.lib.typing import AnyUser
from trygg.meetings.models import (
    AnnualReport,
    Attachment,
    Attendance,
    CalendarFeed,
    Case,
    CaseCounter,
    Meeting,
    MeetingSettings,
)
from trygg.org.models import Committee, CommitteeMember, Person

OSLO = ZoneInfo("Europe/Oslo")
# Foreign keys the services set from rows they already hold (and checked): full_clean() need not
# look each of them up again. The number and year are set after validation.
FK_CHECKED = [
    "organisation",
    "committee",
    "meeting",
    "plan_item",
    "submitted_by",
    "origin",
    "number",
    "year",
]
NO_MEETING_MONTHS = (7, 8)  # seed 000: "Ingen møter" in July and August


def _update(
    actor: AnyUser | None, instance: Any, changes: dict[str, Any], *, clean: bool = True
) -> None:
    """Change, save and audit a row. `clean=False` for changes the service has checked itself
    (state and free text), which spares the foreign-key lookups of full_clean()."""
    before = snapshot(instance)
    for name, value in changes.items():
        setattr(instance, name, value)
    if clean:
        instance.full_clean()
        instance.save()
    else:
        instance.save(update_fields=list(changes))
    record_change(
        actor=actor,
        instance=instance,
        action=AuditEntry.Action.UPDATE,
        before=before,
        after=snapshot(instance),
    )


def settings_for(organisation_id: int) -> MeetingSettings:
    found = MeetingSettings.objects.filter(organisation_id=organisation_id).first()
    return found or MeetingSettings(organisation_id=organisation_id)


@transaction.atomic
def update_settings(
    *, actor: AnyUser | None, organisation_id: int, **changes: Any
) -> MeetingSettings:
    current = MeetingSettings.objects.filter(organisation_id=organisation_id).first()
    if current is None:
        current = MeetingSettings(organisation_id=organisation_id, **changes)
        current.full_clean()
        current.save()
        record_created(actor, current)
        return current
    _update(actor, current, changes)
    return current


# --- Case numbers ---------------------------------------------------------------------------
def _take_number(committee: Committee, year: int) -> int:
    """The next case number of the committee's year. The counter row is locked until the
    caller's transaction ends, so concurrent cases queue for it and never share a number."""
    CaseCounter.objects.get_or_create(
        committee=committee, year=year, defaults={"organisation_id": committee.organisation_id}
    )
    counter = CaseCounter.objects.select_for_update().get(committee=committee, year=year)
    counter.last_number = F("last_number") + 1
    counter.save(update_fields=["last_number"])
    counter.refresh_from_db(fields=["last_number"])
    return counter.last_number


def _number(case: Case, year: int) -> None:
    case.year = year
    case.number = _take_number(case.committee, year)


# --- Meetings and the meeting plan ----------------------------------------------------------
@dataclass(frozen=True)
class PlannedMeeting:
    starts_at: dt.datetime
    ends_at: dt.datetime


def local_datetime(day: dt.date, time: dt.time) -> dt.datetime:
    return dt.datetime.combine(day, time, tzinfo=OSLO)


def plan_warnings(
    committee: Committee,
    planned: list[PlannedMeeting],
    *,
    exclude: Meeting | None = None,
) -> list[str]:
    """What a person should think twice about: a meeting in July or August, two meetings of one
    committee at the same time, fewer meetings in a year than the organisation's norm."""
    warnings: list[str] = []
    for item in planned:
        local = item.starts_at.astimezone(OSLO)
        if local.month in NO_MEETING_MONTHS:
            warnings.append(
                _("%(date)s is in July or August, when the årshjul has no meetings.")
                % {"date": format_date(local.date())}
            )
    existing = Meeting.objects.filter(committee=committee, cancelled=False)
    if exclude is not None:
        existing = existing.exclude(pk=exclude.pk)
    if planned:
        earliest = min(p.starts_at for p in planned)
        latest = max(p.ends_at for p in planned)
        existing = existing.filter(starts_at__lt=latest, ends_at__gt=earliest)
        others = [PlannedMeeting(m.starts_at, m.ends_at) for m in existing]
    else:
        others = []
    for i, item in enumerate(planned):
        clashes = [o for o in others if o.starts_at < item.ends_at and item.starts_at < o.ends_at]
        clashes += [
            o for o in planned[i + 1 :] if o.starts_at < item.ends_at and item.starts_at < o.ends_at
        ]
        if clashes:
            local = item.starts_at.astimezone(OSLO)
            warnings.append(
                _("%(committee)s already has a meeting at that time: %(date)s %(time)s.")
                % {
                    "committee": committee.name,
                    "date": format_date(local.date()),
                    "time": local.strftime("%H:%M"),
                }
            )
    return warnings


def suggest_dates(year: int, weekday: int = 1, week_of_month: int = 2) -> list[dt.date]:
    """One date per month except July and August: the n-th given weekday (0 = Monday) of the
    month, moved a week on when it is a public holiday."""
    from trygg.lib.holidays import is_public_holiday

    days: list[dt.date] = []
    for month in range(1, 13):
        if month in NO_MEETING_MONTHS:
            continue
        first = dt.date(year, month, 1)
        offset = (weekday - first.weekday()) % 7
        day = first + dt.timedelta(days=offset + 7 * (week_of_month - 1))
        if is_public_holiday(day):
            later = day + dt.timedelta(days=7)
            day = later if later.month == month else day - dt.timedelta(days=7)
        days.append(day)
    return days


def _check_meeting(
    committee: Committee, starts_at: dt.datetime, ends_at: dt.datetime, place: str, video: str
) -> None:
    errors: dict[str, str] = {}
    if ends_at <= starts_at:
        errors["ends_at"] = _("The meeting must end after it starts.")
    if not place.strip() and not video.strip():
        errors["place"] = _("Give a place or a video link.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def plan_meetings(
    *,
    actor: AnyUser | None,
    committee: Committee,
    dates: Iterable[dt.date],
    start: dt.time,
    duration: dt.timedelta,
    place: str = "",
    video_url: str = "",
    fill: bool = True,
) -> list[Meeting]:
    """Møteplan: create a committee's meetings on the given dates (warnings are the caller's to
    show, see plan_warnings) and fill each agenda with the standing cases of its month."""
    meetings: list[Meeting] = []
    days = sorted(set(dates))
    if not days:
        raise ValidationError({"dates": _("Choose at least one date.")})
    for day in days:
        starts_at = local_datetime(day, start)
        ends_at = starts_at + duration
        _check_meeting(committee, starts_at, ends_at, place, video_url)
        meeting = Meeting(
            organisation_id=committee.organisation_id,
            committee=committee,
            year=day.year,
            starts_at=starts_at,
            ends_at=ends_at,
            place=place,
            video_url=video_url,
        )
        meeting.full_clean(exclude=["organisation", "committee"])
        meetings.append(meeting)
    Meeting.objects.bulk_create(meetings)
    record_event(
        actor=actor,
        organisation_id=committee.organisation_id,
        action=AuditEntry.Action.CREATE,
        object_type="meetings.meeting",
        description=_("Meeting plan for %(committee)s: %(count)s meetings")
        % {"committee": committee.name, "count": len(meetings)},
        details={"meetings": [m.pk for m in meetings], "dates": [d.isoformat() for d in days]},
    )
    if fill:
        from trygg.meetings import standing

        standing.ensure_plans(committee, {d.year for d in days})
        for meeting in meetings:
            fill_agenda(actor=actor, meeting=meeting)
    return meetings


@transaction.atomic
def send_meeting_plan(*, actor: AnyUser | None, committee: Committee, year: int) -> int:
    """HAMU's meeting plan for `year`, sent to the secretaries of every committee that reports
    to it (seed 000: adopted in September and sent to every AMU), so they can plan their own
    meetings before HAMU's. Returns the number of secretaries told."""
    from django.urls import reverse

    from trygg.notifications.services import notify

    meetings = list(
        Meeting.objects.filter(committee=committee, year=year, cancelled=False).order_by(
            "starts_at"
        )
    )
    if not meetings:
        raise ValidationError(_("There are no meetings planned for %(year)s.") % {"year": year})
    dates = "\n".join(
        f"{format_date(timezone.localtime(m.starts_at).date())} "
        f"{timezone.localtime(m.starts_at):%H:%M}"
        for m in meetings
    )
    told = 0
    secretaries = (
        CommitteeMember.objects.current()
        .filter(
            committee__parent=committee,
            committee__is_active=True,
            office=CommitteeMember.Office.SECRETARY,
            person__user__isnull=False,
        )
        .select_related("person__user", "committee")
    )
    for secretary in secretaries:
        sent = notify(
            user=secretary.person.user,
            key=f"meeting-plan:{committee.pk}:{year}:{secretary.committee_id}:{len(meetings)}",
            subject=_("Meeting plan %(year)s from %(name)s")
            % {"year": year, "name": committee.name},
            body=_(
                "%(name)s has adopted its meetings for %(year)s. Plan the meetings of "
                "%(committee)s before them, so that cases reach %(name)s in time:"
            )
            % {"name": committee.name, "year": year, "committee": secretary.committee.name}
            + "\n"
            + dates,
            url=reverse("meetings:plan", args=[secretary.committee_id]) + f"?year={year}",
        )
        told += sent is not None
    record_event(
        actor=actor,
        organisation_id=committee.organisation_id,
        action=AuditEntry.Action.UPDATE,
        object_type="meetings.meeting",
        description=_("Meeting plan %(year)s from %(name)s")
        % {"year": year, "name": committee.name},
        details={"committee": committee.pk, "year": year, "secretaries": told},
    )
    return told


@transaction.atomic
def update_meeting(
    *,
    actor: AnyUser | None,
    meeting: Meeting,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    place: str,
    video_url: str,
) -> Meeting:
    _check_meeting(meeting.committee, starts_at, ends_at, place, video_url)
    _update(
        actor,
        meeting,
        {
            "starts_at": starts_at,
            "ends_at": ends_at,
            "place": place,
            "video_url": video_url,
            "year": timezone.localtime(starts_at).year,
            "sequence": meeting.sequence + 1,
        },
    )
    return meeting


@transaction.atomic
def cancel_meeting(*, actor: AnyUser | None, meeting: Meeting) -> Meeting:
    if meeting.minutes_started:
        raise ValidationError(_("The meeting has minutes and cannot be cancelled."))
    _update(actor, meeting, {"cancelled": True, "sequence": meeting.sequence + 1}, clean=False)
    meeting.cases.filter(status=Case.Status.REGISTERED).update(meeting=None)
    return meeting


def fill_agenda(*, actor: AnyUser | None, meeting: Meeting) -> list[Case]:
    """Put the årshjul's standing cases for the meeting's month on its agenda. An item that
    spans months ("mars/april") goes on the first meeting of its span only."""
    from trygg.meetings import standing

    local = timezone.localtime(meeting.starts_at)
    items = standing.items_for(meeting.committee, local.year, local.month)
    if not items:
        return []
    taken: dict[str, set[int]] = {}
    for title, month in Case.objects.filter(
        committee=meeting.committee, year=local.year, plan_month__isnull=False
    ).values_list("title", "plan_month"):
        taken.setdefault(title, set()).add(month)
    created: list[Case] = []
    for item in items:
        if taken.get(item.title, set()) & standing.occurrence(item, local.month):
            continue
        created.append(
            add_case(
                actor=actor,
                committee=meeting.committee,
                title=item.title,
                case_type=item.case_type or Case.Type.INFORMATION,
                meeting=meeting,
                plan_item=item,
                plan_month=local.month,
                guidance=item.guidance,
            )
        )
    return created


# --- Cases ----------------------------------------------------------------------------------
def _check_title(title: str) -> str:
    title = (title or "").strip()
    if not title:
        raise ValidationError({"title": _("Give the case a title.")})
    return title


def _check_open_meeting(meeting: Meeting | None, committee: Committee) -> None:
    if meeting is None:
        return
    if meeting.committee_id != committee.pk:
        raise ValidationError({"meeting": _("Choose a meeting of this committee.")})
    if meeting.cancelled:
        raise ValidationError({"meeting": _("The meeting is cancelled.")})
    if meeting.minutes_approved:
        raise ValidationError({"meeting": _("The meeting's minutes are approved.")})


@transaction.atomic
def add_case(
    *,
    actor: AnyUser | None,
    committee: Committee,
    title: str,
    description: str = "",
    case_type: str = Case.Type.DECISION,
    meeting: Meeting | None = None,
    plan_item: Any = None,
    plan_month: int | None = None,
    guidance: str = "",
) -> Case:
    """A registered case with its number, added by the secretary (on an agenda, or kept for a
    later meeting)."""
    title = _check_title(title)
    _check_open_meeting(meeting, committee)
    year = meeting.year if meeting else timezone.localdate().year
    case = Case(
        organisation_id=committee.organisation_id,
        committee=committee,
        title=title,
        description=description,
        case_type=case_type,
        status=Case.Status.REGISTERED,
        meeting=meeting,
        plan_item=plan_item,
        plan_month=plan_month,
        guidance=guidance,
        submitted_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    case.full_clean(exclude=FK_CHECKED)
    _number(case, year)
    if meeting is not None:
        case.position = _next_position(meeting)
    case.save()
    record_created(actor, case)
    return case


def _next_position(meeting: Meeting) -> int:
    last = meeting.cases.aggregate(last=Max("position"))["last"]
    return (last or 0) + 1


@transaction.atomic
def propose_case(
    *,
    actor: AnyUser,
    committee: Committee,
    title: str,
    description: str = "",
    case_type: str = Case.Type.DECISION,
) -> Case:
    """Anyone in the organisation sends a case to the committee's secretary (the postkasse)."""
    title = _check_title(title)
    if not committee.is_active:
        raise ValidationError(_("The committee is no longer active."))
    case = Case(
        organisation_id=committee.organisation_id,
        committee=committee,
        title=title,
        description=description,
        case_type=case_type,
        status=Case.Status.PROPOSED,
        submitted_by=actor,
    )
    case.full_clean()
    case.save()
    record_created(actor, case)
    return case


@transaction.atomic
def register_case(*, actor: AnyUser | None, case: Case, meeting: Meeting | None = None) -> Case:
    """The secretary takes up a proposed or incoming case: it gets its number, and goes on the
    agenda of `meeting` (or waits for a later one)."""
    case = Case.objects.select_for_update(of=("self",)).select_related("committee").get(pk=case.pk)
    if case.status != Case.Status.PROPOSED:
        raise ValidationError(_("The case is already registered."))
    _check_open_meeting(meeting, case.committee)
    before = snapshot(case)
    _number(case, meeting.year if meeting else timezone.localdate().year)
    case.status = Case.Status.REGISTERED
    case.meeting = meeting
    if meeting is not None:
        case.position = _next_position(meeting)
    case.save()
    record_change(
        actor=actor,
        instance=case,
        action=AuditEntry.Action.UPDATE,
        before=before,
        after=snapshot(case),
    )
    return case


@transaction.atomic
def reject_case(*, actor: AnyUser | None, case: Case, reason: str) -> Case:
    if case.status != Case.Status.PROPOSED:
        raise ValidationError(_("Only a proposed case can be turned down."))
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the case is not taken up.")})
    _update(actor, case, {"status": Case.Status.REJECTED, "decision": reason.strip()})
    return case


@transaction.atomic
def update_case(
    *,
    actor: AnyUser | None,
    case: Case,
    title: str,
    description: str,
    case_type: str,
) -> Case:
    _refuse_if_approved(case.meeting)
    _update(
        actor,
        case,
        {"title": _check_title(title), "description": description, "case_type": case_type},
    )
    return case


@transaction.atomic
def place_on_agenda(*, actor: AnyUser | None, case: Case, meeting: Meeting | None) -> Case:
    """Move a registered case to another meeting's agenda (or off the agenda)."""
    if case.status != Case.Status.REGISTERED:
        raise ValidationError(_("Only a registered case that is not dealt with can be moved."))
    _refuse_if_approved(case.meeting)
    _check_open_meeting(meeting, case.committee)
    changes: dict[str, Any] = {"meeting": meeting}
    if meeting is not None:
        changes["position"] = _next_position(meeting)
    _update(actor, case, changes)
    return case


# --- Attachments ----------------------------------------------------------------------------
DOCUMENT_TYPES = {
    "application/pdf": _("PDF"),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "Word",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "Excel",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": "PowerPoint",
    "application/vnd.oasis.opendocument.text": "OpenDocument",
    "application/vnd.oasis.opendocument.spreadsheet": "OpenDocument",
    "application/vnd.oasis.opendocument.presentation": "OpenDocument",
    "image/png": "PNG",
    "image/jpeg": "JPEG",
    "text/plain": _("text"),
    "text/csv": "CSV",
}


def sniff_document_type(head: bytes, name: str) -> str | None:
    """The document type read from the file's first bytes, never from its name or the
    browser's claim; None when it is not a document we accept."""
    import io
    import zipfile

    if head.startswith(b"%PDF-"):
        return "application/pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(head)) as archive:
                names = set(archive.namelist())
                if "mimetype" in names:
                    mimetype = archive.read("mimetype").decode("ascii", "replace").strip()
                    return mimetype if mimetype in DOCUMENT_TYPES else None
        except (zipfile.BadZipFile, OSError, KeyError):
            return None
        if "[Content_Types].xml" not in names:
            return None
        for prefix, kind in (
            ("word/", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
            ("xl/", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
            ("ppt/", "application/vnd.openxmlformats-officedocument.presentationml.presentation"),
        ):
            if any(n.startswith(prefix) for n in names):
                return kind
        return None
    if b"\x00" in head:
        return None
    try:
        head.decode("utf-8")
    except UnicodeDecodeError:
        return None
    if head.lstrip().lower().startswith((b"<!doctype", b"<html", b"<svg", b"<?xml", b"<script")):
        return None  # markup would be active content if a browser rendered it
    return "text/csv" if name.lower().endswith(".csv") else "text/plain"


@transaction.atomic
def add_attachment(*, actor: AnyUser | None, case: Case, upload: UploadedFile) -> Attachment:
    _refuse_if_approved(case.meeting)
    limit = settings_for(case.organisation_id).attachment_max_mb * 1024 * 1024
    if upload.size is None or upload.size > limit:
        raise ValidationError(
            {
                "file": _("The file is larger than %(mb)s MB.")
                % {"mb": settings_for(case.organisation_id).attachment_max_mb}
            }
        )
    if upload.size == 0:
        raise ValidationError({"file": _("The file is empty.")})
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    name = (upload.name or "vedlegg").replace("\\", "/").rsplit("/", 1)[-1][:200]
    content_type = sniff_document_type(data, name)
    if content_type is None:
        raise ValidationError(
            {
                "file": _(
                    "This is not a document we accept. Attach PDF, Word, Excel, PowerPoint, "
                    "OpenDocument, PNG, JPEG, plain text or CSV."
                )
            }
        )
    attachment = Attachment(
        organisation_id=case.organisation_id,
        case=case,
        filename=name,
        content_type=content_type,
        size=upload.size,
        uploaded_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    attachment.file.save(name, upload, save=False)
    attachment.save()
    record_created(actor, attachment)
    return attachment


@transaction.atomic
def remove_attachment(*, actor: AnyUser | None, attachment: Attachment) -> None:
    _refuse_if_approved(attachment.case.meeting)
    before = snapshot(attachment)
    storage, name = attachment.file.storage, attachment.file.name
    attachment.delete()
    record_change(
        actor=actor,
        instance=attachment,
        action=AuditEntry.Action.DELETE,
        before=before,
    )
    transaction.on_commit(lambda: storage.delete(name))


# --- Invitation -----------------------------------------------------------------------------
def invitation_recipients(meeting: Meeting) -> list[str]:
    """Every current member, deputy, secretary and the BHT of the committee who has an email."""
    day = meeting.local_date
    emails = (
        CommitteeMember.objects.current(day)
        .filter(committee_id=meeting.committee_id)
        .exclude(person__user__isnull=True)
        .values_list("person__user__email", flat=True)
    )
    return sorted({e for e in emails if e})


@transaction.atomic
def send_invitation(*, actor: AnyUser | None, meeting: Meeting) -> list[str]:
    """Innkalling: email every member the agenda as PDF (made by the worker)."""
    from trygg.meetings.tasks import send_invitation_email

    if meeting.cancelled:
        raise ValidationError(_("The meeting is cancelled."))
    recipients = invitation_recipients(meeting)
    if not recipients:
        raise ValidationError(_("No member of the committee has an email address."))
    _update(actor, meeting, {"invitation_sent_at": timezone.now()}, clean=False)
    meeting_id = meeting.pk
    transaction.on_commit(
        lambda: send_invitation_email.enqueue(meeting_id=meeting_id, to=recipients)
    )
    return recipients


# --- Minutes --------------------------------------------------------------------------------
def _refuse_if_approved(meeting: Meeting | None) -> None:
    if meeting is not None and meeting.minutes_approved_at is not None:
        raise ValidationError(
            _(
                "The minutes are approved and cannot be changed. Reopen them first; the "
                "change then needs a new approval."
            )
        )


def _start_minutes(meeting: Meeting) -> None:
    if not meeting.minutes_started:
        Meeting.objects.filter(pk=meeting.pk).update(minutes_started=True)
        meeting.minutes_started = True


@transaction.atomic
def record_attendance(
    *, actor: AnyUser | None, meeting: Meeting, present: Iterable[int], absent: Iterable[int]
) -> list[Attendance]:
    """Who attended (person ids). Replaces the meeting's earlier record."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    _refuse_if_approved(meeting)
    present, absent = set(present), set(absent) - set(present)
    people = Person.objects.filter(
        organisation_id=meeting.organisation_id, pk__in=present | absent
    ).values_list("pk", flat=True)
    if set(people) != present | absent:
        raise ValidationError(_("Choose people of this organisation."))
    roles = {
        m.person_id: m.get_office_display()
        for m in CommitteeMember.objects.filter(committee_id=meeting.committee_id)
    }
    before = {
        "present": sorted(
            meeting.attendance.filter(status="present").values_list("person_id", flat=True)
        )
    }
    meeting.attendance.all().delete()
    rows = [
        Attendance(
            organisation_id=meeting.organisation_id,
            meeting=meeting,
            person_id=pk,
            role=str(roles.get(pk, "")),
            status=Attendance.Status.PRESENT if pk in present else Attendance.Status.ABSENT,
        )
        for pk in sorted(present | absent)
    ]
    Attendance.objects.bulk_create(rows)
    _start_minutes(meeting)
    record_change(
        actor=actor,
        instance=meeting,
        action=AuditEntry.Action.UPDATE,
        before=before,
        after={"present": sorted(present), "absent": sorted(absent)},
    )
    return rows


@transaction.atomic
def record_case_minutes(
    *,
    actor: AnyUser | None,
    case: Case,
    discussion: str,
    decision: str,
    unanimous: bool = True,
    majority_view: str = "",
    minority_view: str = "",
) -> Case:
    """The minutes for one case: the discussion and the decision; a split vote keeps both the
    majority's and the minority's view (FOLM § 3-16)."""
    if case.meeting is None:
        raise ValidationError(_("The case is not on a meeting's agenda."))
    _refuse_if_approved(case.meeting)
    errors: dict[str, str] = {}
    if case.case_type != Case.Type.INFORMATION and not decision.strip():
        errors["decision"] = _("Write the committee's decision.")
    if not unanimous and not minority_view.strip():
        errors["minority_view"] = _(
            "Write the minority's view when the decision was not unanimous."
        )
    if errors:
        raise ValidationError(errors)
    _update(
        actor,
        case,
        {
            "discussion": discussion,
            "decision": decision,
            "unanimous": unanimous,
            "majority_view": "" if unanimous else majority_view,
            "minority_view": "" if unanimous else minority_view,
        },
        clean=False,
    )
    _start_minutes(case.meeting)
    return case


@transaction.atomic
def record_minutes_notes(*, actor: AnyUser | None, meeting: Meeting, notes: str) -> Meeting:
    _refuse_if_approved(meeting)
    _update(actor, meeting, {"minutes_notes": notes}, clean=False)
    _start_minutes(meeting)
    return meeting


@transaction.atomic
def approve_minutes(*, actor: AnyUser | None, meeting: Meeting) -> Meeting:
    """The chair approves the minutes: they are frozen and every case on the agenda is dealt
    with."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    _refuse_if_approved(meeting)
    if meeting.starts_at > timezone.now():
        raise ValidationError(_("Minutes can be approved only after the meeting has started."))
    missing = [
        c.number_display
        for c in meeting.cases.all()
        if c.case_type != Case.Type.INFORMATION and not c.decision.strip()
    ]
    if missing:
        raise ValidationError(
            _("Write the decision in case %(cases)s first.") % {"cases": ", ".join(missing)}
        )
    now = timezone.now()
    _update(
        actor,
        meeting,
        {
            "minutes_approved_at": now,
            "minutes_approved_by": actor if getattr(actor, "is_authenticated", False) else None,
            "minutes_version": meeting.minutes_version + 1,
            "minutes_started": True,
        },
        clean=False,
    )
    meeting.cases.filter(status=Case.Status.REGISTERED).update(
        status=Case.Status.DECIDED, decided_at=now
    )
    from trygg.meetings import standing

    standing.mark_items_done(
        list(meeting.cases.filter(plan_item__isnull=False).select_related("plan_item__plan")),
        meeting.local_date,
    )
    return meeting


@transaction.atomic
def reopen_minutes(*, actor: AnyUser | None, meeting: Meeting, reason: str) -> Meeting:
    """Approved minutes are changed only after reopening them, with a reason kept in the audit
    log; the changed minutes need a new approval."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.minutes_approved_at is None:
        raise ValidationError(_("The minutes are not approved."))
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the approved minutes must be changed.")})
    before = snapshot(meeting)
    meeting.minutes_approved_at = None
    meeting.minutes_approved_by = None
    meeting.save(update_fields=["minutes_approved_at", "minutes_approved_by"])
    after = snapshot(meeting)
    after["reopen_reason"] = reason.strip()
    record_change(
        actor=actor, instance=meeting, action=AuditEntry.Action.UPDATE, before=before, after=after
    )
    meeting.cases.filter(status=Case.Status.DECIDED).update(status=Case.Status.REGISTERED)
    return meeting


@transaction.atomic
def create_decision_action(
    *,
    actor: AnyUser | None,
    case: Case,
    title: str,
    owner: Person | None,
    deadline: dt.date | None,
    description: str = "",
) -> Any:
    """A decision's follow-up as an action item (tiltak) of the one action engine, linked back
    to the case."""
    from trygg.actions.services import create_action_item

    if case.meeting is None:
        raise ValidationError(_("The case is not on a meeting's agenda."))
    if owner is not None and owner.organisation_id != case.organisation_id:
        raise ValidationError({"owner": _("Choose a person of this organisation.")})
    return create_action_item(
        actor=actor,
        title=_check_title(title),
        owner=owner,
        deadline=deadline,
        unit=case.committee.unit,
        description=description,
        source=case,
    )


# --- Case flow between levels ---------------------------------------------------------------
@transaction.atomic
def forward_case(*, actor: AnyUser | None, case: Case, statement: str) -> Case:
    """Send a case on to the committee this one reports to (AMU → HAMU, L-AMU → AMU) with the
    committee's statement. The receiving secretary puts it on an agenda (register_case)."""
    case = (
        Case.objects.select_for_update(of=("self",))
        .select_related("committee__parent")
        .get(pk=case.pk)
    )
    parent = case.committee.parent
    if parent is None or not parent.is_active:
        raise ValidationError(
            _("%(name)s does not report to another committee.") % {"name": case.committee.name}
        )
    if case.status not in (Case.Status.REGISTERED, Case.Status.DECIDED):
        raise ValidationError(_("Only a registered case can be sent on."))
    if Case.objects.filter(origin=case).exists():
        raise ValidationError(_("The case has already been sent on."))
    if not statement.strip():
        raise ValidationError({"statement": _("Write the committee's statement.")})
    incoming = Case(
        organisation_id=case.organisation_id,
        committee=parent,
        title=case.title,
        description=case.description,
        case_type=case.case_type,
        status=Case.Status.PROPOSED,
        origin=case,
        statement=statement.strip(),
        submitted_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    incoming.full_clean()
    incoming.save()
    record_created(actor, incoming)
    return incoming


# --- Calendar subscriptions -----------------------------------------------------------------
def feed_digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@transaction.atomic
def create_calendar_feed(
    *, actor: AnyUser, committee: Committee | None = None
) -> tuple[CalendarFeed, str]:
    """A new secret subscription address; returns the row and the secret (shown once)."""
    secret = secrets.token_urlsafe(32)
    feed = CalendarFeed.objects.create(
        organisation_id=actor.organisation_id,
        user=actor,
        committee=committee,
        digest=feed_digest(secret),
    )
    record_created(actor, feed)
    return feed, secret


@transaction.atomic
def delete_calendar_feed(*, actor: AnyUser, feed: CalendarFeed) -> None:
    before = snapshot(feed)
    feed.delete()
    record_change(actor=actor, instance=feed, action=AuditEntry.Action.DELETE, before=before)


# --- Annual reports -------------------------------------------------------------------------
REPORT_FIELDS = (
    "measures",
    "goal_attainment",
    "key_figures_comment",
    "safety_rounds_and_risk",
    "training",
    "input_to_parent",
    "assessments",
)


@transaction.atomic
def start_annual_report(*, actor: AnyUser | None, committee: Committee, year: int) -> AnnualReport:
    """The report for a year, prefilled from the year's records: the decisions taken and the
    cases sent on to the committee above."""
    if AnnualReport.objects.filter(committee=committee, year=year).exists():
        raise ValidationError(
            _("The annual report for %(year)s is already started.") % {"year": year}
        )
    decided = (
        Case.objects.filter(committee=committee, year=year, status=Case.Status.DECIDED)
        .exclude(decision="")
        .order_by("number")
    )
    measures = "\n".join(f"{c.label}: {c.title} – {c.decision}" for c in decided[:60])
    forwarded = Case.objects.filter(origin__committee=committee, origin__year=year).select_related(
        "origin"
    )
    to_parent = "\n".join(f"{c.origin.label}: {c.title} – {c.statement}" for c in forwarded)
    report = AnnualReport(
        organisation_id=committee.organisation_id,
        committee=committee,
        year=year,
        measures=measures,
        input_to_parent=to_parent,
    )
    report.full_clean()
    report.save()
    record_created(actor, report)
    return report


@transaction.atomic
def update_annual_report(
    *, actor: AnyUser | None, report: AnnualReport, **texts: str
) -> AnnualReport:
    if report.status == AnnualReport.Status.ADOPTED:
        raise ValidationError(_("The annual report is adopted and cannot be changed."))
    unknown = set(texts) - set(REPORT_FIELDS)
    if unknown:
        raise ValueError(f"not report fields: {unknown}")
    _update(actor, report, texts)
    return report


@transaction.atomic
def adopt_annual_report(
    *, actor: AnyUser | None, report: AnnualReport, figures: list[dict[str, Any]]
) -> AnnualReport:
    """Adopt the report; the live figures are kept as they are now (`figures`, made by
    documents.report_figures), so the adopted report never changes."""
    if report.status == AnnualReport.Status.ADOPTED:
        raise ValidationError(_("The annual report is already adopted."))
    _update(
        actor,
        report,
        {
            "status": AnnualReport.Status.ADOPTED,
            "adopted_at": timezone.now(),
            "adopted_by": actor if getattr(actor, "is_authenticated", False) else None,
            "frozen_figures": figures,
        },
    )
    return report

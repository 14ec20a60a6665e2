"""Pages for committee work: the committees' meetings, a meeting's agenda and minutes, cases,
incoming cases, the postkasse, annual reports and calendar subscriptions.

Each view parses input, asks meetings/access.py, calls a service or query, and renders.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from trygg.actions.queries import items_for_source
from trygg.lib.dates import today
from trygg.lib.forms import add_service_errors, submit
from trygg.meetings import access, documents, queries, services, standing
from trygg.meetings.forms import (
    ActionForm,
    AttachmentForm,
    AttendanceForm,
    CaseForm,
    CaseMinutesForm,
    ForwardForm,
    MeetingForm,
    MeetingPlanForm,
    NotesForm,
    ProposalForm,
    ReasonForm,
    RegisterForm,
    ReportForm,
    SettingsForm,
)
from trygg.meetings.models import AnnualReport, Case, Meeting
from trygg.org.models import Person


def _form_page(
    request: HttpRequest, form: Any, title: str, back: str, **extra: Any
) -> HttpResponse:
    context = {"form": form, "title": title, "back": back, **extra}
    return render(request, "meetings/form.html", context)


def _year(request: HttpRequest) -> int:
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        return today().year
    return year if 2000 <= year <= 2100 else today().year


def _post_year(request: HttpRequest) -> int:
    try:
        year = int(request.POST.get("year", ""))
    except ValueError:
        return today().year
    return year if 2000 <= year <= 2100 else today().year


def _report_year(year: int) -> int:
    if not 2000 <= year <= 2100:
        raise Http404
    return year


# --- Overview and committee -----------------------------------------------------------------
@login_required
@require_GET
def overview(request: HttpRequest) -> HttpResponse:
    access.require_member(request.user)
    committees = queries.committees_overview(access.readable_committees(request.user))
    manageable = {c.pk for c in committees if access.can_manage_committee(request.user, c)}
    context = {
        "committees": committees,
        "manageable": manageable,
        "proposals": list(access.proposed_by(request.user).order_by("-created_at")[:20]),
        "feeds": queries_feeds(request),
        "new_feed": request.session.pop("meetings_new_feed", None),
        "can_manage_settings": access.can_manage_settings(request.user),
    }
    return render(request, "meetings/overview.html", context)


def queries_feeds(request: HttpRequest) -> list:
    from trygg.meetings.models import CalendarFeed

    return list(
        CalendarFeed.objects.filter(user_id=request.user.pk)
        .select_related("committee")
        .order_by("created_at")
    )


@login_required
@require_GET
def committee_detail(request: HttpRequest, pk: int) -> HttpResponse:
    committee = access.get_committee_for_user(request.user, pk)
    year = _year(request)
    context = {
        "committee": committee,
        "year": year,
        "years": queries.meeting_years(committee),
        "meetings": queries.meetings_of(committee, year),
        "incoming": queries.incoming(committee),
        "waiting": queries.waiting_cases(committee),
        "can_manage": access.can_manage_committee(request.user, committee),
        "constitution": queries.constitution(committee, year),
        "has_children": committee.children.filter(is_active=True).exists(),
    }
    return render(request, "meetings/committee.html", context)


@login_required
def plan_meetings(request: HttpRequest, pk: int) -> HttpResponse:
    """Møteplan: a year's meetings for the committee, with warnings to confirm."""
    committee = access.get_committee_for_user(request.user, pk, write=True)
    year = _year(request) if request.method == "GET" else _post_year(request)
    form = MeetingPlanForm(
        request.POST or None,
        initial={
            "dates": MeetingPlanForm.initial_dates(services.suggest_dates(year)),
            "start": dt.time(12, 0),
            "duration": 120,
        },
    )
    warnings: list[str] = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        duration = dt.timedelta(minutes=data["duration"])
        planned = [
            services.PlannedMeeting(
                services.local_datetime(day, data["start"]),
                services.local_datetime(day, data["start"]) + duration,
            )
            for day in data["dates"]
        ]
        warnings = services.plan_warnings(committee, planned)
        minimum = services.settings_for(committee.organisation_id).minimum_meetings_per_year
        if len(data["dates"]) < minimum:
            warnings.append(
                _("The committee normally meets at least %(count)s times a year.")
                % {"count": minimum}
            )
        if not warnings or data["confirm"]:
            try:
                meetings = services.plan_meetings(
                    actor=request.user,
                    committee=committee,
                    dates=data["dates"],
                    start=data["start"],
                    duration=duration,
                    place=data["place"],
                    video_url=data["video_url"],
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(
                    request,
                    _(
                        "%(count)s meetings were planned, with the årshjul's standing cases on their agendas."
                    )
                    % {"count": len(meetings)},
                )
                return redirect(
                    reverse("meetings:committee_detail", args=[committee.pk])
                    + f"?year={meetings[0].year}"
                )
    return render(
        request,
        "meetings/plan.html",
        {"committee": committee, "form": form, "year": year, "warnings": warnings},
    )


@login_required
@require_POST
def send_plan(request: HttpRequest, pk: int) -> HttpResponse:
    """Send the committee's meeting plan to the secretaries of the committees below."""
    committee = access.get_committee_for_user(request.user, pk, write=True)
    try:
        year = int(request.POST.get("year", ""))
    except ValueError:
        raise Http404 from None
    then = reverse("meetings:committee_detail", args=[committee.pk]) + f"?year={year}"
    try:
        told = services.send_meeting_plan(actor=request.user, committee=committee, year=year)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            _("The meeting plan was sent to %(count)s secretaries of the committees below.")
            % {"count": told},
        )
    return redirect(then)


# --- Meetings -------------------------------------------------------------------------------
def _meeting_context(request: HttpRequest, meeting: Meeting) -> dict[str, Any]:
    context = documents.meeting_context(meeting)
    can_manage = access.can_manage_committee(request.user, meeting.committee)
    context.update(
        {
            "can_manage": can_manage,
            "can_approve": access.can_approve(request.user, meeting),
            "editable": can_manage and not meeting.minutes_approved and not meeting.cancelled,
            "is_past": meeting.starts_at <= timezone.now(),
        }
    )
    return context


@login_required
@require_GET
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = access.get_meeting_for_user(request.user, pk)
    return render(request, "meetings/meeting.html", _meeting_context(request, meeting))


@login_required
def meeting_edit(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = access.get_meeting_for_user(request.user, pk, write=True)
    form = MeetingForm(request.POST or None, initial=MeetingForm.initial_for(meeting))
    warnings: list[str] = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        starts = services.local_datetime(data["date"], data["start"])
        ends = services.local_datetime(data["date"], data["end"])
        warnings = services.plan_warnings(
            meeting.committee, [services.PlannedMeeting(starts, ends)], exclude=meeting
        )
        if not warnings or data["confirm"]:
            try:
                services.update_meeting(
                    actor=request.user,
                    meeting=meeting,
                    starts_at=starts,
                    ends_at=ends,
                    place=data["place"],
                    video_url=data["video_url"],
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("The meeting was saved."))
                return redirect(meeting.get_absolute_url())
    return _form_page(
        request, form, _("Change meeting"), meeting.get_absolute_url(), warnings=warnings
    )


def _post_action(request: HttpRequest, action, success: str, then: str) -> HttpResponse:  # type: ignore[no-untyped-def]
    try:
        action()
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, success)
    return redirect(then)


@login_required
@require_POST
def meeting_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = access.get_meeting_for_user(request.user, pk, write=True)
    return _post_action(
        request,
        lambda: services.cancel_meeting(actor=request.user, meeting=meeting),
        _("The meeting was cancelled."),
        meeting.get_absolute_url(),
    )


@login_required
@require_POST
def meeting_invite(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = access.get_meeting_for_user(request.user, pk, write=True)
    return _post_action(
        request,
        lambda: services.send_invitation(actor=request.user, meeting=meeting),
        _("The invitation with the agenda is being sent to the members."),
        meeting.get_absolute_url(),
    )


@login_required
@require_POST
def meeting_fill(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = access.get_meeting_for_user(request.user, pk, write=True)
    return _post_action(
        request,
        lambda: services.fill_agenda(actor=request.user, meeting=meeting),
        _("The årshjul's standing cases for the month are on the agenda."),
        meeting.get_absolute_url(),
    )


def _pdf(request: HttpRequest, html: str, filename: str) -> HttpResponse:
    from trygg.lib.pdf import pdf_response

    return pdf_response(request, html, filename=filename)


@login_required
@require_GET
def agenda_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = access.get_meeting_for_user(request.user, pk)
    return _pdf(request, documents.agenda_html(meeting), f"innkalling-{meeting.local_date}.pdf")


@login_required
@require_GET
def minutes_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = access.get_meeting_for_user(request.user, pk)
    return _pdf(request, documents.minutes_html(meeting), f"protokoll-{meeting.local_date}.pdf")


@login_required
def minutes(request: HttpRequest, pk: int) -> HttpResponse:
    """Attendance and general notes of the minutes; each case's minutes on its own form."""
    meeting = access.get_meeting_for_user(request.user, pk, write=True)
    members = queries.current_members(meeting.committee, meeting.local_date)
    recorded = {a.person_id for a in meeting.attendance.filter(status="present")}
    attendance_form = AttendanceForm(
        request.POST if "present_form" in request.POST else None,
        members=members,
        initial={
            "present": sorted(recorded)
            if meeting.minutes_started
            else [m.person_id for m in members if m.office != "deputy"]
        },
    )
    notes_form = NotesForm(
        request.POST if "notes_form" in request.POST else None,
        initial={"notes": meeting.minutes_notes},
    )
    if request.method == "POST":
        try:
            if "present_form" in request.POST and attendance_form.is_valid():
                present = attendance_form.cleaned_data["present"]
                services.record_attendance(
                    actor=request.user,
                    meeting=meeting,
                    present=present,
                    absent=[p for p in attendance_form.member_ids if p not in present],
                )
                messages.success(request, _("The attendance was saved."))
                return redirect("meetings:minutes", meeting.pk)
            if "notes_form" in request.POST and notes_form.is_valid():
                services.record_minutes_notes(
                    actor=request.user, meeting=meeting, notes=notes_form.cleaned_data["notes"]
                )
                messages.success(request, _("The notes were saved."))
                return redirect("meetings:minutes", meeting.pk)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
            return redirect(meeting.get_absolute_url())
    context = _meeting_context(request, meeting)
    context.update({"attendance_form": attendance_form, "notes_form": notes_form})
    return render(request, "meetings/minutes.html", context)


@login_required
@require_POST
def approve(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = access.get_meeting_to_approve(request.user, pk)
    return _post_action(
        request,
        lambda: services.approve_minutes(actor=request.user, meeting=meeting),
        _("The minutes are approved."),
        meeting.get_absolute_url(),
    )


@login_required
def reopen(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = access.get_meeting_to_reopen(request.user, pk)
    form = ReasonForm(request.POST or None)
    done = submit(
        request,
        form,
        lambda data: services.reopen_minutes(
            actor=request.user, meeting=meeting, reason=data["reason"]
        ),
        success=_("The minutes are open for changes. They need a new approval."),
        then=lambda m: m.get_absolute_url(),
    )
    return done or _form_page(
        request,
        form,
        _("Reopen approved minutes"),
        meeting.get_absolute_url(),
        lead=_("The reason is kept in the audit log. The changed minutes must be approved again."),
    )


# --- Cases ----------------------------------------------------------------------------------
@login_required
def case_create(request: HttpRequest, pk: int) -> HttpResponse:
    committee = access.get_committee_for_user(request.user, pk, write=True)
    meetings = queries.open_meetings(committee)
    initial: dict[str, Any] = {}
    if request.GET.get("meeting", "").isdigit():
        initial["meeting"] = meetings.filter(pk=int(request.GET["meeting"])).first()
    form = CaseForm(request.POST or None, meetings=meetings, initial=initial)
    done = submit(
        request,
        form,
        lambda data: services.add_case(actor=request.user, committee=committee, **data),
        success=lambda case: _("%(case)s was registered.") % {"case": case.label},
        then=lambda case: (
            case.meeting.get_absolute_url() if case.meeting else case.get_absolute_url()
        ),
    )
    return done or _form_page(
        request,
        form,
        _("New case for %(name)s") % {"name": committee.name},
        reverse("meetings:committee_detail", args=[committee.pk]),
    )


def _figure(request: HttpRequest, case: Case) -> dict[str, Any] | None:
    if case.plan_item_id is None:
        return None
    return standing.figure_context(case, request.user)


@login_required
@require_GET
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    case = access.get_case_for_user(request.user, pk)
    can_read = access.can_read_committee(request.user, case.committee)
    can_manage = access.can_manage_committee(request.user, case.committee)
    forwarded = getattr(case, "forwarded_as", None) if can_read else None
    approved = case.meeting is not None and case.meeting.minutes_approved
    context = {
        "case": case,
        "can_read": can_read,
        "can_manage": can_manage,
        "editable": can_manage and not approved and case.status != Case.Status.REJECTED,
        "attachments": list(case.attachments.all()) if can_read else [],
        "attachment_form": AttachmentForm(),
        "forwarded": forwarded,
        "origin_visible": access.can_see_origin(request.user, case),
        "can_forward": can_manage
        and case.committee.parent_id is not None
        and forwarded is None
        and case.status in (Case.Status.REGISTERED, Case.Status.DECIDED),
        "figure": _figure(request, case) if can_read else None,
        "action_items": list(items_for_source(case)) if can_read else [],
        "today": today(),
    }
    return render(request, "meetings/case.html", context)


@login_required
def case_edit(request: HttpRequest, pk: int) -> HttpResponse:
    case = access.get_case_for_user(request.user, pk, write=True)
    form = CaseForm(
        request.POST or None,
        initial={"title": case.title, "description": case.description, "case_type": case.case_type},
    )
    done = submit(
        request,
        form,
        lambda data: services.update_case(actor=request.user, case=case, **data),
        success=_("The case was saved."),
        then=lambda c: c.get_absolute_url(),
    )
    return done or _form_page(request, form, _("Change case"), case.get_absolute_url())


@login_required
def case_minutes(request: HttpRequest, pk: int) -> HttpResponse:
    case = access.get_case_for_user(request.user, pk, write=True)
    form = CaseMinutesForm(
        request.POST or None,
        initial={
            "discussion": case.discussion,
            "decision": case.decision,
            "unanimous": case.unanimous,
            "majority_view": case.majority_view,
            "minority_view": case.minority_view,
        },
    )
    done = submit(
        request,
        form,
        lambda data: services.record_case_minutes(actor=request.user, case=case, **data),
        success=_("The minutes for the case were saved."),
        then=lambda c: c.meeting.get_absolute_url() + f"#case-{c.pk}",
    )
    return done or _form_page(
        request,
        form,
        _("Minutes: %(case)s %(title)s") % {"case": case.label, "title": case.title},
        case.meeting.get_absolute_url() if case.meeting else case.get_absolute_url(),
        lead=_("Text is kept exactly as written; HTML is shown as text, not run."),
    )


@login_required
@require_POST
def case_attach(request: HttpRequest, pk: int) -> HttpResponse:
    case = access.get_case_for_user(request.user, pk, write=True)
    form = AttachmentForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Choose a file to attach."))
        return redirect(case.get_absolute_url())
    return _post_action(
        request,
        lambda: services.add_attachment(
            actor=request.user, case=case, upload=form.cleaned_data["file"]
        ),
        _("The attachment was added."),
        case.get_absolute_url(),
    )


@login_required
@require_GET
def attachment_download(request: HttpRequest, pk: int) -> HttpResponse:
    attachment = access.get_attachment_for_user(request.user, pk)
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.filename,
        content_type=attachment.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_POST
def attachment_delete(request: HttpRequest, pk: int) -> HttpResponse:
    attachment = access.get_attachment_for_user(request.user, pk, write=True)
    case = attachment.case
    return _post_action(
        request,
        lambda: services.remove_attachment(actor=request.user, attachment=attachment),
        _("The attachment was removed."),
        case.get_absolute_url(),
    )


@login_required
def case_action(request: HttpRequest, pk: int) -> HttpResponse:
    """A decision creates an action item (tiltak) with an owner and a deadline."""
    case = access.get_case_for_user(request.user, pk, write=True)
    people = Person.objects.filter(organisation_id=case.organisation_id).order_by(
        "last_name", "first_name"
    )
    form = ActionForm(request.POST or None, people=people, initial={"title": case.title})
    done = submit(
        request,
        form,
        lambda data: services.create_decision_action(actor=request.user, case=case, **data),
        success=_("The action item was created; its owner finds it under My tasks."),
        then=lambda item: case.get_absolute_url(),
    )
    return done or _form_page(
        request,
        form,
        _("Action item from %(case)s") % {"case": case.label},
        case.get_absolute_url(),
    )


@login_required
def case_forward(request: HttpRequest, pk: int) -> HttpResponse:
    case = access.get_case_for_user(request.user, pk, write=True)
    if case.committee.parent is None:
        raise Http404
    form = ForwardForm(request.POST or None, initial={"statement": case.decision})
    done = submit(
        request,
        form,
        lambda data: services.forward_case(actor=request.user, case=case, **data),
        success=_("The case was sent to %(name)s.") % {"name": case.committee.parent.name},
        then=lambda incoming: case.get_absolute_url(),
    )
    return done or _form_page(
        request,
        form,
        _("Send %(case)s to %(name)s") % {"case": case.label, "name": case.committee.parent.name},
        case.get_absolute_url(),
    )


@login_required
def case_register(request: HttpRequest, pk: int) -> HttpResponse:
    """The secretary takes up a proposed or incoming case and puts it on an agenda."""
    case = access.get_case_for_user(request.user, pk, write=True)
    if case.status != Case.Status.PROPOSED:
        raise Http404
    meetings = queries.open_meetings(case.committee).filter(
        starts_at__gte=timezone.now() - dt.timedelta(hours=12)
    )
    form = RegisterForm(
        request.POST or None,
        meetings=meetings,
        initial={"meeting": queries.next_meeting(case.committee)},
    )
    done = submit(
        request,
        form,
        lambda data: services.register_case(actor=request.user, case=case, **data),
        success=lambda c: _("%(case)s was registered.") % {"case": c.label},
        then=lambda c: c.meeting.get_absolute_url() if c.meeting else c.get_absolute_url(),
    )
    return done or _form_page(
        request,
        form,
        _("Take up the case: %(title)s") % {"title": case.title},
        case.get_absolute_url(),
    )


@login_required
def case_reject(request: HttpRequest, pk: int) -> HttpResponse:
    case = access.get_case_for_user(request.user, pk, write=True)
    form = ReasonForm(request.POST or None)
    done = submit(
        request,
        form,
        lambda data: services.reject_case(actor=request.user, case=case, **data),
        success=_("The case is not taken up; the reason is shown to the sender."),
        then=lambda c: reverse("meetings:incoming", args=[c.committee_id]),
    )
    return done or _form_page(
        request,
        form,
        _("Do not take up: %(title)s") % {"title": case.title},
        case.get_absolute_url(),
    )


@login_required
@require_GET
def incoming(request: HttpRequest, pk: int) -> HttpResponse:
    committee = access.get_committee_for_user(request.user, pk)
    context = {
        "committee": committee,
        "cases": queries.incoming(committee),
        "can_manage": access.can_manage_committee(request.user, committee),
        "next_meeting": queries.next_meeting(committee),
    }
    return render(request, "meetings/incoming.html", context)


@login_required
def propose(request: HttpRequest) -> HttpResponse:
    """Postkasse: anyone sends a case to a committee through its secretary."""
    committees = access.proposal_committees(request.user)
    access.require_member(request.user)
    initial = {}
    if request.GET.get("committee", "").isdigit():
        initial["committee"] = committees.filter(pk=int(request.GET["committee"])).first()
    form = ProposalForm(request.POST or None, committees=committees, initial=initial)
    done = submit(
        request,
        form,
        lambda data: services.propose_case(actor=request.user, **data),
        success=_("The case was sent to the committee's secretary."),
        then=lambda c: c.get_absolute_url(),
    )
    return done or _form_page(
        request,
        form,
        _("Send a case to a committee"),
        reverse("meetings:overview"),
        lead=_("The committee's secretary receives the case and puts it on an agenda."),
    )


# --- Annual reports -------------------------------------------------------------------------
@login_required
def annual_report(request: HttpRequest, pk: int, year: int) -> HttpResponse:
    year = _report_year(year)
    committee, report = access.get_report_for_user(request.user, pk, year)
    can_manage = access.can_manage_committee(request.user, committee)
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied
        try:
            if report is None:
                services.start_annual_report(actor=request.user, committee=committee, year=year)
                messages.success(
                    request, _("The annual report was started from the year's records.")
                )
            else:
                form = ReportForm(request.POST, is_top=committee.parent_id is None)
                if form.is_valid():
                    services.update_annual_report(
                        actor=request.user, report=report, **form.cleaned_data
                    )
                    messages.success(request, _("The annual report was saved."))
                else:
                    messages.error(request, _("Please correct the errors below."))
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        return redirect("meetings:annual_report", committee.pk, year)
    context = documents.report_context(committee, year, report, request.user)
    editable = can_manage and report is not None and report.status == AnnualReport.Status.DRAFT
    context.update(
        {
            "can_manage": can_manage,
            "form": ReportForm(
                initial={f: getattr(report, f) for f in services.REPORT_FIELDS},
                is_top=committee.parent_id is None,
            )
            if editable
            else None,
        }
    )
    return render(request, "meetings/report.html", context)


@login_required
@require_POST
def annual_report_adopt(request: HttpRequest, pk: int, year: int) -> HttpResponse:
    committee, report = access.get_report_for_user(request.user, pk, year, write=True)
    if report is None:
        raise Http404
    return _post_action(
        request,
        lambda: services.adopt_annual_report(
            actor=request.user,
            report=report,
            figures=documents.report_figures(committee, year, request.user),
        ),
        _("The annual report is adopted."),
        report.get_absolute_url(),
    )


@login_required
@require_GET
def annual_report_pdf(request: HttpRequest, pk: int, year: int) -> HttpResponse:
    year = _report_year(year)
    committee, report = access.get_report_for_user(request.user, pk, year)
    context = documents.report_context(committee, year, report, request.user)
    return _pdf(request, documents.report_html(context), f"arsrapport-{year}.pdf")


# --- Calendar subscriptions -----------------------------------------------------------------
@login_required
@require_POST
def feed_create(request: HttpRequest) -> HttpResponse:
    committee = None
    if request.POST.get("committee", "").isdigit():
        committee = access.get_committee_for_user(request.user, int(request.POST["committee"]))
    else:
        access.require_member(request.user)
    _feed, secret = services.create_calendar_feed(actor=request.user, committee=committee)
    request.session["meetings_new_feed"] = request.build_absolute_uri(
        reverse("meetings:feed", args=[secret])
    )
    messages.success(request, _("Copy the subscription address now; it is shown only once."))
    return redirect("meetings:overview")


@login_required
@require_POST
def feed_delete(request: HttpRequest, pk: int) -> HttpResponse:
    feed = access.get_feed_for_user(request.user, pk)
    services.delete_calendar_feed(actor=request.user, feed=feed)
    messages.success(request, _("The subscription address no longer works."))
    return redirect("meetings:overview")


@never_cache
@require_GET
def feed(request: HttpRequest, secret: str) -> HttpResponse:
    """The iCalendar feed behind a secret address (calendar programs cannot log in)."""
    from trygg.meetings import feeds

    body = feeds.feed_for_secret(
        secret, host=request.get_host(), absolute=request.build_absolute_uri
    )
    if body is None:
        raise Http404
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="trygg-moter.ics"'
    return response


@login_required
def settings_page(request: HttpRequest) -> HttpResponse:
    """The organisation's meeting conventions (rules.md ⚠️ items that became settings)."""
    access.require_settings_manager(request.user)
    org_id = request.user.organisation_id
    current = services.settings_for(org_id)
    fields = (
        "minimum_meetings_per_year",
        "agenda_reminder_days",
        "invitation_days_before",
        "attachment_max_mb",
    )
    form = SettingsForm(request.POST or None, initial={f: getattr(current, f) for f in fields})
    done = submit(
        request,
        form,
        lambda data: services.update_settings(actor=request.user, organisation_id=org_id, **data),
        success=_("The settings were saved."),
        then=lambda _settings: reverse("meetings:overview"),
    )
    return done or _form_page(request, form, _("Meeting settings"), reverse("meetings:overview"))

"""The only place that decides who may see or do what with committee meetings and cases.

- Members of a committee (members, deputies, the secretary, the BHT) read its meetings, cases,
  minutes and annual reports; others in the organisation get 404 for them.
- The secretary, HMS coordinators for the committee's unit and administrators run the committee:
  plan meetings, register cases, write minutes, send cases on (members get 403 on those).
- The chair (or the deputy chair) of the meeting's year approves the minutes.
- Anyone in the organisation may send a case to a committee's secretary (the "postkasse") and
  follow the cases they sent.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from trygg.lib.typing import AnyUser
from trygg.meetings.models import AnnualReport, Attachment, CalendarFeed, Case, Meeting
from trygg.org.models import Committee, CommitteeYear, path_condition
from trygg.org.principal import ALL, Principal, Role, get_principal


def _principal(user: AnyUser) -> Principal:
    principal = get_principal(user)
    if not principal.is_member:
        raise Http404
    return principal


def require_member(user: AnyUser) -> Principal:
    """Anyone logged in to an organisation; others get 404."""
    return _principal(user)


def can_manage_settings(user: AnyUser) -> bool:
    """The organisation's meeting conventions: HMS coordinators for the whole organisation and
    administrators."""
    principal = get_principal(user)
    return principal.is_member and ALL in _manager_paths(principal)


def require_settings_manager(user: AnyUser) -> None:
    _principal(user)
    if not can_manage_settings(user):
        raise PermissionDenied


def _manager_paths(principal: Principal) -> tuple[str, ...]:
    return principal.paths(Role.ADMIN, Role.HMS_COORDINATOR)


def readable_committees(user: AnyUser) -> QuerySet[Committee]:
    """Committees whose meetings the user may read."""
    principal = get_principal(user)
    if not principal.is_member:
        return Committee.objects.none()
    committees = Committee.objects.filter(organisation_id=principal.organisation_id)
    paths = _manager_paths(principal)
    if ALL in paths:
        return committees
    return committees.filter(
        Q(pk__in=principal.committee_ids) | path_condition(paths, "unit__path")
    )


def can_read_committee(user: AnyUser, committee: Committee) -> bool:
    principal = get_principal(user)
    if principal.organisation_id != committee.organisation_id:
        return False
    return committee.pk in principal.committee_ids or can_manage_committee(user, committee)


def can_manage_committee(user: AnyUser, committee: Committee) -> bool:
    principal = get_principal(user)
    if principal.organisation_id != committee.organisation_id:
        return False
    if committee.pk in principal.secretary_committee_ids:
        return True
    unit_path = committee.unit.path
    return principal.covers(unit_path, _manager_paths(principal))


def uses_meetings(user: AnyUser) -> bool:
    """Shown the menu entry: committee members and secretaries, HMS coordinators, admins."""
    principal = get_principal(user)
    return principal.is_member and bool(
        principal.committee_ids or principal.is_hms_coordinator or principal.is_admin
    )


def get_committee_for_user(user: AnyUser, pk: int, *, write: bool = False) -> Committee:
    principal = _principal(user)
    committee = (
        Committee.objects.filter(organisation_id=principal.organisation_id, pk=pk)
        .select_related("unit", "parent")
        .first()
    )
    if committee is None or not can_read_committee(user, committee):
        raise Http404
    if write and not can_manage_committee(user, committee):
        raise PermissionDenied
    return committee


def get_committee_for_proposal(user: AnyUser, pk: int) -> Committee:
    """Any active committee of the user's organisation receives cases through its secretary."""
    principal = _principal(user)
    committee = (
        Committee.objects.filter(organisation_id=principal.organisation_id, pk=pk, is_active=True)
        .select_related("unit")
        .first()
    )
    if committee is None:
        raise Http404
    return committee


def proposal_committees(user: AnyUser) -> QuerySet[Committee]:
    principal = get_principal(user)
    if not principal.is_member:
        return Committee.objects.none()
    return Committee.objects.filter(organisation_id=principal.organisation_id, is_active=True)


def get_meeting_for_user(user: AnyUser, pk: int, *, write: bool = False) -> Meeting:
    principal = _principal(user)
    meeting = (
        Meeting.objects.filter(organisation_id=principal.organisation_id, pk=pk)
        .select_related("committee__unit", "committee__parent", "minutes_approved_by")
        .first()
    )
    if meeting is None or not can_read_committee(user, meeting.committee):
        raise Http404
    if write and not can_manage_committee(user, meeting.committee):
        raise PermissionDenied
    return meeting


def chair_person_ids(committee: Committee, year: int) -> set[int]:
    row = (
        CommitteeYear.objects.filter(committee=committee, year=year)
        .values_list("chair__person_id", "deputy_chair__person_id")
        .first()
    )
    return {pk for pk in (row or ()) if pk}


def can_approve(user: AnyUser, meeting: Meeting) -> bool:
    """The chair of the meeting's year approves its minutes; the deputy chair stands in."""
    principal = get_principal(user)
    if principal.person_id is None or principal.organisation_id != meeting.organisation_id:
        return False
    return principal.person_id in chair_person_ids(meeting.committee, meeting.year)


def get_meeting_to_approve(user: AnyUser, pk: int) -> Meeting:
    meeting = get_meeting_for_user(user, pk)
    if not can_approve(user, meeting):
        raise PermissionDenied
    return meeting


def get_meeting_to_reopen(user: AnyUser, pk: int) -> Meeting:
    """The chair, or whoever runs the committee, reopens approved minutes to correct them."""
    meeting = get_meeting_for_user(user, pk)
    if not (can_approve(user, meeting) or can_manage_committee(user, meeting.committee)):
        raise PermissionDenied
    return meeting


def _case_query(principal: Principal) -> QuerySet[Case]:
    return Case.objects.filter(organisation_id=principal.organisation_id).select_related(
        "committee__unit", "committee__parent", "meeting", "submitted_by", "origin__committee"
    )


def can_read_case(user: AnyUser, case: Case) -> bool:
    if can_read_committee(user, case.committee):
        return True
    return case.submitted_by_id is not None and case.submitted_by_id == getattr(user, "pk", None)


def get_case_for_user(user: AnyUser, pk: int, *, write: bool = False) -> Case:
    principal = _principal(user)
    case = _case_query(principal).filter(pk=pk).first()
    if case is None or not can_read_case(user, case):
        raise Http404
    if write and not can_manage_committee(user, case.committee):
        raise PermissionDenied
    return case


def can_see_origin(user: AnyUser, case: Case) -> bool:
    return case.origin is not None and can_read_committee(user, case.origin.committee)


def get_attachment_for_user(user: AnyUser, pk: int, *, write: bool = False) -> Attachment:
    principal = _principal(user)
    attachment = (
        Attachment.objects.filter(organisation_id=principal.organisation_id, pk=pk)
        .select_related("case__committee__unit", "case__meeting")
        .first()
    )
    if attachment is None or not can_read_case(user, attachment.case):
        raise Http404
    if write and not can_manage_committee(user, attachment.case.committee):
        raise PermissionDenied
    return attachment


def proposed_by(user: AnyUser) -> QuerySet[Case]:
    principal = get_principal(user)
    if not principal.is_member:
        return Case.objects.none()
    return _case_query(principal).filter(submitted_by_id=user.pk, origin__isnull=True)


def get_report_for_user(
    user: AnyUser, committee_pk: int, year: int, *, write: bool = False
) -> tuple[Committee, AnnualReport | None]:
    committee = get_committee_for_user(user, committee_pk, write=write)
    report = AnnualReport.objects.filter(committee=committee, year=year).first()
    return committee, report


def get_feed_for_user(user: AnyUser, pk: int) -> CalendarFeed:
    principal = _principal(user)
    feed = CalendarFeed.objects.filter(
        organisation_id=principal.organisation_id, user_id=user.pk, pk=pk
    ).first()
    if feed is None:
        raise Http404
    return feed


def feed_still_allowed(feed: CalendarFeed) -> bool:
    """A subscription works only while its owner could read the meetings in the app."""
    user = feed.user
    if not user.is_active or user.organisation_id != feed.organisation_id:
        return False
    if feed.committee is None:
        return True
    return can_read_committee(user, feed.committee)

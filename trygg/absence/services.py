"""Writes for sick leave. Each use case is atomic, audit-logged, and keeps the monthly
aggregates and follow-up cases of the person in step in the same transaction."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from trygg.absence import aggregates
from trygg.absence.models import (
    AbsenceSettings,
    AbsenceSpell,
    AdaptationMeasure,
    DialogueMeeting,
    FollowUpCase,
    FollowUpPlan,
    PlanComment,
)
from trygg.accounts.models import Organisation
from trygg.audit.models import AuditEntry
from trygg.audit.services import record_change, record_created, record_event, snapshot
from trygg.lib.dates import add_years, format_date, today
from trygg.lib.typing import AnyUser
from trygg.org.models import Employment, Person

FUTURE_LIMIT_DAYS = 366  # a sykmelding may run ahead; a year ahead is a typing error


# --- Settings -------------------------------------------------------------------------------
def get_settings(organisation: Organisation) -> AbsenceSettings:
    found = AbsenceSettings.objects.filter(organisation=organisation).first()
    return found or AbsenceSettings(organisation=organisation)


@transaction.atomic
def update_settings(
    *, actor: AnyUser, organisation: Organisation, **values: Any
) -> AbsenceSettings:
    current = get_settings(organisation)
    before = snapshot(current) if current.pk else None
    for key, value in values.items():
        setattr(current, key, value)
    current.full_clean()
    current.save()
    record_change(
        actor=actor,
        instance=current,
        action=AuditEntry.Action.UPDATE if before else AuditEntry.Action.CREATE,
        before=before,
        after=snapshot(current),
    )
    return current


# --- Checking a spell -----------------------------------------------------------------------
def check_spell(
    *,
    first_day: dt.date | None,
    last_day: dt.date | None,
    kind: str,
    grade: int | None,
    employments: Sequence[tuple[dt.date, dt.date | None]],
    others: Iterable[tuple[dt.date, dt.date]],
    settings: AbsenceSettings,
    day: dt.date | None = None,
) -> list[str]:
    """Every reason this spell cannot be saved, in words for the user (empty when it can)."""
    errors: list[str] = []
    day = day or today()
    if first_day is None or last_day is None:
        return errors  # the missing date has its own message
    if last_day < first_day:
        errors.append(
            _("The last day (%(last)s) is before the first day (%(first)s).")
            % {"last": format_date(last_day), "first": format_date(first_day)}
        )
        return errors
    if last_day > day + dt.timedelta(days=FUTURE_LIMIT_DAYS):
        errors.append(
            _("The last day %(last)s is more than a year ahead. Check the year.")
            % {"last": format_date(last_day)}
        )
    if kind == AbsenceSpell.Kind.SELF_CERTIFIED:
        length = (last_day - first_day).days + 1
        if length > settings.self_certified_max_days:
            errors.append(
                _(
                    "An egenmelding lasts at most %(max)s calendar days here, but this one lasts "
                    "%(days)s. Register the rest as a sykmelding."
                )
                % {"max": settings.self_certified_max_days, "days": length}
            )
    elif grade is not None and not 20 <= grade <= 100:
        errors.append(
            _("The grade is %(grade)s %%. A sykmelding is graded from 20 to 100 %%.")
            % {"grade": grade}
        )
    if not employments:
        errors.append(_("The person has no employment, so absence cannot be registered."))
    else:
        first_start = min(start for start, _end in employments)
        if first_day < first_start:
            errors.append(
                _("The absence starts %(first)s, before the employment started (%(start)s).")
                % {"first": format_date(first_day), "start": format_date(first_start)}
            )
        ends = [end for _start, end in employments]
        if None not in ends and first_day > max(e for e in ends if e is not None):
            errors.append(
                _("The absence starts %(first)s, after the employment ended (%(end)s).")
                % {
                    "first": format_date(first_day),
                    "end": format_date(max(e for e in ends if e is not None)),
                }
            )
    for other_first, other_last in others:
        if other_first <= last_day and other_last >= first_day:
            errors.append(
                _(
                    "The absence overlaps another spell of the same person "
                    "(%(first)s–%(last)s). Correct that spell or change the dates."
                )
                % {"first": format_date(other_first), "last": format_date(other_last)}
            )
    return errors


def _employment_spans(person: Person) -> list[tuple[dt.date, dt.date | None]]:
    return list(Employment.objects.filter(person=person).values_list("start_date", "end_date"))


def _validate(
    person: Person,
    *,
    first_day: dt.date,
    last_day: dt.date,
    kind: str,
    grade: int,
    exclude_pk: int | None = None,
) -> None:
    others = AbsenceSpell.objects.filter(person=person)
    if exclude_pk:
        others = others.exclude(pk=exclude_pk)
    errors = check_spell(
        first_day=first_day,
        last_day=last_day,
        kind=kind,
        grade=grade,
        employments=_employment_spans(person),
        others=others.values_list("first_day", "last_day"),
        settings=get_settings(person.organisation),
    )
    if errors:
        raise ValidationError(errors)


# --- Spells ---------------------------------------------------------------------------------
@transaction.atomic
def register_spell(
    *,
    actor: AnyUser | None,
    person: Person,
    first_day: dt.date,
    last_day: dt.date,
    kind: str,
    grade: int = 100,
    source: str = AbsenceSpell.Source.MANUAL,
) -> AbsenceSpell:
    """Register a spell of absence for a person (leaders for their people, HR)."""
    if kind == AbsenceSpell.Kind.SELF_CERTIFIED:
        grade = 100
    _validate(person, first_day=first_day, last_day=last_day, kind=kind, grade=grade)
    spell = AbsenceSpell.objects.create(
        organisation_id=person.organisation_id,
        person=person,
        first_day=first_day,
        last_day=last_day,
        kind=kind,
        grade=grade,
        source=source,
    )
    aggregates.refresh_people(person.organisation_id, [person.pk])
    record_created(actor, spell)
    return spell


@transaction.atomic
def correct_spell(
    *,
    actor: AnyUser | None,
    spell: AbsenceSpell,
    first_day: dt.date,
    last_day: dt.date,
    kind: str,
    grade: int = 100,
) -> AbsenceSpell:
    if kind == AbsenceSpell.Kind.SELF_CERTIFIED:
        grade = 100
    _validate(
        spell.person,
        first_day=first_day,
        last_day=last_day,
        kind=kind,
        grade=grade,
        exclude_pk=spell.pk,
    )
    before = snapshot(spell)
    spell.first_day, spell.last_day, spell.kind, spell.grade = first_day, last_day, kind, grade
    spell.save()
    aggregates.refresh_people(spell.organisation_id, [spell.person_id])
    spell.refresh_from_db()
    record_change(
        actor=actor,
        instance=spell,
        action=AuditEntry.Action.UPDATE,
        before=before,
        after=snapshot(spell),
    )
    return spell


@transaction.atomic
def delete_spell(*, actor: AnyUser | None, spell: AbsenceSpell) -> None:
    before = snapshot(spell)
    organisation_id, person_id = spell.organisation_id, spell.person_id
    record_change(actor=actor, instance=spell, action=AuditEntry.Action.DELETE, before=before)
    spell.delete()
    aggregates.refresh_people(organisation_id, [person_id])


# --- Follow-up ------------------------------------------------------------------------------
@transaction.atomic
def save_plan(
    *,
    actor: AnyUser | None,
    case: FollowUpCase,
    work_tasks: str,
    measures: str = "",
    follow_up: str = "",
    made_on: dt.date,
    sent_to_doctor_on: dt.date | None = None,
    sent_to_nav_on: dt.date | None = None,
) -> FollowUpPlan:
    """Record or update the oppfølgingsplan (AML § 4-6 (3))."""
    plan = FollowUpPlan.objects.filter(case=case).first()
    before = snapshot(plan) if plan else None
    plan = plan or FollowUpPlan(organisation_id=case.organisation_id, case=case)
    plan.work_tasks, plan.measures, plan.follow_up = work_tasks, measures, follow_up
    plan.made_on, plan.sent_to_doctor_on, plan.sent_to_nav_on = (
        made_on,
        sent_to_doctor_on,
        sent_to_nav_on,
    )
    plan.full_clean(exclude=["case", "organisation"])
    plan.save()
    record_change(
        actor=actor,
        instance=plan,
        action=AuditEntry.Action.UPDATE if before else AuditEntry.Action.CREATE,
        before=before,
        after=snapshot(plan),
    )
    _tell_employee(actor, case, _("Your follow-up plan has been updated"))
    return plan


@transaction.atomic
def comment_on_plan(*, actor: AnyUser, plan: FollowUpPlan, text: str) -> PlanComment:
    text = text.strip()
    if not text:
        raise ValidationError({"text": [_("Write a comment.")]})
    comment = PlanComment.objects.create(
        organisation_id=plan.organisation_id, plan=plan, author=actor, text=text
    )
    record_created(actor, comment)
    return comment


@transaction.atomic
def record_meeting(
    *,
    actor: AnyUser | None,
    case: FollowUpCase,
    number: int,
    held_on: dt.date,
    participants: str,
    summary: str = "",
) -> DialogueMeeting:
    if held_on < case.start:
        raise ValidationError(
            {"held_on": [_("The meeting cannot be held before the absence started.")]}
        )
    meeting = DialogueMeeting(
        organisation_id=case.organisation_id,
        case=case,
        number=number,
        held_on=held_on,
        participants=participants.strip(),
        summary=summary.strip(),
    )
    meeting.full_clean(exclude=["case", "organisation"])
    meeting.save()
    if number == DialogueMeeting.Number.SECOND and case.dm2_date != held_on:
        case.dm2_date = held_on
        case.save(update_fields=["dm2_date"])
    record_created(actor, meeting)
    return meeting


@transaction.atomic
def add_measure(
    *,
    actor: AnyUser | None,
    case: FollowUpCase,
    kind: str,
    description: str,
    start_date: dt.date,
    end_date: dt.date | None = None,
) -> AdaptationMeasure:
    if end_date is not None and end_date < start_date:
        raise ValidationError({"end_date": [_("The end is before the start.")]})
    measure = AdaptationMeasure(
        organisation_id=case.organisation_id,
        case=case,
        kind=kind,
        description=description.strip(),
        start_date=start_date,
        end_date=end_date,
    )
    measure.full_clean(exclude=["case", "organisation"])
    measure.save()
    record_created(actor, measure)
    return measure


@transaction.atomic
def set_dm2_date(*, actor: AnyUser | None, case: FollowUpCase, day: dt.date | None) -> FollowUpCase:
    before = snapshot(case)
    case.dm2_date = day
    case.save(update_fields=["dm2_date"])
    record_change(
        actor=actor,
        instance=case,
        action=AuditEntry.Action.UPDATE,
        before=before,
        after=snapshot(case),
    )
    return case


def _tell_employee(actor: AnyUser | None, case: FollowUpCase, subject: str) -> None:
    user = getattr(case.person, "user", None) if case.person_id else None
    if user is None or user == actor:
        return
    from trygg.notifications.services import notify

    notify(
        user=user,
        key=f"absence-plan:{case.pk}:{today().isoformat()}",
        subject=subject,
        body=_("Open the plan in Trygg to read it and add your comments."),
        url=case.get_absolute_url(),
    )


# --- Closing and retention ---
def close_finished_cases(*, day: dt.date | None = None) -> int:
    """Close cases whose last sick day lies 16 days back: a new absence starts a new case then.
    Runs with the daily reminder tick; writes also set the status."""
    day = day or today()
    gap = dt.timedelta(days=16)
    cases = FollowUpCase.objects.filter(status=FollowUpCase.Status.OPEN, end__lt=day - gap)
    closed = 0
    for case in cases.only("pk", "end"):
        FollowUpCase.objects.filter(pk=case.pk).update(
            status=FollowUpCase.Status.CLOSED, closed_on=case.end + gap
        )
        closed += 1
    return closed


# --- Retention ------------------------------------------------------------------------------
@transaction.atomic
def dispose_closed_cases(*, day: dt.date | None = None) -> int:
    """Delete or anonymise follow-up cases closed longer ago than each organisation keeps them
    (rules.md §8: delete when no longer necessary). Returns how many were handled."""
    day = day or today()
    handled = 0
    organisations = (
        FollowUpCase.objects.filter(status=FollowUpCase.Status.CLOSED, anonymised_on__isnull=True)
        .values_list("organisation_id", flat=True)
        .distinct()
    )
    for organisation_id in list(organisations):
        settings = AbsenceSettings.objects.filter(organisation_id=organisation_id).first()
        settings = settings or AbsenceSettings(organisation_id=organisation_id)
        months = settings.retention_months
        limit = _months_before(day, months)
        due = FollowUpCase.objects.filter(
            organisation_id=organisation_id,
            status=FollowUpCase.Status.CLOSED,
            anonymised_on__isnull=True,
            closed_on__lt=limit,
        )
        # Only cases the leader worked on hold texts; the rest are rebuilt from the spells.
        ids = list(due.values_list("pk", flat=True))
        if not ids:
            continue
        if settings.disposal == AbsenceSettings.Disposal.DELETE:
            FollowUpCase.objects.filter(pk__in=ids).delete()
        else:
            FollowUpPlan.objects.filter(case_id__in=ids).delete()
            DialogueMeeting.objects.filter(case_id__in=ids).update(participants="", summary="")
            AdaptationMeasure.objects.filter(case_id__in=ids).update(description="")
            FollowUpCase.objects.filter(pk__in=ids).update(person=None, anonymised_on=day)
        record_event(
            actor=None,
            organisation_id=organisation_id,
            action=AuditEntry.Action.DELETE,
            object_type="absence.followupcase",
            description=f"{len(ids)} closed follow-up cases {settings.disposal} after {months} months",
            details={"case_ids": ids, "disposal": settings.disposal, "months": months},
        )
        handled += len(ids)
    return handled


def _months_before(day: dt.date, months: int) -> dt.date:
    years, rest = divmod(months, 12)
    shifted = add_years(day, -years)
    index = shifted.year * 12 + shifted.month - 1 - rest
    year, month = divmod(index, 12)
    for d in (shifted.day, 30, 29, 28):
        try:
            return dt.date(year, month + 1, d)
        except ValueError:
            continue
    return shifted

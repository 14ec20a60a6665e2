"""Use cases for deviations. Each is atomic, keyword-only and audit-logged.

Views, the public form, the API, other modules (a safety round's answers) and the demo write
through these functions; access has already been checked by the caller through access.py.
An anonymous report never passes its reporter on: no user, no address, no time of day.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from trygg.accounts.models import Organisation, User
from trygg.audit.models import AuditEntry
from trygg.audit.services import record_change, snapshot
from trygg.deviations.models import (
    Attachment,
    Comment,
    Deviation,
    DeviationSettings,
    Injury,
    WorkHours,
)
from trygg.lib.dates import today
from trygg.lib.typing import AnyUser
from trygg.org.models import Employment, Unit

# Never in the audit log: the receipt code's hash would let a handler with database access
# test guesses, and the idempotency key is the reporter's browser's.
_PRIVATE_FIELDS = ("receipt_hash", "idempotency_key", "reported_at")
RECEIPT_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I


def _snap(instance: Any) -> dict[str, Any]:
    return snapshot(instance, exclude=("password", *_PRIVATE_FIELDS))


def _created(actor: AnyUser | None, instance: Any, *, anonymous: bool = False) -> None:
    record_change(
        actor=actor,
        instance=instance,
        action=AuditEntry.Action.CREATE,
        after=_snap(instance),
        date_only=anonymous,  # the time of day could identify an anonymous reporter
    )


def _update(actor: AnyUser | None, instance: Any, changes: dict[str, Any]) -> None:
    before = _snap(instance)
    for name, value in changes.items():
        setattr(instance, name, value)
    # Field validation here; the constraints are the database's (and the services' checks
    # before them), which saves a query per constraint on every write.
    instance.full_clean(validate_unique=False, validate_constraints=False)
    instance.save()
    record_change(
        actor=actor,
        instance=instance,
        action=AuditEntry.Action.UPDATE,
        before=before,
        after=_snap(instance),
    )


# --- Settings ----------------------------------------------------------------------------
def settings_for(organisation_id: int) -> DeviationSettings:
    """The organisation's settings row, created with the defaults on first use."""
    found = DeviationSettings.objects.filter(organisation_id=organisation_id).first()
    if found is not None:
        return found
    try:
        with transaction.atomic():
            return DeviationSettings.objects.create(
                organisation_id=organisation_id, public_key=secrets.token_urlsafe(16)[:22]
            )
    except IntegrityError:  # created by a concurrent request
        return DeviationSettings.objects.get(organisation_id=organisation_id)


@transaction.atomic
def update_settings(
    *,
    actor: AnyUser | None,
    organisation: Organisation,
    deadline_low_days: int,
    deadline_medium_days: int,
    deadline_high_days: int,
    deadline_critical_days: int,
    public_reporting: bool,
) -> DeviationSettings:
    row = settings_for(organisation.pk)
    if not (
        deadline_critical_days <= deadline_high_days <= deadline_medium_days <= deadline_low_days
    ):
        raise ValidationError(_("A more severe deviation cannot have a later deadline."))
    _update(
        actor,
        row,
        {
            "deadline_low_days": deadline_low_days,
            "deadline_medium_days": deadline_medium_days,
            "deadline_high_days": deadline_high_days,
            "deadline_critical_days": deadline_critical_days,
            "public_reporting": public_reporting,
        },
    )
    return row


@transaction.atomic
def renew_public_key(*, actor: AnyUser | None, organisation: Organisation) -> DeviationSettings:
    """A new public link; the old one stops working (e.g. after posters were misused)."""
    row = settings_for(organisation.pk)
    _update(actor, row, {"public_key": secrets.token_urlsafe(16)[:22]})
    return row


# --- Leaders -----------------------------------------------------------------------------
def leaders_above(unit: Unit) -> list[tuple[int, User]]:
    """(depth, user) for the current leaders with a login of the unit and the units above it,
    nearest first: who handles a new report and who is next when it is overdue."""
    rows = (
        Employment.objects.current()
        .filter(
            organisation_id=unit.organisation_id,
            is_leader=True,
            unit__path__in=unit.ancestor_paths(),
            person__user__isnull=False,
            person__user__is_active=True,
        )
        .select_related("person__user", "unit")
        .order_by("-unit__depth", "person_id")
    )
    seen: set[int] = set()
    found: list[tuple[int, User]] = []
    for employment in rows:
        user = employment.person.user
        if user is not None and user.pk not in seen:
            seen.add(user.pk)
            found.append((employment.unit.depth, user))
    return found


def _unit_leader(unit: Unit) -> User | None:
    """The nearest leader with a login; without one, an HMS coordinator whose grant covers
    the unit, so that no report is left without a handler."""
    leaders = leaders_above(unit)
    if leaders:
        return leaders[0][1]
    from django.db.models import Q

    from trygg.org.models import RoleGrant

    grant = (
        RoleGrant.objects.filter(
            organisation_id=unit.organisation_id,
            role=RoleGrant.Role.HMS_COORDINATOR,
            user__is_active=True,
        )
        .filter(Q(unit__isnull=True) | Q(unit__path__in=unit.ancestor_paths()))
        .select_related("user")
        .order_by("unit_id", "pk")
        .first()
    )
    return grant.user if grant else None


# --- Reporting ---------------------------------------------------------------------------
def hash_receipt(code: str) -> str:
    normalised = "".join(ch for ch in code.upper() if ch in RECEIPT_ALPHABET)
    return hashlib.sha256(normalised.encode()).hexdigest()


def new_receipt_code() -> str:
    raw = "".join(secrets.choice(RECEIPT_ALPHABET) for _ in range(16))
    return "-".join(raw[i : i + 4] for i in range(0, 16, 4))


def _validate_report(
    *,
    organisation: Organisation,
    unit: Unit,
    category: str,
    severity: str,
    occurred_at: dt.datetime,
) -> None:
    errors: dict[str, str] = {}
    if unit.organisation_id != organisation.pk:
        errors["unit"] = _("The unit belongs to another organisation.")
    if category not in Deviation.Category.values:
        errors["category"] = _("Choose a category.")
    if severity not in Deviation.Severity.values:
        errors["severity"] = _("Choose a severity.")
    if timezone.is_naive(occurred_at):
        raise ValueError("occurred_at must be an aware datetime")
    if occurred_at > timezone.now() + dt.timedelta(minutes=10):
        errors["occurred_at"] = _("The time cannot be in the future.")
    elif occurred_at.year < 2000:
        errors["occurred_at"] = _("The date is too far back.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def report_deviation(
    *,
    organisation: Organisation,
    reporter: User | None,
    unit: Unit,
    category: str,
    title: str,
    description: str,
    occurred_at: dt.datetime,
    severity: str,
    location: str = "",
    immediate_action: str = "",
    source: Any = None,
    anonymous: bool = False,
    reporter_name: str = "",
    reporter_email: str = "",
    occurred_time_known: bool = True,
    idempotency_key: str = "",
    violence: dict[str, Any] | None = None,
    receipt_code: str = "",
    reported_on: dt.date | None = None,
) -> Deviation:
    """Register a deviation and hand it to the leader of its unit (or the nearest leader above).

    `reporter` None with no name is a report without an account. `anonymous` drops the
    reporter, the time of day of the report and the name; the reporter then follows the case
    only through `receipt_code` (pass one from `new_receipt_code()` to show it on the receipt).
    A repeated `idempotency_key` returns the case the first submit created. `reported_on`
    backdates a report registered afterwards (imports, the demo); it defaults to today.
    """
    if idempotency_key:
        existing = Deviation.objects.filter(
            organisation=organisation, idempotency_key=idempotency_key
        ).first()
        if existing is not None:
            return existing
    _validate_report(
        organisation=organisation,
        unit=unit,
        category=category,
        severity=severity,
        occurred_at=occurred_at,
    )
    row = DeviationSettings.objects.select_for_update().filter(pk=settings_for(organisation.pk).pk)
    config = row.get()
    number = (
        Deviation.objects.filter(organisation=organisation).aggregate(n=Max("number"))["n"] or 0
    ) + 1
    day = today()
    if reported_on is not None:
        if reported_on > day or reported_on < timezone.localdate(occurred_at):
            raise ValidationError(_("The report date must lie between the event and today."))
        day = reported_on
    if anonymous:
        reporter = None
        reporter_name = reporter_email = ""
        # The time of day of the event could point at who was on shift; keep the date only.
        local = timezone.localtime(occurred_at)
        occurred_at = local.replace(hour=0, minute=0, second=0, microsecond=0)
        occurred_time_known = False
    deviation = Deviation(
        organisation=organisation,
        number=number,
        unit=unit,
        unit_path=unit.path,
        category=category,
        severity=severity,
        title=title.strip(),
        description=description.strip(),
        location=location.strip(),
        occurred_at=occurred_at,
        occurred_time_known=occurred_time_known,
        immediate_action=immediate_action.strip(),
        reporter=reporter,
        reporter_name=reporter_name.strip(),
        reporter_email=reporter_email.strip(),
        is_anonymous=anonymous,
        receipt_hash=hash_receipt(receipt_code) if receipt_code else "",
        reported_on=day,
        reported_at=None if anonymous or reported_on is not None else timezone.now(),
        idempotency_key=idempotency_key,
        handler=_unit_leader(unit),
        deadline=day + dt.timedelta(days=config.days_for(severity)),
    )
    if source is not None:
        deviation.source_type = ContentType.objects.get_for_model(source)
        deviation.source_id = source.pk
    if category == Deviation.Category.VIOLENCE and violence:
        for name in (
            "violence_situation",
            "working_alone",
            "aftercare_offered",
            "debrief_offered",
            "reported_to_police",
        ):
            if name in violence:
                setattr(deviation, name, violence[name])
    deviation.full_clean(exclude=["unit_path"], validate_unique=False, validate_constraints=False)
    deviation.save()
    _created(None if anonymous else reporter, deviation, anonymous=anonymous)
    if deviation.is_injury:
        injury = Injury(
            organisation=organisation,
            deviation=deviation,
            kind=Injury.Kind.ILLNESS
            if category == Deviation.Category.ILLNESS
            else Injury.Kind.INJURY,
            sequence_of_events=deviation.description,
        )
        injury.save()
        _created(None if anonymous else reporter, injury, anonymous=anonymous)
    _tell_handler(deviation)
    return deviation


def _tell_handler(deviation: Deviation) -> None:
    if deviation.handler is None:
        return
    from trygg.notifications.services import notify

    notify(
        user=deviation.handler,
        key=f"deviation:{deviation.pk}:assigned:{deviation.handler_id}",
        subject=_("New deviation to handle: %(ref)s %(title)s")
        % {"ref": deviation.reference, "title": deviation.title},
        body=_("A deviation in %(unit)s has been reported. Deadline %(deadline)s.")
        % {"unit": deviation.unit.name, "deadline": deviation.deadline.strftime("%d.%m.%Y")},
        url=deviation.get_absolute_url(),
    )


@transaction.atomic
def add_attachment(
    *,
    actor: AnyUser | None,
    deviation: Deviation,
    name: str,
    content: bytes,
    content_type: str,
) -> Attachment:
    """Store an already checked and cleaned file (see uploads.clean_upload)."""
    from django.core.files.base import ContentFile

    attachment = Attachment(
        organisation_id=deviation.organisation_id,
        deviation=deviation,
        name=name[:200],
        content_type=content_type,
        size=len(content),
    )
    attachment.file.save(
        f"{secrets.token_hex(16)}{_suffix(content_type)}", ContentFile(content), save=False
    )
    attachment.save()
    _created(
        None if deviation.is_anonymous else actor, attachment, anonymous=deviation.is_anonymous
    )
    return attachment


def _suffix(content_type: str) -> str:
    return {
        "image/jpeg": ".jpg",
        "image/png": ".png",
        "application/pdf": ".pdf",
    }.get(content_type, ".bin")


# --- Handling ----------------------------------------------------------------------------
def _require_open(deviation: Deviation) -> None:
    if deviation.is_closed:
        raise ValidationError(_("The case is closed. Reopen it first."))


@transaction.atomic
def start_handling(*, actor: AnyUser, deviation: Deviation, root_cause: str = "") -> Deviation:
    """Registered → being handled, optionally with the root cause found."""
    _require_open(deviation)
    changes: dict[str, Any] = {}
    if deviation.status == Deviation.Status.REGISTERED:
        changes["status"] = Deviation.Status.IN_PROGRESS
    if root_cause.strip():
        changes["root_cause"] = root_cause.strip()
    if changes:
        _update(actor, deviation, changes)
    return deviation


@transaction.atomic
def record_root_cause(*, actor: AnyUser, deviation: Deviation, root_cause: str) -> Deviation:
    _require_open(deviation)
    changes: dict[str, Any] = {"root_cause": root_cause.strip()}
    if deviation.status == Deviation.Status.REGISTERED:
        changes["status"] = Deviation.Status.IN_PROGRESS
    _update(actor, deviation, changes)
    return deviation


@transaction.atomic
def add_measure(
    *,
    actor: AnyUser,
    deviation: Deviation,
    title: str,
    owner: Any = None,
    deadline: dt.date | None = None,
    description: str = "",
) -> Any:
    """A measure (tiltak) as an action item of the one engine, with the deviation as its
    source; the case moves to "measures"."""
    from trygg.actions.services import create_action_item

    _require_open(deviation)
    item = create_action_item(
        actor=actor,
        title=title,
        owner=owner,
        deadline=deadline,
        unit=deviation.unit,
        description=description,
        source=deviation,
    )
    if deviation.status != Deviation.Status.MEASURES:
        _update(actor, deviation, {"status": Deviation.Status.MEASURES})
    return item


@transaction.atomic
def close_deviation(
    *,
    actor: AnyUser,
    deviation: Deviation,
    evaluation: str,
    measures_effective: str,
    closed_on: dt.date | None = None,
) -> Deviation:
    """Close with an evaluation of whether the measures worked; the reporter is told.
    `closed_on` records a closing done earlier (the demo, imports); it defaults to today."""
    _require_open(deviation)
    closed_on = closed_on or today()
    if not deviation.reported_on <= closed_on <= today():
        raise ValidationError(_("The closing date must lie between the report and today."))
    errors: dict[str, str] = {}
    if not evaluation.strip():
        errors["evaluation"] = _("Write the closing evaluation.")
    if measures_effective not in Deviation.Effect.values:
        errors["measures_effective"] = _("Say whether the measures worked.")
    if errors:
        raise ValidationError(errors)
    _update(
        actor,
        deviation,
        {
            "status": Deviation.Status.CLOSED,
            "closing_evaluation": evaluation.strip(),
            "measures_effective": measures_effective,
            "closed_on": closed_on,
            "closed_by": actor if getattr(actor, "is_authenticated", False) else None,
        },
    )
    if deviation.reporter is not None and deviation.reporter_id != getattr(actor, "pk", None):
        from trygg.notifications.services import notify

        notify(
            user=deviation.reporter,
            key=f"deviation:{deviation.pk}:closed:{deviation.closed_on.isoformat()}",
            subject=_("Your report %(ref)s has been closed") % {"ref": deviation.reference},
            body=_("Thank you for reporting. See what was done on the case page."),
            url=deviation.get_absolute_url(),
        )
    elif deviation.reporter is None and deviation.reporter_email and not deviation.is_anonymous:
        # Reported through the public link with an email address: told by email.
        from django.conf import settings

        from trygg.accounts.tasks import send_email

        subject = _("Your report %(ref)s has been closed") % {"ref": deviation.reference}
        body = _("Thank you for reporting. Follow the case with your receipt code at %(url)s.") % {
            "url": settings.SITE_URL + reverse("deviations:follow")
        }
        to = [deviation.reporter_email]
        transaction.on_commit(lambda: send_email.enqueue(subject=subject, body=body, to=to))
    return deviation


@transaction.atomic
def reopen_deviation(*, actor: AnyUser, deviation: Deviation) -> Deviation:
    if not deviation.is_closed:
        raise ValidationError(_("The case is not closed."))
    _update(
        actor,
        deviation,
        {"status": Deviation.Status.IN_PROGRESS, "closed_on": None, "closed_by": None},
    )
    return deviation


@transaction.atomic
def reassign_deviation(*, actor: AnyUser, deviation: Deviation, handler: User) -> Deviation:
    _require_open(deviation)
    if handler.organisation_id != deviation.organisation_id or not handler.is_active:
        raise ValidationError({"handler": _("Choose a person in the organisation.")})
    if handler.pk == deviation.handler_id:
        return deviation
    _update(actor, deviation, {"handler": handler})
    _tell_handler(deviation)
    return deviation


@transaction.atomic
def change_classification(
    *, actor: AnyUser, deviation: Deviation, category: str, severity: str, unit: Unit
) -> Deviation:
    """Correct category, severity or unit; a new severity gives a new deadline from the day
    the case was reported."""
    _require_open(deviation)
    _validate_report(
        organisation=deviation.organisation,
        unit=unit,
        category=category,
        severity=severity,
        occurred_at=deviation.occurred_at,
    )
    changes: dict[str, Any] = {"category": category, "severity": severity}
    if unit.pk != deviation.unit_id:
        changes.update(unit=unit, unit_path=unit.path)
    if severity != deviation.severity:
        days = settings_for(deviation.organisation_id).days_for(severity)
        changes["deadline"] = deviation.reported_on + dt.timedelta(days=days)
    _update(actor, deviation, changes)
    if (
        category in (Deviation.Category.INJURY, Deviation.Category.ILLNESS)
        and not Injury.objects.filter(deviation=deviation).exists()
    ):
        injury = Injury.objects.create(
            organisation_id=deviation.organisation_id,
            deviation=deviation,
            kind=Injury.Kind.ILLNESS
            if category == Deviation.Category.ILLNESS
            else Injury.Kind.INJURY,
            sequence_of_events=deviation.description,
        )
        _created(actor, injury)
    return deviation


@transaction.atomic
def record_violence_details(*, actor: AnyUser, deviation: Deviation, **fields: Any) -> Deviation:
    allowed = {
        "violence_situation",
        "working_alone",
        "aftercare_offered",
        "debrief_offered",
        "reported_to_police",
    }
    unknown = set(fields) - allowed
    if unknown:
        raise TypeError(f"unknown fields {sorted(unknown)}")
    _update(actor, deviation, fields)
    return deviation


@transaction.atomic
def escalate_deviation(*, deviation: Deviation) -> User | None:
    """Hand an overdue case to the next leader above the current handler (the scheduler's
    actor). Returns the new handler, or None at the top."""
    leaders = leaders_above(deviation.unit)
    current = deviation.handler_id
    candidates = [user for _, user in leaders if user.pk != current]
    if deviation.handler_id is not None:
        depths = [depth for depth, user in leaders if user.pk == current]
        if depths:
            candidates = [user for depth, user in leaders if depth < depths[0]]
    if not candidates:
        return None
    new = candidates[0]
    _update(
        None,
        deviation,
        {"handler": new, "escalation_level": deviation.escalation_level + 1},
    )
    _tell_handler(deviation)
    return new


# --- Comments ----------------------------------------------------------------------------
@transaction.atomic
def add_comment(
    *, actor: AnyUser, deviation: Deviation, body: str, kind: str = Comment.Kind.NOTE
) -> Comment:
    body = body.strip()
    if not body:
        raise ValidationError({"body": _("Write a comment.")})
    now = timezone.now()
    comment = Comment(
        organisation_id=deviation.organisation_id,
        deviation=deviation,
        author=actor,
        author_name=actor.get_full_name() or actor.get_username(),
        kind=kind,
        body=body,
        created_on=timezone.localdate(now),
        created_at=now,
    )
    comment.save()
    _created(actor, comment)
    if kind == Comment.Kind.QUESTION and deviation.reporter is not None:
        from trygg.notifications.services import notify

        notify(
            user=deviation.reporter,
            key=f"deviation-comment:{comment.pk}",
            subject=_("A question about your report %(ref)s") % {"ref": deviation.reference},
            body=body,
            url=deviation.get_absolute_url(),
        )
    return comment


@transaction.atomic
def answer_as_reporter(*, deviation: Deviation, body: str, actor: AnyUser | None = None) -> Comment:
    """The reporter's answer, from the receipt page (anonymously) or logged in."""
    body = body.strip()
    if not body:
        raise ValidationError({"body": _("Write an answer.")})
    anonymous = deviation.is_anonymous or actor is None
    now = timezone.now()
    comment = Comment(
        organisation_id=deviation.organisation_id,
        deviation=deviation,
        author=None if anonymous else actor,
        author_name="" if anonymous else (actor.get_full_name() or actor.get_username()),
        kind=Comment.Kind.ANSWER,
        body=body,
        created_on=timezone.localdate(now),
        created_at=None if deviation.is_anonymous else now,
    )
    comment.save()
    _created(None if anonymous else actor, comment, anonymous=deviation.is_anonymous)
    if deviation.handler is not None:
        from trygg.notifications.services import notify

        notify(
            user=deviation.handler,
            key=f"deviation-comment:{comment.pk}",
            subject=_("The reporter answered on %(ref)s") % {"ref": deviation.reference},
            url=deviation.get_absolute_url(),
        )
    return comment


# --- Injury register ---------------------------------------------------------------------
INJURY_FIELDS = (
    "kind",
    "person",
    "person_name",
    "occupation",
    "work_being_done",
    "sequence_of_events",
    "presumed_causes",
    "injury_description",
    "became_ill_on",
    "contributing_tasks",
    "workplace_factors",
    "absence",
    "absence_days",
    "serious",
    "fatal",
)


@transaction.atomic
def update_injury(*, actor: AnyUser, injury: Injury, **fields: Any) -> Injury:
    unknown = set(fields) - set(INJURY_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields {sorted(unknown)}")
    person = fields.get("person")
    if person is not None and person.organisation_id != injury.organisation_id:
        raise ValidationError({"person": _("The person belongs to another organisation.")})
    if fields.get("absence_days") and not fields.get("absence", injury.absence):
        raise ValidationError({"absence_days": _("Days of absence need 'led to absence'.")})
    _update(actor, injury, fields)
    return injury


@transaction.atomic
def record_medical_consent(
    *, actor: AnyUser, injury: Injury, consent: bool, medical_details: str = ""
) -> Injury:
    """Medical details only with the person's consent (AML § 5-1 (2)); withdrawing consent
    deletes them."""
    if not consent and medical_details.strip():
        raise ValidationError(
            {"medical_details": _("Medical details may only be recorded with consent.")}
        )
    _update(
        actor,
        injury,
        {
            "consent_given": consent,
            "consent_recorded_on": today() if consent else None,
            "consent_recorded_by": actor if consent else None,
            "medical_details": medical_details.strip() if consent else "",
        },
    )
    return injury


NOTIFICATION_KINDS = ("labour_inspection", "police", "nav")


@transaction.atomic
def record_notification(
    *, actor: AnyUser, injury: Injury, kind: str, at: dt.datetime | None = None
) -> Injury:
    """That Arbeidstilsynet or the police were notified (AML § 5-2) or NAV's injury report
    sent (folketrygdloven § 13-14), by whom and when."""
    if kind not in NOTIFICATION_KINDS:
        raise ValidationError(_("Unknown notification."))
    field = {
        "labour_inspection": "labour_inspection_notified",
        "police": "police_notified",
        "nav": "nav_reported",
    }[kind]
    when = at or timezone.now()
    if when > timezone.now() + dt.timedelta(minutes=10):
        raise ValidationError({"at": _("The time cannot be in the future.")})
    _update(actor, injury, {f"{field}_at": when, f"{field}_by": actor})
    return injury


# --- Hours worked ------------------------------------------------------------------------
@transaction.atomic
def record_work_hours(
    *, actor: AnyUser, organisation: Organisation, unit: Unit, year: int, hours: int
) -> WorkHours:
    if unit.organisation_id != organisation.pk:
        raise ValidationError({"unit": _("The unit belongs to another organisation.")})
    if hours <= 0:
        raise ValidationError({"hours": _("Hours worked must be more than 0.")})
    if not 2000 <= year <= today().year + 1:
        raise ValidationError({"year": _("Enter a year from 2000 to next year.")})
    existing = WorkHours.objects.filter(unit=unit, year=year).first()
    if existing is not None:
        _update(actor, existing, {"hours": hours})
        return existing
    row = WorkHours(organisation=organisation, unit=unit, year=year, hours=hours)
    row.full_clean()
    row.save()
    _created(actor, row)
    return row

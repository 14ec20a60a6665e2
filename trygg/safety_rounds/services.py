"""Use cases for safety rounds and internal audits. Each is atomic, keyword-only and audit-logged.

Views, the API and the demo write through these functions; access has been checked by the caller
through safety_rounds/access.py.
"""

from __future__ import annotations

import datetime as dt
import io
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from trygg.accounts.models import Organisation
from trygg.actions.services import create_action_item
from trygg.annual_plan.models import Category, TemplateItem
from trygg.annual_plan.services import add_suggested_activity
from trygg.audit.models import AuditEntry
from trygg.audit.services import record_change, record_created, record_event, snapshot
from trygg.deviations.models import Deviation
from trygg.deviations.services import report_deviation
from trygg.lib.dates import format_date
from trygg.lib.typing import AnyUser
from trygg.org.models import Person, Unit
from trygg.safety_rounds import checklists, queries
from trygg.safety_rounds.models import (
    Answer,
    ChecklistTemplate,
    Finding,
    Kind,
    Participant,
    Photo,
    SafetyRound,
    Settings,
    TemplateVersion,
)

MAX_PHOTO_BYTES = 15 * 1024 * 1024
MAX_PHOTO_PIXELS = 60_000_000  # a 60-megapixel photo; larger is refused before decoding
PHOTO_EDGE = 1600  # photos are stored at most this many pixels on the long edge
FINDING_DAYS = 30  # default deadline of a finding: 30 days after sign-off


def _update(actor: AnyUser | None, instance: Any, changes: dict[str, Any]) -> None:
    before = snapshot(instance)
    for name, value in changes.items():
        setattr(instance, name, value)
    instance.full_clean()
    instance.save()
    record_change(
        actor=actor,
        instance=instance,
        action=AuditEntry.Action.UPDATE,
        before=before,
        after=snapshot(instance),
    )


# --- Settings ------------------------------------------------------------------------------
@transaction.atomic
def update_settings(
    *,
    actor: AnyUser | None,
    organisation: Organisation,
    deadline_day: int,
    deadline_month: int,
    remind_days_before: int,
) -> Settings:
    try:
        dt.date(2024, deadline_month, deadline_day)  # a leap year: 29 February is allowed
    except ValueError as error:
        raise ValidationError({"deadline_day": _("That day does not exist in that month.")}) from (
            error
        )
    settings = Settings.objects.filter(organisation=organisation).first()
    values = {
        "deadline_day": deadline_day,
        "deadline_month": deadline_month,
        "remind_days_before": remind_days_before,
    }
    if settings is None:
        settings = Settings(organisation=organisation, **values)
        settings.full_clean()
        settings.save()
        record_created(actor, settings)
    else:
        _update(actor, settings, values)
    return settings


# --- Checklist templates -------------------------------------------------------------------
@transaction.atomic
def save_checklist(
    *, actor: AnyUser | None, organisation: Organisation, content: dict[str, Any]
) -> tuple[ChecklistTemplate, bool]:
    """Store a checked checklist (`checklists.parse_checklist`) as a new template, or as the next
    version of the template with the same key. Returns (template, whether a version was added):
    content identical to the current version adds nothing, so an import can be repeated."""
    content = checklists.parse_checklist(content)
    template = (
        ChecklistTemplate.objects.select_for_update(of=("self",))
        .filter(organisation=organisation, key=content["key"])
        .select_related("current_version")
        .first()
    )
    if template is not None and template.kind != content["kind"]:
        raise ValidationError(
            _('The checklist "%(key)s" exists as another kind; give the new one another key.')
            % {"key": content["key"]}
        )
    current = template.current_version if template is not None else None
    if current is not None and current.content == content:
        return template, False
    if template is None:
        template = ChecklistTemplate(
            organisation=organisation,
            key=content["key"],
            name=content["name"],
            kind=content["kind"],
        )
        template.full_clean(exclude=["current_version"])
        template.save()
        record_created(actor, template)
        number = 1
    else:
        number = (template.current_version.number if template.current_version else 0) + 1
    version = TemplateVersion.objects.create(
        organisation=organisation,
        template=template,
        number=number,
        content=content,
        question_count=checklists.question_count(content),
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    record_created(actor, version)
    _update(actor, template, {"current_version": version, "name": content["name"]})
    return template, True


@transaction.atomic
def install_built_in_checklists(
    *, actor: AnyUser | None, organisation: Organisation
) -> list[ChecklistTemplate]:
    """Add the checklists shipped with Trygg (office, kindergarten, nursing home, school,
    workshop, kitchen, internal audit); the organisation's own changes to them are kept."""
    installed = []
    existing = set(
        ChecklistTemplate.objects.filter(organisation=organisation).values_list("key", flat=True)
    )
    for content in checklists.built_in_checklists():
        if content["key"] in existing:
            continue
        template, _added = save_checklist(actor=actor, organisation=organisation, content=content)
        installed.append(template)
    return installed


@transaction.atomic
def set_checklist_active(
    *, actor: AnyUser | None, template: ChecklistTemplate, is_active: bool
) -> ChecklistTemplate:
    _update(actor, template, {"is_active": is_active})
    return template


# --- Planning ------------------------------------------------------------------------------
def _ensure_in_annual_plan(actor: AnyUser | None, organisation: Organisation, kind: str) -> None:
    """Safety rounds and internal audits are HMS activities of the årshjul (seed 004): add the
    activity once, with the organisation's deadline, when the first is planned."""
    category = Category.SAFETY_ROUND if kind == Kind.SAFETY_ROUND else Category.INTERNAL_AUDIT
    if TemplateItem.objects.filter(organisation=organisation, category=category).exists():
        return
    if kind == Kind.SAFETY_ROUND:
        settings = queries.settings_for(organisation.pk)
        add_suggested_activity(
            actor=actor,
            organisation=organisation,
            key="vernerunder",
            month=settings.deadline_month,
            deadline_day=settings.deadline_day,
        )
    else:
        add_suggested_activity(actor=actor, organisation=organisation, key="internrevisjon")


def _add_participant(
    actor: AnyUser | None, round_: SafetyRound, person: Person, role: str
) -> Participant:
    participant = Participant(
        organisation_id=round_.organisation_id, round=round_, person=person, role=role
    )
    participant.save()
    record_created(actor, participant)
    return participant


@transaction.atomic
def plan_rounds(
    *,
    actor: AnyUser | None,
    organisation: Organisation,
    year: int,
    template: ChecklistTemplate,
    units: Sequence[Unit],
    deadline: dt.date | None = None,
) -> list[SafetyRound]:
    """Plan this year's safety round in each unit, with the unit's leader and verneombud as
    participants (found from employments with personnel responsibility and the safety areas).
    A unit that already has a safety round that year is left as it is."""
    if template.organisation_id != organisation.pk or template.current_version_id is None:
        raise ValidationError({"template": _("Choose one of the organisation's checklists.")})
    if template.kind != Kind.SAFETY_ROUND:
        raise ValidationError({"template": _("Choose a checklist for safety rounds.")})
    if not 2000 <= year <= 2100:
        raise ValidationError({"year": _("Choose a year between 2000 and 2100.")})
    if any(unit.organisation_id != organisation.pk for unit in units):
        raise ValidationError({"units": _("A unit belongs to another organisation.")})
    deadline = deadline or queries.settings_for(organisation.pk).deadline_for(year)
    taken = set(
        SafetyRound.objects.filter(
            organisation=organisation, year=year, kind=Kind.SAFETY_ROUND, unit__in=units
        ).values_list("unit_id", flat=True)
    )
    todo = [unit for unit in units if unit.pk not in taken]
    people = queries.round_people(organisation.pk, todo)
    rounds = [
        SafetyRound(
            organisation=organisation,
            kind=Kind.SAFETY_ROUND,
            unit=unit,
            year=year,
            title=_("Safety round %(year)s – %(unit)s") % {"year": year, "unit": unit.name},
            deadline=deadline,
            template_version_id=template.current_version_id,
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        for unit in todo
    ]
    SafetyRound.objects.bulk_create(rounds)
    if rounds:
        _ensure_in_annual_plan(actor, organisation, Kind.SAFETY_ROUND)
    participants = []
    for round_ in rounds:
        leaders, reps = people.get(round_.unit_id, ([], []))
        participants += [
            Participant(
                organisation=organisation, round=round_, person_id=pk, role=Participant.Role.LEADER
            )
            for pk in leaders
        ] + [
            Participant(
                organisation=organisation,
                round=round_,
                person_id=pk,
                role=Participant.Role.SAFETY_REP,
            )
            for pk in reps
        ]
    Participant.objects.bulk_create(participants)
    if rounds:
        record_event(
            actor=actor,
            organisation_id=organisation.pk,
            action=AuditEntry.Action.CREATE,
            object_type="safety_rounds.safetyround",
            description=f"Planned {len(rounds)} safety rounds for {year}",
            details={
                "year": year,
                "template_version": template.current_version_id,
                "rounds": [r.pk for r in rounds],
                "participants": len(participants),
            },
        )
    return rounds


@transaction.atomic
def create_audit(
    *,
    actor: AnyUser | None,
    organisation: Organisation,
    unit: Unit,
    template: ChecklistTemplate,
    title: str,
    scope: str,
    deadline: dt.date,
    lead_auditor: Person,
    team: Iterable[Person] = (),
) -> SafetyRound:
    """Plan an internal audit (internrevisjon) of a unit with an audit team and a scope."""
    errors: dict[str, str] = {}
    if template.organisation_id != organisation.pk or template.current_version_id is None:
        errors["template"] = _("Choose one of the organisation's checklists.")
    if unit.organisation_id != organisation.pk:
        errors["unit"] = _("The unit belongs to another organisation.")
    team = [person for person in team if person.pk != lead_auditor.pk]
    if any(p.organisation_id != organisation.pk for p in [lead_auditor, *team]):
        errors["team"] = _("A member of the audit team belongs to another organisation.")
    if not title.strip():
        errors["title"] = _("Give the audit a title.")
    if errors:
        raise ValidationError(errors)
    audit = SafetyRound(
        organisation=organisation,
        kind=Kind.INTERNAL_AUDIT,
        unit=unit,
        year=deadline.year,
        title=title.strip(),
        scope=scope.strip(),
        deadline=deadline,
        template_version_id=template.current_version_id,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    audit.full_clean()
    audit.save()
    record_created(actor, audit)
    _ensure_in_annual_plan(actor, organisation, Kind.INTERNAL_AUDIT)
    _add_participant(actor, audit, lead_auditor, Participant.Role.LEAD_AUDITOR)
    for person in team:
        _add_participant(actor, audit, person, Participant.Role.AUDITOR)
    return audit


@transaction.atomic
def add_participant(
    *, actor: AnyUser | None, round_: SafetyRound, person: Person, role: str
) -> Participant:
    if round_.is_closed:
        raise ValidationError(_("The round is closed."))
    if person.organisation_id != round_.organisation_id:
        raise ValidationError({"person": _("The person belongs to another organisation.")})
    if Participant.objects.filter(round=round_, person=person, role=role).exists():
        raise ValidationError({"person": _("%(name)s already takes part.") % {"name": person}})
    return _add_participant(actor, round_, person, role)


# --- Answers -------------------------------------------------------------------------------
@dataclass(frozen=True)
class AnswerResult:
    client_id: str
    status: str  # "saved", "duplicate", "late" or "invalid"
    message: str = ""


def _parse_answer(
    item: dict[str, Any], questions: dict[str, dict]
) -> tuple[dict[str, Any] | None, str]:
    """An answer from a device, checked against the round's checklist version."""
    key = item.get("question")
    question = questions.get(key) if isinstance(key, str) else None
    if question is None:
        return None, _("The question is not in this round's checklist.")
    fields: dict[str, Any] = {"question_key": key, "value": "", "number": None, "text": ""}
    if question["type"] == "check":
        value = item.get("value") or ""
        if value not in Answer.Value.values and value != "":
            return None, _("Answer OK, deviation or not relevant.")
        fields["value"] = value
    elif question["type"] == "number":
        raw = item.get("number")
        if raw not in (None, ""):
            try:
                number = Decimal(str(raw).replace(",", ".").replace(" ", ""))
            except InvalidOperation:
                return None, _("Write a number, e.g. 21,5.")
            if not number.is_finite() or abs(number) >= Decimal("1e11"):
                return None, _("Write a number, e.g. 21,5.")
            fields["number"] = number.quantize(Decimal("0.001"))
    text = item.get("text") or ""
    comment = item.get("comment") or ""
    if not isinstance(text, str) or not isinstance(comment, str):
        return None, _("The text is not valid.")
    if len(text) > 5000 or len(comment) > 5000:
        return None, _("A text may be at most 5000 characters.")
    fields["text"] = text.strip() if question["type"] == "text" else ""
    fields["comment"] = comment.strip()
    answered_at = item.get("answered_at")
    moment = None
    if isinstance(answered_at, str):
        try:
            moment = dt.datetime.fromisoformat(answered_at.replace("Z", "+00:00"))
        except ValueError:
            moment = None
    now = timezone.now()
    if moment is None or timezone.is_naive(moment):
        moment = now
    # A device clock ahead of ours cannot place an answer in the future.
    fields["answered_at"] = min(moment, now)
    return fields, ""


@transaction.atomic
def record_answers(
    *, actor: AnyUser | None, round_: SafetyRound, items: Sequence[dict[str, Any]]
) -> list[AnswerResult]:
    """Store answers sent from a device (a batch from its queue). Each carries a client id, so a
    batch sent again after a lost connection stores nothing twice. Answers to a closed round are
    kept, marked late, and refused with a message; they do not change the round."""
    round_ = SafetyRound.objects.select_for_update().get(pk=round_.pk)
    questions = round_.template_version.questions()
    results: list[AnswerResult] = []
    ids: dict[str, dict[str, Any]] = {}
    for item in items:
        raw_id = item.get("id") if isinstance(item, dict) else None
        try:
            client_id = str(uuid.UUID(str(raw_id)))
        except (ValueError, TypeError):
            results.append(AnswerResult(str(raw_id)[:40], "invalid", _("The answer has no id.")))
            continue
        ids[client_id] = item
    known = {
        str(pk)
        for pk in Answer.objects.filter(round=round_, client_id__in=list(ids)).values_list(
            "client_id", flat=True
        )
    }
    new: list[Answer] = []
    for client_id, item in ids.items():
        if client_id in known:
            results.append(AnswerResult(client_id, "duplicate"))
            continue
        fields, problem = _parse_answer(item, questions)
        if fields is None:
            results.append(AnswerResult(client_id, "invalid", problem))
            continue
        answer = Answer(
            organisation_id=round_.organisation_id,
            round=round_,
            client_id=client_id,
            answered_by=actor if getattr(actor, "is_authenticated", False) else None,
            is_late=round_.is_closed,
            **fields,
        )
        new.append(answer)
        if round_.is_closed:
            results.append(
                AnswerResult(
                    client_id,
                    "late",
                    _(
                        "The round was closed on %(date)s, so this answer was not added to it. "
                        "It is kept with the round under “Sent after closing”."
                    )
                    % {"date": format_date(timezone.localdate(round_.completed_at))},
                )
            )
        else:
            results.append(AnswerResult(client_id, "saved"))
    if new:
        Answer.objects.bulk_create(new)
        record_event(
            actor=actor,
            organisation_id=round_.organisation_id,
            action=AuditEntry.Action.CREATE,
            object_type="safety_rounds.answer",
            description=f"{len(new)} answers to {round_}"[:300],
            details={
                "round": round_.pk,
                "answers": [str(a.client_id) for a in new],
                "late": round_.is_closed,
            },
        )
        if not round_.is_closed:
            changes: dict[str, Any] = {}
            if round_.status == SafetyRound.Status.PLANNED:
                changes = {"status": SafetyRound.Status.IN_PROGRESS, "started_at": timezone.now()}
            if changes:
                _update(actor, round_, changes)
            # A signature covers the answers as they were: a changed answer needs new ones.
            signed = list(round_.participants.filter(signed_at__isnull=False))
            for participant in signed:
                _update(actor, participant, {"signed_at": None})
    return results


# --- Photos --------------------------------------------------------------------------------
def _reencode(upload: Any) -> tuple[bytes, int, int]:
    """The photo as a fresh JPEG: only the pixels survive (no EXIF, GPS or other metadata)."""
    from PIL import Image, ImageOps, UnidentifiedImageError

    size = getattr(upload, "size", None)
    if size is not None and size > MAX_PHOTO_BYTES:
        raise ValidationError(
            _("The photo is too large (%(mb)s MB); the limit is %(limit)s MB.")
            % {"mb": round(size / 1024 / 1024, 1), "limit": MAX_PHOTO_BYTES // 1024 // 1024}
        )
    try:
        upload.seek(0)
        with Image.open(upload) as probe:
            if probe.format not in {"JPEG", "PNG", "WEBP", "GIF", "MPO"}:
                raise ValidationError(
                    _("The file is not a photo Trygg can read (JPEG, PNG, WebP or GIF).")
                )
            if probe.width * probe.height > MAX_PHOTO_PIXELS:
                raise ValidationError(_("The photo has too many pixels."))
            probe.verify()
        upload.seek(0)
        with Image.open(upload) as image:
            image = ImageOps.exif_transpose(image)
            image = image.convert("RGB")
            image.thumbnail((PHOTO_EDGE, PHOTO_EDGE))
            out = io.BytesIO()
            image.save(out, format="JPEG", quality=82, optimize=True)
            return out.getvalue(), image.width, image.height
    except ValidationError:
        raise
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError) as error:
        raise ValidationError(
            _("The file is not a photo Trygg can read (JPEG, PNG, WebP or GIF).")
        ) from error


@transaction.atomic
def add_photo(
    *,
    actor: AnyUser | None,
    round_: SafetyRound,
    question_key: str,
    client_id: str,
    upload: Any,
) -> tuple[Photo, str]:
    """Store a photo for a question, re-encoded. Sent twice (same client id) it is stored once.
    Returns (photo, "saved" | "duplicate" | "late")."""
    try:
        client_uuid = uuid.UUID(str(client_id))
    except (ValueError, TypeError) as error:
        raise ValidationError(_("The photo has no id.")) from error
    # Whether the round is closed now, not when the caller read it.
    round_ = SafetyRound.objects.select_related("template_version").get(pk=round_.pk)
    existing = Photo.objects.filter(round=round_, client_id=client_uuid).first()
    if existing is not None:
        return existing, "duplicate"
    if question_key not in round_.template_version.questions():
        raise ValidationError(_("The question is not in this round's checklist."))
    data, width, height = _reencode(upload)
    photo = Photo(
        organisation_id=round_.organisation_id,
        round=round_,
        question_key=question_key,
        client_id=client_uuid,
        width=width,
        height=height,
        size=len(data),
        uploaded_by=actor if getattr(actor, "is_authenticated", False) else None,
        is_late=round_.is_closed,
    )
    photo.image.save(f"{uuid.uuid4().hex}.jpg", ContentFile(data), save=False)
    try:
        with transaction.atomic():
            photo.save()
    except IntegrityError:  # the same photo arrived twice at once
        photo.image.delete(save=False)
        return Photo.objects.get(round=round_, client_id=client_uuid), "duplicate"
    record_created(actor, photo)
    return photo, "late" if photo.is_late else "saved"


# --- Findings and sign-off -----------------------------------------------------------------
@transaction.atomic
def set_follow_up(
    *,
    actor: AnyUser | None,
    round_: SafetyRound,
    question_key: str,
    follow_up: str,
    owner: Person | None,
    deadline: dt.date | None,
    title: str = "",
    severity: str = "",
    category: str = "",
) -> Finding:
    """Decide how a "deviation" answer is followed up: as a deviation or an action item, with
    an owner and a deadline. The deviation or item itself is made when the round is signed."""
    round_ = SafetyRound.objects.select_for_update().get(pk=round_.pk)
    if round_.is_closed:
        raise ValidationError(_("The round is closed; its findings have been followed up."))
    current = queries.current_answers(round_).get(question_key)
    if current is None or current.value != Answer.Value.DEVIATION:
        raise ValidationError(_("Only a question answered “deviation” is a finding."))
    if owner is not None and owner.organisation_id != round_.organisation_id:
        raise ValidationError({"owner": _("The person belongs to another organisation.")})
    if follow_up == Finding.FollowUp.ACTION and (owner is None or deadline is None):
        raise ValidationError(_("An action item needs an owner and a deadline."))
    question = round_.template_version.questions()[question_key]
    values = {
        "answer": current,
        "follow_up": follow_up,
        "owner": owner,
        "deadline": deadline,
        "title": (title.strip() or question["text"])[:200],
        "severity": severity,
        "category": category,
    }
    finding = Finding.objects.filter(round=round_, question_key=question_key).first()
    if finding is None:
        finding = Finding(
            organisation_id=round_.organisation_id,
            round=round_,
            question_key=question_key,
            **values,
        )
        finding.full_clean()
        finding.save()
        record_created(actor, finding)
    else:
        _update(actor, finding, values)
    return finding


def unanswered_questions(round_: SafetyRound) -> list[str]:
    current = queries.current_answers(round_)
    return [
        key
        for key, question in round_.template_version.questions().items()
        if question["type"] == "check" and not getattr(current.get(key), "value", "")
    ]


@transaction.atomic
def sign_round(*, actor: AnyUser | None, round_: SafetyRound, person: Person) -> str:
    """The participant signs off the round. When everyone who must sign has signed, the round
    closes and its findings are followed up. Returns "signed", "already_signed", "completed"
    or "already_completed": signing (or submitting) twice is harmless."""
    round_ = SafetyRound.objects.select_for_update().get(pk=round_.pk)
    if round_.is_closed:
        return "already_completed"
    participants = list(round_.participants.select_related("person"))
    mine = [p for p in participants if p.person_id == person.pk and p.must_sign]
    if not mine:
        raise ValidationError(_("Only the leader and the safety representative sign the round."))
    missing = unanswered_questions(round_)
    if missing:
        raise ValidationError(
            _("%(count)s questions have no answer yet. Answer them before signing.")
            % {"count": len(missing)}
        )
    status = "already_signed" if all(p.signed_at for p in mine) else "signed"
    now = timezone.now()
    for participant in mine:
        if participant.signed_at is None:
            _update(actor, participant, {"signed_at": now})
    if all(p.signed_at for p in participants if p.must_sign):
        _complete(actor, round_, participants)
        return "completed"
    return status


def _default_owner(participants: list[Participant]) -> Person | None:
    for role in (Participant.Role.LEADER, Participant.Role.LEAD_AUDITOR):
        for participant in participants:
            if participant.role == role:
                return participant.person
    return None


def _complete(actor: AnyUser | None, round_: SafetyRound, participants: list[Participant]) -> None:
    now = timezone.now()
    current = queries.current_answers(round_)
    questions = round_.template_version.questions()
    findings = {f.question_key: f for f in round_.findings.all()}
    owner = _default_owner(participants)
    deadline = timezone.localdate(now) + dt.timedelta(days=FINDING_DAYS)
    made = []
    for key, answer in current.items():
        if answer.value != Answer.Value.DEVIATION:
            continue
        finding = findings.get(key)
        if finding is None:
            finding = Finding(
                organisation_id=round_.organisation_id,
                round=round_,
                question_key=key,
                answer=answer,
                title=questions[key]["text"][:200],
                owner=owner,
                deadline=deadline,
            )
            finding.save()
            record_created(actor, finding)
        else:
            changes = {"answer": answer}
            if finding.owner_id is None:
                changes["owner"] = owner
            if finding.deadline is None:
                changes["deadline"] = deadline
            _update(actor, finding, changes)
        _follow_up(actor, round_, finding, questions[key])
        made.append(finding)
    _update(
        actor,
        round_,
        {"status": SafetyRound.Status.COMPLETED, "completed_at": now, "finding_count": len(made)},
    )


def _follow_up(
    actor: AnyUser | None, round_: SafetyRound, finding: Finding, question: dict
) -> None:
    """Make the deviation or action item of a finding, with the answer as its source. A finding
    that already has one keeps it: completing a round again makes nothing twice."""
    if finding.deviation_id or finding.action_item_id:
        return
    answer = finding.answer
    description = "\n\n".join(
        part
        for part in (
            _("Found in %(round)s (%(section)s): %(question)s")
            % {"round": round_.title, "section": question["section"], "question": question["text"]},
            answer.comment,
        )
        if part
    )
    if finding.follow_up == Finding.FollowUp.ACTION:
        item = create_action_item(
            actor=actor,
            title=finding.title,
            owner=finding.owner,
            deadline=finding.deadline,
            unit=round_.unit,
            description=description,
            source=answer,
        )
        _update(actor, finding, {"action_item": item})
        return
    reporter = actor if getattr(actor, "is_authenticated", False) else None
    deviation = report_deviation(
        organisation=round_.organisation,
        reporter=reporter,
        unit=round_.unit,
        category=finding.category or Deviation.Category.ROUTINE,
        title=finding.title,
        description=description,
        occurred_at=answer.answered_at,
        severity=finding.severity or Deviation.Severity.MEDIUM,
        location=round_.unit.name,
        source=answer,
        idempotency_key=f"safety-round-answer:{answer.pk}",
    )
    _update(actor, finding, {"deviation": deviation})

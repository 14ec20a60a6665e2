"""Use cases that change risk assessments. Each is atomic, keyword-only and audit-logged.

Access has been checked by the caller through risk/access.py. A completed version is the written
record of internkontrollforskriften § 5 no. 6 and is never changed: its review date, measures
and re-assessment are the only things that follow it.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from trygg.accounts.models import Organisation
from trygg.actions.models import ActionItem
from trygg.actions.services import create_action_item
from trygg.audit.models import AuditEntry
from trygg.audit.services import record_change, record_created, snapshot
from trygg.lib.typing import AnyUser
from trygg.org.models import Person, Unit
from trygg.risk import matrix as defaults
from trygg.risk.library import Template
from trygg.risk.models import Assessment, Hazard, Participant, RiskCell, RiskMatrix

DEFAULT_REVIEW_MONTHS = 12
HAZARD_FIELDS = (
    "category",
    "own_category",
    "title",
    "description",
    "causes",
    "consequences",
    "preventive_barriers",
    "mitigating_barriers",
    "probability",
    "consequence",
    "residual_probability",
    "residual_consequence",
)


# Foreign keys are set by these services from rows the caller already holds, never from
# input, so validating them again (one query each) is skipped.
TRUSTED = ["organisation", "assessment", "matrix", "series", "created_by"]


def _update(actor: AnyUser | None, instance: Any, changes: dict[str, Any]) -> None:
    before = snapshot(instance)
    for name, value in changes.items():
        setattr(instance, name, value)
    instance.full_clean(exclude=[f for f in TRUSTED if f not in changes])
    instance.save()
    record_change(
        actor=actor,
        instance=instance,
        action=AuditEntry.Action.UPDATE,
        before=before,
        after=snapshot(instance),
    )


def _user(actor: AnyUser | None) -> Any:
    return actor if getattr(actor, "is_authenticated", False) else None


# --- The matrix ----------------------------------------------------------------------------
def _check_levels(levels: Any, field: str) -> list[dict[str, str]]:
    if (
        not isinstance(levels, list)
        or not defaults.MIN_LEVELS <= len(levels) <= defaults.MAX_LEVELS
    ):
        raise ValidationError(
            {
                field: _("Choose between %(min)s and %(max)s levels.")
                % {"min": defaults.MIN_LEVELS, "max": defaults.MAX_LEVELS}
            }
        )
    cleaned = []
    for number, level in enumerate(levels, start=1):
        name = str(level.get("name", "")).strip() if isinstance(level, dict) else ""
        definition = str(level.get("definition", "")).strip() if isinstance(level, dict) else ""
        if not name or not definition:
            raise ValidationError(
                {
                    field: _("Level %(number)s needs a name and a written definition.")
                    % {"number": number}
                }
            )
        cleaned.append({"name": name[:100], "definition": definition[:500]})
    return cleaned


@transaction.atomic
def set_matrix(
    *,
    actor: AnyUser | None,
    organisation: Organisation,
    probability_levels: list[dict[str, str]],
    consequence_levels: list[dict[str, str]],
    low_max: int,
    medium_max: int,
    acceptance_criteria: str,
) -> RiskMatrix:
    """Fix the organisation's matrix and acceptance criteria. A version already assessed on is
    kept as it is (its assessments stay on it); the change becomes the next version."""
    probability = _check_levels(probability_levels, "probability_levels")
    consequence = _check_levels(consequence_levels, "consequence_levels")
    top = len(probability) * len(consequence)
    if not 1 <= low_max <= medium_max < top:
        raise ValidationError(
            {
                "medium_max": _(
                    "The bands must satisfy 1 ≤ highest low score ≤ highest medium score < "
                    "%(top)s, the highest score on a %(size)s matrix."
                )
                % {"top": top, "size": f"{len(probability)}×{len(consequence)}"}
            }
        )
    if not acceptance_criteria.strip():
        raise ValidationError(
            {"acceptance_criteria": _("Write the acceptance criteria before anyone assesses.")}
        )
    current = (
        RiskMatrix.objects.select_for_update()
        .filter(organisation=organisation)
        .order_by("-version")
        .first()
    )
    values = {
        "probability_levels": probability,
        "consequence_levels": consequence,
        "low_max": low_max,
        "medium_max": medium_max,
        "acceptance_criteria": acceptance_criteria.strip(),
    }
    if current is not None and not current.assessments.exists():
        _update(actor, current, values)
        return current
    matrix = RiskMatrix(
        organisation=organisation,
        version=(current.version + 1) if current else 1,
        created_by=_user(actor),
        **values,
    )
    matrix.full_clean()
    matrix.save()
    record_created(actor, matrix)
    return matrix


def ensure_matrix(*, actor: AnyUser | None, organisation: Organisation) -> RiskMatrix:
    """The organisation's current matrix; the default 5×5 one is fixed on first use."""
    current = RiskMatrix.objects.filter(organisation=organisation).order_by("-version").first()
    if current is not None:
        return current
    from django.conf import settings

    with translation.override(settings.LANGUAGE_CODE):
        return set_matrix(
            actor=actor,
            organisation=organisation,
            probability_levels=defaults.levels(defaults.DEFAULT_PROBABILITY),
            consequence_levels=defaults.levels(defaults.DEFAULT_CONSEQUENCE),
            low_max=defaults.DEFAULT_LOW_MAX,
            medium_max=defaults.DEFAULT_MEDIUM_MAX,
            acceptance_criteria=str(defaults.DEFAULT_ACCEPTANCE),
        )


# --- Assessments ---------------------------------------------------------------------------
def _check_dates(assessed_on: dt.date, review_due: dt.date) -> None:
    if review_due < assessed_on:
        raise ValidationError({"review_due": _("The review date cannot be before the assessment.")})


def _require_draft(assessment: Assessment) -> None:
    if not assessment.is_draft:
        raise ValidationError(
            _(
                "This version is completed and cannot be changed. Start a re-assessment to "
                "make a new version."
            )
        )


@transaction.atomic
def create_assessment(
    *,
    actor: AnyUser | None,
    unit: Unit,
    title: str,
    scope: str,
    assessed_on: dt.date,
    review_due: dt.date,
    description: str = "",
    template: Template | None = None,
) -> Assessment:
    """Start a risk assessment (a draft) on the organisation's current matrix, optionally with
    the hazards of a template."""
    _check_dates(assessed_on, review_due)
    matrix = ensure_matrix(actor=actor, organisation=unit.organisation)
    assessment = Assessment(
        organisation_id=unit.organisation_id,
        unit=unit,
        matrix=matrix,
        title=title.strip(),
        scope=scope,
        description=description.strip(),
        template=template.id if template else "",
        assessed_on=assessed_on,
        review_due=review_due,
        created_by=_user(actor),
    )
    assessment.full_clean(exclude=["series"])
    assessment.save()
    assessment.series = assessment
    assessment.save(update_fields=["series"])
    record_created(actor, assessment)
    if template is not None:
        _add_template_hazards(actor, assessment, template)
    return assessment


def _add_template_hazards(
    actor: AnyUser | None, assessment: Assessment, template: Template
) -> None:
    for position, item in enumerate(template.hazards, start=1):
        hazard = Hazard(
            organisation_id=assessment.organisation_id,
            assessment=assessment,
            position=position,
            category=item.category,
            own_category=item.own_category,
            title=item.title,
            description=item.description,
            causes="\n".join(item.causes),
            consequences="\n".join(item.consequences),
            preventive_barriers="\n".join(item.preventive_barriers),
            mitigating_barriers="\n".join(item.mitigating_barriers),
        )
        hazard.save()
        hazard.lineage = hazard.pk
        hazard.save(update_fields=["lineage"])
        record_created(actor, hazard)


@transaction.atomic
def update_assessment(
    *, actor: AnyUser | None, assessment: Assessment, **changes: Any
) -> Assessment:
    """Change a draft's title, scope, description, unit or dates."""
    allowed = {"title", "scope", "description", "assessed_on", "review_due", "unit"}
    unknown = set(changes) - allowed
    if unknown:
        raise TypeError(f"update_assessment() cannot change {sorted(unknown)}")
    _require_draft(assessment)
    _check_dates(
        changes.get("assessed_on", assessment.assessed_on),
        changes.get("review_due", assessment.review_due),
    )
    unit = changes.get("unit")
    if unit is not None and unit.organisation_id != assessment.organisation_id:
        raise ValidationError({"unit": _("The unit belongs to another organisation.")})
    _update(actor, assessment, changes)
    return assessment


@transaction.atomic
def add_participant(
    *,
    actor: AnyUser | None,
    assessment: Assessment,
    role: str,
    person: Person | None = None,
    name: str = "",
) -> Participant:
    _require_draft(assessment)
    if person is not None and person.organisation_id != assessment.organisation_id:
        raise ValidationError({"person": _("The person belongs to another organisation.")})
    name = (name or (person.full_name if person else "")).strip()
    if not name:
        raise ValidationError({"name": _("Choose a person or write a name.")})
    participant = Participant(
        organisation_id=assessment.organisation_id,
        assessment=assessment,
        role=role,
        person=person,
        name=name,
    )
    participant.full_clean()
    participant.save()
    record_created(actor, participant)
    return participant


@transaction.atomic
def remove_participant(*, actor: AnyUser | None, participant: Participant) -> None:
    _require_draft(participant.assessment)
    record_change(
        actor=actor,
        instance=participant,
        action=AuditEntry.Action.DELETE,
        before=snapshot(participant),
    )
    participant.delete()


# --- Hazards -------------------------------------------------------------------------------
def check_scores(matrix: RiskMatrix, values: dict[str, Any]) -> None:
    """Scores must lie on the assessment's own matrix; residual risk needs both axes."""
    errors: dict[str, str] = {}
    limits = {
        "probability": matrix.rows,
        "residual_probability": matrix.rows,
        "consequence": matrix.columns,
        "residual_consequence": matrix.columns,
    }
    for field, top in limits.items():
        value = values.get(field)
        if value is not None and not 1 <= value <= top:
            errors[field] = _(
                "%(value)s is outside this assessment's matrix (%(size)s, version %(version)s): "
                "choose a level from 1 to %(top)s."
            ) % {"value": value, "size": matrix.size_label, "version": matrix.version, "top": top}
    for first, second in (
        ("probability", "consequence"),
        ("residual_probability", "residual_consequence"),
    ):
        if (values.get(first) is None) != (values.get(second) is None) and not errors:
            errors[second if values.get(second) is None else first] = _(
                "Give both probability and consequence, or neither."
            )
    if errors:
        raise ValidationError(errors)


def _check_hazard(values: dict[str, Any]) -> None:
    if values.get("category") == Hazard.Category.OWN and not values.get("own_category", "").strip():
        raise ValidationError({"own_category": _("Name the organisation's own category.")})
    if not values.get("title", "").strip():
        raise ValidationError({"title": _("Describe what can go wrong.")})


@transaction.atomic
def add_hazard(*, actor: AnyUser | None, assessment: Assessment, **values: Any) -> Hazard:
    unknown = set(values) - set(HAZARD_FIELDS)
    if unknown:
        raise TypeError(f"add_hazard() does not know {sorted(unknown)}")
    _require_draft(assessment)
    _check_hazard(values)
    check_scores(assessment.matrix, values)
    last = assessment.hazards.order_by("-position").values_list("position", flat=True).first()
    hazard = Hazard(
        organisation_id=assessment.organisation_id,
        assessment=assessment,
        position=(last or 0) + 1,
        **values,
    )
    hazard.full_clean(exclude=TRUSTED)
    hazard.save()
    hazard.lineage = hazard.pk
    hazard.save(update_fields=["lineage"])
    record_created(actor, hazard)
    return hazard


@transaction.atomic
def update_hazard(*, actor: AnyUser | None, hazard: Hazard, **changes: Any) -> Hazard:
    unknown = set(changes) - set(HAZARD_FIELDS)
    if unknown:
        raise TypeError(f"update_hazard() cannot change {sorted(unknown)}")
    _require_draft(hazard.assessment)
    merged = {field: getattr(hazard, field) for field in HAZARD_FIELDS} | changes
    _check_hazard(merged)
    check_scores(hazard.assessment.matrix, merged)
    _update(actor, hazard, changes)
    return hazard


@transaction.atomic
def delete_hazard(*, actor: AnyUser | None, hazard: Hazard) -> None:
    _require_draft(hazard.assessment)
    if ActionItem.objects.for_source(hazard).exists():
        raise ValidationError(_("This hazard has measures; it cannot be removed."))
    record_change(
        actor=actor, instance=hazard, action=AuditEntry.Action.DELETE, before=snapshot(hazard)
    )
    hazard.delete()


@transaction.atomic
def add_measure(
    *,
    actor: AnyUser | None,
    hazard: Hazard,
    title: str,
    owner: Person | None,
    deadline: dt.date | None,
    description: str = "",
) -> ActionItem:
    """A measure (tiltak) against a hazard, as an action item in the one engine: it lands in the
    owner's "Mine oppgaver" and its reminders."""
    if hazard.assessment.status == Assessment.Status.SUPERSEDED:
        raise ValidationError(
            _("This version has been replaced; add measures on the current version.")
        )
    if owner is not None and owner.organisation_id != hazard.organisation_id:
        raise ValidationError({"owner": _("The person belongs to another organisation.")})
    return create_action_item(
        actor=actor,
        title=title,
        owner=owner,
        deadline=deadline,
        unit=hazard.assessment.unit,
        description=description,
        source=hazard,
    )


# --- Completion, versions and the heat map's aggregate ---------------------------------------
def _cells(hazards: Any) -> Counter[tuple[int, int, int, bool, int, int]]:
    """(unit, matrix, residual, probability, consequence) → count, in one grouped query; the
    organisation's totals under unit None."""
    counted: Counter[tuple[int, int, int, bool, int, int]] = Counter()
    rows = hazards.values(
        "assessment__unit_id",
        "assessment__matrix_id",
        "probability",
        "consequence",
        "residual_probability",
        "residual_consequence",
    ).annotate(n=Count("pk"))
    for row in rows:
        matrix = row["assessment__matrix_id"]
        for unit in (row["assessment__unit_id"], None):  # None: the organisation's total
            if row["probability"] is not None:
                key = (unit, matrix, False, row["probability"], row["consequence"])
                counted[key] += row["n"]
            if row["residual_probability"] is not None:
                key = (unit, matrix, True, row["residual_probability"], row["residual_consequence"])
                counted[key] += row["n"]
    return counted


def _apply_cells(organisation_id: int, counted: Counter, sign: int) -> None:
    """Add (or subtract) counts in three queries: read the cells concerned, update them in
    bulk, insert the new ones; cells that reach zero are removed."""
    if not counted:
        return
    units = {key[0] for key in counted}
    matrices = {key[1] for key in counted}
    which = Q(unit_id__in=[u for u in units if u is not None])
    if None in units:
        which |= Q(unit__isnull=True)
    existing = {
        (c.unit_id, c.matrix_id, c.residual, c.probability, c.consequence): c
        for c in RiskCell.objects.select_for_update().filter(
            which, organisation_id=organisation_id, matrix_id__in=matrices
        )
    }
    changed, created, emptied = [], [], []
    for key, n in counted.items():
        cell = existing.get(key)
        if cell is None:
            unit, matrix, residual, probability, consequence = key
            created.append(
                RiskCell(
                    organisation_id=organisation_id,
                    unit_id=unit,
                    matrix_id=matrix,
                    residual=residual,
                    probability=probability,
                    consequence=consequence,
                    count=max(0, sign * n),
                )
            )
            continue
        cell.count = max(0, cell.count + sign * n)
        (changed if cell.count else emptied).append(cell)
    RiskCell.objects.bulk_update(changed, ["count"])
    RiskCell.objects.bulk_create([c for c in created if c.count])
    RiskCell.objects.filter(pk__in=[c.pk for c in emptied]).delete()


@transaction.atomic
def complete_assessment(*, actor: AnyUser | None, assessment: Assessment) -> Assessment:
    """Fix a draft as the written record. Every hazard must be scored; the series' previous
    version is replaced (and stays readable)."""
    assessment = (
        Assessment.objects.select_for_update().select_related("matrix").get(pk=assessment.pk)
    )
    _require_draft(assessment)
    hazards = assessment.hazards.all()
    if not hazards.exists():
        raise ValidationError(_("Add at least one hazard before completing the assessment."))
    unscored = hazards.filter(probability__isnull=True).count()
    if unscored:
        raise ValidationError(
            _("%(count)s hazards have no score yet: score every hazard before completing.")
            % {"count": unscored}
        )
    previous = (
        Assessment.objects.select_for_update()
        .filter(series_id=assessment.series_id, status=Assessment.Status.COMPLETED)
        .exclude(pk=assessment.pk)
        .first()
    )
    if previous is not None:
        _update(actor, previous, {"status": Assessment.Status.SUPERSEDED})
        _apply_cells(assessment.organisation_id, _cells(previous.hazards.all()), -1)
    _update(
        actor,
        assessment,
        {"status": Assessment.Status.COMPLETED, "completed_at": timezone.now()},
    )
    _apply_cells(assessment.organisation_id, _cells(hazards), +1)
    return assessment


@transaction.atomic
def reassess(
    *, actor: AnyUser | None, assessment: Assessment, assessed_on: dt.date, review_due: dt.date
) -> Assessment:
    """Start the next version of a completed assessment, as a draft on the organisation's
    current matrix with the same hazards. Scores are kept when the matrix has the same size;
    on a matrix of another size every hazard is scored again."""
    if assessment.status != Assessment.Status.COMPLETED:
        raise ValidationError(_("Only the current completed version can be re-assessed."))
    if Assessment.objects.filter(
        series_id=assessment.series_id, status=Assessment.Status.DRAFT
    ).exists():
        raise ValidationError(_("A re-assessment of this assessment is already in progress."))
    _check_dates(assessed_on, review_due)
    matrix = ensure_matrix(actor=actor, organisation=assessment.organisation)
    same_size = (matrix.rows, matrix.columns) == (assessment.matrix.rows, assessment.matrix.columns)
    latest = Assessment.objects.filter(series_id=assessment.series_id).order_by("-version").first()
    draft = Assessment(
        organisation_id=assessment.organisation_id,
        unit=assessment.unit,
        matrix=matrix,
        series_id=assessment.series_id,
        version=(latest.version if latest else assessment.version) + 1,
        title=assessment.title,
        scope=assessment.scope,
        description=assessment.description,
        template=assessment.template,
        assessed_on=assessed_on,
        review_due=review_due,
        created_by=_user(actor),
    )
    draft.full_clean()
    draft.save()
    record_created(actor, draft)
    for old in assessment.hazards.all():
        values = {field: getattr(old, field) for field in HAZARD_FIELDS}
        if not same_size:
            for field in (
                "probability",
                "consequence",
                "residual_probability",
                "residual_consequence",
            ):
                values[field] = None
        hazard = Hazard(
            organisation_id=draft.organisation_id,
            assessment=draft,
            position=old.position,
            lineage=old.lineage or old.pk,
            **values,
        )
        hazard.save()
        record_created(actor, hazard)
    return draft


def rebuild_risk_cells(organisation_id: int) -> None:
    """Recompute the heat map's aggregate from the hazards of every active version."""
    with transaction.atomic():
        RiskCell.objects.filter(organisation_id=organisation_id).delete()
        counted = _cells(
            Hazard.objects.filter(
                organisation_id=organisation_id, assessment__status=Assessment.Status.COMPLETED
            )
        )
        RiskCell.objects.bulk_create(
            RiskCell(
                organisation_id=organisation_id,
                unit_id=unit,
                matrix_id=matrix,
                residual=residual,
                probability=probability,
                consequence=consequence,
                count=n,
            )
            for (unit, matrix, residual, probability, consequence), n in counted.items()
        )

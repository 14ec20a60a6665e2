"""/risk: risk assessments (risikovurderinger), as on the pages under /risiko/.

The same access rules, queries and services as the pages: the unit's leader, the area's
verneombud and HMS coordinators write; the BHT, administrators and the unit's employees read.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from trygg.actions.queries import owner_choices
from trygg.api.common import Input, Pagination, PersonRef, UnitRef, changes, choice, unit_choice
from trygg.api.errors import ERRORS, WRITE_ERRORS, field_names, not_a_choice
from trygg.lib.dates import today
from trygg.risk import access, queries, services
from trygg.risk.library import shipped_templates
from trygg.risk.models import Assessment, Band, Hazard, Participant, RiskMatrix

router = Router(tags=["risk"])

SCOPES = {"enum": list(Assessment.Scope.values)}
STATUSES = {"enum": list(Assessment.Status.values)}
CATEGORIES = {"enum": list(Hazard.Category.values)}
BANDS = {"enum": list(Band.values)}
ROLES = {"enum": list(Participant.Role.values)}


class Level(Schema):
    name: str
    definition: str


class MatrixOut(Schema):
    id: int
    version: int
    probability_levels: list[Level] = Field(description="The least likely first; level 1 first.")
    consequence_levels: list[Level] = Field(description="The least severe first; level 1 first.")
    low_max: int = Field(description="Scores up to this are low (green): acceptable.")
    medium_max: int = Field(description="Scores up to this are medium (yellow); above: high.")
    acceptance_criteria: str


class AssessmentOut(Schema):
    id: int
    title: str
    unit: UnitRef
    scope: str = Field(json_schema_extra=SCOPES)
    status: str = Field(json_schema_extra=STATUSES)
    version: int
    series_id: int | None = Field(description="The first version's id; all versions share it.")
    matrix_id: int
    template: str
    assessed_on: dt.date
    review_due: dt.date


class ParticipantOut(Schema):
    role: str = Field(json_schema_extra=ROLES)
    name: str
    person_id: int | None


class HazardOut(Schema):
    id: int
    position: int
    category: str = Field(json_schema_extra=CATEGORIES)
    own_category: str
    title: str
    description: str
    causes: list[str]
    consequences: list[str]
    preventive_barriers: list[str]
    mitigating_barriers: list[str]
    probability: int | None
    consequence: int | None
    score: int | None
    band: str | None = Field(json_schema_extra=BANDS)
    residual_probability: int | None
    residual_consequence: int | None
    residual_score: int | None
    residual_band: str | None = Field(json_schema_extra=BANDS)


class AssessmentDetailOut(AssessmentOut):
    description: str
    matrix: MatrixOut
    participants: list[ParticipantOut]
    hazards: list[HazardOut]


class AssessmentIn(Input):
    unit_id: int
    title: str
    scope: str = Field(Assessment.Scope.UNIT, json_schema_extra=SCOPES)
    description: str = ""
    assessed_on: dt.date
    review_due: dt.date
    template: str = Field("", description="The id of a shipped template, e.g. `vold-og-trusler`.")


class HazardIn(Input):
    category: str = Field(json_schema_extra=CATEGORIES)
    own_category: str = ""
    title: str
    description: str = ""
    causes: list[str] = []
    consequences: list[str] = []
    preventive_barriers: list[str] = []
    mitigating_barriers: list[str] = []
    probability: int | None = None
    consequence: int | None = None
    residual_probability: int | None = None
    residual_consequence: int | None = None


class HazardPatch(Input):
    category: str | None = Field(None, json_schema_extra=CATEGORIES)
    own_category: str | None = None
    title: str | None = None
    description: str | None = None
    causes: list[str] | None = None
    consequences: list[str] | None = None
    preventive_barriers: list[str] | None = None
    mitigating_barriers: list[str] | None = None
    probability: int | None = None
    consequence: int | None = None
    residual_probability: int | None = None
    residual_consequence: int | None = None


class MeasureIn(Input):
    title: str
    description: str = ""
    owner_id: int | None = None
    deadline: dt.date | None = None


class MeasureOut(Schema):
    id: int
    title: str
    status: str
    deadline: dt.date | None
    owner: PersonRef | None


class Cell(Schema):
    probability: int
    consequence: int
    count: int
    band: str = Field(json_schema_extra=BANDS)


class HeatMapOut(Schema):
    matrix: MatrixOut | None
    residual: bool
    cells: list[Cell]
    not_drawn: int = Field(description="Hazards on earlier matrices of another size.")


class TemplateOut(Schema):
    id: str
    title: str
    scope: str = Field(json_schema_extra=SCOPES)
    description: str
    hazards: int


LIST_FIELDS = ("causes", "consequences", "preventive_barriers", "mitigating_barriers")


def _hazard_out(hazard: Hazard, matrix: RiskMatrix) -> HazardOut:
    return HazardOut(
        id=hazard.pk,
        position=hazard.position,
        category=hazard.category,
        own_category=hazard.own_category,
        title=hazard.title,
        description=hazard.description,
        **{name: Hazard.lines(getattr(hazard, name)) for name in LIST_FIELDS},
        probability=hazard.probability,
        consequence=hazard.consequence,
        score=hazard.score,
        band=matrix.band(hazard.score),
        residual_probability=hazard.residual_probability,
        residual_consequence=hazard.residual_consequence,
        residual_score=hazard.residual_score,
        residual_band=matrix.band(hazard.residual_score),
    )


def _detail(assessment: Assessment) -> AssessmentDetailOut:
    matrix = assessment.matrix
    return AssessmentDetailOut(
        **AssessmentOut.model_validate(assessment).model_dump(),
        description=assessment.description,
        matrix=MatrixOut.model_validate(matrix),
        participants=[ParticipantOut.model_validate(p) for p in assessment.participants.all()],
        hazards=[_hazard_out(h, matrix) for h in queries.hazards_of(assessment)],
    )


def _hazard_values(data: dict) -> dict:
    for name in LIST_FIELDS:
        if name in data:
            data[name] = "\n".join(line.strip() for line in data[name] if line.strip())
    if "category" in data and data["category"] not in Hazard.Category.values:
        raise not_a_choice("category")
    return data


@router.get("/risk/matrix", response={200: MatrixOut | None, **ERRORS})
def get_matrix(request: HttpRequest) -> RiskMatrix | None:
    """The organisation's current matrix and acceptance criteria (null before the first use)."""
    principal = access.require_member(request.user)
    return queries.current_matrix(principal.organisation_id)


@router.get("/risk/templates", response={200: list[TemplateOut], **ERRORS})
def list_templates(request: HttpRequest) -> list[TemplateOut]:
    """The shipped templates; each file is at /risiko/maler/<id>.json (format: docs/risk.md)."""
    access.require_member(request.user)
    return [
        TemplateOut(
            id=t.id,
            title=t.title,
            scope=t.scope,
            description=t.description,
            hazards=len(t.hazards),
        )
        for t in shipped_templates().values()
    ]


@router.get("/risk/assessments", response={200: list[AssessmentOut], **ERRORS})
@paginate(Pagination)
def list_assessments(
    request: HttpRequest,
    status: str = Query(
        "", description="draft, completed, superseded, or due (due for review); empty: all"
    ),
    unit: int | None = Query(None, description="Only this unit and the units under it."),
) -> QuerySet[Assessment]:
    """The assessments the user may read, the newest first; `status=due` lists the current
    ones whose review date has passed or comes within a month, the oldest first."""
    access.require_member(request.user)
    assessments = access.visible_assessments(request.user).select_related("unit")
    if unit is not None:
        chosen = unit_choice(request.user, unit, "unit")
        assessments = assessments.filter(unit__path__startswith=chosen.path)
    if status == "due":
        return queries.due_for_review(assessments, today())
    if status:
        if status not in Assessment.Status.values:
            raise not_a_choice("status")
        assessments = assessments.filter(status=status)
    return assessments.order_by("-assessed_on", "-pk")


@router.get("/risk/assessments/{assessment_id}", response={200: AssessmentDetailOut, **ERRORS})
def get_assessment(request: HttpRequest, assessment_id: int) -> AssessmentDetailOut:
    return _detail(access.get_assessment_for_user(request.user, assessment_id))


@router.post("/risk/assessments", response={201: AssessmentDetailOut, **WRITE_ERRORS})
def create_assessment(request: HttpRequest, payload: AssessmentIn) -> Status[AssessmentDetailOut]:
    """Start a draft on the organisation's current matrix, optionally from a template."""
    access.require_creator(request.user)
    unit = choice(access.writable_units(request.user), payload.unit_id, "unit_id")
    if payload.scope not in Assessment.Scope.values:
        raise not_a_choice("scope")
    template = None
    if payload.template:
        template = shipped_templates().get(payload.template)
        if template is None:
            raise not_a_choice("template")
    with field_names(unit="unit_id"):
        assessment = services.create_assessment(
            actor=request.user,
            unit=unit,
            title=payload.title,
            scope=payload.scope,
            description=payload.description,
            assessed_on=payload.assessed_on,
            review_due=payload.review_due,
            template=template,
        )
    return Status(201, _detail(assessment))


@router.post("/risk/assessments/{assessment_id}/hazards", response={201: HazardOut, **WRITE_ERRORS})
def add_hazard(request: HttpRequest, assessment_id: int, payload: HazardIn) -> Status[HazardOut]:
    """Add a hazard to a draft. Scores must lie on the assessment's matrix."""
    assessment = access.get_assessment_for_user(request.user, assessment_id, write=True)
    hazard = services.add_hazard(
        actor=request.user, assessment=assessment, **_hazard_values(payload.model_dump())
    )
    return Status(201, _hazard_out(hazard, assessment.matrix))


@router.patch("/risk/hazards/{hazard_id}", response={200: HazardOut, **WRITE_ERRORS})
def update_hazard(request: HttpRequest, hazard_id: int, payload: HazardPatch) -> HazardOut:
    """Describe or score a hazard of a draft; fields left out keep their value, and a score
    may be set to null."""
    hazard = access.get_hazard_for_user(request.user, hazard_id, write=True)
    scores = frozenset(
        {"probability", "consequence", "residual_probability", "residual_consequence"}
    )
    data = _hazard_values(changes(payload, nullable=scores))
    hazard = services.update_hazard(actor=request.user, hazard=hazard, **data)
    return _hazard_out(hazard, hazard.assessment.matrix)


@router.post(
    "/risk/assessments/{assessment_id}/complete",
    response={200: AssessmentDetailOut, **WRITE_ERRORS},
)
def complete_assessment(request: HttpRequest, assessment_id: int) -> AssessmentDetailOut:
    """Fix the draft as the written record; the series' previous version is replaced."""
    assessment = access.get_assessment_for_user(request.user, assessment_id, write=True)
    services.complete_assessment(actor=request.user, assessment=assessment)
    return _detail(access.get_assessment_for_user(request.user, assessment_id))


@router.post("/risk/hazards/{hazard_id}/measures", response={201: MeasureOut, **WRITE_ERRORS})
def add_measure(request: HttpRequest, hazard_id: int, payload: MeasureIn) -> Status[MeasureOut]:
    """A measure against the hazard, as an action item (see /action-items)."""
    hazard = access.get_hazard_for_user(request.user, hazard_id, write=True)
    owner = None
    if payload.owner_id is not None:
        owner = choice(owner_choices(hazard.organisation_id), payload.owner_id, "owner_id")
    item = services.add_measure(
        actor=request.user,
        hazard=hazard,
        title=payload.title,
        owner=owner,
        deadline=payload.deadline,
        description=payload.description,
    )
    return Status(201, MeasureOut.model_validate(item))


@router.get("/risk/heat-map", response={200: HeatMapOut, **ERRORS})
def heat_map(
    request: HttpRequest,
    residual: bool = Query(False, description="After measures instead of before."),
) -> HeatMapOut:
    """The risk diagram of the current assessments the user may read, on the current matrix."""
    principal = access.require_member(request.user)
    picture = queries.heat_map(
        principal.organisation_id, access.reader_condition(principal), residual=residual
    )
    matrix = picture.matrix
    return HeatMapOut(
        matrix=MatrixOut.model_validate(matrix) if matrix else None,
        residual=residual,
        cells=[
            Cell(probability=p, consequence=c, count=n, band=matrix.band(p * c))
            for (p, c), n in sorted(picture.cells.items())
        ]
        if matrix
        else [],
        not_drawn=picture.elsewhere,
    )

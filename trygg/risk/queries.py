"""Reads of risk assessments for pages, exports, the årshjul, goals and internal control.

Each read runs in a constant number of queries. The organisation-wide heat map reads the
`RiskCell` aggregate (a few rows per unit), never the hazards themselves.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Min, Q, QuerySet, Sum

from trygg.actions.models import ActionItem
from trygg.actions.queries import ordered
from trygg.lib.dates import today
from trygg.org.models import Unit, path_condition
from trygg.risk.models import Assessment, Band, Hazard, RiskCell, RiskMatrix

REVIEW_NOTICE = dt.timedelta(days=30)  # "due for review" starts a month before the date


class UnitStatus:
    CURRENT = "current"
    DUE = "due"
    MISSING = "missing"


def current_matrix(organisation_id: int) -> RiskMatrix | None:
    return RiskMatrix.objects.filter(organisation_id=organisation_id).order_by("-version").first()


def due_by(day: dt.date | None = None) -> dt.date:
    return (day or today()) + REVIEW_NOTICE


def due_for_review(assessments: QuerySet[Assessment], day: dt.date) -> QuerySet[Assessment]:
    """Active versions whose review date is within a month or passed, the oldest first."""
    return (
        assessments.due_for_review(due_by(day)).select_related("unit").order_by("review_due", "pk")
    )


def hazards_of(assessment: Assessment) -> list[Hazard]:
    return list(assessment.hazards.order_by("position", "pk"))


def versions_of(assessment: Assessment) -> list[Assessment]:
    return list(
        Assessment.objects.filter(series_id=assessment.series_id)
        .select_related("matrix")
        .order_by("-version")
    )


def measures_of(hazards: list[Hazard]) -> dict[int, list[ActionItem]]:
    """The action items of these hazards and of their earlier versions, by hazard id (one
    query): a measure follows its hazard into the next version."""
    from django.contrib.contenttypes.models import ContentType

    lineage = {hazard.lineage or hazard.pk: hazard.pk for hazard in hazards}
    if not lineage:
        return {}
    sources = dict(Hazard.objects.filter(lineage__in=list(lineage)).values_list("pk", "lineage"))
    items = ordered(
        ActionItem.objects.with_relations().filter(
            source_type=ContentType.objects.get_for_model(Hazard), source_id__in=list(sources)
        )
    )
    found: dict[int, list[ActionItem]] = {hazard.pk: [] for hazard in hazards}
    for item in items:
        found[lineage[sources[item.source_id]]].append(item)
    return found


def assessment_cells(hazards: list[Hazard], *, residual: bool) -> dict[tuple[int, int], object]:
    """(probability, consequence) → the numbers of the hazards in that cell."""
    cells: dict[tuple[int, int], object] = {}
    for number, hazard in enumerate(hazards, start=1):
        p, c = (
            (hazard.residual_probability, hazard.residual_consequence)
            if residual
            else (hazard.probability, hazard.consequence)
        )
        if p is not None and c is not None:
            cells.setdefault((p, c), [])
            cells[(p, c)].append(number)  # type: ignore[union-attr]
    return cells


@dataclass
class HeatMap:
    matrix: RiskMatrix | None
    cells: dict[tuple[int, int], int] = field(default_factory=dict)
    elsewhere: int = 0  # hazards on matrix versions of another size, not drawn here
    bands: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.cells.values())


def heat_map(organisation_id: int, unit_condition: Q | None, *, residual: bool = False) -> HeatMap:
    """The organisation's risk picture (active versions) for the units matching
    `unit_condition` (a condition on `unit`, see access.units_in; None for all), in two
    queries."""
    matrices = {m.pk: m for m in RiskMatrix.objects.filter(organisation_id=organisation_id)}
    if not matrices:
        return HeatMap(None)
    current = max(matrices.values(), key=lambda m: m.version)
    cells = RiskCell.objects.filter(organisation_id=organisation_id, residual=residual)
    if unit_condition is None:
        cells = cells.filter(unit__isnull=True)  # the organisation's totals
    else:
        cells = cells.filter(unit__isnull=False).filter(unit_condition)
    result = HeatMap(current, bands={Band.LOW: 0, Band.MEDIUM: 0, Band.HIGH: 0})
    counted: Counter[tuple[int, int]] = Counter()
    for matrix_id, p, c, n in (
        cells.values("matrix_id", "probability", "consequence")
        .annotate(n=Sum("count"))
        .values_list("matrix_id", "probability", "consequence", "n")
        .order_by()
    ):
        matrix = matrices[matrix_id]
        if (matrix.rows, matrix.columns) != (current.rows, current.columns):
            result.elsewhere += n
            continue
        counted[(p, c)] += n
        result.bands[current.band(p * c)] += n
    result.cells = dict(counted)
    return result


# --- Status per unit (årshjul, goals, internal control) ---------------------------------------
@dataclass(frozen=True)
class UnitRisk:
    unit: Unit
    status: str
    next_review: dt.date | None


def units_needing_assessment(organisation_id: int, paths: tuple[str, ...]) -> list[Unit]:
    """The units (enheter) that must have a risk assessment: an assessment of the enhet or of a
    department under it counts. A request about a department alone asks about that one."""
    units = Unit.objects.filter(organisation_id=organisation_id, is_active=True)
    if paths:
        units = units.filter(path_condition(paths))
    found = list(units.filter(kind=Unit.Kind.UNIT).order_by("path"))
    if not found and paths:
        found = list(
            Unit.objects.filter(organisation_id=organisation_id, path__in=paths).order_by("path")
        )
    return found


def unit_statuses(
    organisation_id: int, paths: tuple[str, ...], day: dt.date | None = None
) -> list[UnitRisk]:
    """Current, due for review (the date has passed) or missing, per unit, in two queries."""
    day = day or today()
    units = units_needing_assessment(organisation_id, paths)
    if not units:
        return []
    by_path = {unit.path: unit for unit in units}
    active = Assessment.objects.active().filter(organisation_id=organisation_id)
    if paths:
        active = active.filter(path_condition(paths, "unit__path"))
    earliest: dict[str, dt.date] = {}
    for path, due in (
        active.values("unit__path").annotate(due=Min("review_due")).values_list("unit__path", "due")
    ):
        for ancestor in Unit(path=path).ancestor_paths():
            if ancestor in by_path:
                known = earliest.get(ancestor)
                earliest[ancestor] = due if known is None else min(known, due)
                break
    result = []
    for unit in units:
        due = earliest.get(unit.path)
        if due is None:
            status = UnitStatus.MISSING
        elif due < day:
            status = UnitStatus.DUE
        else:
            status = UnitStatus.CURRENT
        result.append(UnitRisk(unit, status, due))
    return result


def current_share(organisation_id: int, paths: tuple[str, ...], day: dt.date) -> tuple[int, int]:
    statuses = unit_statuses(organisation_id, paths, day)
    return sum(1 for s in statuses if s.status == UnitStatus.CURRENT), len(statuses)


def completed_between(
    organisation_id: int, paths: tuple[str, ...], start: dt.date, end: dt.date
) -> int:
    done = Assessment.objects.filter(
        organisation_id=organisation_id,
        status__in=[Assessment.Status.COMPLETED, Assessment.Status.SUPERSEDED],
        assessed_on__range=(start, end),
    )
    if paths:
        done = done.filter(path_condition(paths, "unit__path"))
    return done.count()


def assessment_counts(assessments: QuerySet[Assessment], day: dt.date) -> dict[str, int]:
    """Three counts, each answered from the (organisation, status, review_due) index: cheaper
    than one conditional aggregate that reads every row."""
    completed = assessments.filter(status=Assessment.Status.COMPLETED)
    return {
        "active": completed.count(),
        "draft": assessments.filter(status=Assessment.Status.DRAFT).count(),
        "overdue": completed.filter(review_due__lt=day).count(),
    }

"""Reads of the organisation for pages, reports and the API. Each returns in a constant number
of queries whatever the size of the organisation."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import EmptyResultSet
from django.core.paginator import Paginator
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils.functional import cached_property
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from trygg.audit.queries import cached_for_organisation
from trygg.lib.dates import today
from trygg.org.models import (
    PATH_SEGMENT_WIDTH,
    Committee,
    CommitteeMember,
    CommitteeYear,
    Employment,
    Person,
    RoleGrant,
    SafetyArea,
    SafetyRepresentative,
    UnionRepresentative,
    Unit,
)

SEGMENT = PATH_SEGMENT_WIDTH + 1

# ⚠️ Convention, configurable: a full-time week is 37.5 hours, so "at least 20 hours a week"
# (FOLM § 3-7 (2)) is a position of at least 20/37.5 = 53.33 %.
FULL_TIME_HOURS = Decimal("37.5")
AMU_HOURS_THRESHOLD = Decimal("20")
VERNEOMBUD_THRESHOLD = 5  # AML § 6-1, since 1.1.2024
AMU_MANDATORY_THRESHOLD = 30  # AML § 7-1 (1), since 1.1.2024
AMU_ON_DEMAND_THRESHOLD = 10


@dataclass
class UnitNode:
    unit: Unit
    headcount: int = 0  # current positions (employments) in this unit and below
    direct_headcount: int = 0  # current positions in this unit itself
    leaders: list[Person] = field(default_factory=list)
    children: list[UnitNode] = field(default_factory=list)
    has_children: bool = False


def query_digest(queryset: QuerySet, *extra: object) -> str:
    """A key for what `queryset` selects: its SQL and parameters (and anything in `extra`)."""
    try:
        sql, params = queryset.query.sql_with_params()
    except EmptyResultSet:  # a condition that can match nothing, e.g. pk__in=[]
        sql, params = "empty", ()
    return hashlib.sha256(repr((sql, params, extra)).encode()).hexdigest()


def kept_html(
    organisation_id: int, name: str, rows: QuerySet, render: Callable[[], str], *extra: object
) -> SafeString:
    """A part of a page, rendered by `render()` once and kept until the organisation's data
    changes or the day turns. The key holds the SQL of `rows` (what the part shows: the user's
    scope, filters and page), the language and `extra` (whatever else the part depends on)."""
    digest = query_digest(rows, *extra)
    return mark_safe(
        cached_for_organisation(organisation_id, f"html:{name}:{get_language()}:{digest}", render)
    )


class CachedCountPaginator(Paginator):
    """A paginator whose total is cached like the organisation's other figures: counting
    50,000 people on every page view costs more than the page itself."""

    def __init__(self, object_list: QuerySet, per_page: int, *, organisation_id: int) -> None:
        super().__init__(object_list, per_page)
        self.organisation_id = organisation_id

    @cached_property
    def count(self) -> int:
        digest = query_digest(self.object_list)
        return cached_for_organisation(
            self.organisation_id, f"count:{digest}", self.object_list.count
        )


@dataclass(frozen=True)
class TreeFigures:
    counts: dict[int, tuple[int, int]]  # unit id -> (direct positions, positions in subtree)
    parents: frozenset[int]  # ids of units that have subunits


def _tree_figures(organisation_id: int) -> TreeFigures:
    """Positions per unit and subtree for the whole organisation, in two queries.

    Positions, not distinct people: someone with part-time positions in two units counts in
    both, which is what a leader of each unit expects to see.
    """
    direct = dict(
        Employment.objects.current()
        .filter(organisation_id=organisation_id)
        .values_list("unit_id")
        .annotate(n=Count("unit_id"))
        .values_list("unit_id", "n")
    )
    units = list(
        Unit.objects.filter(organisation_id=organisation_id).values_list("pk", "path", "parent_id")
    )
    by_path = {path: pk for pk, path, _parent in units}
    totals: dict[int, int] = defaultdict(int)
    for pk, path, _parent in units:
        count = direct.get(pk, 0)
        if count:
            for i in range(SEGMENT, len(path) + 1, SEGMENT):
                ancestor = by_path.get(path[:i])
                if ancestor is not None:
                    totals[ancestor] += count
    return TreeFigures(
        counts={pk: (direct.get(pk, 0), totals.get(pk, 0)) for pk, _path, _parent in units},
        parents=frozenset(parent for _pk, _path, parent in units if parent is not None),
    )


def tree_figures(organisation_id: int) -> TreeFigures:
    return cached_for_organisation(organisation_id, "tree", lambda: _tree_figures(organisation_id))


def _leaders(unit_ids: list[int]) -> dict[int, list[Person]]:
    leaders: dict[int, list[Person]] = defaultdict(list)
    for employment in (
        Employment.objects.current()
        .filter(unit_id__in=unit_ids, is_leader=True)
        .select_related("person")
    ):
        leaders[employment.unit_id].append(employment.person)
    return leaders


def build_nodes(organisation_id: int, units: list[Unit]) -> list[UnitNode]:
    """Unit nodes with position counts, leaders and whether they have subunits."""
    if not units:
        return []
    figures = tree_figures(organisation_id)
    leaders = _leaders([u.pk for u in units])
    return [
        UnitNode(
            unit=u,
            direct_headcount=figures.counts.get(u.pk, (0, 0))[0],
            headcount=figures.counts.get(u.pk, (0, 0))[1],
            leaders=leaders.get(u.pk, []),
            has_children=u.pk in figures.parents,
        )
        for u in units
    ]


def nest(nodes: list[UnitNode]) -> list[UnitNode]:
    """Arrange nodes (ordered by path) into a forest."""
    by_id = {node.unit.pk: node for node in nodes}
    roots: list[UnitNode] = []
    for node in nodes:
        parent = by_id.get(node.unit.parent_id) if node.unit.parent_id else None
        if parent is None:
            roots.append(node)
        else:
            parent.children.append(node)
    return roots


def unit_tree(units: QuerySet[Unit], *, max_units: int) -> list[UnitNode]:
    """The top of the tree: as many whole levels as fit in `max_units` (at least the roots and
    the level below them), so a wide organisation does not flood the page."""
    per_depth = dict(
        units.order_by().values_list("depth").annotate(n=Count("pk")).values_list("depth", "n")
    )
    depth, shown_count = 1, per_depth.get(0, 0) + per_depth.get(1, 0)
    while depth + 1 in per_depth and shown_count + per_depth[depth + 1] <= max_units:
        depth += 1
        shown_count += per_depth[depth]
    shown = list(units.filter(depth__lte=depth).order_by("path"))
    if not shown:
        return []
    return nest(build_nodes(shown[0].organisation_id, shown))


def units_matching(units: QuerySet[Unit], text: str) -> QuerySet[Unit]:
    """Units whose name contains `text` or whose code is `text`."""
    return units.filter(Q(name__icontains=text) | Q(code__iexact=text)).order_by("name", "pk")


def search_units(units: QuerySet[Unit], text: str, limit: int = 50) -> list[Unit]:
    return list(units_matching(units, text)[:limit])


def ancestors(unit: Unit) -> list[Unit]:
    ids = unit.ancestor_ids()[:-1]
    found = {u.pk: u for u in Unit.objects.filter(pk__in=ids)}
    return [found[i] for i in ids if i in found]


def full_chart(organisation_id: int) -> list[UnitNode]:
    """Every active unit with leaders and head counts: the written overview of the organisation."""
    units = list(
        Unit.objects.filter(organisation_id=organisation_id, is_active=True).order_by("path")
    )
    return nest(build_nodes(organisation_id, units)) if units else []


# --- People -------------------------------------------------------------------------------
def people_list(
    people: QuerySet[Person],
    *,
    text: str = "",
    unit: Unit | None = None,
    subunits: bool = True,
    include_former: bool = False,
) -> QuerySet[Person]:
    day = today()
    if text:
        for word in text.split()[:4]:
            people = people.filter(
                Q(first_name__icontains=word)
                | Q(last_name__icontains=word)
                | Q(employee_number=word)
            )
    employments = Employment.objects.all()
    if not include_former:
        employments = employments.current(day)
    if unit is not None:
        employments = (
            employments.filter(unit__path__startswith=unit.path)
            if subunits
            else employments.filter(unit=unit)
        )
    if unit is not None:
        # A unit's employments are few: let the database start from them.
        people = people.filter(pk__in=employments.values("person_id"))
    elif not include_former:
        # Everyone current: checking each person in name order stops after one page.
        people = people.filter(Exists(employments.filter(person_id=OuterRef("pk"))))
    return people.order_by("last_name", "first_name", "pk").with_current_employment()


def grants_of(person: Person) -> list[RoleGrant]:
    if person.user_id is None:
        return []
    return list(
        RoleGrant.objects.filter(user_id=person.user_id).select_related("unit").order_by("role")
    )


def person_roles(person: Person) -> dict[str, list]:
    day = today()
    return {
        "safety_terms": list(
            person.safety_terms.filter(end_date__gte=day)
            .select_related("area")
            .order_by("start_date")
        ),
        "memberships": list(person.committee_memberships.current(day).select_related("committee")),
        "union_terms": list(
            person.union_terms.filter(
                Q(end_date__isnull=True) | Q(end_date__gte=day)
            ).select_related("unit")
        ),
    }


# --- Committees and safety -------------------------------------------------------------
def committees_with_counts(committees: QuerySet[Committee]) -> QuerySet[Committee]:
    day = today()
    current = Q(members__start_date__lte=day) & (
        Q(members__end_date__isnull=True) | Q(members__end_date__gte=day)
    )
    return (
        committees.select_related("unit", "parent")
        .annotate(
            member_count=Count(
                "members",
                filter=current & Q(members__office=CommitteeMember.Office.MEMBER),
                distinct=True,
            )
        )
        .order_by("kind", "name")
    )


def committee_members(committee: Committee, *, current_only: bool = True) -> list[CommitteeMember]:
    members = committee.members.select_related("person")
    if current_only:
        members = members.current()
    return list(members.order_by("side", "office", "person__last_name"))


def constitution(committee: Committee, year: int) -> CommitteeYear | None:
    return (
        committee.years.filter(year=year)
        .select_related("chair__person", "deputy_chair__person")
        .first()
    )


def current_representatives(
    organisation_id: int, day: dt.date | None = None
) -> QuerySet[SafetyRepresentative]:
    return SafetyRepresentative.objects.current(day).filter(organisation_id=organisation_id)


def safety_area_summary(
    areas: QuerySet[SafetyArea], limit: int = 50
) -> tuple[int, int, list[SafetyArea]]:
    """(areas, areas without a current safety representative, the first `limit` of those)."""
    covered = Exists(SafetyRepresentative.objects.serving().filter(area_id=OuterRef("pk")))
    uncovered = areas.exclude(covered).order_by("name")
    return areas.count(), uncovered.count(), list(uncovered[:limit])


def representatives_by_area(
    organisation_id: int, day: dt.date | None = None, *, main_only: bool = False
) -> dict[int | None, list[SafetyRepresentative]]:
    result: dict[int | None, list[SafetyRepresentative]] = defaultdict(list)
    terms = current_representatives(organisation_id, day)
    if main_only:
        terms = terms.filter(area__isnull=True)
    for term in terms.select_related("person").order_by("role", "person__last_name"):
        result[term.area_id].append(term)
    return result


def union_representatives(organisation_id: int) -> list[UnionRepresentative]:
    day = today()
    return list(
        UnionRepresentative.objects.filter(organisation_id=organisation_id, start_date__lte=day)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=day))
        .select_related("person", "unit")
        .order_by("union", "-is_main", "person__last_name")
    )


# --- Thresholds (rules.md §4) ---------------------------------------------------------
@dataclass(frozen=True)
class Thresholds:
    employees_now: int
    average_last_year: Decimal  # average head count last calendar year, ≥ 20 h/week
    year: int
    verneombud_required: bool
    amu_required: bool
    amu_on_demand: bool
    has_verneombud: bool
    has_main_verneombud: bool
    verneombud_count: int
    has_amu: bool


def thresholds(organisation_id: int) -> Thresholds:
    return cached_for_organisation(
        organisation_id, "thresholds", lambda: _thresholds(organisation_id)
    )


def _thresholds(organisation_id: int) -> Thresholds:
    """AML § 6-1 (verneombud from 5 employees) and § 7-1 / FOLM § 3-7 (AMU from 30 on average
    last calendar year counting those working at least 20 hours a week; 10 on demand).

    The yearly average is the mean of the head counts on the 15th of each month, computed in
    one query.
    """
    day = today()
    employments = Employment.objects.filter(
        organisation_id=organisation_id, person__is_external=False
    )
    now = employments.current(day).values("person_id").distinct().count()
    year = day.year - 1
    min_percent = AMU_HOURS_THRESHOLD * 100 / FULL_TIME_HOURS
    aggregates = {}
    for month in range(1, 13):
        sample = dt.date(year, month, 15)
        aggregates[f"m{month}"] = Count(
            "person_id",
            distinct=True,
            filter=Q(start_date__lte=sample)
            & (Q(end_date__isnull=True) | Q(end_date__gte=sample))
            & Q(position_percent__gte=min_percent),
        )
    monthly = employments.aggregate(**aggregates)
    average = (Decimal(sum(monthly.values())) / 12).quantize(Decimal("0.1"))
    reps = SafetyRepresentative.objects.serving(day).filter(organisation_id=organisation_id)
    vo_count = reps.count()
    return Thresholds(
        employees_now=now,
        average_last_year=average,
        year=year,
        verneombud_required=now >= VERNEOMBUD_THRESHOLD,
        amu_required=average >= AMU_MANDATORY_THRESHOLD,
        amu_on_demand=AMU_ON_DEMAND_THRESHOLD <= average < AMU_MANDATORY_THRESHOLD,
        has_verneombud=vo_count > 0,
        has_main_verneombud=reps.filter(role=SafetyRepresentative.Role.MAIN).exists(),
        verneombud_count=vo_count,
        has_amu=Committee.objects.filter(organisation_id=organisation_id, is_active=True).exists(),
    )

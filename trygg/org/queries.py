"""Reads of the organisation for pages, reports and the API. Each returns in a constant number
of queries whatever the size of the organisation."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q, QuerySet

from trygg.lib.dates import today
from trygg.org.models import (
    PATH_SEGMENT_WIDTH,
    Committee,
    CommitteeMember,
    CommitteeYear,
    Employment,
    Person,
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


def _headcounts(
    organisation_id: int, units: list[Unit], all_paths: list[tuple[int, str]]
) -> dict[int, tuple[int, int]]:
    """(direct, subtree) number of current positions for each unit in `units`.

    Positions, not distinct people: someone with part-time positions in two units counts in
    both, which is what a leader of each unit expects to see.

    One grouped query over the organisation's employments; the subtree sums are added up in
    Python over the unit paths, so the cost does not depend on how many units are shown.
    """
    day = today()
    direct = dict(
        Employment.objects.current(day)
        .filter(organisation_id=organisation_id)
        .values_list("unit_id")
        .annotate(n=Count("person_id", distinct=True))
        .values_list("unit_id", "n")
    )
    wanted = {unit.path: unit.pk for unit in units}
    totals: dict[int, int] = defaultdict(int)
    for unit_id, path in all_paths:
        count = direct.get(unit_id, 0)
        if not count:
            continue
        # Add this unit's people to every shown unit that is an ancestor of it (or itself).
        for i in range(SEGMENT, len(path) + 1, SEGMENT):
            ancestor = wanted.get(path[:i])
            if ancestor is not None:
                totals[ancestor] += count
    return {unit.pk: (direct.get(unit.pk, 0), totals.get(unit.pk, 0)) for unit in units}


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
    """Unit nodes with head counts, leaders and whether they have children, in 4 queries."""
    if not units:
        return []
    all_paths = list(Unit.objects.filter(organisation_id=organisation_id).values_list("pk", "path"))
    counts = _headcounts(organisation_id, units, all_paths)
    leaders = _leaders([u.pk for u in units])
    parents_with_children = set(
        Unit.objects.filter(organisation_id=organisation_id, parent_id__in=[u.pk for u in units])
        .values_list("parent_id", flat=True)
        .distinct()
    )
    return [
        UnitNode(
            unit=u,
            direct_headcount=counts[u.pk][0],
            headcount=counts[u.pk][1],
            leaders=leaders.get(u.pk, []),
            has_children=u.pk in parents_with_children,
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


def unit_tree(units: QuerySet[Unit], *, max_depth: int = 1) -> list[UnitNode]:
    """The top of the tree (roots and `max_depth` levels below them) for the units page."""
    shown = list(units.filter(depth__lte=max_depth).order_by("path"))
    if not shown:
        return []
    return nest(build_nodes(shown[0].organisation_id, shown))


def children_of(units: QuerySet[Unit], unit: Unit) -> list[UnitNode]:
    return build_nodes(unit.organisation_id, list(units.filter(parent=unit).order_by("name")))


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
    if unit is not None or not include_former:
        people = people.filter(pk__in=employments.values("person_id"))
    return people.order_by("last_name", "first_name", "pk").with_current_employment()


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


def representatives_by_area(
    organisation_id: int, day: dt.date | None = None
) -> dict[int | None, list[SafetyRepresentative]]:
    day = day or today()
    result: dict[int | None, list[SafetyRepresentative]] = defaultdict(list)
    for term in (
        SafetyRepresentative.objects.filter(
            organisation_id=organisation_id, start_date__lte=day, end_date__gte=day
        )
        .select_related("person")
        .order_by("role", "person__last_name")
    ):
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
    reps = SafetyRepresentative.objects.filter(
        organisation_id=organisation_id, start_date__lte=day, end_date__gte=day
    ).exclude(role=SafetyRepresentative.Role.DEPUTY)
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

"""Reads for the deviation pages, the statistics, the API and the registries, each in a
constant number of queries."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, F, IntegerField, Q, QuerySet, Sum, Value
from django.db.models.functions import ExtractMonth, ExtractYear
from django.utils import timezone

from trygg.audit.models import AuditEntry
from trygg.audit.queries import cached_for_organisation
from trygg.deviations.models import Deviation, Injury, WorkHours
from trygg.deviations.services import hash_receipt
from trygg.lib.dates import today
from trygg.org.models import Unit, path_condition
from trygg.org.principal import ALL

PAGE_SIZE = 50
TERTIALS = {1: (1, 4), 2: (5, 8), 3: (9, 12)}


# --- The handling list -------------------------------------------------------------------
@dataclass(frozen=True)
class ListFilter:
    unit: Unit | None = None
    status: str = ""  # "", "open", "overdue" or a Status value
    category: str = ""

    def apply(self, qs: QuerySet[Deviation], day: dt.date) -> QuerySet[Deviation]:
        if self.unit is not None:
            qs = qs.filter(unit_path__startswith=self.unit.path)
        if self.status == "open":
            qs = qs.open()
        elif self.status == "overdue":
            qs = qs.overdue(day)
        elif self.status in Deviation.Status.values:
            qs = qs.filter(status=self.status)
        if self.category in Deviation.Category.values:
            qs = qs.filter(category=self.category)
        return qs


@dataclass
class ListPage:
    rows: list[Deviation]
    next_before: int | None
    total: int


def list_page(
    qs: QuerySet[Deviation], flt: ListFilter, *, before: int | None, organisation_id: int
) -> ListPage:
    """Newest first, 50 at a time by keyset (`before` = the last id seen), so a page costs
    the same deep in a long list; the total is counted once per organisation version."""
    day = today()
    filtered = flt.apply(qs, day)
    page_qs = filtered
    if before:
        page_qs = page_qs.filter(id__lt=before)
    rows = list(
        page_qs.select_related("unit", "handler")
        .only(
            "id",
            "number",
            "title",
            "category",
            "severity",
            "status",
            "deadline",
            "reported_on",
            "closed_on",
            "unit__name",
            "handler__first_name",
            "handler__last_name",
            "handler__username",
        )
        .order_by("-id")[: PAGE_SIZE + 1]
    )
    more = len(rows) > PAGE_SIZE
    rows = rows[:PAGE_SIZE]
    sql = str(filtered.values("id").query)
    total = cached_for_organisation(organisation_id, f"deviation-count:{hash(sql)}", filtered.count)
    return ListPage(rows=rows, next_before=rows[-1].pk if more else None, total=total)


def mine(user_id: int, organisation_id: int, limit: int = 20) -> list[Deviation]:
    return list(
        Deviation.objects.filter(organisation_id=organisation_id, reporter_id=user_id)
        .select_related("unit")
        .order_by("-id")[:limit]
    )


def for_receipt(code: str) -> Deviation | None:
    if not code.strip():
        return None
    return (
        Deviation.objects.filter(receipt_hash=hash_receipt(code))
        .exclude(receipt_hash="")
        .select_related("unit", "organisation")
        .first()
    )


# --- A case's page -----------------------------------------------------------------------
@dataclass(frozen=True)
class HistoryLine:
    when: dt.datetime
    date_only: bool
    actor: str
    action: str
    fields: list[str]


def history(deviation: Deviation) -> list[HistoryLine]:
    """What happened to the case, from the audit log. The reporting of an anonymous case
    shows no actor and only its date."""
    labels = {f.name: str(f.verbose_name) for f in Deviation._meta.concrete_fields}
    entries = AuditEntry.objects.filter(
        organisation_id=deviation.organisation_id,
        object_type="deviations.deviation",
        object_id=str(deviation.pk),
    ).order_by("created_at", "id")
    lines = []
    for entry in entries:
        changed = sorted(
            labels.get(name, name)
            for name in (entry.changes.get("after") or {})
            if entry.action != AuditEntry.Action.CREATE and name in labels
        )
        hidden = entry.actor_id is None
        lines.append(
            HistoryLine(
                when=entry.created_at,
                date_only=hidden,
                actor=entry.actor_name if not hidden else "",
                action=entry.get_action_display(),
                fields=changed,
            )
        )
    return lines


# --- Statistics --------------------------------------------------------------------------
def _year_range(year: int) -> tuple[dt.datetime, dt.datetime]:
    tz = timezone.get_current_timezone()
    return (
        dt.datetime(year, 1, 1, tzinfo=tz),
        dt.datetime(year + 1, 1, 1, tzinfo=tz),
    )


def scoped(organisation_id: int, paths: tuple[str, ...]) -> QuerySet[Deviation]:
    qs = Deviation.objects.filter(organisation_id=organisation_id)
    if ALL in paths:
        return qs
    return qs.filter(path_condition(paths, "unit_path"))


def tertial_of(month: int) -> int:
    return (month - 1) // 4 + 1


@dataclass
class Statistics:
    year: int
    total: int = 0
    by_month: dict[int, int] = field(default_factory=dict)
    previous_by_month: dict[int, int] = field(default_factory=dict)
    category_month: dict[str, dict[int, int]] = field(default_factory=dict)
    severity_month: dict[str, dict[int, int]] = field(default_factory=dict)
    unit_tertial: list[tuple[Unit, dict[int, int], int]] = field(default_factory=list)
    closed_in_time: dict[int, tuple[int, int]] = field(default_factory=dict)  # tertial → (ok, due)
    injuries_with_absence: int = 0
    hours: int = 0

    def by_tertial(self, per_month: dict[int, int]) -> dict[int, int]:
        out = {1: 0, 2: 0, 3: 0}
        for month, n in per_month.items():
            out[tertial_of(month)] += n
        return out

    @property
    def h_value(self) -> Decimal | None:
        """Injuries with absence per million hours worked (H-verdi)."""
        if not self.hours:
            return None
        return (Decimal(self.injuries_with_absence) * 1_000_000 / self.hours).quantize(
            Decimal("0.1")
        )

    def share_in_time(self, tertial: int | None = None) -> Decimal | None:
        pairs = [self.closed_in_time.get(t, (0, 0)) for t in ([tertial] if tertial else (1, 2, 3))]
        ok = sum(p[0] for p in pairs)
        due = sum(p[1] for p in pairs)
        if not due:
            return None
        return (Decimal(ok) * 100 / due).quantize(Decimal("0.1"))


def closed_in_time_counts(qs: QuerySet[Deviation], day: dt.date) -> tuple[int, int]:
    """(closed by the deadline, due): cases that are closed or whose deadline has passed."""
    result = qs.filter(Q(closed_on__isnull=False) | Q(deadline__lt=day)).aggregate(
        due=Count("id"), ok=Count("id", filter=Q(closed_on__lte=F("deadline")))
    )
    return result["ok"] or 0, result["due"] or 0


def statistics(organisation_id: int, paths: tuple[str, ...], year: int) -> Statistics:
    """Counts per month by category and severity (this year and the one before), the share
    closed in time, counts per unit and tertial, and the H-value: two scans of the cases and
    three small queries, however many cases and units there are."""
    day = today()
    start, _end = _year_range(year - 1)
    _start, end = _year_range(year)
    base = scoped(organisation_id, paths)
    two_years = base.filter(occurred_at__gte=start, occurred_at__lt=end).annotate(
        year=ExtractYear("occurred_at"), month=ExtractMonth("occurred_at")
    )
    due = Q(closed_on__isnull=False) | Q(deadline__lt=day)
    stats = Statistics(year=year)
    for row in (
        two_years.values("year", "month", "category", "severity")
        .annotate(
            n=Count("id"),
            due=Count("id", filter=due),
            ok=Count("id", filter=Q(closed_on__lte=F("deadline"))),
        )
        .order_by()
    ):
        month, n = row["month"], row["n"]
        if row["year"] != year:
            stats.previous_by_month[month] = stats.previous_by_month.get(month, 0) + n
            continue
        stats.total += n
        stats.by_month[month] = stats.by_month.get(month, 0) + n
        per_category = stats.category_month.setdefault(row["category"], {})
        per_category[month] = per_category.get(month, 0) + n
        per_severity = stats.severity_month.setdefault(row["severity"], {})
        per_severity[month] = per_severity.get(month, 0) + n
        t = tertial_of(month)
        ok, due_n = stats.closed_in_time.get(t, (0, 0))
        stats.closed_in_time[t] = (ok + row["ok"], due_n + row["due"])
    stats.closed_in_time = {t: v for t, v in stats.closed_in_time.items() if v[1]}

    per_unit: dict[int, dict[int, int]] = defaultdict(lambda: {1: 0, 2: 0, 3: 0})
    in_year = base.filter(occurred_at__gte=_start, occurred_at__lt=end).annotate(
        month=ExtractMonth("occurred_at")
    )
    for row in in_year.values("unit_id", "month").annotate(n=Count("id")).order_by():
        per_unit[row["unit_id"]][tertial_of(row["month"])] += row["n"]
    units = Unit.objects.in_bulk(list(per_unit))
    stats.unit_tertial = sorted(
        (
            (units[pk], counts, sum(counts.values()))
            for pk, counts in per_unit.items()
            if pk in units
        ),
        key=lambda item: item[0].path,
    )
    stats.injuries_with_absence, stats.hours = _h_value_parts(organisation_id, paths, year)
    return stats


def _h_value_parts(organisation_id: int, paths: tuple[str, ...], year: int) -> tuple[int, int]:
    """Hours recorded for the units in scope (the topmost row of each subtree) and the
    injuries with absence in those units' subtrees in the year."""
    rows = WorkHours.objects.filter(organisation_id=organisation_id, year=year).select_related(
        "unit"
    )
    if ALL not in paths:
        rows = rows.filter(path_condition(paths, "unit__path"))
    found = sorted(((r.unit.path, r.hours) for r in rows), key=lambda item: item[0])
    top: list[tuple[str, int]] = []
    for path, hours in found:
        if not any(path.startswith(p) for p, _ in top):
            top.append((path, hours))
    if not top:
        return 0, 0
    start, end = _year_range(year)
    injuries = Injury.objects.filter(
        organisation_id=organisation_id,
        kind=Injury.Kind.INJURY,
        absence=True,
        deviation__occurred_at__gte=start,
        deviation__occurred_at__lt=end,
    ).filter(path_condition(tuple(p for p, _ in top), "deviation__unit_path"))
    return injuries.count(), sum(h for _, h in top)


def export_rows(qs: QuerySet[Deviation]) -> list[list[str]]:
    """The rows of the CSV/XLSX export: no reporter identity, dates only."""
    out = []
    for d in qs.select_related("unit").order_by("id").iterator(chunk_size=2000):
        out.append(
            [
                d.reference,
                timezone.localtime(d.occurred_at).strftime("%d.%m.%Y"),
                d.unit.name,
                str(d.get_category_display()),
                str(d.get_severity_display()),
                str(d.get_status_display()),
                d.title,
                d.deadline.strftime("%d.%m.%Y"),
                d.closed_on.strftime("%d.%m.%Y") if d.closed_on else "",
            ]
        )
    return out


# --- Injury register ---------------------------------------------------------------------
def injury_rows(qs: QuerySet[Injury], year: int | None = None) -> QuerySet[Injury]:
    qs = qs.select_related("deviation__unit", "person").order_by("-deviation__occurred_at", "-id")
    if year:
        start, end = _year_range(year)
        qs = qs.filter(deviation__occurred_at__gte=start, deviation__occurred_at__lt=end)
    return qs


# --- Registries ----------------------------------------------------------------------------
def counts_in_period(
    organisation_id: int, paths: tuple[str, ...], start: dt.date, end: dt.date
) -> dict[str, int]:
    tz = timezone.get_current_timezone()
    lo = dt.datetime.combine(start, dt.time.min, tzinfo=tz)
    hi = dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
    qs = scoped(organisation_id, paths).filter(occurred_at__gte=lo, occurred_at__lt=hi)
    return {
        row["category"]: row["n"]
        for row in qs.values("category").annotate(n=Count("id")).order_by()
    }


def in_period(
    organisation_id: int, paths: tuple[str, ...], start: dt.date, end: dt.date
) -> QuerySet[Deviation]:
    tz = timezone.get_current_timezone()
    lo = dt.datetime.combine(start, dt.time.min, tzinfo=tz)
    hi = dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
    return scoped(organisation_id, paths).filter(occurred_at__gte=lo, occurred_at__lt=hi)


def hours_total(organisation_id: int) -> int:
    return (
        WorkHours.objects.filter(organisation_id=organisation_id).aggregate(
            n=Sum("hours", default=Value(0, output_field=IntegerField()))
        )["n"]
        or 0
    )

"""Load test of the deviation pages with 200,000 deviations in the 50,000-employee organisation.

    python bench/deviations.py                 # SQLite (its own database in var/bench/, reused)
    python bench/deviations.py --postgres      # SQLite, then PostgreSQL
    python bench/deviations.py --postgres-only

It builds the large organisation with `trygg demo --employees 50000` (in its own SQLite file,
`var/bench/deviations-50000.sqlite3`), adds 200,000 deviations by bulk inserts (three years,
every category and severity, about 85 % closed, some overdue, spread over the units below the
kommunalområder), and then measures, with 10 concurrent clients: the handling list filtered by
unit, status and category (as the HMS coordinator, who sees everything, and as a unit leader),
a later page of the list (keyset), and the statistics page per tertial for all units. It
prints p50/p95/max and requests per second and whether p95 is under the targets (150 ms for
the lists, 500 ms for the statistics). The server, clients and login are those of bench/pages.py.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))

import pages  # noqa: E402  (bench/pages.py: server, login, load and table)

DEVIATIONS = 200_000
YEARS = 3
BATCH = 2000


def generate(organisation, count: int) -> float:  # type: ignore[no-untyped-def]
    """Bulk-insert `count` deviations; returns the seconds it took."""
    from django.db import transaction
    from django.utils import timezone

    from trygg.deviations.models import Deviation
    from trygg.deviations.services import settings_for
    from trygg.lib.dates import today
    from trygg.org.models import Unit

    started = time.perf_counter()
    rng = random.Random(20260401)
    day = today()
    config = settings_for(organisation.pk)
    units = list(
        Unit.objects.filter(organisation=organisation, depth__gte=2).values_list("pk", "path")
    )
    categories = list(Deviation.Category.values)
    weights = [6, 1, 14, 9, 2, 8, 4, 12, 6]
    severities = list(Deviation.Severity.values)
    sev_weights = [35, 40, 20, 5]
    tz = timezone.get_current_timezone()
    first = day - dt.timedelta(days=365 * YEARS)
    with transaction.atomic():
        batch = []
        for n in range(1, count + 1):
            unit_id, path = units[rng.randrange(len(units))]
            occurred_on = first + dt.timedelta(days=int(365 * YEARS * n / count))
            occurred = dt.datetime.combine(occurred_on, dt.time(rng.randrange(6, 23), 0), tzinfo=tz)
            severity = rng.choices(severities, sev_weights)[0]
            reported_on = occurred_on
            deadline = reported_on + dt.timedelta(days=config.days_for(severity))
            age = (day - reported_on).days
            closed = (age > 30 and rng.random() < 0.95) or (age > 5 and rng.random() < 0.3)
            closed_on = (
                min(day, reported_on + dt.timedelta(days=rng.choice((1, 3, 7, 12, 20, 40))))
                if closed
                else None
            )
            status = (
                Deviation.Status.CLOSED
                if closed
                else rng.choice(
                    [
                        Deviation.Status.REGISTERED,
                        Deviation.Status.IN_PROGRESS,
                        Deviation.Status.MEASURES,
                    ]
                )
            )
            anonymous = n % 17 == 0
            batch.append(
                Deviation(
                    organisation=organisation,
                    number=n,
                    unit_id=unit_id,
                    unit_path=path,
                    category=rng.choices(categories, weights)[0],
                    severity=severity,
                    status=status,
                    title=f"Hendelse {n}",
                    description="Generert for ytelsestest.",
                    occurred_at=occurred,
                    reported_on=reported_on,
                    is_anonymous=anonymous,
                    deadline=deadline,
                    closed_on=closed_on,
                    measures_effective="yes" if closed else "",
                    closing_evaluation="Lukket." if closed else "",
                )
            )
            if len(batch) >= BATCH:
                Deviation.objects.bulk_create(batch)
                batch = []
        if batch:
            Deviation.objects.bulk_create(batch)
    return round(time.perf_counter() - started, 1)


def prepare(employees: int, count: int) -> None:
    import django

    django.setup()
    from collections import Counter

    from django.core.management import call_command
    from django.db import connection

    from trygg.deviations.models import Deviation
    from trygg.org.models import PATH_SEGMENT_WIDTH, Employment, Unit

    organisation, generated = pages.large_organisation(employees)
    made = None
    if not Deviation.objects.filter(organisation=organisation).exists():
        made = generate(organisation, count)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
    call_command("collectstatic", interactive=False, verbosity=0)
    # Filter on the enhet (depth 2) with the most deviations and on the leader's own unit.
    prefix = 3 * (PATH_SEGMENT_WIDTH + 1)
    sizes = Counter(
        path[:prefix]
        for path in Deviation.objects.filter(organisation=organisation).values_list(
            "unit_path", flat=True
        )[:50_000]
    )
    busiest = Unit.objects.get(organisation=organisation, path=sizes.most_common(1)[0][0])
    leader_unit = (
        Employment.objects.current()
        .filter(
            organisation=organisation, is_leader=True, person__user__username=f"{pages.SLUG}-leder"
        )
        .values_list("unit_id", flat=True)
        .first()
    )
    qs = Deviation.objects.filter(organisation=organisation)
    # The statistics page keeps its figures until the organisation's data changes; time the
    # computation itself (what the first request after a change pays) here.
    from trygg.deviations.queries import statistics
    from trygg.lib.dates import today

    cold = []
    for _ in range(5):
        started = time.perf_counter()
        statistics(organisation.pk, ("",), today().year - 1)
        cold.append((time.perf_counter() - started) * 1000)
    print(
        json.dumps(
            {
                "vendor": connection.vendor,
                "deviations": qs.count(),
                "open": qs.exclude(status="closed").count(),
                "units": Unit.objects.filter(organisation=organisation).count(),
                "busiest_unit": busiest.pk,
                "leader_unit": leader_unit,
                "middle_id": qs.order_by("-id").values_list("id", flat=True)[5000],
                "generated_seconds": generated,
                "deviation_seconds": made,
                "statistics_cold_ms": [round(ms) for ms in cold],
            }
        )
    )


def run_backend(label: str, database_url: str | None, args: argparse.Namespace) -> list:
    env, info = pages.prepared_database(
        label,
        __file__,
        database_url,
        f"deviations-{args.employees}",
        ["--employees", str(args.employees), "--deviations", str(args.deviations)],
        fresh=args.fresh,
    )
    print(
        f"   {info['deviations']} deviations ({info['open']} open) in {info['units']} units; "
        + (
            "organisation generated in {} s".format(info["generated_seconds"])
            if info["generated_seconds"]
            else "organisation reused"
        )
        + ", deviations "
        + (
            f"generated in {info['deviation_seconds']} s" if info["deviation_seconds"] else "reused"
        ),
        flush=True,
    )
    print(
        "   statistics per tertial for all units, computed without the cache: "
        + ", ".join(f"{ms} ms" for ms in info["statistics_cold_ms"]),
        flush=True,
    )
    year = dt.date.today().year - 1
    lists = (
        (
            "List: unit + open + near miss",
            f"/avvik/behandling/?unit={info['busiest_unit']}&status=open&category=near_miss",
        ),
        (
            "List: unit + closed + violence",
            f"/avvik/behandling/?unit={info['busiest_unit']}&status=closed&category=violence",
        ),
        ("List: overdue, all units", "/avvik/behandling/?status=overdue"),
        ("List: later page (keyset)", f"/avvik/behandling/?for={info['middle_id']}"),
    )
    stats = (("Statistics per tertial, all units", f"/avvik/statistikk/?ar={year}"),)
    results = []
    slow = []
    with pages.gunicorn(env, args.workers, args.threads) as port:
        for who in ("hms", "leder"):
            cookie = pages.log_in(port, f"{pages.SLUG}-{who}", pages.PASSWORD)
            plan = list(lists) + (list(stats) if who == "hms" else [])
            if who == "leder" and info["leader_unit"]:
                plan = [
                    (
                        "List: own unit + open",
                        f"/avvik/behandling/?unit={info['leader_unit']}&status=open",
                    ),
                    ("List: everything visible", "/avvik/behandling/"),
                ]
            for page, path in plan:
                name = f"{page} [{who}]"
                pages.load(
                    port, cookie, name, path, args.warmup, min(args.clients, args.warmup or 1)
                )
                result = pages.load(port, cookie, name, path, args.requests, args.clients)
                if page.startswith("Statistics"):
                    slow.append(result)
                else:
                    results.append(result)
    pages.print_table(label + " – lists", results, args.target_ms)
    pages.print_table(label + " – statistics", slow, args.stats_target_ms)
    return [(r, args.target_ms) for r in results] + [(r, args.stats_target_ms) for r in slow]


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--postgres", action="store_true")
    parser.add_argument("--postgres-only", action="store_true")
    parser.add_argument("--employees", type=int, default=50_000)
    parser.add_argument("--deviations", type=int, default=DEVIATIONS)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--clients", type=int, default=10)
    parser.add_argument("--warmup", type=int, default=10)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--target-ms", type=float, default=150.0)
    parser.add_argument("--stats-target-ms", type=float, default=500.0)
    parser.add_argument("--fresh", action="store_true")
    parser.add_argument("--check", action="store_true")
    parser.add_argument("--prepare", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.prepare:
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "trygg.settings")
        prepare(args.employees, args.deviations)
        return 0
    results: list = []
    if not args.postgres_only:
        results += run_backend("SQLite", None, args)
    if args.postgres or args.postgres_only:
        with pages.postgres_url() as url:
            results += run_backend("PostgreSQL", url, args)
    missed = [r for r, target in results if r.errors or r.percentile(0.95) >= target]
    return 1 if args.check and missed else 0


if __name__ == "__main__":
    sys.exit(main())

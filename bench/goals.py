"""Load test of the HMS-goal, action-plan and internal-control pages in a large organisation.

    python bench/goals.py                  # SQLite (its own database in var/bench/, reused)
    python bench/goals.py --postgres       # SQLite, then PostgreSQL
    python bench/goals.py --employees 10000

It builds the large organisation with `trygg demo --employees N` (in its own SQLite file,
`var/bench/goals-N.sqlite3`), then adds the organisation's three goals, a local goal for every
enhet (two thirds bound to live indicators, a third measured by hand with four measurements), and
a 5-year action plan with 300 rows, each an action item. It measures, as the HMS coordinator: the
goal list, an overarching goal's page (all its local goals), the action-plan list, the plan with
300 rows, its XLSX export, and the internal-control overview. It prints p50/p95/max and requests
per second with 10 concurrent clients (target: p95 under 150 ms).

Then the goal pages as the first view after a change to the organisation's data (one client;
before each request a child process writes an audit entry, target 300 ms): the pages show the
goals' stored readings (goals/readings.py) and leave computing them again to a background task,
which no worker runs here, so the last line times that task on its own: every stored reading of
the organisation computed again, as the worker would after a change.
The server, clients and login are those of bench/pages.py.
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

PLAN_ROWS = 300


def generate(organisation) -> float:  # type: ignore[no-untyped-def]
    """Goals, measurements and a plan by bulk inserts; returns the seconds it took."""
    from decimal import Decimal

    from django.contrib.contenttypes.models import ContentType
    from django.db import transaction

    from trygg.actions.models import ActionItem
    from trygg.goals import services
    from trygg.goals.models import ActionPlanRow, Goal, GoalMeasurement
    from trygg.lib.dates import today
    from trygg.org.models import Person, Unit

    started = time.perf_counter()
    rng = random.Random(20260401)
    year = today().year
    with transaction.atomic():
        overall = [
            services.create_goal(
                actor=None,
                organisation=organisation,
                title=title,
                start_year=year,
                end_year=year + 4,
                target=Decimal(target),
                baseline=Decimal(baseline),
                indicator_code=code,
                measure=measure,
            )
            for title, code, measure, target, baseline in (
                ("Sykefraværet skal under 5,4 %", "absence.percent", "", "5.4", "8.1"),
                ("Avvik lukkes innen fristen", "deviations.closed_in_time", "", "90", "62"),
                ("Ingen opplever trakassering", "", "Andel som svarer nei", "100", "88"),
            )
        ]
        enheter = list(Unit.objects.filter(organisation=organisation, depth=2).order_by("path"))
        goals = []
        for i, unit in enumerate(enheter):
            parent = overall[i % 3]
            goals.append(
                Goal(
                    organisation=organisation,
                    parent=parent,
                    unit=unit,
                    number=1,
                    title=f"Lokalt mål for {unit.name}",
                    start_year=year,
                    end_year=year + 4,
                    indicator_code=parent.indicator_code,
                    measure=parent.measure,
                    lower_is_better=parent.lower_is_better,
                    baseline=parent.baseline,
                    target=parent.target,
                )
            )
        Goal.objects.bulk_create(goals, batch_size=2000)
        manual = Goal.objects.filter(organisation=organisation, indicator_code="")
        GoalMeasurement.objects.bulk_create(
            [
                GoalMeasurement(
                    organisation=organisation,
                    goal=goal,
                    measured_on=dt.date(year - k, 3, 15),
                    value=Decimal(rng.randint(80, 100)),
                )
                for goal in manual
                for k in range(4)
            ],
            batch_size=5000,
        )
        plan = services.create_plan(
            actor=None,
            organisation=organisation,
            title=f"Mål og handlingsplan {year}–{year + 4}",
            start_year=year,
            end_year=year + 4,
        )
        people = list(Person.objects.filter(organisation=organisation)[:200])
        rows = ActionPlanRow.objects.bulk_create(
            [
                ActionPlanRow(
                    organisation=organisation,
                    plan=plan,
                    number=n,
                    focus_area=f"Innsatsområde {n}",
                    goal=overall[n % 3] if n % 2 else None,
                    goal_text="" if n % 2 else "Eget mål",
                    activity=f"Aktivitet {n}\nmed en lengre beskrivelse av hva som skal gjøres.",
                    when="Høsten",
                    responsible="HMS-koordinator",
                    reporting="AMU",
                )
                for n in range(1, PLAN_ROWS + 1)
            ]
        )
        if any(row.pk is None for row in rows):
            rows = list(ActionPlanRow.objects.filter(plan=plan).order_by("number"))
        row_type = ContentType.objects.get_for_model(ActionPlanRow)
        items = ActionItem.objects.bulk_create(
            [
                ActionItem(
                    organisation=organisation,
                    title=f"Aktivitet {row.number}",
                    owner=rng.choice(people),
                    deadline=today() + dt.timedelta(days=rng.randint(-200, 900)),
                    status=rng.choice(["open", "open", "in_progress", "done"]),
                    source_type=row_type,
                    source_id=row.pk,
                )
                for row in rows
            ]
        )
        if any(item.pk is None for item in items):
            items = list(
                ActionItem.objects.filter(source_type=row_type, source_id__in=[r.pk for r in rows])
            )
            by_source = {item.source_id: item for item in items}
            items = [by_source[row.pk] for row in rows]
        for row, item in zip(rows, items, strict=True):
            row.action_item = item
        ActionPlanRow.objects.bulk_update(rows, ["action_item"], batch_size=1000)
    return round(time.perf_counter() - started, 1)


def prepare(employees: int) -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from trygg.goals.models import ActionPlan, Goal

    organisation, generated = pages.large_organisation(employees)
    goal_seconds = None
    if not Goal.objects.filter(organisation=organisation).exists():
        goal_seconds = generate(organisation)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    call_command("collectstatic", interactive=False, verbosity=0)
    first = Goal.objects.filter(organisation=organisation, unit=None).order_by("number").first()
    plan = ActionPlan.objects.filter(organisation=organisation).first()
    print(
        json.dumps(
            {
                "vendor": connection.vendor,
                "goals": Goal.objects.filter(organisation=organisation).count(),
                "goal_id": first.pk,
                "plan_id": plan.pk,
                "generated_seconds": generated,
                "goal_seconds": goal_seconds,
            }
        )
    )


def run_backend(label: str, database_url: str | None, args: argparse.Namespace) -> list:
    env, info = pages.prepared_database(
        label,
        __file__,
        database_url,
        f"goals-{args.employees}",
        ["--employees", str(args.employees)],
        fresh=args.fresh,
    )
    print(
        f"   {info['goals']} goals, a plan with {PLAN_ROWS} rows; organisation "
        + (f"generated in {info['generated_seconds']} s" if info["generated_seconds"] else "reused")
        + ", goals "
        + (f"generated in {info['goal_seconds']} s" if info["goal_seconds"] else "reused"),
        flush=True,
    )
    plan = info["plan_id"]
    targets = (
        ("Goal list", "/mal/"),
        ("Overarching goal (all its local goals)", f"/mal/{info['goal_id']}/"),
        ("Action plans", "/mal/handlingsplaner/"),
        (f"Action plan ({PLAN_ROWS} rows)", f"/mal/handlingsplaner/{plan}/"),
        ("Action plan XLSX", f"/mal/handlingsplaner/{plan}/handlingsplan.xlsx"),
        ("Internal control", "/mal/internkontroll/"),
    )
    results, first = [], []
    with (
        pages.gunicorn(env, args.workers, args.threads) as port,
        pages.worker(env),
        pages.change_writer(env) as change,
    ):
        cookie = pages.log_in(port, f"{pages.SLUG}-hms", pages.PASSWORD)
        for page, path in targets:
            pages.load(port, cookie, page, path, args.warmup, min(args.clients, args.warmup or 1))
            results.append(pages.load(port, cookie, page, path, args.requests, args.clients))
        for page, path in targets[:2]:
            first.append(pages.first_views(port, cookie, page, path, args.first, change))
    pages.print_table(f"{label}: {args.clients} concurrent clients", results, args.target_ms)
    pages.print_table(
        f"{label}: first view after a change (one client, {args.first} changes)",
        first,
        args.first_target_ms,
    )
    timed = pages.child_json(__file__, ["--refresh"], env, f"Refreshing the {label} readings")
    print(
        f"\n  The background refresh after a change: {timed['goals']} stored readings computed "
        f"again in {timed['seconds']} s (the worker's task, not a request)",
        flush=True,
    )
    return results + first


def refresh() -> None:
    """Time the background task: after a change, every stored reading computed again."""
    import django

    django.setup()
    from trygg.accounts.models import Organisation
    from trygg.audit.models import AuditEntry
    from trygg.audit.services import record_event
    from trygg.goals import readings
    from trygg.goals.models import GoalReading

    organisation = Organisation.objects.get(slug=pages.SLUG)
    record_event(
        actor=None,
        organisation_id=organisation.pk,
        action=AuditEntry.Action.UPDATE,
        object_type="bench.change",
        description="A change from the benchmark",
    )
    goal_ids = list(
        GoalReading.objects.filter(organisation=organisation).values_list("goal_id", flat=True)
    )
    started = time.perf_counter()
    computed = readings.refresh(goal_ids)
    seconds = round(time.perf_counter() - started, 2)
    print(json.dumps({"goals": computed, "seconds": seconds}))


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--postgres", action="store_true")
    parser.add_argument("--postgres-only", action="store_true")
    parser.add_argument("--employees", type=int, default=50_000)
    parser.add_argument("--requests", type=int, default=100)
    parser.add_argument("--clients", type=int, default=10)
    parser.add_argument("--warmup", type=int, default=10)
    parser.add_argument(
        "--first", type=int, default=20, help="First views after a change, per page (default 20)."
    )
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--target-ms", type=float, default=150.0)
    parser.add_argument("--first-target-ms", type=float, default=300.0)
    parser.add_argument("--fresh", action="store_true")
    parser.add_argument("--prepare", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--refresh", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.prepare or args.refresh:
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "trygg.settings")
        if args.prepare:
            prepare(args.employees)
        else:
            refresh()
        return 0
    results: list = []
    if not args.postgres_only:
        results += run_backend("SQLite", None, args)
    if args.postgres or args.postgres_only:
        with pages.postgres_url() as url:
            results += run_backend("PostgreSQL", url, args)
    return 0


if __name__ == "__main__":
    sys.exit(main())

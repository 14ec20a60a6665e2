"""Load test of the risk pages with 50,000 risk assessments and 500,000 hazards.

    python bench/risk.py                 # SQLite (its own database in var/bench/, reused)
    python bench/risk.py --postgres      # SQLite, then PostgreSQL
    python bench/risk.py --postgres-only

It builds the large organisation with `trygg demo --employees 50000` (in its own SQLite file,
`var/bench/risk-50000.sqlite3`, so it never writes to the pages benchmark's database), adds
50,000 assessments with 500,000 hazards by bulk inserts (about 90 % current, some overdue, some
earlier versions and drafts, spread over the units below the kommunalområder), rebuilds the heat
map's aggregate, and then measures, as the HMS coordinator (who sees everything) and as a unit
leader: the list of assessments due for review, the organisation-wide risk diagram (the risk
overview page) and the list of all assessments. It prints p50/p95/max and requests per
second and whether p95 is under the target (150 ms, 10 concurrent clients), and then the same
pages as the first view after a change to the organisation's data (one client; before each
request a child process writes an audit entry, so no figure cached for the organisation's
version is reused).
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

ASSESSMENTS = 50_000
HAZARDS_PER_ASSESSMENT = 10
PAGES = (
    ("Due for review", "/risiko/revisjon/"),
    ("Risk overview (org-wide heat map)", "/risiko/"),
    ("Risk overview, after measures", "/risiko/?etter=1"),
    ("All assessments", "/risiko/vurderinger/"),
)


def generate(organisation, count: int) -> float:  # type: ignore[no-untyped-def]
    """Bulk-insert `count` assessments with ten hazards each; returns the seconds it took."""
    from django.db import transaction

    from trygg.lib.dates import today
    from trygg.org.models import Unit
    from trygg.risk import services
    from trygg.risk.library import shipped_templates
    from trygg.risk.models import Assessment, Hazard

    started = time.perf_counter()
    rng = random.Random(20260301)
    day = today()
    matrix = services.ensure_matrix(actor=None, organisation=organisation)
    units = list(
        Unit.objects.filter(organisation=organisation, depth__gte=2).values_list("pk", flat=True)
    )
    templates = list(shipped_templates().values())
    categories = list(Hazard.Category.values)
    batch = 2_000
    with transaction.atomic():
        made = 0
        while made < count:
            size = min(batch, count - made)
            drafts: list[Assessment] = []
            for _ in range(size):
                assessed = day - dt.timedelta(days=rng.randint(0, 900))
                review = assessed + dt.timedelta(days=rng.choice((365, 365, 365, 730)))
                roll = rng.random()
                status = (
                    Assessment.Status.DRAFT
                    if roll < 0.04
                    else Assessment.Status.SUPERSEDED
                    if roll < 0.10
                    else Assessment.Status.COMPLETED
                )
                template = rng.choice(templates)
                drafts.append(
                    Assessment(
                        organisation=organisation,
                        unit_id=rng.choice(units),
                        matrix=matrix,
                        title=f"{template.title} {made + len(drafts)}",
                        scope=template.scope,
                        template=template.id,
                        assessed_on=assessed,
                        review_due=review,
                        status=status,
                    )
                )
            created = Assessment.objects.bulk_create(drafts)
            ids = [a.pk for a in created]
            if None in ids:  # a backend without RETURNING: read the keys back
                ids = list(
                    Assessment.objects.filter(organisation=organisation)
                    .order_by("-pk")
                    .values_list("pk", flat=True)[:size]
                )[::-1]
            Assessment.objects.filter(pk__in=ids).update(series_id=models_f("pk"))
            hazards = []
            for assessment_id in ids:
                for position in range(1, HAZARDS_PER_ASSESSMENT + 1):
                    p, c = rng.randint(1, 5), rng.randint(1, 5)
                    hazards.append(
                        Hazard(
                            organisation=organisation,
                            assessment_id=assessment_id,
                            position=position,
                            category=rng.choice(categories),
                            title=f"Fare {position}",
                            causes="Årsak 1\nÅrsak 2",
                            consequences="Konsekvens",
                            preventive_barriers="Barriere",
                            mitigating_barriers="Barriere",
                            probability=p,
                            consequence=c,
                            residual_probability=max(1, p - rng.randint(0, 2)),
                            residual_consequence=c,
                        )
                    )
            Hazard.objects.bulk_create(hazards, batch_size=5_000)
            made += size
    Hazard.objects.filter(organisation=organisation, lineage__isnull=True).update(
        lineage=models_f("pk")
    )
    services.rebuild_risk_cells(organisation.pk)
    return round(time.perf_counter() - started, 1)


def models_f(name: str):  # type: ignore[no-untyped-def]
    from django.db.models import F

    return F(name)


def prepare(employees: int, count: int) -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from trygg.lib.dates import today
    from trygg.risk.models import Assessment, Hazard, RiskCell

    organisation, generated = pages.large_organisation(employees)
    risk_seconds = None
    if not Assessment.objects.filter(organisation=organisation).exists():
        risk_seconds = generate(organisation, count)
    # Planner statistics, so a leader's few units are found through the unit index rather than
    # by walking the whole organisation in date order (SQLite keeps none until ANALYZE).
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    call_command("collectstatic", interactive=False, verbosity=0)
    day = today()
    active = Assessment.objects.filter(organisation=organisation, status="completed")
    print(
        json.dumps(
            {
                "vendor": connection.vendor,
                "assessments": Assessment.objects.filter(organisation=organisation).count(),
                "hazards": Hazard.objects.filter(organisation=organisation).count(),
                "active": active.count(),
                "overdue": active.filter(review_due__lt=day).count(),
                "cells": RiskCell.objects.filter(organisation=organisation).count(),
                "generated_seconds": generated,
                "risk_seconds": risk_seconds,
            }
        )
    )


def run_backend(label: str, database_url: str | None, args: argparse.Namespace) -> list:
    env, info = pages.prepared_database(
        label,
        __file__,
        database_url,
        f"risk-{args.employees}",
        ["--employees", str(args.employees), "--assessments", str(args.assessments)],
        fresh=args.fresh,
    )
    org_made = info["generated_seconds"]
    risk_made = info["risk_seconds"]
    print(
        f"   {info['assessments']} assessments ({info['active']} current, {info['overdue']} "
        f"overdue), {info['hazards']} hazards, {info['cells']} heat-map cells; organisation "
        + (f"generated in {org_made} s" if org_made else "reused")
        + ", risk data "
        + (f"generated in {risk_made} s" if risk_made else "reused"),
        flush=True,
    )
    results, first = [], []
    with (
        pages.gunicorn(env, args.workers, args.threads) as port,
        pages.change_writer(env) as change,
    ):
        for who in ("hms", "leder"):
            cookie = pages.log_in(port, f"{pages.SLUG}-{who}", pages.PASSWORD)
            for page, path in PAGES:
                name = f"{page} [{who}]"
                pages.load(
                    port, cookie, name, path, args.warmup, min(args.clients, args.warmup or 1)
                )
                results.append(pages.load(port, cookie, name, path, args.requests, args.clients))
                first.append(pages.first_views(port, cookie, name, path, args.first, change))
    pages.print_table(f"{label}: {args.clients} concurrent clients", results, args.target_ms)
    pages.print_table(
        f"{label}: first view after a change (one client, {args.first} changes)",
        first,
        args.target_ms,
    )
    return results + first


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--postgres", action="store_true")
    parser.add_argument("--postgres-only", action="store_true")
    parser.add_argument("--employees", type=int, default=50_000)
    parser.add_argument("--assessments", type=int, default=ASSESSMENTS)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--clients", type=int, default=10)
    parser.add_argument("--warmup", type=int, default=10)
    parser.add_argument(
        "--first", type=int, default=20, help="First views after a change, per page (default 20)."
    )
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--target-ms", type=float, default=150.0)
    parser.add_argument("--fresh", action="store_true")
    parser.add_argument("--check", action="store_true")
    parser.add_argument("--prepare", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.prepare:
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "trygg.settings")
        prepare(args.employees, args.assessments)
        return 0
    results: list = []
    if not args.postgres_only:
        results += run_backend("SQLite", None, args)
    if args.postgres or args.postgres_only:
        with pages.postgres_url() as url:
            results += run_backend("PostgreSQL", url, args)
    missed = [r for r in results if r.errors or r.percentile(0.95) >= args.target_ms]
    return 1 if args.check and missed else 0


if __name__ == "__main__":
    sys.exit(main())

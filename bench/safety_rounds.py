"""Organisation-wide status of safety rounds with 5,000 units and 10 years of rounds.

    python bench/safety_rounds.py            # SQLite in var/bench/safety_rounds.sqlite3 (reused)
    DATABASE_URL=postgres://... python bench/safety_rounds.py

Builds (once) an organisation of 5,000 units under 20 areas with a round per unit per year for
ten years (50,000 rounds; about a third of the last year's overdue, findings on one round in
five, half of them open as deviations or action items). Then it times the status query
(`queries.status_by_area`, what the status page, the årshjul figure and the internal-control
record read) and the whole status page for the HMS coordinator, and prints p50/p95/max and the
query counts.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
BENCH_DIR = ROOT / "var" / "bench"
UNITS = 5_000
AREAS = 20
YEARS = 10
RUNS = 40


def setup() -> None:
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    if not os.environ.get("DATABASE_URL"):
        os.environ.setdefault("TRYGG_SQLITE_PATH", str(BENCH_DIR / "safety_rounds.sqlite3"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "trygg.settings")
    os.environ.setdefault("TRYGG_SECRET_KEY", "bench-only-secret-key-0123456789abcdef")
    # Production settings (cached templates, no debug toolbar of queries), served over HTTP.
    os.environ.setdefault("TRYGG_DEBUG", "0")
    os.environ.setdefault("TRYGG_ALLOWED_HOSTS", "localhost")
    os.environ.setdefault("TRYGG_SSL_REDIRECT", "0")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    # Static files straight from the app folders: no collectstatic manifest needed here.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }

    call_command("migrate", verbosity=0)


def build() -> tuple[int, int]:
    """The organisation (kept between runs) and its HMS coordinator's user id."""
    import datetime as dt
    import random
    import uuid

    from django.db import transaction
    from django.utils import timezone

    from trygg.accounts.models import Organisation, User
    from trygg.actions.models import ActionItem
    from trygg.deviations.models import Deviation
    from trygg.org.models import Person, RoleGrant, Unit, path_segment
    from trygg.safety_rounds.models import Answer, Finding, SafetyRound
    from trygg.safety_rounds.services import install_built_in_checklists

    existing = Organisation.objects.filter(slug="bench-safety-rounds").first()
    if existing is not None:
        user = User.objects.get(username="bench-hms")
        return existing.pk, user.pk
    rng = random.Random(7)
    started = time.perf_counter()
    with transaction.atomic():
        org = Organisation.objects.create(name="Benchkommune", slug="bench-safety-rounds")
        top = Unit.objects.create(organisation=org, name="Benchkommune", kind="top", path="-")
        top.path = path_segment(top.pk)
        top.save()
        areas = []
        for i in range(AREAS):
            area = Unit.objects.create(
                organisation=org, name=f"Område {i}", kind="area", parent=top, path="-", depth=1
            )
            area.path = top.path + path_segment(area.pk)
            area.save()
            areas.append(area)
        units = Unit.objects.bulk_create(
            [
                Unit(
                    organisation=org,
                    name=f"Enhet {i}",
                    kind="unit",
                    parent=areas[i % AREAS],
                    path=f"tmp{i}",
                    depth=2,
                )
                for i in range(UNITS - AREAS - 1)
            ]
        )
        for unit in units:
            unit.path = areas[0].path  # replaced below with the real parent's path
        by_pk = {a.pk: a for a in areas}
        for unit in units:
            unit.path = by_pk[unit.parent_id].path + path_segment(unit.pk)
        Unit.objects.bulk_update(units, ["path"], batch_size=1000)
        user = User.objects.create_user(username="bench-hms", password="x", organisation=org)
        Person.objects.create(organisation=org, first_name="H", last_name="MS", user=user)
        RoleGrant.objects.create(organisation=org, user=user, role=RoleGrant.Role.HMS_COORDINATOR)
        template = install_built_in_checklists(actor=None, organisation=org)[0]
        version = template.current_version
        this_year = timezone.localdate().year
        rounds = []
        for year in range(this_year - YEARS + 1, this_year + 1):
            for unit in units:
                done = year < this_year or rng.random() < 0.6
                rounds.append(
                    SafetyRound(
                        organisation=org,
                        unit=unit,
                        year=year,
                        title=f"Vernerunde {year} – {unit.name}",
                        deadline=dt.date(year, 3, 1),
                        template_version=version,
                        status="completed" if done else "planned",
                        completed_at=timezone.now() if done else None,
                    )
                )
        SafetyRound.objects.bulk_create(rounds, batch_size=2000)
        with_findings = [r for r in rounds if r.status == "completed" and rng.random() < 0.2]
        answers = Answer.objects.bulk_create(
            [
                Answer(
                    organisation=org,
                    round=r,
                    question_key="q",
                    client_id=uuid.uuid4(),
                    value="deviation",
                    answered_at=timezone.now(),
                )
                for r in with_findings
            ],
            batch_size=2000,
        )
        findings = []
        for number, answer in enumerate(answers):
            kind = number % 2
            finding = Finding(
                organisation=org,
                round=answer.round,
                answer=answer,
                question_key="q",
                title="Funn",
            )
            if kind == 0:
                finding.deviation = Deviation(
                    organisation=org,
                    number=number + 1,
                    unit=answer.round.unit,
                    unit_path=answer.round.unit.path,
                    category="routine",
                    severity="medium",
                    title="Funn",
                    description="Funn",
                    occurred_at=timezone.now(),
                    reported_on=dt.date.today(),
                    deadline=dt.date.today(),
                    status="closed" if rng.random() < 0.5 else "registered",
                )
            else:
                finding.action_item = ActionItem(
                    organisation=org,
                    title="Funn",
                    unit=answer.round.unit,
                    status="done" if rng.random() < 0.5 else "open",
                )
            findings.append(finding)
        Deviation.objects.bulk_create([f.deviation for f in findings if f.deviation], 2000)
        ActionItem.objects.bulk_create([f.action_item for f in findings if f.action_item], 2000)
        for finding in findings:
            finding.deviation = finding.deviation
            finding.action_item = finding.action_item
        Finding.objects.bulk_create(findings, batch_size=2000)
        SafetyRound.objects.filter(pk__in=[r.pk for r in with_findings]).update(finding_count=1)
    print(
        f"built {Unit.objects.filter(organisation=org).count()} units, "
        f"{SafetyRound.objects.filter(organisation=org).count()} rounds, {len(findings)} findings "
        f"in {time.perf_counter() - started:.0f} s"
    )
    return org.pk, user.pk


def timed(work, runs: int = RUNS, *, cold: bool = True) -> tuple[list[float], int]:  # type: ignore[no-untyped-def]
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    times = []
    queries = 0
    for _ in range(runs):
        if cold:
            cache.clear()
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            work()
            times.append((time.perf_counter() - start) * 1000)
        queries = len(captured)
    return times, queries


def report(label: str, times: list[float], queries: int) -> None:
    ordered = sorted(times)
    p95 = ordered[max(0, int(len(ordered) * 0.95) - 1)]
    print(
        f"{label:<44} p50 {statistics.median(ordered):7.1f} ms  p95 {p95:7.1f} ms  "
        f"max {ordered[-1]:7.1f} ms  queries {queries}"
    )


def main() -> None:
    setup()
    from django.test import Client

    from trygg.accounts.models import User
    from trygg.lib.dates import today
    from trygg.safety_rounds import queries

    org_id, user_id = build()
    year = today().year
    print(f"database: {(os.environ.get('DATABASE_URL') and 'PostgreSQL') or 'SQLite'}")
    report(
        "status_by_area, whole organisation, this year",
        *timed(lambda: queries.status_by_area(org_id, year, today())),
    )
    report(
        "status_by_area, whole organisation, 10 years ago",
        *timed(lambda: queries.status_by_area(org_id, year - 9, today())),
    )
    client = Client(SERVER_NAME="localhost", secure=True)
    client.force_login(User.objects.get(pk=user_id))
    client.get("/vernerunder/")

    def page() -> None:
        response = client.get(f"/vernerunder/?aar={year}")
        assert response.status_code == 200, response.status_code

    report("status page /vernerunder/, cold cache", *timed(page, runs=20))
    report("status page /vernerunder/, status cached", *timed(page, runs=20, cold=False))


if __name__ == "__main__":
    main()

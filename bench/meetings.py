"""Benchmark of the committee calendar feed and the meeting pages.

    python bench/meetings.py            # SQLite in var/bench/meetings.sqlite3 (rebuilt each run)
    python bench/meetings.py --postgres # the same on a throwaway PostgreSQL (scripts/with_postgres.py)

It builds an organisation with 120 committees, each with five years of meetings (10 a year,
6,000 meetings) and 6 cases per meeting with minutes (36,000 cases), then requests through the
whole Django stack (middleware, URL routing, the view, in-process test client):

- a committee's iCalendar feed (its secret address; 50 meetings over five years), target
  < 100 ms (issue 3);
- a person's feed across all their committees;
- a meeting page (agenda and minutes) and the committee page, as the committee's secretary.

It prints p50/p95/max in milliseconds over 200 requests each (after 10 warm-up requests) and
the number of SQL queries per request, and exits 1 with --check when the feed misses 100 ms.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BENCH_DIR = ROOT / "var" / "bench"
COMMITTEES = 120
YEARS = 5
CASES_PER_MEETING = 6
TARGET_MS = 100.0


def build() -> dict:
    import datetime as dt

    from django.db import transaction
    from django.utils import timezone

    from trygg.accounts.models import Organisation, User
    from trygg.meetings import services
    from trygg.meetings.models import Case, Meeting
    from trygg.org import services as org_services
    from trygg.org.models import Committee, CommitteeMember, Unit

    start_year = timezone.localdate().year - 2
    with transaction.atomic():
        org = Organisation.objects.create(name="Benkekommune", slug=f"bench-{time.time_ns()}")
        top = org_services.create_unit(
            actor=None, organisation=org, name="Benkekommune", kind=Unit.Kind.TOP
        )
        user = User.objects.create_user(
            username=f"sekretaer-{org.pk}", password="x" * 12, organisation=org
        )
        person = org_services.create_person(
            actor=None,
            organisation=org,
            first_name="Sigrid",
            last_name="Sekretær",
            employee_number="1",
        )
        person.user = user
        person.save(update_fields=["user"])
        meetings: list[Meeting] = []
        committees = []
        for n in range(COMMITTEES):
            committee = Committee.objects.create(
                organisation=org, unit=top, kind=Committee.Kind.AMU, name=f"AMU {n:03d} – Ørsta"
            )
            committees.append(committee)
            if n < 3:
                CommitteeMember.objects.create(
                    organisation=org,
                    committee=committee,
                    person=person,
                    side=CommitteeMember.Side.EMPLOYER,
                    office=CommitteeMember.Office.SECRETARY,
                    start_date=dt.date(start_year, 1, 1),
                )
            for year in range(start_year, start_year + YEARS):
                for day in services.suggest_dates(year):
                    starts = services.local_datetime(day, dt.time(12, 0))
                    meetings.append(
                        Meeting(
                            organisation=org,
                            committee=committee,
                            year=year,
                            starts_at=starts,
                            ends_at=starts + dt.timedelta(hours=2),
                            place="Rådhuset, møterom «Fjord»",
                        )
                    )
        Meeting.objects.bulk_create(meetings, batch_size=2000)
        cases = []
        for meeting in (
            Meeting.objects.filter(organisation=org)
            .order_by("pk")
            .values("pk", "committee_id", "year")
        ):
            for i in range(CASES_PER_MEETING):
                cases.append(
                    Case(
                        organisation=org,
                        committee_id=meeting["committee_id"],
                        year=meeting["year"],
                        number=None,
                        title=f"Sak {i} om arbeidsmiljø",
                        status=Case.Status.REGISTERED,
                        meeting_id=meeting["pk"],
                        position=i + 1,
                        discussion="Drøftet.",
                        decision="Vedtatt.",
                    )
                )
        Case.objects.bulk_create(cases, batch_size=5000)
        # numbers: one per case, per committee and year, as the services would give them
        numbered = []
        counters: dict[tuple[int, int], int] = {}
        for case in (
            Case.objects.filter(organisation=org).order_by("pk").only("pk", "committee_id", "year")
        ):
            key = (case.committee_id, case.year)
            counters[key] = counters.get(key, 0) + 1
            case.number = counters[key]
            numbered.append(case)
        Case.objects.bulk_update(numbered, ["number"], batch_size=5000)
    committee = committees[0]
    _feed, committee_secret = services.create_calendar_feed(actor=user, committee=committee)
    _feed, personal_secret = services.create_calendar_feed(actor=user)
    meeting = Meeting.objects.filter(committee=committee).order_by("starts_at")[YEARS * 5]
    return {
        "user": user,
        "feeds": {
            "Committee feed (5 years, 50 meetings)": f"/moter/kalender/{committee_secret}.ics",
            "Personal feed (3 committees)": f"/moter/kalender/{personal_secret}.ics",
        },
        "pages": {
            "Meeting page (agenda + minutes)": f"/moter/{meeting.pk}/",
            "Committee page": f"/moter/utvalg/{committee.pk}/?year={meeting.year}",
            "Committee overview": "/moter/",
        },
        "counts": (len(committees), len(meetings), len(cases)),
    }


def measure(
    client, url: str, requests: int = 200, *, uncached: bool = False
) -> tuple[list[float], int, int]:
    """Timings of `requests` GETs after 10 warm-up requests, the SQL queries of one request and
    the body size. `uncached`: the cache is cleared before each request, so every request
    builds its answer from the database (the worst case)."""
    from django.core.cache import cache
    from django.db import connection

    executed: list[str] = []

    def count(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        executed.append(sql)
        return execute(sql, params, many, context)

    for _ in range(10):
        assert client.get(url).status_code == 200, url
    if uncached:
        cache.clear()
    with connection.execute_wrapper(count):
        response = client.get(url)
    size = len(response.content)
    timings = []
    for _ in range(requests):
        if uncached:
            cache.clear()
        started = time.perf_counter()
        response = client.get(url)
        timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200
    return timings, len(executed), size


def row(label: str, timings: list[float], queries: int, size: int) -> tuple[str, float]:
    p95 = statistics.quantiles(timings, n=20)[18]
    line = (
        f"{label:46} {statistics.median(timings):7.1f} {p95:7.1f} {max(timings):7.1f}"
        f" {queries:4d} {size:8d}"
    )
    return line, p95


def run(check: bool) -> int:
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client
    from django.test.utils import setup_test_environment

    setup_test_environment()
    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    data = build()
    committees, meetings, cases = data["counts"]
    print(
        f"Built {committees} committees, {meetings} meetings, {cases} cases in {time.perf_counter() - started:.1f} s"
    )
    from django.db import connection

    print(f"Database: {connection.vendor}")
    client = Client(HTTP_HOST="127.0.0.1")
    failed = False
    print(f"{'Request':46} {'p50':>7} {'p95':>7} {'max':>7} {'SQL':>4} {'bytes':>8}")
    for label, url in data["feeds"].items():
        for uncached in (True, False):
            timings, queries, size = measure(client, url, uncached=uncached)
            line, p95 = row(f"{label}, {'built' if uncached else 'cached'}", timings, queries, size)
            if label.startswith("Committee feed"):  # the target of issue 3
                ok = p95 < TARGET_MS
                failed |= not ok
                line += f"  {'OK' if ok else 'MISSES'} < {TARGET_MS:.0f} ms"
            print(line)
    client.force_login(data["user"])
    for label, url in data["pages"].items():
        timings, queries, size = measure(client, url, requests=50)
        print(row(label, timings, queries, size)[0])
    return 1 if (check and failed) else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres", action="store_true", help="run on a throwaway PostgreSQL")
    parser.add_argument("--check", action="store_true", help="exit 1 when the feed misses 100 ms")
    parser.add_argument("--inner", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.inner:
        return run(args.check)
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ)
    env.setdefault("DJANGO_SETTINGS_MODULE", "trygg.settings")
    env.update(
        TRYGG_DEBUG="0",
        TRYGG_SECRET_KEY="bench-" + "x" * 40,
        TRYGG_ALLOWED_HOSTS="127.0.0.1,testserver",
        TRYGG_SSL_REDIRECT="0",
        TRYGG_SECURE_COOKIES="0",
    )
    env["TRYGG_DATA_DIR"] = str(BENCH_DIR / "data")
    command = [sys.executable, __file__, "--inner"] + (["--check"] if args.check else [])
    if args.postgres:
        env.pop("DATABASE_URL", None)
        command = [sys.executable, str(ROOT / "scripts" / "with_postgres.py"), *command]
    else:
        path = BENCH_DIR / "meetings.sqlite3"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        env["TRYGG_SQLITE_PATH"] = str(path)
        env.pop("DATABASE_URL", None)
    return subprocess.call(command, env=env, cwd=ROOT)


if __name__ == "__main__":
    sys.exit(main())

"""Sick-leave benchmark: import ~1.5 million spells for the 50,000-employee organisation, then
time the statistics and check them against pandas computing the same figures from the same CSV.

    python bench/absence.py                      # SQLite, var/bench/absence-<employees>.sqlite3
    python bench/absence.py --postgres           # a throwaway PostgreSQL (scripts/with_postgres.py)
    python bench/absence.py --spells 200000      # a smaller run
    python bench/absence.py --employees 5000 --spells 150000 --years 10

Steps (each printed with its time):
1. `trygg demo --employees N` builds "Storby kommune" unless it is there.
2. Spells for `--years` years up to today are generated per person inside their employments
   (egenmeldinger of 1–3 days, short and long sykmeldinger, some graded; never overlapping) and
   written as CSV files of at most 90,000 rows, split by person, with the employments beside
   them (employments.csv) for pandas.
3. `trygg import-absence` imports every file (the same code as the upload page: all checks,
   bulk writes, aggregates and follow-up cases), with its progress bar.
4. Statistics for the last full calendar year: the whole organisation broken down by every
   unit (each with its subunits), and one unit (the enhet with most people), each timed as the
   best of a few runs.
5. pandas computes the same per-unit figures from the CSV files (numpy business days with the
   Norwegian holidays); the script prints Trygg's time / pandas' time and checks that every
   unit's percentages agree to the last decimal.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BENCH_DIR = ROOT / "var" / "bench"
SLUG = "demo-large"
ROWS_PER_FILE = 90_000


def child(args: argparse.Namespace) -> None:
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from trygg.accounts.models import Organisation

    figures: dict[str, object] = {"vendor": connection.vendor}
    call_command("migrate", interactive=False, verbosity=0)
    started = time.perf_counter()
    if not Organisation.objects.filter(slug=SLUG).exists():
        call_command("demo", employees=args.employees, organisation_slug=SLUG, verbosity=0)
        figures["generate_organisation_s"] = round(time.perf_counter() - started, 1)
    organisation = Organisation.objects.get(slug=SLUG)
    folder = Path(args.folder)
    folder.mkdir(parents=True, exist_ok=True)
    from trygg.absence.models import AbsenceSpell

    if not AbsenceSpell.objects.filter(organisation=organisation).exists():
        started = time.perf_counter()
        files, spells = write_csv(organisation, folder, args)
        figures["spells"] = spells
        figures["files"] = len(files)
        figures["write_csv_s"] = round(time.perf_counter() - started, 1)
        print(
            f"wrote {spells} spells in {len(files)} files ({figures['write_csv_s']} s)", flush=True
        )
        started, cpu = time.perf_counter(), time.process_time()
        call_command("import_absence", *[str(f) for f in files], organisation=SLUG)
        figures["import_s"] = round(time.perf_counter() - started, 1)
        figures["import_python_cpu_s"] = round(time.process_time() - cpu, 1)
        figures["load_average"] = os.getloadavg()[0]
        print(
            f"imported in {figures['import_s']} s ({figures['import_python_cpu_s']} s of Python "
            f"CPU; load average {figures['load_average']:.1f} on {os.cpu_count()} cores)",
            flush=True,
        )
    else:
        figures["spells"] = AbsenceSpell.objects.filter(organisation=organisation).count()
        print(f"{figures['spells']} spells already imported", flush=True)
    measure(organisation, folder, figures)
    print("RESULT " + json.dumps(figures), flush=True)


def write_csv(organisation, folder: Path, args: argparse.Namespace) -> tuple[list[Path], int]:
    import random

    from trygg.absence.demo import generate_spells
    from trygg.lib.dates import today
    from trygg.org.models import Employment, Person

    end = today() - dt.timedelta(days=1)
    start = dt.date(end.year - args.years, 1, 1)
    numbers = dict(
        Person.objects.filter(organisation=organisation).values_list("pk", "employee_number")
    )
    spans: dict[int, tuple[dt.date, dt.date]] = {}
    with (folder / "employments.csv").open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out, delimiter=";")
        writer.writerow(["person", "unit", "percent", "start", "end"])
        for person_id, unit_id, percent, e_start, e_end in Employment.objects.filter(
            organisation=organisation
        ).values_list("person_id", "unit_id", "position_percent", "start_date", "end_date"):
            writer.writerow(
                [
                    person_id,
                    unit_id,
                    percent,
                    e_start.isoformat(),
                    e_end.isoformat() if e_end else "",
                ]
            )
            first, last = max(start, e_start), min(end, e_end or end)
            if first <= last:
                known = spans.get(person_id)
                spans[person_id] = (
                    (min(first, known[0]), max(last, known[1])) if known else (first, last)
                )
    # Spells per person-year so that the total comes near --spells.
    person_years = sum((b - a).days for a, b in spans.values()) / 365.25 or 1
    per_year = args.spells / person_years
    rng = random.Random(2026)
    files: list[Path] = []
    rows: list[list[str]] = []
    total = 0

    def flush() -> None:
        path = folder / f"fravaer-{len(files) + 1:03d}.csv"
        with path.open("w", newline="", encoding="utf-8-sig") as out:
            writer = csv.writer(out, delimiter=";")
            writer.writerow(["ansattnummer", "fra og med", "til og med", "type", "grad", "person"])
            writer.writerows(rows)
        files.append(path)
        rows.clear()

    gap = max(5, int(365 / per_year) - 8)
    for person_id, (first, last) in sorted(spans.items()):
        spells = generate_spells(rng, person_id, first, last, mean_gap=gap)
        if len(rows) + len(spells) > ROWS_PER_FILE:
            flush()
        for s_first, s_last, kind, grade in spells:
            rows.append(
                [
                    numbers[person_id],
                    s_first.strftime("%d.%m.%Y"),
                    s_last.strftime("%d.%m.%Y"),
                    "egenmelding" if kind == "self" else "sykmelding",
                    str(grade),
                    str(person_id),
                ]
            )
        total += len(spells)
    if rows:
        flush()
    return files, total


def best_of(runs: int, fn):
    best, result = float("inf"), None
    for _ in range(runs):
        started = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - started)
    return best, result


def measure(organisation, folder: Path, figures: dict) -> None:
    from collections import Counter

    from trygg.absence import statistics
    from trygg.lib.dates import today
    from trygg.org.models import PATH_SEGMENT_WIDTH, Employment, Unit

    year = today().year - 1
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    settings = statistics.settings_for(organisation.pk)
    seconds, rows = best_of(
        3,
        lambda: statistics.breakdown(
            organisation.pk, None, start, end, unmasked_paths=("",), settings=settings
        ),
    )
    figures["year"] = year
    figures["units"] = len(rows)
    figures["whole_org_by_all_units_s"] = round(seconds, 3)
    figures["load_average_measuring"] = os.getloadavg()[0]
    prefix = 3 * (PATH_SEGMENT_WIDTH + 1)
    sizes = Counter(
        p[:prefix]
        for p in Employment.objects.current()
        .filter(organisation=organisation, unit__depth__gte=2)
        .values_list("unit__path", flat=True)
    )
    path, _people = sizes.most_common(1)[0]
    unit = Unit.objects.get(organisation=organisation, path=path)
    one, single = best_of(
        5,
        lambda: statistics.unit_figures(
            organisation.pk, [unit], start, end, unmasked=True, settings=settings
        ),
    )
    figures["one_unit_s"] = round(one, 4)
    figures["one_unit_persons"] = single.persons
    top = next(r for r in rows if r.unit.parent_id is None)
    figures["whole_org_percent"] = str(top.figures.percent)
    print(
        f"Trygg: whole organisation by {len(rows)} units {seconds:.3f} s; one unit "
        f"({single.persons} persons) {one * 1000:.1f} ms; {year}: {top.figures.percent} %",
        flush=True,
    )
    started = time.perf_counter()
    expected = pandas_figures(
        folder, start, end, {u.pk: u.path for u in Unit.objects.filter(organisation=organisation)}
    )
    pandas_s = time.perf_counter() - started
    figures["pandas_s"] = round(pandas_s, 3)
    figures["ratio_trygg_over_pandas"] = round(seconds / pandas_s, 2)
    mismatches = []
    for row in rows:
        want = expected.get(row.unit.pk)
        got = (
            row.figures.percent,
            row.figures.percent_self_certified,
            row.figures.percent_short_term,
            row.figures.percent_long_term,
        )
        if want is None:
            if row.figures.percent is not None:
                mismatches.append((row.unit.pk, got, None))
            continue
        if got != want:
            mismatches.append((row.unit.pk, got, want))
    figures["units_compared"] = len(rows)
    figures["mismatches"] = len(mismatches)
    print(
        f"pandas: {pandas_s:.3f} s (reading the CSV files included); ratio Trygg/pandas "
        f"{figures['ratio_trygg_over_pandas']}; {len(rows) - len(mismatches)} of {len(rows)} units agree"
        + (f"; first mismatches {mismatches[:3]}" if mismatches else " to the last decimal"),
        flush=True,
    )


def pandas_figures(folder: Path, start: dt.date, end: dt.date, paths: dict[int, str]):
    """Per unit (with subunits): percent, self-certified, short and long term, from the CSVs."""
    from decimal import ROUND_HALF_UP, Decimal

    import numpy as np
    import pandas as pd

    from trygg.lib.holidays import public_holidays

    holidays = np.array(
        [d for y in range(start.year - 12, end.year + 2) for d in public_holidays(y)],
        dtype="datetime64[D]",
    )
    s, e = np.datetime64(start), np.datetime64(end)
    emp = pd.read_csv(folder / "employments.csv", sep=";", dtype={"end": "string"})
    emp["start"] = pd.to_datetime(emp["start"]).values.astype("datetime64[D]")
    emp["end"] = pd.to_datetime(emp["end"].fillna(str(end))).values.astype("datetime64[D]")
    emp["p100"] = (emp["percent"] * 100).round().astype("int64")
    a = np.maximum(emp["start"].values.astype("datetime64[D]"), s)
    b = np.minimum(emp["end"].values.astype("datetime64[D]"), e)
    ok = a <= b
    emp = emp[ok].copy()
    emp["agreed"] = np.busday_count(a[ok], b[ok] + 1, holidays=holidays) * emp["p100"].values * 100

    spells = pd.concat(
        [
            pd.read_csv(
                f,
                sep=";",
                encoding="utf-8-sig",
                usecols=["fra og med", "til og med", "type", "grad", "person"],
            )
            for f in sorted(folder.glob("fravaer-*.csv"))
        ],
        ignore_index=True,
    )
    spells["first"] = pd.to_datetime(spells["fra og med"], format="%d.%m.%Y").values.astype(
        "datetime64[D]"
    )
    spells["last"] = pd.to_datetime(spells["til og med"], format="%d.%m.%Y").values.astype(
        "datetime64[D]"
    )
    spells["self"] = spells["type"] == "egenmelding"
    spells["grade"] = np.where(spells["self"], 100, spells["grad"].fillna(100)).astype("int64")
    spells = spells.sort_values(["person", "first"], kind="stable")
    # Unbroken runs of absence decide short or long term (by the whole run).
    prev_last = spells.groupby("person")["last"].shift()
    new_run = prev_last.isna() | (spells["first"] > prev_last + pd.Timedelta(days=1))
    spells["run"] = new_run.cumsum()
    run_days = spells.groupby("run").agg(f=("first", "min"), l=("last", "max"))
    length = (run_days["l"] - run_days["f"]).dt.days + 1
    spells["long"] = spells["run"].map(length) > 16
    inside = spells[(spells["first"] <= e) & (spells["last"] >= s)]
    joined = inside.merge(emp[["person", "unit", "p100", "start", "end"]], on="person")
    day = "datetime64[D]"
    lo = np.maximum(
        np.maximum(joined["first"].values.astype(day), joined["start"].values.astype(day)), s
    )
    hi = np.minimum(
        np.minimum(joined["last"].values.astype(day), joined["end"].values.astype(day)), e
    )
    ok = lo <= hi
    joined = joined[ok].copy()
    joined["lost"] = (
        np.busday_count(lo[ok], hi[ok] + 1, holidays=holidays)
        * joined["p100"].values
        * joined["grade"].values
    )
    joined["lost_self"] = np.where(joined["self"], joined["lost"], 0)
    joined["lost_long"] = np.where(joined["long"], joined["lost"], 0)

    own_agreed = emp.groupby("unit")["agreed"].sum()
    own_persons = emp.groupby("unit")["person"].apply(set)
    own_lost = joined.groupby("unit")[["lost", "lost_self", "lost_long"]].sum()
    width = 10
    totals: dict[int, list] = {}
    by_path = {p: pk for pk, p in paths.items()}
    for unit, path in paths.items():
        ancestors = [by_path[path[: i + width]] for i in range(0, len(path), width)]
        agreed = int(own_agreed.get(unit, 0))
        lost = own_lost.loc[unit].tolist() if unit in own_lost.index else [0, 0, 0]
        persons = own_persons.get(unit, set())
        for ancestor in ancestors:
            t = totals.setdefault(ancestor, [0, 0, 0, 0, set()])
            t[0] += agreed
            t[1] += int(lost[0])
            t[2] += int(lost[1])
            t[3] += int(lost[2])
            t[4] |= persons

    def pct(x: int, d: int):
        if not d:
            return None
        return (Decimal(x) * 100 / Decimal(d)).quantize(Decimal("0.1"), ROUND_HALF_UP)

    return {
        unit: (pct(t[1], t[0]), pct(t[2], t[0]), pct(t[1] - t[3], t[0]), pct(t[3], t[0]))
        for unit, t in totals.items()
    }


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--employees", type=int, default=50_000)
    parser.add_argument("--spells", type=int, default=1_500_000)
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--postgres", action="store_true")
    parser.add_argument("--fresh", action="store_true", help="rebuild the SQLite database")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--folder", default="", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args)
        return 0
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    folder = BENCH_DIR / f"absence-{args.employees}-{args.spells}"
    env = dict(
        os.environ,
        DJANGO_SETTINGS_MODULE="trygg.settings",
        TRYGG_DEBUG="0",
        TRYGG_SECRET_KEY="bench-only-" + "x" * 40,
        TRYGG_ALLOWED_HOSTS="127.0.0.1",
    )
    command = [
        sys.executable,
        __file__,
        "--child",
        "--folder",
        str(folder),
        "--employees",
        str(args.employees),
        "--spells",
        str(args.spells),
        "--years",
        str(args.years),
    ]
    if args.postgres:
        sys.path.insert(0, str(ROOT / "scripts"))
        from with_postgres import postgres_server

        with postgres_server() as database_url:
            env["DATABASE_URL"] = database_url
            for old in folder.glob("*.csv"):
                old.unlink()
            return subprocess.call(command, env=env, cwd=ROOT)
    sqlite = BENCH_DIR / f"absence-{args.employees}-{args.spells}.sqlite3"
    if args.fresh and sqlite.exists():
        sqlite.unlink()
    env["TRYGG_SQLITE_PATH"] = str(sqlite)
    return subprocess.call(command, env=env, cwd=ROOT)


if __name__ == "__main__":
    raise SystemExit(main())

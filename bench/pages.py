"""Load test of the busiest pages against a 50,000-employee organisation.

    python bench/pages.py                 # SQLite (the database is kept in var/bench/ and reused)
    python bench/pages.py --postgres      # SQLite, then PostgreSQL
    python bench/pages.py --postgres-only # PostgreSQL only

For PostgreSQL it uses DATABASE_URL when set, otherwise a throwaway server started by
scripts/with_postgres.py (the organisation is generated afresh there, about a minute).

The script builds the organisation with `trygg demo --employees`, serves the app with gunicorn on
127.0.0.1 (a free port, production settings), logs in as the organisation's administrator through
the login form, then lets concurrent clients request each page a fixed number of times and prints
p50/p95/max latency and requests per second. Everything is bounded, and gunicorn is stopped at the
end however the run ends. See bench/README.md.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import math
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BENCH_DIR = ROOT / "var" / "bench"
HOST = "127.0.0.1"
SLUG = "demo-large"
PASSWORD = "trygg-demo-2026"  # trygg.org.demo.DEMO_PASSWORD
PAGES = (
    ("Start page", "/"),
    ("Organisation overview", "/organisasjon/"),
    ("Unit tree", "/organisasjon/enheter/"),
    ("People list", "/organisasjon/personer/"),
    ("Unit detail", "/organisasjon/enheter/{unit_id}/"),
)


# --- Preparing a database (runs in a child process with the backend's environment) ----------
def large_organisation(employees: int):  # type: ignore[no-untyped-def]
    """Migrate, and generate the large organisation unless it is there. Returns it and the
    seconds the generation took (None when it was reused)."""
    from django.core.management import call_command

    from trygg.accounts.models import Organisation

    call_command("migrate", interactive=False, verbosity=0)
    generated = None
    if not Organisation.objects.filter(slug=SLUG).exists():
        started = time.perf_counter()
        call_command("demo", employees=employees, organisation_slug=SLUG, verbosity=0)
        generated = round(time.perf_counter() - started, 1)
    return Organisation.objects.get(slug=SLUG), generated


def child_json(script: str | Path, arguments: list[str], env: dict[str, str], what: str) -> dict:
    """Run `script` with `arguments` in a child process with the backend's environment and
    return the JSON line it printed last; its output is shown and the run stops if it fails."""
    done = subprocess.run(
        [sys.executable, str(script), *arguments],
        cwd=ROOT, env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    if done.returncode != 0:
        sys.stderr.write(done.stdout + done.stderr)
        raise SystemExit(f"{what} failed")
    return json.loads(done.stdout.strip().splitlines()[-1])


def prepared_database(
    label: str,
    script: str | Path,
    database_url: str | None,
    sqlite_name: str,
    arguments: list[str],
    *,
    fresh: bool = False,
) -> tuple[dict[str, str], dict]:
    """The backend's environment (on SQLite its own file, var/bench/<sqlite_name>.sqlite3,
    removed first with `fresh`) and what `script --prepare <arguments>` printed there."""
    env = backend_env(database_url)
    if database_url is None:
        BENCH_DIR.mkdir(parents=True, exist_ok=True)
        sqlite = BENCH_DIR / f"{sqlite_name}.sqlite3"
        if fresh:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{sqlite}{suffix}").unlink(missing_ok=True)
        env["TRYGG_SQLITE_PATH"] = str(sqlite)
    print(f"\n== {label}: preparing the database ...", flush=True)
    info = child_json(script, ["--prepare", *arguments], env, f"Preparing the {label} database")
    return env, info


def prepare(employees: int) -> None:
    """Migrate, generate the organisation unless it is there, collect static files, and print
    what the benchmark needs as one JSON line."""
    import django

    django.setup()
    from collections import Counter

    from django.core.management import call_command
    from django.db import connection

    from trygg.org.models import PATH_SEGMENT_WIDTH, Employment, Unit

    organisation, generated = large_organisation(employees)
    call_command("collectstatic", interactive=False, verbosity=0)
    # The unit detail page is measured on the enhet with the most people below it.
    prefix = 3 * (PATH_SEGMENT_WIDTH + 1)
    sizes = Counter(
        path[:prefix]
        for path in Employment.objects.current()
        .filter(organisation=organisation, unit__depth__gte=2)
        .values_list("unit__path", flat=True)
    )
    path, people = sizes.most_common(1)[0]
    unit = Unit.objects.get(organisation=organisation, path=path)
    print(
        json.dumps(
            {
                "vendor": connection.vendor,
                "employees": Employment.objects.current().filter(organisation=organisation).count(),
                "units": Unit.objects.filter(organisation=organisation).count(),
                "unit_id": unit.pk,
                "unit_name": unit.name,
                "unit_people": people,
                "generated_seconds": generated,
                "username": f"{SLUG}-admin",
            }
        )
    )


# --- Running the app ----------------------------------------------------------------------
def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def backend_env(database_url: str | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(
        DJANGO_SETTINGS_MODULE="trygg.settings",
        TRYGG_SECRET_KEY="bench-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
        TRYGG_DEBUG="0",
        TRYGG_ALLOWED_HOSTS=HOST,
        TRYGG_SSL_REDIRECT="0",
        TRYGG_SECURE_COOKIES="0",
        TRYGG_LOG_LEVEL="WARNING",
        TRYGG_DATA_DIR=str(BENCH_DIR / "data"),
        PYTHONPATH=str(ROOT),
    )
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


@contextlib.contextmanager
def gunicorn(env: dict[str, str], workers: int, threads: int) -> Iterator[int]:
    port = free_port()
    command = [
        sys.executable, "-m", "gunicorn", "trygg.wsgi:application",
        "--bind", f"{HOST}:{port}", "--workers", str(workers), "--threads", str(threads),
        "--worker-class", "gthread", "--log-level", "warning", "--timeout", "60",
    ]  # fmt: skip
    process = subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True)
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                raise SystemExit(f"gunicorn exited with status {process.returncode}")
            try:
                status, _headers, _body = request(port, "GET", "/helse/")
                if status == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise SystemExit("gunicorn did not answer within 60 s")
            time.sleep(0.2)
        yield port
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=5)


@contextlib.contextmanager
def worker(env: dict[str, str]) -> Iterator[None]:
    """The background worker (`trygg db_worker`) beside the server, as in production: pages
    that enqueue work (the goals' readings computed again after a change) get it done."""
    command = [
        sys.executable, "-c", "from trygg.manage import main; main()",
        "db_worker", "--interval", "1", "--no-reload",
    ]  # fmt: skip
    quiet = {**env, "TRYGG_TASK_LOG_LEVEL": "WARNING"}  # failures only, not every task
    process = subprocess.Popen(command, cwd=ROOT, env=quiet, start_new_session=True)
    try:
        yield
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=5)


def request(
    port: int,
    method: str,
    path: str,
    body: str | None = None,
    headers: dict[str, str] | None = None,
) -> tuple[int, http.client.HTTPMessage, bytes]:
    conn = http.client.HTTPConnection(HOST, port, timeout=30)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        return response.status, response.headers, response.read()
    finally:
        conn.close()


def cookies_from(headers: http.client.HTTPMessage) -> dict[str, str]:
    jar: SimpleCookie = SimpleCookie()
    for value in headers.get_all("Set-Cookie") or []:
        jar.load(value)
    return {name: morsel.value for name, morsel in jar.items()}


def log_in(port: int, username: str, password: str) -> str:
    """Log in through the form like a browser does; returns the Cookie header."""
    status, headers, body = request(port, "GET", "/konto/logg-inn/")
    if status != 200:
        raise SystemExit(f"The login page answered {status}")
    cookies = cookies_from(headers)
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body)
    if not token or "csrftoken" not in cookies:
        raise SystemExit("The login page has no CSRF token")
    form = urllib.parse.urlencode(
        {"username": username, "password": password, "csrfmiddlewaretoken": token.group(1).decode()}
    )
    status, headers, _body = request(
        port, "POST", "/konto/logg-inn/", body=form,
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": f"csrftoken={cookies['csrftoken']}",
        },
    )  # fmt: skip
    cookies.update(cookies_from(headers))
    if status != 302 or "sessionid" not in cookies:
        raise SystemExit(f"Logging in as {username} failed (status {status})")
    return "; ".join(f"{name}={value}" for name, value in cookies.items())


# --- Load ---------------------------------------------------------------------------------
@dataclass
class Result:
    page: str
    path: str
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    seconds: float = 0.0

    def percentile(self, q: float) -> float:
        values = sorted(self.latencies)
        return values[max(0, math.ceil(q * len(values)) - 1)] * 1000 if values else math.nan

    @property
    def rate(self) -> float:
        return len(self.latencies) / self.seconds if self.seconds else 0.0


def load(port: int, cookie: str, page: str, path: str, total: int, clients: int) -> Result:
    """`clients` threads, each on its own keep-alive connection, share `total` requests."""
    result = Result(page, path)
    lock = threading.Lock()
    remaining = [total]

    def client() -> None:
        conn = http.client.HTTPConnection(HOST, port, timeout=30)
        headers = {"Cookie": cookie, "Accept": "text/html"}
        try:
            while True:
                with lock:
                    if remaining[0] == 0:
                        return
                    remaining[0] -= 1
                started = time.perf_counter()
                try:
                    conn.request("GET", path, headers=headers)
                    response = conn.getresponse()
                    response.read()
                    ok = response.status == 200
                    if response.will_close:
                        conn.close()
                except (OSError, http.client.HTTPException):
                    ok = False
                    conn.close()
                elapsed = time.perf_counter() - started
                with lock:
                    if ok:
                        result.latencies.append(elapsed)
                    else:
                        result.errors += 1
        finally:
            conn.close()

    threads = [threading.Thread(target=client, daemon=True) for _ in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=600)
    result.seconds = time.perf_counter() - started
    return result


# --- First views after a change ------------------------------------------------------------
def write_changes(slug: str) -> None:
    """The child behind `change_writer`: for each line on stdin, one audit entry for the
    organisation (what every write leaves), then "ok" on stdout."""
    import django

    django.setup()
    from trygg.accounts.models import Organisation
    from trygg.audit.models import AuditEntry
    from trygg.audit.services import record_event

    organisation_id = Organisation.objects.get(slug=slug).pk
    for _line in sys.stdin:
        record_event(
            actor=None,
            organisation_id=organisation_id,
            action=AuditEntry.Action.UPDATE,
            object_type="bench.change",
            description="A change from the benchmark",
        )
        print("ok", flush=True)


@contextlib.contextmanager
def change_writer(env: dict[str, str], slug: str = SLUG) -> Iterator[Callable[[], None]]:
    """`change()` changes the organisation's data version, so the next page view is a first
    view: every figure cached for the organisation is computed again."""
    child = subprocess.Popen(
        [sys.executable, str(Path(__file__).resolve()), "--write-changes", slug],
        cwd=ROOT, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    assert child.stdin is not None and child.stdout is not None

    def change() -> None:
        child.stdin.write("\n")  # type: ignore[union-attr]
        child.stdin.flush()  # type: ignore[union-attr]
        if child.stdout.readline().strip() != "ok":  # type: ignore[union-attr]
            raise SystemExit("The change writer stopped")

    try:
        yield change
    finally:
        child.stdin.close()
        try:
            child.wait(timeout=30)
        except subprocess.TimeoutExpired:
            child.kill()


def first_views(
    port: int, cookie: str, page: str, path: str, total: int, change: Callable[[], None]
) -> Result:
    """One client; before each request the organisation's data changes, so each request is the
    first view after a change (nothing the organisation's version keys is reused)."""
    result = Result(page, path)
    for _ in range(total):
        change()
        one = load(port, cookie, page, path, 1, 1)
        result.seconds += one.seconds
        result.latencies += one.latencies
        result.errors += one.errors
    return result


def run_backend(label: str, database_url: str | None, args: argparse.Namespace) -> list[Result]:
    env, info = prepared_database(
        label,
        __file__,
        database_url,
        f"trygg-{args.employees}",
        ["--employees", str(args.employees)],
        fresh=args.fresh,
    )
    made = f"generated in {info['generated_seconds']} s" if info["generated_seconds"] else "reused"
    print(
        f"   {info['employees']} current employments in {info['units']} units ({made}); "
        f"unit detail: {info['unit_name']} (#{info['unit_id']}, {info['unit_people']} people below)"
    )
    print(
        f"   gunicorn: {args.workers} workers x {args.threads} threads; "
        f"{args.clients} clients, {args.requests} requests per page",
        flush=True,
    )
    results = []
    with gunicorn(env, args.workers, args.threads) as port:
        cookie = log_in(port, info["username"], PASSWORD)
        for page, template in PAGES:
            path = template.format(unit_id=info["unit_id"])
            load(port, cookie, page, path, args.warmup, min(args.clients, args.warmup or 1))
            results.append(load(port, cookie, page, path, args.requests, args.clients))
    print_table(label, results, args.target_ms)
    return results


def print_table(label: str, results: list[Result], target_ms: float) -> None:
    rows = [("Page", "Path", "OK", "Errors", "p50 ms", "p95 ms", "max ms", "req/s", "")]
    for r in results:
        p95 = r.percentile(0.95)
        verdict = "ok" if p95 < target_ms and not r.errors else f"MISSES {target_ms:.0f} ms"
        rows.append((
            r.page, r.path, str(len(r.latencies)), str(r.errors), f"{r.percentile(0.5):.0f}",
            f"{p95:.0f}", f"{r.percentile(1.0):.0f}", f"{r.rate:.1f}", verdict,
        ))  # fmt: skip
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    print(f"\n{label}")
    for n, row in enumerate(rows):
        print(
            "  "
            + "  ".join(
                cell.ljust(w) if i < 2 else cell.rjust(w)
                for i, (cell, w) in enumerate(zip(row, widths, strict=True))
            ).rstrip()
        )
        if n == 0:
            print("  " + "  ".join("-" * w for w in widths))


@contextlib.contextmanager
def postgres_url() -> Iterator[str]:
    """DATABASE_URL if set, else a throwaway server from scripts/with_postgres.py."""
    if os.environ.get("DATABASE_URL"):
        yield os.environ["DATABASE_URL"]
        return
    script = ROOT / "scripts" / "with_postgres.py"
    if not script.exists():
        raise SystemExit(
            "Set DATABASE_URL, or add scripts/with_postgres.py, to benchmark PostgreSQL."
        )
    sys.path.insert(0, str(script.parent))
    from with_postgres import postgres_server  # type: ignore[import-not-found]

    with postgres_server() as url:
        yield url


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--postgres", action="store_true", help="Also run against PostgreSQL.")
    parser.add_argument("--postgres-only", action="store_true", help="Run against PostgreSQL only.")
    parser.add_argument("--employees", type=int, default=50_000)
    parser.add_argument(
        "--requests", type=int, default=200, help="Requests per page (default 200)."
    )
    parser.add_argument("--clients", type=int, default=10, help="Concurrent clients (default 10).")
    parser.add_argument(
        "--warmup", type=int, default=10, help="Unmeasured requests per page first."
    )
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2).")
    parser.add_argument("--threads", type=int, default=4, help="Threads per worker (default 4).")
    parser.add_argument("--target-ms", type=float, default=150.0, help="p95 target (default 150).")
    parser.add_argument("--fresh", action="store_true", help="Rebuild the SQLite database.")
    parser.add_argument(
        "--check", action="store_true", help="Exit 1 when a page misses the target."
    )
    parser.add_argument("--prepare", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--write-changes", metavar="SLUG", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.write_changes:
        write_changes(args.write_changes)
        return 0
    if args.prepare:
        prepare(args.employees)
        return 0
    results: list[Result] = []
    if not args.postgres_only:
        results += run_backend("SQLite", None, args)
    if args.postgres or args.postgres_only:
        with postgres_url() as url:
            results += run_backend("PostgreSQL", url, args)
    missed = [r for r in results if r.errors or r.percentile(0.95) >= args.target_ms]
    return 1 if args.check and missed else 0


if __name__ == "__main__":
    sys.exit(main())

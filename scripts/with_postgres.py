"""Run a command against a throwaway PostgreSQL server.

    python scripts/with_postgres.py CMD [ARGS...]

starts a private PostgreSQL cluster in a temporary folder (listening only on 127.0.0.1, on a
free port, and on a unix socket inside that folder), creates a role and a database for it,
runs CMD with DATABASE_URL pointing there, then stops the server and deletes the folder,
whatever happened, and exits with CMD's status. If the server cannot start it prints the
server's log and exits non-zero.

It uses the server binaries of Debian's `postgresql` package (/usr/lib/postgresql/*/bin, the
newest version found; set TRYGG_PG_BIN to use another folder). initdb refuses to run as root,
so as root the cluster is made and run as the `postgres` system user the package creates.

Other scripts use it as a library:

    from with_postgres import postgres_server

    with postgres_server() as database_url:
        ...
"""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

# Speed over durability: the cluster lives for one run and is thrown away.
SERVER_SETTINGS = {
    "listen_addresses": "'127.0.0.1'",
    "fsync": "off",
    "synchronous_commit": "off",
    "full_page_writes": "off",
    "wal_level": "minimal",
    "max_wal_senders": "0",
    "max_connections": "100",
    "shared_buffers": "128MB",
    "checkpoint_timeout": "30min",
    "jit": "off",
    "log_min_messages": "warning",
    "log_min_error_statement": "panic",
    "timezone": "'UTC'",
}
START_ATTEMPTS = 3  # a free port can be taken by someone else before the server binds it


class PostgresError(RuntimeError):
    """PostgreSQL could not be set up; the message includes what the server logged."""


def find_bin_dir() -> Path:
    """The folder with initdb and pg_ctl: TRYGG_PG_BIN, or the newest Debian PostgreSQL."""
    override = os.environ.get("TRYGG_PG_BIN")
    candidates = (
        [Path(override)]
        if override
        else sorted(
            (Path(p).parent for p in glob.glob("/usr/lib/postgresql/*/bin/pg_ctl")),
            key=lambda path: _version_key(path.parent.name),
            reverse=True,
        )
    )
    for candidate in candidates:
        if all((candidate / tool).is_file() for tool in ("initdb", "pg_ctl", "psql")):
            return candidate
    raise PostgresError(
        "No PostgreSQL server binaries found "
        + (f"in TRYGG_PG_BIN={override}" if override else "in /usr/lib/postgresql/*/bin")
        + ". Install Debian's package: apt-get install -y --no-install-recommends postgresql"
        " (or run scripts/test-setup)."
    )


def _version_key(name: str) -> tuple[int, ...]:
    return tuple(int(part) for part in name.split(".") if part.isdigit())


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class _Runner:
    """Runs the server's tools as the current user, or as `postgres` when we are root."""

    def __init__(self) -> None:
        self.account: pwd.struct_passwd | None = None
        if os.geteuid() == 0:
            try:
                self.account = pwd.getpwnam("postgres")
            except KeyError:
                raise PostgresError(
                    "Running as root, and initdb refuses to run as root, but there is no "
                    "`postgres` system user (Debian's postgresql package creates it)."
                ) from None

    def own(self, path: Path) -> None:
        if self.account is not None:
            os.chown(path, self.account.pw_uid, self.account.pw_gid)

    def run(self, args: list[str], *, cwd: Path, **kwargs) -> subprocess.CompletedProcess[str]:
        env = {**os.environ, "LC_ALL": "C", "LANG": "C", "TZ": "UTC"}
        env.pop("PGDATA", None)
        extra = {}
        if self.account is not None:
            env.update(HOME=self.account.pw_dir, USER="postgres", LOGNAME="postgres")
            extra = {
                "user": self.account.pw_uid,
                "group": self.account.pw_gid,
                "extra_groups": [],
            }
        if "input" not in kwargs:
            kwargs["stdin"] = subprocess.DEVNULL
        return subprocess.run(  # noqa: S603 - fixed argument lists of our own
            args, cwd=cwd, env=env, text=True, capture_output=True, check=False, **extra, **kwargs
        )


def _log_tail(log: Path, lines: int = 80) -> str:
    try:
        text = log.read_text(errors="replace")
    except OSError:
        return "(no server log was written)"
    return "\n".join(text.splitlines()[-lines:]) or "(the server log is empty)"


@contextlib.contextmanager
def postgres_server(*, database: str = "trygg", user: str = "trygg") -> Iterator[str]:
    """Start a throwaway PostgreSQL server and yield its DATABASE_URL.

    The role may create databases (pytest-django makes test_<name>, test_<name>_gw0, ...).
    The server is stopped and its folder deleted when the block ends, however it ends.
    """
    bin_dir = find_bin_dir()
    runner = _Runner()
    root = Path(tempfile.mkdtemp(prefix="trygg-pg-"))
    data = root / "data"
    log = root / "server.log"
    started = False
    try:
        runner.own(root)
        os.chmod(root, 0o700)
        superuser_password = secrets.token_hex(16)
        password_file = root / "superuser-password"
        password_file.write_text(superuser_password + "\n")
        runner.own(password_file)
        result = runner.run(
            [
                str(bin_dir / "initdb"), "--pgdata", str(data), "--username", "postgres",
                "--pwfile", str(password_file), "--auth-local", "trust",
                "--auth-host", "scram-sha-256", "--encoding", "UTF8", "--no-locale",
                "--no-sync", "--no-instructions",
            ],
            cwd=root,
        )  # fmt: skip
        password_file.unlink()
        if result.returncode != 0:
            raise PostgresError(f"initdb failed:\n{result.stdout}{result.stderr}")

        with (data / "postgresql.conf").open("a") as conf:
            conf.write("\n# scripts/with_postgres.py: a throwaway server for tests\n")
            for key, value in SERVER_SETTINGS.items():
                conf.write(f"{key} = {value}\n")
            conf.write(f"unix_socket_directories = '{root}'\n")

        port = 0
        for attempt in range(1, START_ATTEMPTS + 1):
            port = _free_port()
            started = True  # pg_ctl may have started it even if the wait below fails
            result = runner.run(
                [
                    str(bin_dir / "pg_ctl"), "--pgdata", str(data), "--log", str(log),
                    "--wait", "--timeout", "60", "--silent", "-o", f"-p {port}", "start",
                ],
                cwd=root,
                start_new_session=True,  # Ctrl+C in the terminal goes to the command, not here
            )  # fmt: skip
            if result.returncode == 0:
                break
            _stop(runner, bin_dir, data, root)
            started = False
            if attempt == START_ATTEMPTS or "could not bind" not in _log_tail(log):
                raise PostgresError(
                    f"PostgreSQL did not start (pg_ctl exit {result.returncode}):\n"
                    f"{result.stdout}{result.stderr}\n--- server log ({log}) ---\n"
                    f"{_log_tail(log)}"
                )

        password = secrets.token_hex(16)
        sql = (
            f"CREATE ROLE \"{user}\" LOGIN CREATEDB PASSWORD '{password}';\n"
            f'CREATE DATABASE "{database}" OWNER "{user}";\n'
        )
        result = runner.run(
            [
                str(bin_dir / "psql"), "--no-psqlrc", "--quiet", "--host", str(root),
                "--port", str(port), "--username", "postgres", "--dbname", "postgres",
                "--set", "ON_ERROR_STOP=1",
            ],
            cwd=root, input=sql,
        )  # fmt: skip
        if result.returncode != 0:
            raise PostgresError(
                f"Could not create the role and database:\n{result.stdout}{result.stderr}\n"
                f"--- server log ({log}) ---\n{_log_tail(log)}"
            )
        yield f"postgres://{user}:{password}@127.0.0.1:{port}/{database}"
    finally:
        try:
            if started:
                _stop(runner, bin_dir, data, root)
        finally:
            shutil.rmtree(root, ignore_errors=True)


def _stop(runner: _Runner, bin_dir: Path, data: Path, root: Path) -> None:
    """Stop the server at once (its data is thrown away); kill it if pg_ctl cannot."""
    result = runner.run(
        [str(bin_dir / "pg_ctl"), "--pgdata", str(data), "--mode", "immediate", "--wait",
         "--timeout", "30", "--silent", "stop"],
        cwd=root,
    )  # fmt: skip
    if result.returncode == 0:
        return
    try:
        pid = int((data / "postmaster.pid").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return  # not running
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)
        for _ in range(100):
            os.kill(pid, 0)
            time.sleep(0.05)


def _finish(child: subprocess.Popen[bytes], *, interrupted: bool) -> None:
    """End the command before the server goes away under it.

    Ctrl+C has reached it too (same process group), so then give it a moment to finish by
    itself; a SIGTERM sent to us alone is passed on at once.
    """
    for stop in ((None,) if interrupted else ()) + (child.terminate, child.kill):
        if stop is not None:
            stop()
        with contextlib.suppress(subprocess.TimeoutExpired):
            child.wait(timeout=10)
            return


def _raise_on_sigterm(signum: int, frame: object) -> None:
    raise SystemExit(128 + signum)


def main(argv: list[str]) -> int:
    if not argv or argv[0] in {"-h", "--help"}:
        print(__doc__.strip().split("\n\n")[0].strip(), file=sys.stderr)
        return 2
    signal.signal(signal.SIGTERM, _raise_on_sigterm)
    try:
        with postgres_server() as url:
            try:
                child = subprocess.Popen(argv, env={**os.environ, "DATABASE_URL": url})  # noqa: S603
            except OSError as error:
                print(f"with_postgres: cannot run {argv[0]!r}: {error}", file=sys.stderr)
                return 127
            try:
                status = child.wait()
            except BaseException as error:
                _finish(child, interrupted=isinstance(error, KeyboardInterrupt))
                raise
    except PostgresError as error:
        print(f"with_postgres: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    return 128 - status if status < 0 else status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

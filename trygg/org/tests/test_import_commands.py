"""`trygg import-units` and `trygg import-employees` on the command line."""

from __future__ import annotations

import sys
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from trygg.audit.models import AuditEntry
from trygg.manage import command_argv, main
from trygg.org.models import Employment, Person, Unit
from trygg.org.tests.files import (
    UNIT_HEADER,
    csv_file,
    employee,
    english,  # noqa: F401 (autouse fixture)
    rows_from_database,
    unit,
)


@pytest.fixture
def units_csv(tmp_path):
    path = tmp_path / "enheter.csv"
    path.write_bytes(
        csv_file(
            [
                unit("3200", "Nye barnehage", "3000"),
                unit("3210", "Avdeling Blå", "3200", "avdeling"),
            ],
            header=UNIT_HEADER,
        )
    )
    return path


@pytest.fixture
def employees_csv(world, tmp_path):
    path = tmp_path / "ansatte.csv"
    path.write_bytes(
        csv_file(
            [*rows_from_database(world.org), employee("90001", "Kari", "Nordmann", unit="2110")],
            encoding="cp1252",
        )
    )
    return path


def run(*args):
    out, err = StringIO(), StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_it_imports_units(world, units_csv):
    out, _err = run("import_units", str(units_csv), "--organisation", world.org.slug)

    assert "Imported 2 rows: 2 new, 0 changed, 0 ended, 0 unchanged." in out
    assert Unit.objects.get(organisation=world.org, code="3210").parent.code == "3200"
    event = AuditEntry.objects.get(action=AuditEntry.Action.IMPORT)
    assert event.actor is None and event.changes["filename"] == "enheter.csv"


def test_it_imports_employees_in_the_name_of_a_user(world, employees_csv):
    out, _err = run(
        "import_employees", str(employees_csv), "--organisation", world.org.slug, "--user", "hr"
    )

    assert "1 new, 0 changed, 0 ended, 9 unchanged." in out
    assert (
        Person.objects.get(organisation=world.org, employee_number="90001").employments.get().unit
        == world.ward
    )
    assert AuditEntry.objects.get(action=AuditEntry.Action.IMPORT).actor == world.hr


def test_it_changes_nothing_on_a_second_run(world, employees_csv):
    run("import_employees", str(employees_csv), "--organisation", world.org.slug)
    before = (Person.objects.count(), Employment.objects.count(), AuditEntry.objects.count())

    out, _err = run("import_employees", str(employees_csv), "--organisation", world.org.slug)

    assert "Nothing to change" in out
    assert (
        Person.objects.count(),
        Employment.objects.count(),
        AuditEntry.objects.count(),
    ) == before


def test_it_only_checks_on_a_dry_run(world, employees_csv):
    before = AuditEntry.objects.count()

    out, _err = run(
        "import_employees", str(employees_csv), "--organisation", world.org.slug, "--dry-run"
    )

    assert "Dry run, nothing was written." in out
    assert "[new] 90001 Kari Nordmann" in out
    assert not Person.objects.filter(employee_number="90001").exists()
    assert AuditEntry.objects.count() == before


def test_it_prints_every_error_and_fails_without_writing(world, tmp_path):
    path = tmp_path / "feil.csv"
    path.write_bytes(
        csv_file(
            [
                employee("90001", unit="2110"),
                employee("90002", unit="9999"),
                employee("90003", percent="0"),
            ]
        )
    )
    err = StringIO()

    with pytest.raises(CommandError) as failure:
        call_command(
            "import_employees",
            str(path),
            "--organisation",
            world.org.slug,
            stdout=StringIO(),
            stderr=err,
        )

    assert failure.value.returncode == 1
    assert "The file has 2 errors. Nothing was imported." in str(failure.value)
    lines = err.getvalue().splitlines()
    assert lines[0].startswith("Row 3: Unit code 9999 does not exist")
    assert lines[1].startswith("Row 4: «Stillingsprosent» is 0 %")
    assert not Person.objects.filter(employee_number="90001").exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--organisation", "finnes-ikke"], "There is no organisation"),
        (["--organisation", "{org}", "--user", "outsider"], "There is no user «outsider»"),
    ],
)
def test_it_refuses_unknown_organisations_and_users(world, units_csv, args, message):
    args = [a.format(org=world.org.slug) for a in args]

    with pytest.raises(CommandError, match=message):
        run("import_units", str(units_csv), *args)


def test_it_refuses_a_missing_file(world, tmp_path):
    with pytest.raises(CommandError, match="does not exist"):
        run("import_units", str(tmp_path / "borte.csv"), "--organisation", world.org.slug)


def test_it_refuses_a_file_over_the_limit_before_reading_it(world, units_csv, settings):
    settings.TRYGG_IMPORT_MAX_BYTES = 10

    with pytest.raises(CommandError, match="too large"):
        run("import_units", str(units_csv), "--organisation", world.org.slug)


def test_it_shows_a_progress_bar_on_a_terminal(world, employees_csv, monkeypatch):
    class Terminal(StringIO):
        def isatty(self):
            return True

    err = Terminal()

    call_command(
        "import_employees",
        str(employees_csv),
        "--organisation",
        world.org.slug,
        stdout=StringIO(),
        stderr=err,
    )

    assert "Checking" in err.getvalue() and "Writing" in err.getvalue()


def test_it_accepts_the_command_names_with_dashes():
    assert command_argv(["trygg", "import-units", "a.csv"]) == ["trygg", "import_units", "a.csv"]
    assert command_argv(["trygg", "import-employees", "a.csv"])[1] == "import_employees"
    assert command_argv(["trygg", "demo-logins", "--table"])[1] == "demo_logins"
    assert command_argv(["trygg", "no-such-command"])[1] == "no-such-command"
    assert command_argv(["trygg", "--version"]) == ["trygg", "--version"]
    assert command_argv(["trygg"]) == ["trygg"]


def test_it_exits_with_status_1_from_the_console_command(world, tmp_path, monkeypatch, capsys):
    path = tmp_path / "feil.csv"
    path.write_bytes(csv_file([unit("4000", "Ny", "9999")], header=UNIT_HEADER))
    monkeypatch.setattr(
        sys, "argv", ["trygg", "import-units", str(path), "--organisation", world.org.slug]
    )
    # A command run from the command line closes the database connections when it ends,
    # which would end this test's transaction on PostgreSQL.
    monkeypatch.setattr("django.db.connections.close_all", lambda: None)

    with pytest.raises(SystemExit) as exit_:
        main()

    assert exit_.value.code == 1
    err = capsys.readouterr().err
    assert "Row 2: The parent unit 9999 is neither in the file nor in Trygg." in err
    assert not Unit.objects.filter(code="4000").exists()

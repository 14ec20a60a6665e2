"""Every bad row is reported with its row number as Excel shows it, and nothing is written."""

from __future__ import annotations

import datetime as dt

import pytest

from trygg.audit.models import AuditEntry
from trygg.org.importing import Kind, commit_import, preview_import
from trygg.org.models import Employment, Person
from trygg.org.tests.files import (
    csv_file,
    employee,
    english,  # noqa: F401 (autouse fixture)
)

TODAY = dt.date(2025, 6, 10)
GOOD = employee("90001", "Kari", "Nordmann", unit="2110")


def check(world, rows):
    return preview_import(
        organisation=world.org,
        kind=Kind.EMPLOYEES,
        data=csv_file(rows),
        filename="ansatte.csv",
        today=TODAY,
    )


@pytest.mark.parametrize(
    ("bad", "expected"),
    [
        (employee("90002", unit="9999"), "Unit code 9999 does not exist in Trygg"),
        (
            employee("90002", percent="0"),
            "«Stillingsprosent» is 0 %. The position percentage must be more than 0",
        ),
        (employee("90002", percent="120"), "«Stillingsprosent» is 120 %"),
        (employee("90002", percent="100,5"), "must be more than 0 and at most 100"),
        (employee("90002", percent="full"), "«Stillingsprosent» is «full», which is not a number"),
        (employee("90002", percent=""), "«Stillingsprosent» is empty"),
        (
            employee("90002", start="01.03.2025", end="28.02.2025"),
            "The end date 28.02.2025 is before the start date 01.03.2025",
        ),
        (employee("90002", start="31.02.2025"), "«Startdato» is «31.02.2025», which is not a date"),
        (employee("90002", start="2025/13/01"), "which is not a date"),
        (employee("90002", start=""), "«Startdato» is empty"),
        (employee("90002", end="i morgen"), "«Sluttdato» is «i morgen», which is not a date"),
        (
            employee("90001", "Kari", "Nordmann", unit="2110"),
            "Employee number 90001 is in the file more than once (first on row 2)",
        ),
        (employee("", "Ola"), "«Ansattnummer» is empty"),
        (employee("90002", first=""), "«Fornavn» is empty"),
        (employee("90002", last="N" * 101), "«Etternavn» is too long: at most 100 characters"),
        (employee("90002", email="ola(at)example.no"), "is not an email address"),
        (
            employee("90002", kind="fri"),
            "«Ansettelsestype» is «fri». Use fast, midlertidig or tilkalling.",
        ),
        (employee("90002", leader="kanskje"), "«Personalansvar» is «kanskje». Write ja or nei"),
        (employee("90002", unit=""), "«Enhetskode» is empty"),
    ],
)
def test_it_reports_each_bad_value_with_its_row(world, bad, expected):
    outcome = check(world, [GOOD, bad])

    assert not outcome.ok
    assert [error.row for error in outcome.errors] == [3]
    assert str(outcome.errors[0]).startswith("Row 3: ")
    assert expected in outcome.errors[0].message
    assert outcome.changes == []


def test_it_collects_every_error_in_the_file(world):
    rows = [
        GOOD,
        employee("90002", percent="0", start="32.01.2025", unit="9999"),  # three errors on one row
        employee("90003"),
        employee("90004", unit="0000"),
        employee("90003", first=""),  # a duplicate with an error of its own
    ]

    outcome = check(world, rows)

    assert [(error.row, error.message.split(" ")[0]) for error in outcome.errors] == [
        (3, "Unit"),
        (3, "«Stillingsprosent»"),
        (3, "«Startdato»"),
        (5, "Unit"),
        (6, "«Fornavn»"),
        (6, "Employee"),
    ]
    assert (
        "Employee number 90003 is in the file more than once (first on row 4)"
        in outcome.errors[-1].message
    )


def test_it_counts_rows_as_excel_does_across_blank_lines(world):
    data = (
        csv_file([GOOD]) + b"\r\n;;;;;;;;;;\r\n" + ";".join(employee("90002", unit="9999")).encode()
    )

    outcome = preview_import(organisation=world.org, kind=Kind.EMPLOYEES, data=data, today=TODAY)

    assert [error.row for error in outcome.errors] == [5]


def test_it_names_the_missing_columns(world):
    data = csv_file([["90001", "Kari", "2110"]], header=["Ansattnummer", "Fornavn", "Enhet"])

    outcome = check_raw(world, data)

    assert len(outcome.errors) == 1
    message = str(outcome.errors[0])
    assert message.startswith("Row 1: The file is missing required columns:")
    for heading in ("«etternavn»", "«stillingsprosent»", "«startdato»"):
        assert heading in message
    assert "«ansattnummer»" not in message and "«enhetskode»" not in message


def test_it_reports_columns_it_does_not_know(world):
    header = [
        "Ansattnummer",
        "Fornavn",
        "Etternavn",
        "Enhetskode",
        "Stillingsprosent",
        "Startdato",
        "Lønnstrinn",
    ]
    data = csv_file(
        [["90001", "Kari", "Nordmann", "2110", "100", "01.01.2024", "42"]], header=header
    )

    outcome = check_raw(world, data)

    assert outcome.ok and outcome.ignored_columns == ["Lønnstrinn"]


def test_it_writes_nothing_when_one_row_fails(world):
    rows = [
        employee(str(91000 + i), "Per", f"Nummer{i}", unit="2110", percent="50") for i in range(100)
    ]
    rows.insert(57, employee("99999", unit="2110", percent="150"))
    before = (Person.objects.count(), Employment.objects.count(), AuditEntry.objects.count())

    outcome = commit_import(
        actor=world.hr,
        organisation=world.org,
        kind=Kind.EMPLOYEES,
        data=csv_file(rows),
        today=TODAY,
    )

    assert not outcome.committed
    assert [error.row for error in outcome.errors] == [59]
    assert (
        Person.objects.count(),
        Employment.objects.count(),
        AuditEntry.objects.count(),
    ) == before


def test_it_rolls_back_everything_when_a_service_refuses_a_row(world, monkeypatch):
    from trygg.org import services

    real = services.add_employment
    calls = []

    def refuse_the_third(**kwargs):
        calls.append(kwargs)
        if len(calls) == 3:
            from django.core.exceptions import ValidationError

            raise ValidationError("Refused.")
        return real(**kwargs)

    monkeypatch.setattr(services, "add_employment", refuse_the_third)
    rows = [
        employee(str(91000 + i), "Per", f"Nummer{i}", unit="2110", percent="50") for i in range(5)
    ]
    before = (Person.objects.count(), Employment.objects.count(), AuditEntry.objects.count())

    outcome = commit_import(
        actor=world.hr,
        organisation=world.org,
        kind=Kind.EMPLOYEES,
        data=csv_file(rows),
        today=TODAY,
    )

    assert not outcome.committed
    assert [str(error) for error in outcome.errors] == ["Row 4: Refused."]
    assert (
        Person.objects.count(),
        Employment.objects.count(),
        AuditEntry.objects.count(),
    ) == before


def check_raw(world, data):
    return preview_import(organisation=world.org, kind=Kind.EMPLOYEES, data=data, today=TODAY)

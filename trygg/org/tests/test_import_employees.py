"""Importing employees: creating, updating, moving and ending people by employee number."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from trygg.audit.models import AuditEntry
from trygg.org import services
from trygg.org.importing import Kind, Status, commit_import, preview_import
from trygg.org.models import Employment, Person
from trygg.org.tests import factories as f
from trygg.org.tests.files import (
    csv_file,
    employee,
    english,  # noqa: F401 (autouse fixture)
    rows_from_database,
)

TODAY = dt.date(2025, 6, 10)


def run(world, rows, *, actor=None, today=TODAY, **kw):
    return commit_import(
        actor=actor or world.hr,
        organisation=world.org,
        kind=Kind.EMPLOYEES,
        data=csv_file(rows, **kw),
        filename="ansatte.csv",
        today=today,
    )


def counts():
    return Person.objects.count(), Employment.objects.count(), AuditEntry.objects.count()


def test_it_creates_people_and_positions_through_the_services(world):
    rows = [
        *rows_from_database(world.org),
        employee(
            "90001",
            "Kari",
            "Nordmann",
            email="kari@example.no",
            unit="2110",
            title="Sykepleier",
            percent="80,5",
            kind="midlertidig",
            start="01.02.2025",
            end="31.12.2025",
            leader="nei",
        ),
        employee(
            "90002",
            "Ola",
            "Hansen",
            unit="2100",
            title="Enhetsleder",
            percent="100",
            kind="fast",
            start="1.3.2024",
            leader="ja",
        ),
    ]

    outcome = run(world, rows)

    assert outcome.ok and outcome.committed
    assert outcome.counts == {"new": 2, "changed": 0, "ended": 0, "unchanged": 9}
    kari = Person.objects.get(organisation=world.org, employee_number="90001")
    assert (kari.first_name, kari.last_name, kari.email) == ("Kari", "Nordmann", "kari@example.no")
    position = kari.employments.get()
    assert position.unit == world.ward
    assert position.position_percent == Decimal("80.5")
    assert position.employment_type == Employment.Type.TEMPORARY
    assert (position.start_date, position.end_date) == (dt.date(2025, 2, 1), dt.date(2025, 12, 31))
    ola = Person.objects.get(organisation=world.org, employee_number="90002").employments.get()
    assert ola.is_leader and ola.start_date == dt.date(2024, 3, 1)
    logged = AuditEntry.objects.filter(organisation=world.org, actor=world.hr)
    assert logged.filter(action=AuditEntry.Action.CREATE, object_type="org.person").count() == 2
    assert logged.filter(action=AuditEntry.Action.CREATE, object_type="org.employment").count() == 2
    event = logged.get(action=AuditEntry.Action.IMPORT)
    assert event.changes["counts"]["new"] == 2 and event.changes["filename"] == "ansatte.csv"


def test_it_changes_nothing_when_the_same_file_is_imported_again(world):
    rows = [
        *rows_from_database(world.org),
        employee("90001", "Kari", "Nordmann", unit="2110", percent="80,5", start="01.02.2025"),
    ]
    run(world, rows)
    before = counts()

    outcome = run(world, rows)

    assert outcome.ok and not outcome.committed
    assert outcome.counts == {"new": 0, "changed": 0, "ended": 0, "unchanged": 10}
    assert counts() == before


def test_it_changes_nothing_for_a_file_that_matches_the_database(world):
    before = counts()

    outcome = run(world, rows_from_database(world.org))

    assert outcome.ok and not outcome.has_changes
    assert counts() == before


def test_it_updates_changed_people_by_employee_number(world):
    number = world.employee.person.employee_number
    rows = [
        row
        if row[0] != number
        else employee(
            number,
            "Eva Marie",
            "Ansatt",
            email="eva@example.no",
            unit="2110",
            title="Fagarbeider",
            percent="60",
            start="01.01.2020",
        )
        for row in rows_from_database(world.org)
    ]
    before = AuditEntry.objects.count()

    outcome = run(world, rows)

    assert outcome.counts == {"new": 0, "changed": 1, "ended": 0, "unchanged": 8}
    eva = Person.objects.get(pk=world.employee.person.pk)
    assert (eva.first_name, eva.email) == ("Eva Marie", "eva@example.no")
    position = eva.employments.get()
    assert (position.title, position.position_percent) == ("Fagarbeider", Decimal("60"))
    # one update each for the person and the position, and the import itself
    assert AuditEntry.objects.count() == before + 3
    change = outcome.first(Status.CHANGED)[0]
    assert any("Eva Marie" in detail for detail in change.details)


def test_it_moves_a_person_to_another_unit_from_the_new_start_date(world):
    number = world.employee.person.employee_number
    rows = [
        row
        if row[0] != number
        else employee(number, "Eva", "Ansatt", unit="3100", title="Rådgiver", start="01.06.2025")
        for row in rows_from_database(world.org)
    ]

    outcome = run(world, rows)

    assert outcome.counts["changed"] == 1
    old, new = world.employee.person.employments.order_by("start_date")
    assert (old.unit, old.end_date) == (world.ward, dt.date(2025, 5, 31))
    assert (new.unit, new.start_date, new.end_date) == (
        world.kindergarten,
        dt.date(2025, 6, 1),
        None,
    )
    before = counts()
    assert not run(world, rows).has_changes
    assert counts() == before


def test_it_moves_a_person_from_today_when_the_start_date_is_the_old_one(world):
    number = world.employee.person.employee_number
    rows = [
        row
        if row[0] != number
        else employee(number, "Eva", "Ansatt", unit="3100", title="Rådgiver", start="01.01.2020")
        for row in rows_from_database(world.org)
    ]

    run(world, rows)

    old, new = world.employee.person.employments.order_by("start_date")
    assert (old.unit, old.end_date) == (world.ward, TODAY - dt.timedelta(days=1))
    assert (new.unit, new.start_date) == (world.kindergarten, TODAY)
    before = counts()
    again = run(world, rows, today=TODAY + dt.timedelta(days=30))
    assert not again.has_changes, again.changes
    assert counts() == before


def test_it_ends_people_missing_from_the_file_without_deleting_them(world):
    number = world.colleague.person.employee_number
    rows = [row for row in rows_from_database(world.org) if row[0] != number]

    outcome = run(world, rows)

    assert outcome.counts["ended"] == 1
    ended = outcome.first(Status.ENDED)[0]
    assert ended.key == number and ended.row is None
    colleague = Person.objects.get(pk=world.colleague.person.pk)
    assert colleague.employments.get().end_date == TODAY - dt.timedelta(days=1)
    assert (
        AuditEntry.objects.filter(
            action=AuditEntry.Action.UPDATE, object_type="org.employment", actor=world.hr
        ).count()
        == 1
    )
    before = counts()
    assert not run(world, rows).has_changes
    assert counts() == before


def test_it_leaves_people_without_an_employee_number_alone(world):
    helper = f.make_person(
        world.org, "Hjelpe", "Person", unit=world.kindergarten, employee_number=""
    )

    run(world, rows_from_database(world.org))

    assert helper.employments.get().end_date is None


def test_it_keeps_html_in_names_as_plain_text(world):
    rows = [
        *rows_from_database(world.org),
        employee("90001", "<script>alert(1)</script>", "<b>Hansen</b>", unit="2110"),
    ]

    run(world, rows)

    person = Person.objects.get(organisation=world.org, employee_number="90001")
    assert person.first_name == "<script>alert(1)</script>"
    assert person.last_name == "<b>Hansen</b>"


def test_it_reads_only_the_columns_the_file_has(world):
    header = ["Ansattnr", "Fornavn", "Etternavn", "Enhet", "Stillingsprosent", "Fra dato"]
    number = world.leader.person.employee_number
    data = csv_file([[number, "Lars", "Leder", "2100", "100", "01.01.2020"]], header=header)

    outcome = preview_import(organisation=world.org, kind=Kind.EMPLOYEES, data=data, today=TODAY)

    # title, type, end date and personnel responsibility stay as they are in Trygg
    assert outcome.ok
    leader = next(c for c in outcome.changes if c.key == number)
    assert leader.status == Status.UNCHANGED


def test_it_refuses_a_change_that_would_make_more_than_full_time(world):
    person = world.employee.person
    services.update_employment(
        actor=None, employment=person.employments.get(), position_percent=Decimal("50")
    )
    services.add_employment(
        actor=None,
        person=person,
        unit=world.kindergarten,
        position_percent=Decimal("50"),
        start_date=dt.date(2020, 1, 1),
    )
    number = person.employee_number
    rows = [row for row in rows_from_database(world.org) if row[0] != number]
    rows.append(employee(number, "Eva", "Ansatt", unit="2110", title="Rådgiver", percent="100"))
    before = counts()

    outcome = run(world, rows)

    assert not outcome.ok
    assert "more than 100" in str(outcome.errors[0])
    assert str(outcome.errors[0]).startswith(f"Row {len(rows) + 1}:")
    assert counts() == before


@pytest.mark.parametrize(
    "kind", ["fast", "Midlertidig", "TILKALLING", "permanent", "temporary", "on call"]
)
def test_it_understands_employment_types_in_both_languages(world, kind):
    rows = [*rows_from_database(world.org), employee("90001", unit="2110", kind=kind)]

    outcome = run(world, rows)

    assert outcome.ok, outcome.errors
    expected = {
        "fast": "permanent",
        "permanent": "permanent",
        "midlertidig": "temporary",
        "temporary": "temporary",
        "tilkalling": "on_call",
        "on call": "on_call",
    }[kind.lower()]
    assert Employment.objects.get(person__employee_number="90001").employment_type == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [("ja", True), ("X", True), ("1", True), ("nei", False), ("0", False), ("", False)],
)
def test_it_understands_personnel_responsibility(world, value, expected):
    rows = [*rows_from_database(world.org), employee("90001", unit="2110", leader=value)]

    run(world, rows)

    assert Employment.objects.get(person__employee_number="90001").is_leader is expected


def test_it_describes_each_change_in_words(world):
    number = world.employee.person.employee_number
    rows = [
        row
        if row[0] != number
        else employee(
            number,
            "Eva",
            "Ansatt",
            unit="2110",
            title="unit",
            percent="75",
            kind="midlertidig",
            leader="ja",
        )
        for row in rows_from_database(world.org)
    ]

    outcome = preview_import(
        organisation=world.org, kind=Kind.EMPLOYEES, data=csv_file(rows), today=TODAY
    )

    (change,) = outcome.first(Status.CHANGED)
    assert change.details == [
        "Position percentage: 100 % → 75 %",
        "Job title: Rådgiver → unit",
        "Employment type: Permanent (fast) → Temporary (midlertidig)",
        "Personnel responsibility: no → yes",
    ]

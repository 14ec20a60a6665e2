"""A whole municipality's employee file (about 2,700 people in 90 departments) imports in
reasonable time, and validating it costs a fixed number of queries, not one per row.

Time is measured as this process's CPU time: SQLite runs in the process, so that is the work
the import does, whatever else the machine is busy with."""

from __future__ import annotations

import time

from django.db import connection
from django.test.utils import CaptureQueriesContext

from trygg.audit.models import AuditEntry
from trygg.org.importing import Kind, commit_import, preview_import
from trygg.org.models import Employment, Person, Unit
from trygg.org.tests import factories as f
from trygg.org.tests.files import (
    csv_file,
    employee,
    english,  # noqa: F401 (autouse fixture)
)

PEOPLE = 2700
DEPARTMENTS = 90
KINDS = ["fast", "fast", "fast", "midlertidig", "tilkalling"]


def municipality():
    org = f.make_organisation("Storkommune")
    top = f.make_unit(org, "Storkommune", kind=Unit.Kind.TOP, code="1")
    codes = []
    for a in range(6):
        area = f.make_unit(org, f"Område {a}", parent=top, kind=Unit.Kind.AREA, code=f"{a + 1}0")
        for d in range(DEPARTMENTS // 6):
            code = f"{a + 1}0{d:02d}"
            f.make_unit(org, f"Avdeling {a}-{d}", parent=area, kind=Unit.Kind.DEPARTMENT, code=code)
            codes.append(code)
    return org, codes


def excel_file(codes, people=PEOPLE, *, renamed=0):
    rows = []
    for i in range(people):
        first = "Åse" if i % 7 == 0 else "Per"
        last = f"Ødegård{i}" if i >= renamed else f"Omdøpt{i}"
        percent = ["100", "80,5", "50", "62,5", "20"][i % 5]
        start = f"{1 + i % 28:02d}.{1 + i % 12:02d}.{2000 + i % 25}"
        end = f"31.12.{2026 + i % 3}" if KINDS[i % 5] == "midlertidig" else ""
        rows.append(
            employee(
                f"{100000 + i}",
                first,
                last,
                email=f"ansatt{i}@storkommune.no",
                unit=codes[i % len(codes)],
                title="Helsefagarbeider",
                percent=percent,
                kind=KINDS[i % 5],
                start=start,
                end=end,
                leader="ja" if i % 30 == 0 else "nei",
            )
        )
    return csv_file(rows, delimiter=";", encoding="utf-8-sig")


def test_it_imports_2700_employees_from_an_excel_csv_in_reasonable_time(db):
    org, codes = municipality()
    data = excel_file(codes)
    assert data.startswith(b"\xef\xbb\xbf") and b";80,5;" in data

    started = time.process_time()
    outcome = commit_import(
        actor=None, organisation=org, kind=Kind.EMPLOYEES, data=data, filename="hr.csv"
    )
    elapsed = time.process_time() - started

    assert outcome.ok and outcome.committed, outcome.errors[:5]
    assert outcome.counts["new"] == PEOPLE
    assert Person.objects.filter(organisation=org).count() == PEOPLE
    assert (
        Employment.objects.filter(organisation=org, end_date__isnull=True).count()
        == PEOPLE * 4 // 5
    )
    assert elapsed < 30, f"the import took {elapsed:.1f} s"

    before = AuditEntry.objects.count()
    started = time.process_time()
    again = commit_import(
        actor=None, organisation=org, kind=Kind.EMPLOYEES, data=data, filename="hr.csv"
    )
    assert not again.has_changes and AuditEntry.objects.count() == before
    assert time.process_time() - started < 10


def test_it_validates_with_a_fixed_number_of_queries(db):
    org, codes = municipality()
    commit_import(
        actor=None,
        organisation=org,
        kind=Kind.EMPLOYEES,
        data=excel_file(codes, 50),
        filename="hr.csv",
    )

    def queries(data):
        with CaptureQueriesContext(connection) as captured:
            outcome = preview_import(organisation=org, kind=Kind.EMPLOYEES, data=data)
        assert outcome.ok
        return len(captured)

    assert (
        queries(excel_file(codes, 50, renamed=50))
        == queries(excel_file(codes, 500, renamed=50))
        <= 5
    )

"""Importing absence: Norwegian file conventions, every bad row with its reason, all or nothing,
idempotent re-import, the command with its progress bar, and the upload page per role."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from trygg.absence import aggregates, importing
from trygg.absence.models import AbsenceSpell, FollowUpCase
from trygg.absence.tests.factories import make_spell
from trygg.audit.models import AuditEntry

D = dt.date
pytestmark = pytest.mark.usefixtures("frozen")


@pytest.fixture
def frozen():
    with time_machine.travel(dt.datetime(2025, 6, 1, 12, 0), tick=False):
        yield


def csv_bytes(
    world,
    rows: list[str],
    encoding: str = "utf-8-sig",
    heading: str = "ansattnummer;fra og med;til og med;type;grad",
) -> bytes:
    return ("\r\n".join([heading, *rows]) + "\r\n").encode(encoding)


def numbers(world):
    return world.employee.person.employee_number, world.leader.person.employee_number


def test_it_imports_a_norwegian_csv(world):
    emp, lead = numbers(world)
    data = csv_bytes(
        world,
        [
            f"{emp};06.01.2025;08.01.2025;egenmelding;",
            f"{emp};03.02.2025;28.02.2025;sykmelding;50,0",
            f"{lead};10.03.2025;11.03.2025;Egenmelding;",
        ],
    )
    outcome = importing.commit_import(
        actor=world.hr, organisation=world.org, data=data, filename="fravær.csv"
    )
    assert outcome.ok and outcome.committed and len(outcome.new) == 3
    spell = AbsenceSpell.objects.get(person=world.employee.person, first_day=D(2025, 2, 3))
    assert (spell.grade, spell.kind, spell.source) == (50, "doctor", "import")
    assert FollowUpCase.objects.filter(person=world.employee.person).count() == 2
    assert aggregates.stored_rows(world.org.pk) == aggregates.rebuilt_rows(world.org.pk)
    assert (
        AuditEntry.objects.filter(
            action=AuditEntry.Action.IMPORT, object_type="absence.absencespell"
        ).count()
        == 1
    )


def test_it_reads_windows_1252_and_english_headings(world):
    emp, _lead = numbers(world)
    data = csv_bytes(
        world,
        [f"{emp};2025-01-06;2025-01-07;sykmelding;100"],
        encoding="cp1252",
        heading="Ansatt nr;Første dag;Siste dag;Fraværstype;Grad",
    )
    outcome = importing.commit_import(actor=None, organisation=world.org, data=data)
    assert outcome.ok and len(outcome.new) == 1


def test_it_imports_an_excel_workbook(world):
    emp, _lead = numbers(world)
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["Ansattnummer", "Fra og med", "Til og med", "Type", "Grad"])
    sheet.append([int(emp), dt.datetime(2025, 1, 6), dt.datetime(2025, 1, 31), "sykmelding", 100])
    buffer = io.BytesIO()
    workbook.save(buffer)
    outcome = importing.commit_import(
        actor=None, organisation=world.org, data=buffer.getvalue(), filename="fravær.xlsx"
    )
    assert outcome.ok, outcome.errors
    assert AbsenceSpell.objects.get().last_day == D(2025, 1, 31)


def test_it_reports_every_bad_row_and_imports_nothing(world):
    emp, lead = numbers(world)
    make_spell(world.leader.person, D(2025, 4, 1), D(2025, 4, 10))
    rows = [
        f"{emp};06.01.2025;20.01.2025;sykmelding;100",  # row 2: fine
        f"{emp};15.01.2025;25.01.2025;sykmelding;100",  # row 3: overlaps row 2
        f"{emp};01.03.2025;05.03.2025;sykmelding;10",  # row 4: grade
        f"{emp};10.03.2025;05.03.2025;sykmelding;100",  # row 5: last before first
        f"{emp};01.03.2019;05.03.2019;sykmelding;100",  # row 6: before employment
        "999999;01.03.2025;05.03.2025;sykmelding;100",  # row 7: unknown employee
        f"{emp};01.05.2031;05.05.2031;sykmelding;100",  # row 8: far future
        f"{lead};05.04.2025;06.04.2025;egenmelding;",  # row 9: overlaps a spell in Trygg
        f"{emp};01.04.2025;05.04.2025;ferie;",  # row 10: not a type
        f"{emp};31.02.2025;05.04.2025;sykmelding;",  # row 11: not a date
    ]
    outcome = importing.commit_import(
        actor=None, organisation=world.org, data=csv_bytes(world, rows)
    )
    assert not outcome.committed
    by_row = {}
    for error in outcome.errors:
        by_row.setdefault(error.row, []).append(error.message)
    assert set(by_row) == {3, 4, 5, 6, 7, 8, 9, 10, 11}, by_row
    assert "row 2" in by_row[3][0]
    assert "20 to 100" in by_row[4][0]
    assert "before the first day" in by_row[5][0]
    assert "before the employment" in by_row[6][0]
    assert "999999" in by_row[7][0]
    assert "year ahead" in by_row[8][0]
    assert "overlaps another spell" in by_row[9][0]
    assert AbsenceSpell.objects.count() == 1


def test_it_reports_missing_columns(world):
    outcome = importing.plan_import(
        organisation=world.org, data=b"ansattnummer;fra og med\r\n1;01.01.2025\r\n"
    )
    assert outcome.errors and "til og med" in outcome.errors[0].message


def test_it_changes_nothing_on_a_second_import_and_updates_a_changed_row(world):
    emp, _lead = numbers(world)
    first = csv_bytes(world, [f"{emp};06.01.2025;20.01.2025;sykmelding;100"])
    importing.commit_import(actor=None, organisation=world.org, data=first)
    again = importing.commit_import(actor=None, organisation=world.org, data=first)
    assert again.ok and not again.committed and again.unchanged == 1
    longer = csv_bytes(world, [f"{emp};06.01.2025;31.01.2025;sykmelding;60"])
    changed = importing.commit_import(actor=None, organisation=world.org, data=longer)
    assert changed.committed and len(changed.changed) == 1
    assert AbsenceSpell.objects.get().last_day == D(2025, 1, 31)
    assert aggregates.stored_rows(world.org.pk) == aggregates.rebuilt_rows(world.org.pk)


def test_it_imports_from_the_command_line(world, tmp_path, capsys):
    emp, _lead = numbers(world)
    path = tmp_path / "fravaer.csv"
    path.write_bytes(csv_bytes(world, [f"{emp};06.01.2025;20.01.2025;sykmelding;100"]))
    call_command("import_absence", str(path), organisation=world.org.slug)
    assert "1 new" in capsys.readouterr().out
    bad = tmp_path / "feil.csv"
    bad.write_bytes(csv_bytes(world, ["999;06.01.2025;20.01.2025;sykmelding;100"]))
    with pytest.raises(Exception, match="nothing imported"):
        call_command("import_absence", str(bad), organisation=world.org.slug)


def test_it_lets_hr_upload_preview_and_commit(client, world):
    emp, _lead = numbers(world)
    client.force_login(world.hr)
    upload = SimpleUploadedFile(
        "fravær.csv", csv_bytes(world, [f"{emp};06.01.2025;20.01.2025;sykmelding;100"])
    )
    response = client.post(reverse("absence:import_start"), {"file": upload})
    assert response.status_code == 302
    preview = client.get(response["Location"])
    assert preview.status_code == 200 and len(preview.context["outcome"].new) == 1
    assert not AbsenceSpell.objects.exists()
    token = response["Location"].rstrip("/").split("/")[-1]
    assert client.post(reverse("absence:import_commit", args=[token])).status_code == 302
    assert AbsenceSpell.objects.count() == 1


@pytest.mark.parametrize("persona", ["admin", "leader", "employee", "safety_rep", "outsider"])
def test_it_refuses_the_import_to_everyone_but_hr(client, world, persona):
    client.force_login(getattr(world, persona))
    assert client.get(reverse("absence:import_start")).status_code == 403


def test_it_hides_another_users_upload(client, world):
    emp, _lead = numbers(world)
    client.force_login(world.hr)
    upload = SimpleUploadedFile(
        "f.csv", csv_bytes(world, [f"{emp};06.01.2025;20.01.2025;sykmelding;100"])
    )
    location = client.post(reverse("absence:import_start"), {"file": upload})["Location"]
    from django.test import Client

    other = Client()
    from trygg.org.models import RoleGrant
    from trygg.org.tests import factories as f

    second_hr = f.make_user(world.org, "hr2")
    f.grant(second_hr, RoleGrant.Role.HR)
    other.force_login(second_hr)
    assert other.get(location).status_code == 404

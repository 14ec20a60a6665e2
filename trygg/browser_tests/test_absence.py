"""Sick leave as people use it: HR imports a year from Excel, a leader follows a case through
plan, dialogue meeting 1 and adaptation, the employee reads and comments on their plan, and the
safety representative sees only masked aggregates; every page checked with axe, also on a phone."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest

from trygg.absence.models import AbsenceSpell, FollowUpCase
from trygg.browser_tests.conftest import PHONE
from trygg.lib.dates import today

pytestmark = pytest.mark.browser


def excel_year(world) -> bytes:
    """A year of absence for the ward's employee and the nursing home's staff."""
    end = today()
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["Ansattnummer", "Fra og med", "Til og med", "Type", "Grad"])
    employee = world.employee.person.employee_number
    rep = world.safety_rep.person.employee_number
    sheet.append(
        [employee, end - dt.timedelta(days=300), end - dt.timedelta(days=298), "egenmelding", None]
    )
    sheet.append(
        [rep, end - dt.timedelta(days=200), end - dt.timedelta(days=190), "sykmelding", 100]
    )
    sheet.append(
        [employee, end - dt.timedelta(days=60), end + dt.timedelta(days=20), "sykmelding", 100]
    )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_hr_imports_a_year_from_excel_and_sees_it_per_unit(browse, world):
    browse.login(world.hr)
    browse.visit("/sykefravaer/")
    browse.visit("/sykefravaer/import/")
    browse.page.set_input_files(
        "#id_file",
        files=[
            {
                "name": "fravær.xlsx",
                "mimeType": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                "buffer": excel_year(world),
            }
        ],
    )
    with browse.page.expect_navigation():
        browse.page.locator("main form button[type=submit]").first.click()
    browse.check()
    assert "3" in browse.page.locator(".stat").first.inner_text()
    with browse.page.expect_navigation():
        browse.page.get_by_role("button", name="Importer nå").click()
    browse.check()
    assert AbsenceSpell.objects.count() == 3
    browse.visit(f"/sykefravaer/?unit={world.top.pk}&period=tertial")
    assert browse.page.locator("svg.chart").count() == 1
    text = browse.page.locator("main").inner_text().lower()
    assert "ferie" in text or "vacation" in text  # the vacation setting is labelled
    browse.page.set_viewport_size(PHONE)
    browse.visit(f"/sykefravaer/?unit={world.top.pk}&period=year")


def test_a_leader_follows_a_case_and_the_employee_comments(browse, world):
    from trygg.absence import services

    services.register_spell(
        actor=None,
        person=world.employee.person,
        first_day=today() - dt.timedelta(days=60),
        last_day=today() + dt.timedelta(days=20),
        kind="doctor",
        grade=100,
    )
    case = FollowUpCase.objects.get()
    browse.login(world.leader)
    browse.visit("/sykefravaer/personer/")
    browse.visit(f"/sykefravaer/personer/{world.employee.person.pk}/")
    browse.visit(case.get_absolute_url())
    browse.visit(f"/sykefravaer/oppfolging/{case.pk}/plan/")
    browse.page.fill("#id_work_tasks", "Lettere oppgaver på dagtid")
    browse.page.fill("#id_measures", "Kortere vakter")
    with browse.page.expect_navigation():
        browse.page.locator("main form button[type=submit]").click()
    browse.check()
    browse.visit(f"/sykefravaer/oppfolging/{case.pk}/dialogmote/")
    browse.page.fill("#id_participants", "Eva Ansatt, Lars Leder, BHT")
    with browse.page.expect_navigation():
        browse.page.locator("main form button[type=submit]").click()
    browse.visit(f"/sykefravaer/oppfolging/{case.pk}/tiltak/")
    browse.page.select_option("#id_kind", "physical")
    browse.page.fill("#id_description", "Hev-senk-pult")
    with browse.page.expect_navigation():
        browse.page.locator("main form button[type=submit]").click()
    assert "Hev-senk-pult" in browse.page.locator("main").inner_text()
    browse.logout()
    browse.login(world.employee)
    browse.visit(case.get_absolute_url())
    browse.page.fill("#id_text", "Jeg ønsker å starte med halve dager.")
    with browse.page.expect_navigation():
        browse.page.locator("form[action$='/kommentar/'] button[type=submit]").click()
    assert "halve dager" in browse.page.locator("main").inner_text()
    browse.page.set_viewport_size(PHONE)
    browse.visit(case.get_absolute_url())


def test_the_safety_representative_sees_only_masked_aggregates(browse, world):
    from trygg.absence import services

    services.register_spell(
        actor=None,
        person=world.employee.person,
        first_day=today() - dt.timedelta(days=30),
        last_day=today(),
        kind="doctor",
        grade=100,
    )
    browse.login(world.safety_rep)
    browse.visit(f"/sykefravaer/?unit={world.nursing_home.pk}&period=year&subunits=on")
    assert browse.page.locator(".message--warning").count() == 1
    response = browse.page.goto(browse.url(f"/sykefravaer/personer/{world.employee.person.pk}/"))
    assert response is not None and response.status == 404

"""The import in a real browser: upload, preview and commit, each page checked with axe-core
for WCAG 2.1 A/AA, for console errors and for CSP violations (trygg/browser_tests/conftest.py)."""

from __future__ import annotations

import pytest

from trygg.browser_tests import conftest as browser_tests
from trygg.org.models import Person
from trygg.org.tests.files import csv_file, employee, rows_from_database

pytestmark = pytest.mark.browser
browser = browser_tests.browser  # the fixtures live in trygg/browser_tests/conftest.py
browse = browser_tests.browse


def upload(browse, data: bytes, kind: str = "employees") -> None:
    browse.visit("/organisasjon/import/")
    browse.page.locator(f"input[name=kind][value={kind}]").check()
    browse.page.set_input_files(
        "#id_file", files=[{"name": "ansatte.csv", "mimeType": "text/csv", "buffer": data}]
    )
    with browse.page.expect_navigation():
        browse.page.locator("main form button[type=submit]").click()
    assert "/organisasjon/import/fil/" in browse.path
    browse.check()


def test_it_previews_and_imports_a_file(browse, world):
    browse.login(world.hr)
    rows = [
        *rows_from_database(world.org),
        employee("90001", "Kari", "<b>Nordmann</b>", unit="2110"),
    ]

    upload(browse, csv_file(rows))

    main = browse.page.locator("main")
    assert "<b>Nordmann</b>" in main.inner_text()  # shown as text, not as markup
    assert main.locator("b").count() == 0
    assert main.locator("table th[scope=col]").count() >= 5
    with browse.page.expect_navigation():
        main.locator("form button[type=submit]").first.click()
    assert browse.path == "/organisasjon/import/"
    assert browse.page.locator(".messages .message--success").count() == 1
    browse.check()
    assert Person.objects.filter(organisation=world.org, employee_number="90001").exists()


def test_it_lists_errors_in_an_alert_and_imports_nothing(browse, world):
    browse.login(world.admin)

    upload(browse, csv_file([employee("90001", unit="9999"), employee("90002", percent="0")]))

    alert = browse.page.locator("main [role=alert]")
    assert alert.locator("li").count() == 2
    with browse.page.expect_navigation():
        browse.page.locator("main form button[type=submit]").click()
    assert browse.path == "/organisasjon/import/"
    browse.check()
    assert not Person.objects.filter(employee_number__in=["90001", "90002"]).exists()

"""HMS goals, action plans and the internal-control overview as an HMS coordinator uses them:
set the organisation's goals, break one down for a unit with a live indicator, export the action
plan to XLSX, and open the internal-control overview. Every page is checked with axe-core."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from trygg.browser_tests.conftest import PHONE
from trygg.goals.models import Goal
from trygg.goals.tests.factories import make_plan, make_row
from trygg.lib import indicators

pytestmark = pytest.mark.browser

LIVE = "test.browser_sick_leave"


@pytest.fixture
def live_indicator():
    """A live indicator as the absence module would register it: sick leave 6,1 %."""

    def compute(organisation_id, paths, start, end):
        return Decimal("6.1")

    indicators.register(LIVE, "Sykefravær (test)", unit="%", lower_is_better=True, compute=compute)
    yield
    indicators._indicators.pop(LIVE, None)


def submit(browse) -> None:
    with browse.page.expect_navigation():
        browse.page.locator("main form button[type=submit]").first.click()
    browse.check()


def test_the_hms_coordinator_sets_goals_breaks_one_down_and_exports_the_plan(
    browse, world, live_indicator
):
    browse.login(world.hms)
    menu = browse.nav_links()
    assert "/mal/" in menu
    browse.visit("/mal/")

    # The organisation's goal, measured by live data.
    with browse.page.expect_navigation():
        browse.page.locator('main a[href="/mal/ny/"]').click()
    browse.check()
    page = browse.page
    page.fill("#id_title", "Ansatte skal kunne gå hjem fra jobb hver dag uten belastninger.")
    page.fill("#id_start_year", "2026")
    page.fill("#id_end_year", "2030")
    page.select_option("#id_indicator_code", LIVE)
    page.fill("#id_baseline", "8,1")
    page.fill("#id_target", "5,4")
    submit(browse)
    goal = Goal.objects.get(unit=None)
    assert browse.path == f"/mal/{goal.pk}/"
    assert "6,1" in page.locator("main").inner_text() or "6.1" in page.locator("main").inner_text()
    assert page.locator("main svg.sparkline").count() == 1

    # A goal without a measurable target is refused with a message, nothing saved.
    browse.visit("/mal/ny/", axe=False)
    page.fill("#id_title", "Godt arbeidsmiljø")
    page.fill("#id_start_year", "2026")
    page.fill("#id_end_year", "2026")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    assert page.locator("ul#id_target_error").is_visible()
    browse.check()
    assert Goal.objects.count() == 1

    # Break it down for the nursing home: the form starts from the overarching goal.
    browse.visit(f"/mal/{goal.pk}/", axe=False)
    with page.expect_navigation():
        page.locator(f'main a[href="/mal/ny/?overordnet={goal.pk}"]').click()
    assert page.locator("#id_indicator_code").input_value() == LIVE
    page.select_option("#id_unit", str(world.nursing_home.pk))
    page.fill("#id_title", "Sykefraværet ved Solbakken skal ned til 7 %.")
    page.fill("#id_target", "7")
    submit(browse)
    local = Goal.objects.get(unit=world.nursing_home)
    assert local.parent == goal
    main = page.locator("main").inner_text()
    assert "Solbakken sykehjem" in main
    assert page.locator("main .badge--ok").count() >= 1  # 6,1 % is under 7 %: on track

    # The goal list shows both, with their status.
    browse.visit("/mal/")
    assert page.locator(f"#mal-{goal.pk} .goal-children li").count() == 1

    # The action plan, exported to XLSX.
    plan = make_plan(world, "Mål og handlingsplan 2026–2030", start_year=2026, end_year=2030)
    make_row(plan, "Statusmøter med alle ledere", goal=goal, owner=world.leader.person)
    browse.visit(f"/mal/handlingsplaner/{plan.pk}/")
    with page.expect_download() as info:
        page.locator(f'main a[href="/mal/handlingsplaner/{plan.pk}/handlingsplan.xlsx"]').click()
    assert info.value.suggested_filename == f"handlingsplan-{plan.pk}.xlsx"
    with open(info.value.path(), "rb") as downloaded:
        sheet = load_workbook(io.BytesIO(downloaded.read())).active
    values = [row for row in sheet.iter_rows(values_only=True)]
    assert values[0][0] == "Mål og handlingsplan 2026–2030"
    assert any(row and row[3] == "Statusmøter med alle ledere" for row in values)

    # The internal-control overview: the 8 points, point 4 documented by the goals.
    browse.visit("/mal/internkontroll/")
    assert page.locator("main .control-point").count() == 8
    assert page.locator("#punkt-4 .control-records li").count() >= 1
    browse.visit("/mal/internkontroll/lover/")


def test_an_employee_reads_the_plan_on_a_phone(browse, world):
    plan = make_plan(world, "Plan for sykehjemmet", unit=world.nursing_home)
    make_row(plan, "Kurs i forflytningsteknikk", when="Våren", responsible="Enhetsleder")
    browse.page.set_viewport_size(PHONE)
    browse.login(world.employee)
    for path in (
        f"/mal/handlingsplaner/{plan.pk}/",
        "/mal/internkontroll/",
        "/mal/handlingsplaner/",
        "/mal/",
    ):
        browse.visit(path)
        width = browse.page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"], f"{path} is {width}px wide on a phone"
    edit = f'main a[href="/mal/handlingsplaner/{plan.pk}/endre/"]'
    assert browse.page.locator(edit).count() == 0

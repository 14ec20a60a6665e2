"""The årshjul in a browser: the wheel at desktop and phone widths, checked with axe-core, and
saved as screenshots under var/ (not committed) to look at."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings

from trygg.annual_plan import services
from trygg.browser_tests.conftest import DESKTOP, PHONE
from trygg.lib.dates import today

pytestmark = pytest.mark.browser

SHOTS = Path(settings.BASE_DIR).parent / "var" / "screenshots"


@pytest.fixture
def plan(world):
    year = today().year
    services.add_suggested_activity(
        actor=None,
        organisation=world.org,
        key="vernerunder",
        owner=world.leader.person,
        unit=world.nursing_home,
    )
    services.add_suggested_activity(actor=None, organisation=world.org, key="internrevisjon")
    plan = services.adopt_plan(actor=None, organisation=world.org, year=year)
    item = plan.items.get(template_item__key="amu-jan-konstituering")
    services.mark_done(actor=None, item=item, year=year, on=plan.date_in(1, 15))
    return plan


@pytest.mark.parametrize(("size", "name"), [(DESKTOP, "desktop"), (PHONE, "phone")])
def test_the_wheel_looks_right_and_passes_axe(browse, world, plan, size, name):
    browse.page.set_viewport_size(size)
    browse.login(world.employee)
    page = browse.visit("/arshjul/")
    svg = page.locator("svg.annual-wheel__svg")
    box = svg.bounding_box()
    assert box is not None
    # The wheel fits the screen and stays round.
    assert box["width"] <= size["width"]
    assert abs(box["width"] - box["height"]) < 2
    assert box["width"] > 300
    assert page.locator("svg .annual-sector").count() == 12
    assert page.locator("svg .annual-today").count() == 1
    assert page.locator("svg a .annual-dot--done").count() >= 1
    # The page does not scroll sideways on a phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= size["width"] + 1
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"annual_plan_wheel_{name}.png"), full_page=True)
    # Follow an item from the wheel to its page.
    first = page.locator("svg a").first
    with page.expect_navigation():
        first.click()
    assert "/arshjul/sak/" in browse.path
    browse.check()


def test_the_list_and_an_item_pass_axe(browse, world, plan):
    browse.login(world.hms)
    page = browse.visit("/arshjul/liste/")
    assert page.get_by_role("link", name="Konstituering AMU").count() == 1
    with page.expect_navigation():
        page.get_by_role("link", name="Status HMS-opplæring").first.click()
    browse.check()
    page.fill("#id_done_on", today().strftime("%d.%m.%Y"))
    with page.expect_navigation():
        page.get_by_role("button", name="Merk som utført").or_(
            page.get_by_role("button", name="Mark as done")
        ).click()
    browse.check()
    page = browse.visit("/arshjul/mal/")
    with page.expect_navigation():
        page.get_by_role("link", name="Status vernerunder").first.click()
    browse.check()
    assert page.locator("#id_title").input_value() == "Status vernerunder"


def test_the_wheel_prints_without_the_chrome(browse, world, plan):
    browse.login(world.employee)
    page = browse.visit("/arshjul/", axe=False)
    page.emulate_media(media="print")
    assert not page.locator(".site-header").is_visible()
    assert not page.locator(".annual-filters").is_visible()
    assert not page.locator(".sub-nav").is_visible()
    assert page.locator("svg.annual-wheel__svg").is_visible()
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "annual_plan_wheel_print.png"), full_page=True)

"""The application as people use it: the menu, the organisation pages, language and phones.

Each page opened here is also checked for console errors, CSP violations and WCAG 2.1 A/AA
violations (conftest.Browse.check).
"""

from __future__ import annotations

import re

import pytest

from trygg.browser_tests.conftest import PHONE

pytestmark = pytest.mark.browser

MENU = [
    "/",  # My tasks
    "/arshjul/",  # The annual plan (årshjul)
    "/moter/",  # Committee meetings: committee members, secretaries, HMS, admin
    "/avvik/",  # Deviations
    "/sykefravaer/",  # Sick leave (masked figures for most)
    "/risiko/",  # Risk assessments
    "/mal/",  # HMS goals and action plans, internal control
    "/vernerunder/",  # Safety rounds: leaders, safety representatives, HMS, BHT, admin
    "/tiltak/",  # Action items
    "/organisasjon/",  # Organisation
]
ONLY_FOR = {
    "/moter/": {"admin", "hms", "secretary", "amu_member"},
    "/vernerunder/": {"admin", "hms", "bht", "leader", "safety_rep"},
}


def menu_for(persona: str) -> list[str]:
    return [href for href in MENU if persona in ONLY_FOR.get(href, {persona})]


ORGANISATION_MENU = [
    "/organisasjon/",  # Overview
    "/organisasjon/enheter/",  # Units
    "/organisasjon/personer/",  # People
    "/organisasjon/verneomrader/",  # Safety areas
    "/organisasjon/utvalg/",  # Committees
    "/organisasjon/samarbeid/",  # Partners: the BHT and union representatives
]
IMPORT = "/organisasjon/import/"  # administrators and organisation-wide HR
AUDIT_LOG = "/logg/"  # administrators
EXTRA_LINKS = {"admin": {IMPORT, AUDIT_LOG}, "hr": {IMPORT}}


def assert_menu(browse, persona: str) -> list[str]:
    """Everyone gets the common menu; the organisation's sub-menu has more for some roles, and
    only what is theirs."""
    assert list(browse.nav_links()) == menu_for(persona), persona
    with browse.page.expect_navigation():
        browse.page.locator('nav.main-nav a[href="/organisasjon/"]').click()
    links = list(browse.nav_links("nav.sub-nav"))
    assert links[: len(ORGANISATION_MENU)] == ORGANISATION_MENU, persona
    assert set(links[len(ORGANISATION_MENU) :]) <= EXTRA_LINKS.get(persona, set()), persona
    return links


def walk_the_menu(browse, links: list[str], nav: str = "nav.main-nav") -> None:
    """Follow every link of a menu by clicking it; each page marks itself as current."""
    for href in links:
        link = browse.page.locator(f'{nav} a[href="{href}"]')
        with browse.page.expect_navigation():
            link.click()
        assert browse.path == href
        assert link.get_attribute("aria-current") == "page", f"{href} is not marked current"
        assert browse.page.locator(f"{nav} a[aria-current]").count() == 1
        assert browse.page.locator("main h1").count() == 1, f"{href} needs one h1"
        browse.check()


@pytest.mark.parametrize("persona", ["admin", "employee"])
def test_walk_the_main_menu(browse, world, persona):
    browse.login(getattr(world, persona))
    assert browse.path == "/"
    links = assert_menu(browse, persona)
    if persona == "admin":
        assert AUDIT_LOG in links
    walk_the_menu(browse, links, "nav.sub-nav")
    walk_the_menu(browse, menu_for(persona))


def test_every_role_logs_in_to_my_tasks_with_the_menu(browse, world):
    for persona in ["hms", "hr", "bht", "leader", "safety_rep", "secretary", "amu_member"]:
        user = getattr(world, persona)
        browse.context.clear_cookies()
        browse.login(user)
        assert browse.path == "/", persona
        name = user.get_full_name()
        assert name in browse.page.locator("main").inner_text(), persona
        browse.check()
        assert_menu(browse, persona)


def follow(browse, link_text: str, heading: str, *, within: str = "main") -> None:
    """Click a link by its text and land on the page with that heading."""
    link = browse.page.locator(within).get_by_role("link", name=link_text, exact=True).first
    with browse.page.expect_navigation():
        link.click()
    assert heading in browse.page.locator("main h1").inner_text(), browse.path
    browse.check()


@pytest.mark.parametrize("persona", ["admin", "employee"])
def test_open_a_unit_a_person_a_safety_area_and_a_committee(browse, world, persona):
    browse.login(getattr(world, persona))
    browse.visit("/organisasjon/enheter/", axe=False)
    follow(browse, "Helse og omsorg", "Helse og omsorg")
    follow(browse, "Solbakken sykehjem", "Solbakken sykehjem", within="#children")
    assert browse.path == f"/organisasjon/enheter/{world.nursing_home.pk}/"
    browse.visit("/organisasjon/personer/", axe=False)
    follow(browse, "Ansatt, Eva", "Eva Ansatt")
    assert browse.path == f"/organisasjon/personer/{world.employee.person.pk}/"
    browse.visit("/organisasjon/verneomrader/", axe=False)
    follow(browse, "Helse og omsorg", "Helse og omsorg")
    browse.visit("/organisasjon/utvalg/", axe=False)
    follow(browse, "AMU Helse og omsorg", "AMU Helse og omsorg")
    assert browse.path == f"/organisasjon/utvalg/{world.amu.pk}/"


def test_unit_search_updates_the_results_in_place(browse, world):
    browse.login(world.admin)
    browse.visit("/organisasjon/enheter/", axe=False)
    browse.page.fill("#unit-search", "barnehage")
    results = browse.page.locator("#unit-results")
    results.get_by_role("link", name="Solbakken sykehjem").wait_for(state="detached")
    assert results.get_by_role("link", name="Lia barnehage").is_visible()
    browse.page.wait_for_url(re.compile(r"\?q=barnehage"))  # hx-push-url keeps it linkable
    browse.check()


def choose_language(browse, code: str) -> None:
    with browse.page.expect_navigation():
        browse.page.select_option("#language-select", code)  # submits itself (trygg.js)
    browse.check()


def test_the_language_selector_switches_between_bokmal_nynorsk_and_english(browse, world):
    browse.login(world.employee)
    browse.visit("/organisasjon/enheter/", axe=False)
    assert browse.html_lang() == "nb"
    choose_language(browse, "en")
    assert browse.html_lang() == "en"
    assert browse.path == "/organisasjon/enheter/", "the switch left the page"
    assert browse.nav_links()["/"] == "My tasks"
    choose_language(browse, "nn")
    assert browse.html_lang() == "nn"
    # The choice sticks for the next page.
    with browse.page.expect_navigation():
        browse.page.locator('nav.sub-nav a[href="/organisasjon/utvalg/"]').click()
    assert browse.html_lang() == "nn"
    choose_language(browse, "nb")
    assert browse.html_lang() == "nb"
    assert browse.page.locator("#language-select").input_value() == "nb"


def test_a_phone_shows_the_menu_and_a_list_without_sideways_scrolling(browse, world):
    browse.page.set_viewport_size(PHONE)
    browse.login(world.admin)

    def fits_the_screen() -> None:
        width = browse.page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"], f"{browse.path} is {width}px wide on a phone"

    fits_the_screen()
    organisation = browse.page.locator('nav.main-nav a[href="/organisasjon/"]')
    assert not organisation.is_visible()  # the menu is folded on a phone
    browse.page.get_by_role("button", name="Meny").click()
    assert organisation.is_visible()
    with browse.page.expect_navigation():
        organisation.click()
    people = browse.page.locator('nav.sub-nav a[href="/organisasjon/personer/"]')
    with browse.page.expect_navigation():
        people.click()
    assert browse.path == "/organisasjon/personer/"
    browse.check()
    fits_the_screen()
    # The table turns into one block per person, each cell labelled.
    row = browse.page.locator("main table tbody tr").filter(has_text="Ansatt, Eva")
    assert row.evaluate("tr => getComputedStyle(tr).display") == "block"
    link = row.get_by_role("link", name="Ansatt, Eva")
    box = link.bounding_box()
    assert box is not None and box["x"] + box["width"] <= PHONE["width"]
    with browse.page.expect_navigation():
        link.click()
    assert "Eva Ansatt" in browse.page.locator("main h1").inner_text()
    browse.check()
    fits_the_screen()


def test_the_skip_link_takes_the_keyboard_to_the_content(browse, world):
    browse.login(world.employee)
    browse.page.keyboard.press("Tab")
    skip = browse.page.locator("a.skip-link")
    assert skip.evaluate("el => el === document.activeElement")
    assert skip.is_visible(), "the skip link must show when it has focus"
    browse.page.keyboard.press("Enter")
    browse.page.wait_for_function("document.activeElement && document.activeElement.id === 'main'")
    browse.check(axe=False)

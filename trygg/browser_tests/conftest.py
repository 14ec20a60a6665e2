"""Browser tests: Debian's Chromium, driven by Playwright, against pytest-django's live server.

One browser per test process (session scope), a fresh browser context (cookies, storage) per
test. If Chromium cannot start, every test here fails: a browser test never skips
(scripts/test-setup installs Debian's `chromium`; Playwright's own browsers are not used).

`browse` is the fixture the tests use: it opens pages, fails on a console error, an uncaught
script error or a Content-Security-Policy violation, and checks pages with axe-core.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import (
    Browser,
    BrowserContext,
    ConsoleMessage,
    Page,
    Playwright,
    Request,
    sync_playwright,
)
from playwright.sync_api import Error as PlaywrightError

PASSWORD = "passord-1234"  # trygg.org.tests.factories.make_user
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
CHROMIUM_ARGS = [
    "--no-sandbox",  # CI runs as root
    "--disable-gpu",
    "--disable-background-networking",  # the machine has no network but the package registries
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-dev-shm-usage",
]

# Records what the page reports through the DOM as well as through the console, so that a
# violation is caught even when Chromium words its console message differently.
CSP_LISTENER = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(
    `${event.violatedDirective} blocked ${event.blockedURI || "inline"} ` +
    `(${event.sourceFile || ""}:${event.lineNumber || ""})`
  );
});
"""


def chromium_executable() -> str:
    """TRYGG_CHROMIUM, else `chromium` on PATH (Debian's package puts it in /usr/bin)."""
    path = os.environ.get("TRYGG_CHROMIUM") or shutil.which("chromium")
    if not path or not os.access(path, os.X_OK):
        pytest.fail(
            "Chromium not found (set TRYGG_CHROMIUM or install Debian's package `chromium`: "
            "bash scripts/test-setup). Browser tests never skip.",
            pytrace=False,
        )
    return path


class _SharedChromium:
    """One Playwright driver and one Chromium per test process.

    Playwright's sync API can run only once per thread, so a module elsewhere that imports
    the `browser` fixture (and so registers a second session fixture of that name) must get
    this same browser, not start another. Closed when the last fixture using it ends.
    """

    def __init__(self) -> None:
        self.playwright: Playwright | None = None
        self.browser: Browser | None = None
        self.users = 0
        self.patch = pytest.MonkeyPatch()

    def acquire(self) -> Browser:
        if self.browser is None:
            executable = chromium_executable()
            # Playwright's sync API keeps an asyncio loop in this thread; Django would refuse
            # the ORM calls that fixtures make beside it.
            self.patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
            self.playwright = sync_playwright().start()
            try:
                self.browser = self.playwright.chromium.launch(
                    executable_path=executable, headless=True, args=CHROMIUM_ARGS, timeout=60_000
                )
            except PlaywrightError as error:
                self._stop()
                pytest.fail(f"Chromium ({executable}) did not start:\n{error}", pytrace=False)
        self.users += 1
        return self.browser

    def release(self) -> None:
        self.users -= 1
        if self.users == 0:
            self._stop()

    def _stop(self) -> None:
        try:
            if self.browser is not None:
                self.browser.close()
        finally:
            self.browser = None
            if self.playwright is not None:
                self.playwright.stop()
                self.playwright = None
            self.patch.undo()


_chromium = _SharedChromium()


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    yield _chromium.acquire()
    _chromium.release()


@dataclass
class Browse:
    """A page in a fresh browser context, with the checks every visit gets."""

    context: BrowserContext
    page: Page
    base_url: str
    console_errors: list[str] = field(default_factory=list)
    axe_checked: list[str] = field(default_factory=list)

    def url(self, path: str) -> str:
        return self.base_url + path

    @property
    def path(self) -> str:
        return self.page.url.removeprefix(self.base_url)

    def visit(self, path: str, *, axe: bool = True) -> Page:
        """Open a page of the site, expect 200 and a clean console, and check it with axe."""
        response = self.page.goto(self.url(path))
        assert response is not None, path
        assert response.status == 200, f"GET {path} answered {response.status}"
        self.check(axe=axe)
        return self.page

    def check(self, *, axe: bool = True) -> None:
        """Check the page now shown: no console errors or CSP violations; axe if asked."""
        self.page.wait_for_load_state("load")
        self.assert_clean_console()
        if axe:
            assert_accessible(self.page, self.path)
            self.axe_checked.append(self.path)

    def csp_violations(self) -> list[str]:
        return self.page.evaluate("window.__cspViolations || []")

    def assert_clean_console(self) -> None:
        violations = self.csp_violations()
        problems = self.console_errors + [f"CSP violation: {v}" for v in violations]
        self.console_errors.clear()
        assert not problems, f"on {self.path}:\n" + "\n".join(problems)

    def login(self, user: Any, password: str = PASSWORD) -> None:
        """Log in through the login form, as a person would."""
        self.visit("/konto/logg-inn/", axe=False)
        self.page.fill("#id_username", user.get_username())
        self.page.fill("#id_password", password)
        with self.page.expect_navigation():
            self.page.locator("main form button[type=submit]").click()
        assert "/konto/logg-inn/" not in self.page.url, (
            f"{user.get_username()} could not log in: "
            + self.page.locator("main").inner_text()[:500]
        )
        self.check(axe=False)

    def logout(self) -> None:
        self.page.locator("details.user-menu summary").click()
        with self.page.expect_navigation():
            self.page.locator("details.user-menu form button[type=submit]").click()
        self.check(axe=False)

    def nav_links(self, nav: str = "nav.main-nav") -> dict[str, str]:
        """A menu (by default the main menu) as {href: label}."""
        links = self.page.locator(f"{nav} a")
        return {
            links.nth(i).get_attribute("href") or "": links.nth(i).inner_text().strip()
            for i in range(links.count())
        }

    def html_lang(self) -> str:
        return self.page.locator("html").get_attribute("lang") or ""


def assert_accessible(page: Page, where: str) -> None:
    """axe-core finds no WCAG 2.1 A/AA violation on the page as it is now."""
    results = Axe().run(
        page,
        options={
            "runOnly": {"type": "tag", "values": WCAG_TAGS},
            "resultTypes": ["violations"],
        },
    )
    if results.violations_count:
        summary = json.dumps(
            [
                {
                    "rule": violation["id"],
                    "impact": violation["impact"],
                    "elements": [node["target"] for node in violation["nodes"]],
                }
                for violation in results.response["violations"]
            ],
            ensure_ascii=False,
        )
        pytest.fail(
            f"axe: {results.violations_count} WCAG 2.1 A/AA violation(s) on {where}: {summary}\n"
            + results.generate_report(),
            pytrace=False,
        )


@pytest.fixture
def browse(browser: Browser, live_server: Any, transactional_db: None) -> Iterator[Browse]:
    """A fresh context (Norwegian, desktop-sized) and page on the live server."""
    context = browser.new_context(
        locale="nb-NO", timezone_id="Europe/Oslo", viewport=DESKTOP, service_workers="block"
    )
    context.set_default_timeout(15_000)
    context.add_init_script(CSP_LISTENER)
    page = context.new_page()
    session = Browse(context=context, page=page, base_url=live_server.url)

    def on_console(message: ConsoleMessage) -> None:
        if message.type in {"error", "assert"}:
            session.console_errors.append(f"console {message.type}: {message.text}")

    page.on("console", on_console)
    page.on("pageerror", lambda error: session.console_errors.append(f"page error: {error}"))

    def on_request_failed(request: Request) -> None:
        # A request the page itself gave up (leaving the page, a superseded search) is fine.
        if request.failure != "net::ERR_ABORTED":
            session.console_errors.append(f"request failed: {request.url} ({request.failure})")

    page.on("requestfailed", on_request_failed)
    try:
        yield session
    finally:
        context.close()

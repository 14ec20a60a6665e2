"""Logging in and out through the forms, and the checks every browser test relies on."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

LOGIN = "/konto/logg-inn/"


def test_login_page_and_accessibility_statement_need_no_login(browse):
    page = browse.visit(LOGIN)
    assert page.locator("#id_username").is_visible()
    assert browse.html_lang() == "nb"
    browse.visit("/tilgjengelighet/")


def test_a_wrong_password_is_refused_with_a_message(browse, world):
    browse.visit(LOGIN, axe=False)
    browse.page.fill("#id_username", world.employee.get_username())
    browse.page.fill("#id_password", "not-the-password")
    with browse.page.expect_navigation():
        browse.page.locator("main form button[type=submit]").click()
    assert browse.path.startswith(LOGIN)
    assert browse.page.get_by_role("alert").is_visible()
    browse.check()  # the form with its error message is accessible too


def test_logging_in_leads_to_my_tasks_and_logging_out_back_to_login(browse, world):
    browse.login(world.employee)
    assert browse.path == "/"
    assert "Eva Ansatt" in browse.page.locator("details.user-menu summary").inner_text()
    browse.logout()
    assert browse.path.startswith(LOGIN)
    browse.page.goto(browse.url("/"))
    assert browse.path.startswith(LOGIN), "the session outlived logging out"


def test_the_page_sends_a_strict_csp_and_the_console_check_catches_violations(browse):
    response = browse.page.goto(browse.url(LOGIN))
    policy = response.headers["content-security-policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    browse.check(axe=False)
    # An inline script, as an injected or careless template would add, must be blocked and
    # reported; otherwise the clean-console checks in the other tests prove nothing.
    browse.page.evaluate(
        """() => {
            const script = document.createElement("script");
            script.textContent = "window.inlineRan = true;";
            document.body.append(script);
        }"""
    )
    browse.page.wait_for_function("window.__cspViolations.length > 0")
    assert browse.page.evaluate("window.inlineRan") is None
    with pytest.raises(AssertionError, match="script-src"):
        browse.assert_clean_console()


def test_the_accessibility_check_catches_violations(browse):
    browse.visit(LOGIN)
    browse.page.evaluate(
        """() => {
            const img = document.createElement("img");
            img.src = "/static/img/trygg.svg";
            document.querySelector("main").append(img);
        }"""
    )
    with pytest.raises(pytest.fail.Exception, match="image-alt"):
        browse.check()

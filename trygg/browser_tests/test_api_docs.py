"""The Swagger UI in real Chromium: it loads under our CSP and can call the API."""

from __future__ import annotations

import pytest

from trygg.api.tests.test_openapi import OPERATIONS

pytestmark = pytest.mark.browser


def test_it_shows_every_operation_without_csp_violations(browse, world):
    loaded: list[str] = []
    browse.login(world.employee)
    browse.page.on("response", lambda r: loaded.append(r.url.removeprefix(browse.base_url)))
    browse.page.goto(browse.url("/api/v1/docs"))
    browse.page.wait_for_selector(".opblock")
    assert "/static/ninja/swagger-ui-init.js" in loaded
    assert "/api/v1/openapi.json" in loaded
    assert browse.page.locator(".opblock").count() == len(OPERATIONS)
    browse.assert_clean_console()


def test_it_lets_the_docs_call_the_api_with_the_session(browse, world):
    browse.login(world.employee)
    page = browse.page
    page.goto(browse.url("/api/v1/docs"))
    page.locator("#operations-units-list_units .opblock-summary").click()
    page.get_by_role("button", name="Try it out").click()
    with page.expect_response(lambda r: "/api/v1/units" in r.url) as answer:
        page.get_by_role("button", name="Execute").click()
    assert answer.value.status == 200
    assert answer.value.json()["count"] == 6
    browse.assert_clean_console()

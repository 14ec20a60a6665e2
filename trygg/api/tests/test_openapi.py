"""The OpenAPI document and the browsable docs, which need a login and obey our strict CSP."""

from __future__ import annotations

import re

from django.test import Client
from django.urls import reverse

from trygg.api.tests.conftest import PREFIX, Api, token

OPERATIONS = {
    ("get", "/units"),
    ("post", "/units"),
    ("get", "/units/{unit_id}"),
    ("patch", "/units/{unit_id}"),
    ("get", "/people"),
    ("post", "/people"),
    ("get", "/people/{person_id}"),
    ("patch", "/people/{person_id}"),
    ("post", "/people/{person_id}/employments"),
    ("patch", "/employments/{employment_id}"),
    ("get", "/committees"),
    ("get", "/committees/{committee_id}"),
    ("post", "/committees/{committee_id}/constitution"),
    ("get", "/absence/cases/{case_id}"),
    ("get", "/absence/statistics"),
    ("get", "/action-items"),
    ("get", "/action-items/{item_id}"),
    ("patch", "/action-items/{item_id}"),
    ("get", "/action-plans"),
    ("post", "/action-plans"),
    ("get", "/action-plans/{plan_id}"),
    ("post", "/action-plans/{plan_id}/rows"),
    ("get", "/annual-plan"),
    ("get", "/annual-plan/items/{item_id}"),
    ("post", "/annual-plan/items/{item_id}/done"),
    ("get", "/deviations"),
    ("post", "/deviations"),
    ("get", "/deviations/{deviation_id}"),
    ("get", "/goals"),
    ("post", "/goals"),
    ("get", "/goals/{goal_id}"),
    ("patch", "/goals/{goal_id}"),
    ("post", "/goals/{goal_id}/measurements"),
    ("get", "/internal-control"),
    ("put", "/internal-control/{point}"),
    ("get", "/meetings"),
    ("get", "/meetings/{meeting_id}"),
    ("post", "/meetings/{meeting_id}/approve"),
    ("post", "/meeting-cases"),
    ("get", "/meeting-cases/{case_id}"),
    ("put", "/meeting-cases/{case_id}/minutes"),
    ("post", "/meeting-proposals"),
    ("get", "/risk/matrix"),
    ("get", "/risk/templates"),
    ("get", "/risk/heat-map"),
    ("get", "/risk/assessments"),
    ("post", "/risk/assessments"),
    ("get", "/risk/assessments/{assessment_id}"),
    ("post", "/risk/assessments/{assessment_id}/hazards"),
    ("post", "/risk/assessments/{assessment_id}/complete"),
    ("patch", "/risk/hazards/{hazard_id}"),
    ("post", "/risk/hazards/{hazard_id}/measures"),
    ("get", "/safety-rounds"),
    ("get", "/safety-rounds/status"),
    ("get", "/safety-rounds/{round_id}"),
    ("post", "/safety-rounds/{round_id}/answers"),
}


def test_it_documents_every_operation(world):
    response = Api(Client(), token(world.employee, "read")).get("/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    documented = {
        (method, path.removeprefix(PREFIX))
        for path, operations in schema["paths"].items()
        for method in operations
    }
    assert documented == OPERATIONS
    assert schema["info"]["title"] == "Trygg API"
    assert "API-nøkkel" in schema["info"]["description"]
    assert "API token" in schema["info"]["description"]
    assert set(schema["components"]["securitySchemes"]) == {"TokenAuth", "BrowserSession"}
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            assert operation["tags"], (method, path)
            assert {"401", "403", "404"} <= set(operation["responses"]), (method, path)
            if method != "get":
                assert "422" in operation["responses"], (method, path)


def test_it_names_operations_after_their_functions(world):
    schema = Api(Client(), token(world.employee, "read")).get("/openapi.json").json()
    ids = {op["operationId"] for ops in schema["paths"].values() for op in ops.values()}
    assert {"list_units", "create_employment", "constitute_committee"} <= ids


def test_it_serves_the_docs_to_a_logged_in_user_under_the_csp(world):
    client = Client()
    client.force_login(world.employee)
    response = client.get(reverse("api-1:openapi-view"))
    assert response.status_code == 200
    assert reverse("api-1:openapi-view") == PREFIX + "/docs"
    html = response.content.decode()
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "style-src 'self'" in csp
    assert "unsafe-inline" not in csp
    # Every script is a file from /static/; the one inline block is JSON data, not script.
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", html, re.S)
    sources = [re.search(r'src="([^"]+)"', attrs) for attrs, _body in scripts]
    files = [m.group(1) for m in sources if m]
    assert files == ["/static/ninja/swagger-ui-bundle.js", "/static/ninja/swagger-ui-init.js"]
    inline = [attrs for attrs, body in scripts if body.strip()]
    assert inline == [' type="application/json" id="swagger-settings"']
    assert 'style="' not in html
    stylesheets = re.findall(r'<link[^>]+rel="stylesheet"[^>]*href="([^"]+)"', html)
    stylesheets += re.findall(r'<link[^>]+href="([^"]+)"[^>]*rel="stylesheet"', html)
    for url in files + stylesheets:
        assert url.startswith("/static/")
        static = client.get(url)
        assert static.status_code == 200, url
        static.close()
    assert '"url": "/api/v1/openapi.json"' in html


def test_it_sends_anonymous_visitors_of_the_docs_to_the_login(world):
    response = Client().get(PREFIX + "/docs")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_it_answers_401_for_the_openapi_document_without_credentials(world):
    assert Client().get(PREFIX + "/openapi.json").status_code == 401
    bad = Client().get(PREFIX + "/openapi.json", headers={"Authorization": "Bearer trygg_x"})
    assert bad.status_code == 401
    session = Client()
    session.force_login(world.colleague)
    assert session.get(PREFIX + "/openapi.json").status_code == 200

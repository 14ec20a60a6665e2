"""/annual-plan: the plan in force and its items for every member, one item, marking done;
other organisations 404, read-only tokens and read-only roles 403 on writes."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from trygg.annual_plan import services
from trygg.annual_plan.models import Timing
from trygg.api.tests.conftest import MEMBERS

YEAR = 2026


@pytest.fixture
def plan(world):
    return services.adopt_plan(actor=None, organisation=world.org, year=YEAR)


def _item(plan, key="amu-jan-hms-opplaering"):
    return plan.items.get(template_item__key=key)


@pytest.mark.parametrize("persona", MEMBERS)
def test_every_member_reads_the_plan(world, plan, api_as, persona):
    response = api_as(persona, scope="read").get("/annual-plan", year=YEAR)
    assert response.status_code == 200
    body = response.json()
    assert (body["year"], body["version"], body["label"]) == (YEAR, 1, "2026")
    titles = [
        i["title"] for i in body["items"] if i["committee_kind"] == "amu" and i["months"] == [1]
    ]
    assert titles == [
        "Konstituering AMU",
        "Status HMS-opplæring",
        "Arbeidsgivers samarbeidsplan med BHT",
        "Vedta HMS-mål plan med bakgrunn i overordnede mål",
    ]
    ros = next(i for i in body["items"] if i["title"] == "Status ROS-analyser")
    assert ros["months"] == [3, 4]
    assert ros["timing"] == "months"
    assert ros["due"] == "2026-04-30"


def test_it_filters_by_committee(world, plan, api_as):
    body = (
        api_as("employee", scope="read")
        .get("/annual-plan", year=YEAR, committee=world.amu.pk)
        .json()
    )
    assert {i["committee_kind"] for i in body["items"]} == {"amu"}


def test_another_organisation_sees_none_of_it(world, plan, api_as):
    api = api_as("outsider")
    assert api.get("/annual-plan", year=YEAR).status_code == 404
    assert api.get("/annual-plan", year=YEAR, committee=world.amu.pk).status_code == 404
    item = _item(plan)
    assert api.get(f"/annual-plan/items/{item.pk}").status_code == 404
    assert api.post(f"/annual-plan/items/{item.pk}/done", {"year": YEAR}).status_code == 404
    item.refresh_from_db()
    assert item.done_on is None


@pytest.mark.parametrize("persona", MEMBERS)
def test_every_member_reads_an_item_with_its_guidance(world, plan, api_as, persona):
    item = _item(plan)
    body = api_as(persona, scope="read").get(f"/annual-plan/items/{item.pk}").json()
    assert body["guidance"].startswith(
        "Arbeidsgiver fremlegger oversikt over gjennomført HMS-opplæring"
    )
    assert body["figure_kind"] == "training"
    assert body["figure_period"] == "last_year"


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("hms", 200),
        ("admin", 200),
        ("secretary", 200),
        ("amu_member", 403),
        ("employee", 403),
        ("leader", 403),
    ],
)
def test_who_marks_an_item_done(world, plan, api_as, persona, status):
    item = _item(plan)
    response = api_as(persona).post(
        f"/annual-plan/items/{item.pk}/done", {"year": YEAR, "done_on": "2026-01-20", "note": "Ok"}
    )
    assert response.status_code == status
    item.refresh_from_db()
    assert (item.done_on is not None) is (status == 200)
    if status == 200:
        assert response.json()["done_on"] == "2026-01-20"


def test_a_read_token_may_not_mark_done(world, plan, api_as):
    item = _item(plan)
    assert (
        api_as("hms", scope="read")
        .post(f"/annual-plan/items/{item.pk}/done", {"year": YEAR})
        .status_code
        == 403
    )


def test_the_wrong_year_is_refused_with_a_message(world, plan, api_as):
    item = _item(plan)
    response = api_as("hms").post(f"/annual-plan/items/{item.pk}/done", {"year": YEAR + 1})
    assert response.status_code == 422
    assert "2026" in response.json()["detail"] + str(response.json()["errors"])


def test_the_plan_keeps_a_constant_number_of_queries(world, plan, api_as):
    api = api_as("employee", scope="read")
    api.get("/annual-plan", year=YEAR)
    with CaptureQueriesContext(connection) as few:
        api.get("/annual-plan", year=YEAR)
    for i in range(30):
        services.add_plan_item(
            actor=None,
            plan=plan,
            title=f"Ekstra {i}",
            committee_kind="amu",
            timing=Timing.MONTH,
            month=i % 12 + 1,
        )
    api.get("/annual-plan", year=YEAR)
    with CaptureQueriesContext(connection) as many:
        body = api.get("/annual-plan", year=YEAR).json()
    assert len(body["items"]) == 41 + 30
    assert len(many) == len(few)

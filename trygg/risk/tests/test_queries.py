"""Pages and lists in a constant number of queries, however many assessments there are."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from trygg.risk import services
from trygg.risk.tests.factories import make_assessment, make_completed, make_hazard

PASSWORD = "passord-1234"


def _count(client, url: str) -> int:
    cache.clear()
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


def _add(world, n: int, overdue: bool = True) -> None:
    for i in range(n):
        unit = world.ward if i % 2 else world.nursing_home
        due = dt.date(2025, 1, 1) if overdue else dt.date(2099, 1, 1)
        make_completed(
            unit,
            f"ROS {i}",
            assessed_on=dt.date(2024, 1, 1),
            review_due=due,
            scores=((i % 5 + 1, 3), (2, 2)),
        )


@pytest.mark.parametrize("persona", ["hms", "leader", "employee"])
@pytest.mark.parametrize("name", ["overview", "assessment_list", "due_list"])
def test_lists_and_the_risk_picture_do_not_grow_with_rows(client, world, persona, name):
    client.login(username=getattr(world, persona).username, password=PASSWORD)
    url = reverse(f"risk:{name}")
    _add(world, 2)
    few = _count(client, url)
    _add(world, 12)
    assert _count(client, url) == few


def test_the_assessment_page_does_not_grow_with_hazards_or_measures(client, world):
    client.login(username="leader", password=PASSWORD)
    assessment = make_assessment(world.nursing_home)
    hazard = make_hazard(assessment, probability=2, consequence=2)
    services.add_measure(
        actor=None, hazard=hazard, title="T", owner=world.leader.person, deadline=None
    )
    url = assessment.get_absolute_url()
    few = _count(client, url)
    for i in range(10):
        more = make_hazard(assessment, f"Fare {i}", probability=1, consequence=i % 5 + 1)
        services.add_measure(actor=None, hazard=more, title=f"T{i}", owner=None, deadline=None)
        services.add_participant(actor=None, assessment=assessment, role="employee", name=f"A{i}")
    assert _count(client, url) == few

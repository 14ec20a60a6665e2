"""The risk picture, the counts and the tables are kept until the organisation's data changes:
a change shows on the next view, and what one user may see is never served to another."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from trygg.risk import services
from trygg.risk.tests.factories import make_completed

PASSWORD = "passord-1234"
OVERDUE = {"assessed_on": dt.date(2024, 1, 1), "review_due": dt.date(2025, 1, 1)}


def _page(client, user, name: str) -> str:
    client.login(username=user.username, password=PASSWORD)
    response = client.get(reverse(f"risk:{name}"))
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("name", ["overview", "assessment_list", "due_list"])
def test_a_table_seen_by_one_user_is_not_served_to_a_user_who_sees_less(client, world, name):
    make_completed(world.nursing_home, "ROS sykehjem", **OVERDUE)
    make_completed(world.kindergarten, "ROS barnehage", **OVERDUE)
    everything = _page(client, world.hms, name)
    assert "ROS sykehjem" in everything and "ROS barnehage" in everything
    own = _page(client, world.leader, name)
    assert "ROS sykehjem" in own
    assert "ROS barnehage" not in own


def test_the_counts_of_one_user_are_not_served_to_another(client, world):
    for i in range(3):
        make_completed(world.kindergarten, f"ROS barnehage {i}", **OVERDUE)
    assert '<span class="stat">3</span>' in _page(client, world.hms, "overview")
    assert '<span class="stat">3</span>' not in _page(client, world.leader, "overview")


@pytest.mark.parametrize("name", ["overview", "due_list"])
def test_a_reassessment_shows_on_the_next_view(client, world, name):
    assessment = make_completed(world.nursing_home, "ROS sykehjem", **OVERDUE)
    assert "ROS sykehjem" in _page(client, world.hms, name)
    draft = services.reassess(
        actor=None,
        assessment=assessment,
        assessed_on=dt.date(2026, 11, 1),
        review_due=dt.date(2099, 1, 1),
    )
    services.complete_assessment(actor=None, assessment=draft)
    assert "ROS sykehjem" not in _page(client, world.hms, name)  # no longer due for review


def test_the_risk_picture_and_counts_follow_a_new_assessment(client, world):
    make_completed(world.nursing_home, "ROS sykehjem", scores=((5, 5),), **OVERDUE)
    assert "1 hazard." in _page(client, world.hms, "overview")
    make_completed(world.ward, "ROS avdeling", scores=((1, 1), (2, 2)), **OVERDUE)
    page = _page(client, world.hms, "overview")
    assert "3 hazards." in page
    assert '<span class="stat">2</span> current assessments' in page

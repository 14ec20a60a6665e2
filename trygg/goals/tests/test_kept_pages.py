"""The action plan's rows and the internal-control records are drawn once and kept until the
organisation's data changes: a change shows on the next view, and an editor's view (with its
edit links) is never served to a reader."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from trygg.actions.services import complete_action_item
from trygg.goals.tests.factories import make_plan, make_row
from trygg.risk.tests.factories import make_completed


def _page(client, user, url: str) -> str:
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_a_done_activity_shows_on_the_next_view_of_the_plan(client, world):
    plan = make_plan(world, unit=world.nursing_home)
    row = make_row(plan, "Kurs for ledere", owner=world.leader.person)
    url = plan.get_absolute_url()
    assert "badge--ok" not in _page(client, world.hms, url)
    complete_action_item(actor=None, item=row.action_item)
    assert "badge--ok" in _page(client, world.hms, url)


def test_the_edit_links_of_an_editor_are_not_served_to_a_reader(client, world):
    plan = make_plan(world, unit=world.nursing_home)
    row = make_row(plan, "Kurs for ledere")
    edit = reverse("goals:row_edit", args=[row.pk])
    assert edit in _page(client, world.leader, plan.get_absolute_url())
    assert edit not in _page(client, world.employee, plan.get_absolute_url())


def test_a_new_risk_assessment_shows_on_the_next_view_of_internal_control(client, world):
    url = reverse("goals:control_overview")
    assert "ROS Solbakken" not in _page(client, world.hms, url)
    make_completed(
        world.nursing_home,
        "ROS Solbakken",
        assessed_on=dt.date(2026, 1, 5),
        review_due=dt.date(2099, 1, 1),
    )
    assert "ROS Solbakken" in _page(client, world.hms, url)


def test_the_records_are_kept_per_language(client, world):
    url = reverse("goals:control_overview")
    client.force_login(world.hms)
    english = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    bokmal = client.get(url, HTTP_ACCEPT_LANGUAGE="nb").content.decode()
    assert "Overview of HMS laws and regulations" in english
    assert "Oversikt over lover og forskrifter om HMS" in bokmal
    assert "Overview of HMS laws and regulations" not in bokmal


def test_the_unit_choice_marks_the_unit_shown(client, world):
    url = reverse("goals:control_overview")
    whole = _page(client, world.hms, url)
    assert f'<option value="{world.nursing_home.pk}">' in whole
    one = _page(client, world.hms, f"{url}?enhet={world.nursing_home.pk}")
    assert f'<option value="{world.nursing_home.pk}" selected>' in one

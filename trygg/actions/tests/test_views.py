"""Action-item pages, role by role: allowed, 404 for outsiders, 403 for read-only."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from trygg.actions import sources
from trygg.actions.models import ActionItem
from trygg.actions.tests.factories import make_item
from trygg.org.models import Unit


@pytest.fixture
def item(world):
    return make_item(
        actor=world.hms, owner=world.employee.person, unit=world.ward, title="Feste reol"
    )


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("admin", 200),
        ("hms", 200),
        ("leader", 200),  # leads the nursing home, the ward is below it
        ("employee", 200),  # owner
        ("safety_rep", 404),
        ("colleague", 404),
        ("secretary", 404),
        ("outsider", 404),
    ],
)
def test_item_page_by_role(client, world, item, persona, status):
    client.force_login(getattr(world, persona))
    assert client.get(reverse("actions:detail", args=[item.pk])).status_code == status


@pytest.mark.parametrize(
    ("persona", "status"),
    [("leader", 302), ("employee", 302), ("colleague", 404), ("outsider", 404)],
)
def test_item_update_by_role(client, world, item, persona, status):
    client.force_login(getattr(world, persona))
    response = client.post(
        reverse("actions:detail", args=[item.pk]),
        {
            "title": "Feste reol i lageret",
            "owner": world.employee.person.pk,
            "deadline": "01.12.2026",
            "status": "in_progress",
            "result": "",
        },
    )
    assert response.status_code == status
    item.refresh_from_db()
    assert (item.status == "in_progress") == (status == 302)


@pytest.fixture
def unit_source():
    """Units as a source whose readers are every member and whose writers are nobody."""
    sources.register_source(Unit, can_view=lambda user, unit: True, can_edit=lambda u, o: False)
    yield
    sources._sources.pop("org.unit")


def test_who_may_see_the_source_reads_its_items_but_may_not_change_them(client, world, unit_source):
    item = make_item(actor=world.hms, unit=world.ward, source=world.ward)
    client.force_login(world.colleague)
    url = reverse("actions:detail", args=[item.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert 'name="status"' not in response.content.decode()  # no form for readers
    assert client.post(url, {"title": "x", "status": "done"}).status_code == 403
    client.force_login(world.outsider)
    assert client.get(url).status_code == 404


def test_the_list_shows_only_visible_items(client, world, item):
    make_item(actor=world.hms, unit=world.kindergarten, title="Gjerde ved sandkassen")
    client.force_login(world.leader)
    response = client.get(reverse("actions:list"), HTTP_ACCEPT_LANGUAGE="en")
    body = response.content.decode()
    assert "Feste reol" in body
    assert "Gjerde ved sandkassen" not in body
    client.force_login(world.outsider)
    body = client.get(reverse("actions:list")).content.decode()
    assert "Feste reol" not in body


@pytest.mark.parametrize(("persona", "status"), [("leader", 200), ("hms", 200), ("employee", 403)])
def test_new_item_page_by_role(client, world, persona, status):
    client.force_login(getattr(world, persona))
    assert client.get(reverse("actions:create")).status_code == status


def test_a_leader_creates_an_item_with_a_norwegian_date(client, world):
    client.force_login(world.leader)
    response = client.post(
        reverse("actions:create"),
        {
            "title": "Ny rutine for nattevakt",
            "owner": world.employee.person.pk,
            "deadline": "15.01.2027",
            "unit": world.ward.pk,
        },
    )
    item = ActionItem.objects.get()
    assert response.status_code == 302
    assert item.deadline.isoformat() == "2027-01-15"


def test_a_bad_date_is_explained_and_nothing_is_saved(client, world):
    client.force_login(world.leader)
    response = client.post(
        reverse("actions:create"),
        {"title": "Ny rutine", "deadline": "31.02.2027"},
        HTTP_ACCEPT_LANGUAGE="nb",
    )
    assert response.status_code == 200
    assert "gyldig dato" in response.content.decode()
    assert not ActionItem.objects.exists()


def test_a_leader_cannot_create_in_another_unit(client, world):
    client.force_login(world.leader)
    response = client.post(
        reverse("actions:create"), {"title": "Utenfor", "unit": world.kindergarten.pk}
    )
    assert response.status_code == 200
    assert not ActionItem.objects.exists()


def _count(client, url):
    cache.clear()
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_the_list_keeps_a_constant_number_of_queries(client, world):
    client.force_login(world.hms)
    url = reverse("actions:list")
    make_item(actor=world.hms, owner=world.employee.person, unit=world.ward)
    client.get(url)
    before = _count(client, url)
    for n in range(15):
        make_item(actor=world.hms, owner=world.leader.person, unit=world.ward, title=f"T {n}")
    assert _count(client, url) == before

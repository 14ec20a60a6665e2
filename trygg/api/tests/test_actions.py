import pytest

from trygg.actions.models import ActionItem
from trygg.actions.tests.factories import make_item


@pytest.fixture
def item(world):
    return make_item(actor=world.hms, owner=world.employee.person, unit=world.ward, title="Reol")


def _get(client, user, url):
    client.force_login(user)
    return client.get(url)


@pytest.mark.parametrize(
    ("persona", "count"), [("hms", 1), ("leader", 1), ("employee", 1), ("colleague", 0)]
)
def test_list_by_role(client, world, item, persona, count):
    response = _get(client, getattr(world, persona), "/api/v1/action-items")
    assert response.status_code == 200
    assert response.json()["count"] == count


def test_the_list_of_another_organisation_is_empty(client, world, item):
    assert _get(client, world.outsider, "/api/v1/action-items").json()["count"] == 0


@pytest.mark.parametrize(
    ("persona", "status"),
    [("leader", 200), ("employee", 200), ("colleague", 404), ("outsider", 404)],
)
def test_detail_by_role(client, world, item, persona, status):
    response = _get(client, getattr(world, persona), f"/api/v1/action-items/{item.pk}")
    assert response.status_code == status
    if status == 200:
        assert response.json()["owner"]["full_name"] == "Eva Ansatt"


def test_the_owner_completes_the_item(client, world, item):
    client.force_login(world.employee)
    response = client.patch(
        f"/api/v1/action-items/{item.pk}",
        {"status": "done", "result": "Festet"},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "done"
    assert ActionItem.objects.get().completed_at is not None


def test_bad_status_and_unknown_owner_are_422_and_change_nothing(client, world, item):
    client.force_login(world.employee)
    url = f"/api/v1/action-items/{item.pk}"
    assert (
        client.patch(url, {"status": "ferdig"}, content_type="application/json").status_code == 422
    )
    stranger = world.outsider.person.pk
    response = client.patch(url, {"owner_id": stranger}, content_type="application/json")
    assert response.status_code == 422
    assert ActionItem.objects.get().owner == world.employee.person


def test_outsiders_cannot_change_an_item(client, world, item):
    client.force_login(world.colleague)
    response = client.patch(
        f"/api/v1/action-items/{item.pk}", {"status": "done"}, content_type="application/json"
    )
    assert response.status_code == 404

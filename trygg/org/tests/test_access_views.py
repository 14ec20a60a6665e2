"""Every organisation page, role by role: allowed, 404 for outsiders, 403 for read-only."""

from __future__ import annotations

import pytest
from django.urls import reverse

from trygg.org.models import SafetyArea

ALL_MEMBERS = [
    "admin",
    "hms",
    "hr",
    "bht",
    "leader",
    "safety_rep",
    "employee",
    "secretary",
    "amu_member",
    "colleague",
]


def _url(world, name: str) -> str:
    area = SafetyArea.objects.get(organisation=world.org)
    employee = world.employee.person
    targets = {
        "unit_detail": ("org:unit_detail", [world.nursing_home.pk]),
        "unit_edit": ("org:unit_edit", [world.nursing_home.pk]),
        "person_detail": ("org:person_detail", [employee.pk]),
        "person_edit": ("org:person_edit", [employee.pk]),
        "employment_create": ("org:employment_create", [employee.pk]),
        "employment_edit": ("org:employment_edit", [employee.employments.get().pk]),
        "committee_detail": ("org:committee_detail", [world.amu.pk]),
        "committee_edit": ("org:committee_edit", [world.amu.pk]),
        "member_create": ("org:member_create", [world.amu.pk]),
        "constitute": ("org:constitute", [world.amu.pk]),
        "safety_area_detail": ("org:safety_area_detail", [area.pk]),
        "safety_area_edit": ("org:safety_area_edit", [area.pk]),
        "safety_rep_create": ("org:safety_rep_create", [area.pk]),
    }
    view, args = targets[name]
    return reverse(view, args=args)


# view name -> {persona: expected status}; personas not listed get the default.
MATRIX: dict[str, tuple[int, dict[str, int]]] = {
    "unit_detail": (200, {"outsider": 404}),
    "unit_edit": (403, {"admin": 200, "hr": 200, "outsider": 404}),
    "person_detail": (
        404,
        {"admin": 200, "hr": 200, "hms": 200, "leader": 200, "safety_rep": 200, "employee": 200},
    ),
    "person_edit": (
        404,
        {"admin": 200, "hr": 200, "hms": 403, "leader": 403, "safety_rep": 403, "employee": 403},
    ),
    "employment_create": (
        404,
        {"admin": 200, "hr": 200, "hms": 403, "leader": 403, "safety_rep": 403, "employee": 403},
    ),
    "employment_edit": (
        404,
        {"admin": 200, "hr": 200, "hms": 403, "leader": 403, "safety_rep": 403, "employee": 403},
    ),
    "committee_detail": (200, {"outsider": 404}),
    "committee_edit": (403, {"admin": 200, "hms": 200, "outsider": 404}),
    "member_create": (403, {"admin": 200, "hms": 200, "outsider": 404}),
    "constitute": (403, {"admin": 200, "hms": 200, "secretary": 200, "outsider": 404}),
    "safety_area_detail": (200, {"outsider": 404}),
    "safety_area_edit": (403, {"admin": 200, "hms": 200, "outsider": 404}),
    "safety_rep_create": (403, {"admin": 200, "hms": 200, "outsider": 404}),
}

CASES = [
    (view, persona, overrides.get(persona, default))
    for view, (default, overrides) in MATRIX.items()
    for persona in [*ALL_MEMBERS, "outsider"]
]


@pytest.mark.parametrize(("view", "persona", "expected"), CASES)
def test_it_enforces_access_on_object_pages(client, world, view, persona, expected):
    client.force_login(getattr(world, persona))
    response = client.get(_url(world, view))
    assert response.status_code == expected, f"{persona} on {view}"


LIST_PAGES = [
    "org:overview",
    "org:unit_list",
    "org:person_list",
    "org:safety_area_list",
    "org:committee_list",
    "core:home",
    "accounts:tokens",
]


@pytest.mark.parametrize("name", LIST_PAGES)
@pytest.mark.parametrize("persona", ALL_MEMBERS)
def test_it_shows_list_pages_to_every_member(client, world, name, persona):
    client.force_login(getattr(world, persona))
    assert client.get(reverse(name)).status_code == 200


@pytest.mark.parametrize("name", [*LIST_PAGES, "org:overview_pdf", "core:audit_log"])
def test_it_sends_anonymous_visitors_to_login(client, db, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize(
    ("name", "allowed"),
    [
        ("org:unit_create", {"admin", "hr"}),
        ("org:person_create", {"admin", "hr"}),
        ("org:committee_create", {"admin", "hms"}),
        ("org:safety_area_create", {"admin", "hms"}),
        ("core:audit_log", {"admin"}),
    ],
)
@pytest.mark.parametrize("persona", ALL_MEMBERS)
def test_it_forbids_create_pages_to_read_only_roles(client, world, name, allowed, persona):
    client.force_login(getattr(world, persona))
    expected = 200 if persona in allowed else 403
    assert client.get(reverse(name)).status_code == expected


def test_it_answers_404_to_a_user_without_organisation(client, db):
    from trygg.org.tests.factories import make_user

    client.force_login(make_user(None, "drifting"))
    assert client.get(reverse("org:unit_list")).status_code == 404
    assert client.get(reverse("core:audit_log")).status_code == 404
    assert client.get(reverse("core:home")).status_code == 200  # explains what is missing


def test_it_lists_only_people_in_scope(client, world):
    client.force_login(world.leader)
    page = client.get(reverse("org:person_list")).content.decode()
    assert "Ansatt, Eva" in page  # employee in the leader's ward
    assert "Kollega" not in page  # kindergarten is outside the leader's unit

    client.force_login(world.employee)
    page = client.get(reverse("org:person_list")).content.decode()
    assert "Ansatt, Eva" in page
    assert "Leder, Lars" not in page


def test_it_never_lists_another_organisations_data(client, world):
    client.force_login(world.outsider)
    for name in [
        "org:unit_list",
        "org:person_list",
        "org:committee_list",
        "org:safety_area_list",
        "org:overview",
    ]:
        page = client.get(reverse(name)).content.decode()
        for secret in ["Solbakken", "Ansatt, Eva", "AMU Helse og omsorg", "Testkommune"]:
            assert secret not in page, (name, secret)

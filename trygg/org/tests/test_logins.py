"""Administrators give people logins and roles; nobody else can."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.urls import reverse

from trygg.accounts.models import User
from trygg.org.models import RoleGrant
from trygg.org.principal import get_principal
from trygg.org.tests import factories as f

OTHERS = [
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


def _new_person(world):
    return f.make_person(world.org, "Nina", "Ny", unit=world.ward)


def test_it_creates_a_login_and_sends_a_welcome_email(client, world):
    person = _new_person(world)
    client.force_login(world.admin)
    response = client.post(
        reverse("org:login_create", args=[person.pk]),
        {"username": "nina", "email": "nina@example.no"},
    )
    assert response.status_code == 302
    user = User.objects.get(username="nina")
    assert user.organisation == world.org and not user.has_usable_password()
    person.refresh_from_db()
    assert person.user == user
    assert len(mail.outbox) == 1 and "nina" in mail.outbox[0].body
    link = re.search(r"https?://[^/]+(/konto/nytt-passord/\S+)", mail.outbox[0].body).group(1)
    form_url = client.get(link)["Location"]
    client.post(
        form_url, {"new_password1": "Valgt-passord-2026", "new_password2": "Valgt-passord-2026"}
    )
    assert client.login(username="nina", password="Valgt-passord-2026")


def test_it_refuses_a_taken_username(client, world):
    person = _new_person(world)
    client.force_login(world.admin)
    response = client.post(
        reverse("org:login_create", args=[person.pk]),
        {"username": "employee", "email": "x@example.no"},
    )
    assert response.status_code == 400
    assert "username" in response.context["login_form"].errors
    person.refresh_from_db()
    assert person.user is None


def test_it_grants_and_removes_a_role(client, world):
    person = world.employee.person
    client.force_login(world.admin)
    client.post(
        reverse("org:grant_create", args=[person.pk]), {"role": "hms", "unit": world.health.pk}
    )
    grant = RoleGrant.objects.get(user=world.employee, role="hms")
    assert get_principal(User.objects.get(pk=world.employee.pk)).paths("hms") == (
        world.health.path,
    )
    client.post(reverse("org:grant_delete", args=[grant.pk]))
    assert not RoleGrant.objects.filter(pk=grant.pk).exists()


def test_it_keeps_the_last_administrator(client, world):
    grant = RoleGrant.objects.get(user=world.admin, role="admin")
    client.force_login(world.admin)
    client.post(reverse("org:grant_delete", args=[grant.pk]))
    assert RoleGrant.objects.filter(pk=grant.pk).exists()
    client.post(reverse("org:login_active", args=[world.admin.person.pk]), {"active": "0"})
    world.admin.refresh_from_db()
    assert world.admin.is_active


def test_it_deactivates_a_login(client, world):
    client.force_login(world.admin)
    client.post(reverse("org:login_active", args=[world.employee.person.pk]), {"active": "0"})
    world.employee.refresh_from_db()
    assert not world.employee.is_active
    assert not client.login(username="employee", password="passord-1234")


@pytest.mark.parametrize("persona", OTHERS)
def test_it_forbids_logins_and_roles_to_everyone_but_administrators(client, world, persona):
    person = world.employee.person
    grant = RoleGrant.objects.get(user=world.hms)
    client.force_login(getattr(world, persona))
    visible = persona in {"hms", "hr", "leader", "safety_rep", "employee"}  # who can see Eva
    expected = 403 if visible else 404
    assert (
        client.post(
            reverse("org:login_create", args=[person.pk]),
            {"username": "x", "email": "x@example.no"},
        ).status_code
        == expected
    )
    assert (
        client.post(reverse("org:grant_create", args=[person.pk]), {"role": "admin"}).status_code
        == expected
    )
    assert client.post(reverse("org:grant_delete", args=[grant.pk])).status_code == 403
    assert RoleGrant.objects.filter(pk=grant.pk).exists()
    assert not RoleGrant.objects.filter(user=world.employee).exists()


def test_it_hides_another_organisations_people_and_grants(client, world):
    client.force_login(world.outsider)
    grant = RoleGrant.objects.get(user=world.hms)
    assert client.post(reverse("org:grant_delete", args=[grant.pk])).status_code == 404
    assert (
        client.post(
            reverse("org:login_active", args=[world.employee.person.pk]), {"active": "0"}
        ).status_code
        == 404
    )


def test_it_refuses_a_unit_scope_for_administrators(client, world):
    client.force_login(world.admin)
    response = client.post(
        reverse("org:grant_create", args=[world.employee.person.pk]),
        {"role": "admin", "unit": world.ward.pk},
    )
    assert response.status_code == 400
    assert not RoleGrant.objects.filter(user=world.employee).exists()

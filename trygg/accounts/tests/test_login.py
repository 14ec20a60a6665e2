"""Login, logout, brute-force protection, password reset by email and password hashing."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.hashers import identify_hasher
from django.core import mail
from django.urls import reverse

from trygg.org.tests.factories import make_user


def test_it_logs_in_and_out(client, world):
    response = client.post(
        reverse("accounts:login"), {"username": "employee", "password": "passord-1234"}
    )
    assert response.status_code == 302
    assert client.get(reverse("core:home")).status_code == 200
    client.post(reverse("accounts:logout"))
    assert client.get(reverse("core:home")).status_code == 302


def test_it_explains_a_wrong_password_without_revealing_which_part(client, world):
    response = client.post(reverse("accounts:login"), {"username": "employee", "password": "feil"})
    assert response.status_code == 200
    assert response.context["form"].errors


def test_it_locks_out_after_repeated_failures(client, world, settings):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 3
    for _ in range(3):
        client.post(reverse("accounts:login"), {"username": "employee", "password": "feil"})
    response = client.post(
        reverse("accounts:login"), {"username": "employee", "password": "passord-1234"}
    )
    assert response.status_code == 429
    assert client.get(reverse("core:home")).status_code == 302


def test_it_hashes_passwords_with_argon2_in_production():
    from trygg import settings as production

    assert production.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")


@pytest.mark.django_db
def test_it_uses_argon2_when_configured(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]
    user = make_user(None, "argon")
    assert identify_hasher(user.password).algorithm == "argon2"


def test_it_resets_a_password_by_email(client, world):
    response = client.post(reverse("accounts:password_reset"), {"email": "employee@example.no"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    link = re.search(r"https?://[^/]+(/konto/nytt-passord/\S+)", mail.outbox[0].body).group(1)
    form_url = client.get(link)["Location"]
    response = client.post(
        form_url, {"new_password1": "Nytt-passord-2026", "new_password2": "Nytt-passord-2026"}
    )
    assert response.status_code == 302
    assert client.login(username="employee", password="Nytt-passord-2026")


def test_it_does_not_reveal_whether_an_email_has_an_account(client, world):
    response = client.post(reverse("accounts:password_reset"), {"email": "nobody@example.no"})
    assert response.status_code == 302
    assert mail.outbox == []

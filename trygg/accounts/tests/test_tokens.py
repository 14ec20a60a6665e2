"""Personal API tokens in the UI: created once, listed, revoked; only one's own."""

from __future__ import annotations

from django.urls import reverse

from trygg.accounts.models import ApiToken
from trygg.accounts.services import authenticate_token, create_api_token


def test_it_creates_a_token_and_shows_the_secret_once(client, world):
    client.force_login(world.leader)
    response = client.post(
        reverse("accounts:tokens"), {"name": "Power BI", "scope": "read", "expires_in_days": 30}
    )
    secret = response.context["new_secret"]
    assert secret.startswith("trygg_")
    token = ApiToken.objects.get(user=world.leader)
    assert token.digest != secret and secret not in token.digest
    assert authenticate_token(secret) == token
    assert secret not in client.get(reverse("accounts:tokens")).content.decode()


def test_it_validates_the_token_form(client, world):
    client.force_login(world.leader)
    response = client.post(
        reverse("accounts:tokens"), {"name": "", "scope": "root", "expires_in_days": 9999}
    )
    assert set(response.context["form"].errors) == {"name", "scope", "expires_in_days"}
    assert not ApiToken.objects.exists()


def test_it_revokes_a_token(client, world):
    token, secret = create_api_token(user=world.leader, name="x", scope="read", expires_in_days=5)
    client.force_login(world.leader)
    client.post(reverse("accounts:token_revoke", args=[token.pk]))
    assert authenticate_token(secret) is None


def test_it_hides_other_peoples_tokens(client, world):
    token, _secret = create_api_token(user=world.leader, name="x", scope="read", expires_in_days=5)
    client.force_login(world.employee)
    assert client.post(reverse("accounts:token_revoke", args=[token.pk])).status_code == 404
    assert "x (" not in client.get(reverse("accounts:tokens")).content.decode()

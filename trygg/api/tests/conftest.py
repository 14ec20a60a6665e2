"""Calling the API as a persona of the `world` fixture, with a personal token or a session."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client

from trygg.accounts.models import User
from trygg.accounts.services import create_api_token

PREFIX = "/api/v1"

MEMBERS = [
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
PERSONAS = [*MEMBERS, "outsider"]


@dataclass
class Api:
    """A client that sends JSON and, with a secret, Authorization: Bearer <secret>."""

    client: Client
    secret: str | None = None
    language: str = "en"

    def _headers(self) -> dict[str, str]:
        headers = {"Accept-Language": self.language}
        if self.secret:
            headers["Authorization"] = f"Bearer {self.secret}"
        return headers

    def get(self, path: str, **params: Any):
        return self.client.get(PREFIX + path, params, headers=self._headers())

    def post(self, path: str, body: Any = None):
        return self._send("post", path, body)

    def patch(self, path: str, body: Any = None):
        return self._send("patch", path, body)

    def _send(self, method: str, path: str, body: Any):
        return getattr(self.client, method)(
            PREFIX + path,
            json.dumps(body if body is not None else {}),
            content_type="application/json",
            headers=self._headers(),
        )


def token(user: User, scope: str = "write") -> str:
    _token, secret = create_api_token(user=user, name="test", scope=scope, expires_in_days=30)
    return secret


@pytest.fixture
def api_as(world):
    """`api_as("leader")`: the persona's write-scope token; `scope="read"` for a read token."""

    def make(persona: str | User, scope: str = "write", language: str = "en") -> Api:
        user = getattr(world, persona) if isinstance(persona, str) else persona
        return Api(Client(), token(user, scope), language)

    return make


@pytest.fixture
def session_as(world):
    """`session_as("admin")`: a logged-in browser session (Django's test client)."""

    def make(persona: str | User, *, enforce_csrf_checks: bool = False) -> Api:
        user = getattr(world, persona) if isinstance(persona, str) else persona
        client = Client(enforce_csrf_checks=enforce_csrf_checks)
        client.force_login(user)
        return Api(client)

    return make


def ids(response) -> set[int]:
    return {item["id"] for item in response.json()["items"]}

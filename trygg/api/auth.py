"""API authentication: a personal token (Authorization: Bearer …) or the browser session.

Read-only tokens may only use safe methods; anything else answers 403.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.errors import HttpError
from ninja.security import HttpBearer, SessionAuth

from trygg.accounts.services import authenticate_token

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        api_token = authenticate_token(token)
        if api_token is None:
            return None
        if request.method not in SAFE_METHODS and not api_token.can_write:
            raise HttpError(403, "Denne nøkkelen har bare lesetilgang. / This token is read-only.")
        request.user = api_token.user
        return api_token.user


class BrowserSession(SessionAuth):
    """The logged-in browser session, with CSRF protection on writes (ninja checks it)."""


AUTH = [TokenAuth(), BrowserSession()]

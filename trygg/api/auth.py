"""API authentication: a personal token (Authorization: Bearer trygg_…) or the browser session.

A request that sends a token is judged by the token alone: an unknown, revoked or expired token
is refused with 401 even when a session cookie comes along. Read-only tokens may only use safe
methods; anything else answers 403. The session needs a CSRF token on unsafe methods.

Either way `request.user` is the person acting, so org/access.py decides as it does for pages.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from ninja.security import HttpBearer, SessionAuth
from ninja.utils import check_csrf

from trygg.accounts.models import User
from trygg.accounts.services import authenticate_token
from trygg.api.errors import CsrfFailed, InvalidToken, ReadOnlyToken

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


def user_for_token(request: HttpRequest) -> User | None:
    """The user of the request's bearer token; None without an Authorization header.

    Raises InvalidToken for a header that is not a valid, active token.
    """
    header = request.headers.get("Authorization", "")
    if not header:
        return None
    scheme, _space, secret = header.partition(" ")
    secret = secret.strip()
    if scheme.lower() != "bearer" or not secret:
        raise InvalidToken()
    api_token = authenticate_token(secret)
    if api_token is None:
        raise InvalidToken()
    if request.method not in SAFE_METHODS and not api_token.can_write:
        raise ReadOnlyToken()
    request.user = api_token.user
    return api_token.user


class TokenAuth(HttpBearer):
    """Personal API token (created under "API-nøkler" in your account)."""

    def __call__(self, request: HttpRequest) -> Any:
        return user_for_token(request)

    def authenticate(self, request: HttpRequest, token: str) -> Any:  # pragma: no cover
        raise NotImplementedError("__call__ reads the header itself")


class BrowserSession(SessionAuth):
    """The logged-in browser session, with Django's CSRF check on unsafe methods.

    Unlike ninja's SessionAuth it checks CSRF only once it knows there is a logged-in user, so
    a request with no credentials at all gets 401, not a CSRF 403.
    """

    def __call__(self, request: HttpRequest) -> Any:
        if not request.user.is_authenticated:
            return None
        if (
            self.csrf
            and not getattr(request, "_ninja_csrf_exempt", False)
            and check_csrf(request) is not None
        ):
            raise CsrfFailed()
        return request.user


AUTH = [TokenAuth(), BrowserSession()]


def docs_login_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """For the docs page and the OpenAPI document: a logged-in session or a valid token.

    The page sends people to the login form; the JSON document answers 401 like the API.
    """

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        wants_json = request.path.endswith(".json")
        try:
            user_for_token(request)
        except InvalidToken:
            return JsonResponse(
                {"detail": _("The API token is invalid, expired or revoked.")}, status=401
            )
        if not request.user.is_authenticated:
            if wants_json:
                return JsonResponse(
                    {
                        "detail": _(
                            "Log in, or send a personal API token: Authorization: Bearer <token>."
                        )
                    },
                    status=401,
                )
            return redirect_to_login(request.get_full_path())
        return view(request, *args, **kwargs)

    return wrapper

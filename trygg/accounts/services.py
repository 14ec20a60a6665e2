"""Use cases for accounts: API tokens."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.tokens import default_token_generator
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from trygg.accounts.models import ApiToken, User
from trygg.accounts.tasks import queue_templated_email


@transaction.atomic
def create_api_token(
    *, user: User, name: str, scope: str, expires_in_days: int
) -> tuple[ApiToken, str]:
    """Create a token and return it with its secret, which is never stored and shown only once."""
    secret = ApiToken.new_secret()
    token = ApiToken.objects.create(
        user=user,
        name=name,
        scope=scope,
        prefix=secret[:12],
        digest=ApiToken.digest_of(secret),
        expires_at=timezone.now() + dt.timedelta(days=expires_in_days),
    )
    return token, secret


@transaction.atomic
def revoke_api_token(*, token: ApiToken) -> ApiToken:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


def authenticate_token(secret: str) -> ApiToken | None:
    """The active token for `secret`, with its user, or None. Marks when it was last used."""
    token = (
        ApiToken.objects.active()
        .select_related("user")
        .filter(digest=ApiToken.digest_of(secret), user__is_active=True)
        .first()
    )
    if token is not None:
        now = timezone.now()
        if token.last_used_at is None or now - token.last_used_at > dt.timedelta(minutes=5):
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token


def send_welcome_email(*, user: User, site_url: str) -> None:
    """Tell a new user their username and give them a link to choose a password (the same
    one-time link as a password reset). Sent by the background worker."""
    path = reverse(
        "accounts:password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    context = {"user": user, "link": site_url.rstrip("/") + path, "organisation": user.organisation}
    queue_templated_email(
        subject_template="accounts/welcome_subject.txt",
        body_template="accounts/welcome_email.txt",
        context=context,
        to=[user.email],
    )

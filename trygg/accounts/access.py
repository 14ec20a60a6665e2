"""Who may manage which API tokens: everyone manages only their own."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from trygg.accounts.models import ApiToken
from trygg.lib.typing import AnyUser


def visible_tokens(user: AnyUser) -> QuerySet[ApiToken]:
    if not user.is_authenticated:
        return ApiToken.objects.none()
    return ApiToken.objects.filter(user_id=user.pk)


def get_token_for_user(user: AnyUser, pk: int) -> ApiToken:
    token = visible_tokens(user).filter(pk=pk).first()
    if token is None:
        raise Http404
    return token

"""Shared type aliases."""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeAlias

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

    AnyUser: TypeAlias = AbstractBaseUser | AnonymousUser
else:
    AnyUser = object

"""Rate limits for the forms open without an account, kept in Django's cache.

The address is only hashed into a cache key that expires; it is never stored with a case.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

WINDOW_SECONDS = 15 * 60


def _client(request: HttpRequest) -> str:
    address = request.META.get("REMOTE_ADDR", "")
    return hashlib.sha256(f"{settings.SECRET_KEY}:{address}".encode()).hexdigest()[:32]


def too_many(request: HttpRequest, *, scope: str, limit: int = 10) -> bool:
    """Count one attempt in `scope` for the client; True when it is over `limit` in the
    window (the attempt is then refused)."""
    key = f"trygg:deviations:rate:{scope}:{_client(request)}"
    cache.add(key, 0, timeout=WINDOW_SECONDS)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=WINDOW_SECONDS)
        count = 1
    return count > limit

"""Helpers for htmx requests (django-htmx sets request.htmx)."""

from __future__ import annotations

from django.http import HttpRequest


def template_for(request: HttpRequest, template: str, fragment: str) -> str:
    """The whole page for normal requests, only the named partial for htmx requests."""
    if getattr(request, "htmx", False) and not request.htmx.boosted:
        return f"{template}#{fragment}"
    return template

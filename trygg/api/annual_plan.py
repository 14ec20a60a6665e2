"""/api/v1 endpoints for the annual plan."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["annual-plan"])

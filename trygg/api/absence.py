"""/api/v1 endpoints for absence."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["absence"])

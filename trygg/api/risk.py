"""/api/v1 endpoints for risk."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["risk"])

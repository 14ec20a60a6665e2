"""/api/v1 endpoints for deviations."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["deviations"])

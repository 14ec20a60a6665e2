"""/api/v1 endpoints for notifications."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["notifications"])

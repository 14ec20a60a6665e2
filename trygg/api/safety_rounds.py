"""/api/v1 endpoints for safety rounds."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["safety-rounds"])

"""/api/v1 endpoints for meetings."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["meetings"])

"""/api/v1 endpoints for actions."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["actions"])

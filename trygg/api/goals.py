"""/api/v1 endpoints for HMS goals, action plans and the internal-control overview."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["goals"])

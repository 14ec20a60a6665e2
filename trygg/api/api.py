"""The JSON API, version 1. Endpoints call the same access, query and service functions as the
HTML views, so there is no second copy of a business rule."""

from __future__ import annotations

from ninja import NinjaAPI

from trygg.api.auth import AUTH

api = NinjaAPI(
    title="Trygg API",
    version="1",
    description=(
        "HMS-data for organisasjonen din: enheter, personer og arbeidsmiljøutvalg. "
        "Autentiser med en personlig API-nøkkel (Authorization: Bearer …). / "
        "HMS data for your organisation. Authenticate with a personal API token."
    ),
    auth=AUTH,
    urls_namespace="api-1",
)

"""The JSON API, version 1. Endpoints call the same access, query and service functions as the
HTML views, so there is no second copy of a business rule. docs/api.md describes it."""

from __future__ import annotations

from ninja import NinjaAPI
from ninja.operation import Operation

from trygg.api import (
    absence,
    actions,
    annual_plan,
    committees,
    deviations,
    goals,
    meetings,
    notifications,
    people,
    risk,
    safety_rounds,
    units,
)
from trygg.api.auth import AUTH, docs_login_required
from trygg.api.errors import install_error_handlers


class TryggAPI(NinjaAPI):
    def get_openapi_operation_id(self, operation: Operation) -> str:
        # "list_units" rather than ninja's "trygg_api_units_list_units".
        return operation.view_func.__name__


api = TryggAPI(
    title="Trygg API",
    version="1",
    description=(
        "HMS-data for virksomheten din: enheter, personer, arbeidsforhold, "
        "arbeidsmiljøutvalg og møter, årshjul, avvik, sykefravær, risikovurderinger, HMS-mål og "
        "handlingsplaner, internkontroll, vernerunder og tiltak. Autentiser med en personlig API-nøkkel "
        "(`Authorization: Bearer trygg_…`, lages under «API-nøkler» på kontosiden) "
        "eller med innloggingen i nettleseren. Du ser og endrer det samme som i Trygg.\n\n"
        "HMS data for your organisation: units, people, employments, working environment "
        "committees and their meetings, the annual plan, deviations, sick leave, risk "
        "assessments, HMS goals and action plans, internal control, safety rounds and action "
        "items. Authenticate with a personal API token (`Authorization: Bearer trygg_…`, "
        "created under “API-nøkler” in your account) or the browser session. You see and "
        "change exactly what you may in Trygg itself."
    ),
    auth=AUTH,
    urls_namespace="api-1",
    docs_decorator=docs_login_required,
)
install_error_handlers(api)
api.add_router("", units.router)
api.add_router("", people.router)
api.add_router("", committees.router)
for module in (
    notifications,
    actions,
    deviations,
    absence,
    risk,
    goals,
    annual_plan,
    meetings,
    safety_rounds,
):
    api.add_router("", module.router)

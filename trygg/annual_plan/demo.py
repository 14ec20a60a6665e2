"""The demo municipality's årshjul: the full template from seed 000 adopted for the year, the
HMS activities of seed 004 with owners and units, and the items already due marked done."""

from __future__ import annotations

from typing import Any

from trygg.lib.dates import today
from trygg.org.models import Employment, Person, RoleGrant, Unit

from . import services
from .models import Category

# Which demo person owns each suggested activity: the HMS coordinator or a unit leader.
_OWNERS = {
    "internrevisjon": "hms",
    "gjennomgang-avvikssystem": "hms",
    "medarbeiderundersokelse": "hms",
}


def demo_step(organisation: Any, year: int) -> None:
    services.load_default_template(actor=None, organisation=organisation)
    hms = Person.objects.filter(
        organisation=organisation,
        user__role_grants__role=RoleGrant.Role.HMS_COORDINATOR,
    ).first()
    leadership = (
        Employment.objects.filter(organisation=organisation, is_leader=True, unit__depth=2)
        .select_related("person", "unit")
        .order_by("unit__path")
        .first()
    )
    top = Unit.objects.filter(organisation=organisation, depth=0).first()
    for row in services.default_data()["activities"]:
        if _OWNERS.get(row["key"]) == "hms" or leadership is None:
            owner, unit = hms, top
        else:
            owner, unit = leadership.person, leadership.unit
        overrides: dict[str, Any] = {"owner": owner, "unit": unit, "add_to_plans": False}
        if row.get("recurrence") == "biennial":
            overrides["first_year"] = year
        services.add_suggested_activity(
            actor=None, organisation=organisation, key=row["key"], **overrides
        )
    plan = services.adopt_plan(actor=None, organisation=organisation, year=year)
    day = today()
    for item in plan.items.select_related("plan"):
        due = item.due_date()
        # Leave the safety rounds open when overdue, so the demo shows a reminder and a task.
        if due and due < day and item.category != Category.SAFETY_ROUND:
            services.mark_done(actor=None, item=item, year=year, on=due)

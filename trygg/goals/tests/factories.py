"""Plain `make_<model>()` functions for the goals tests; every write goes through the services."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from trygg.goals import services
from trygg.goals.models import ActionPlan, ActionPlanRow, Goal
from trygg.lib.dates import today


def make_goal(world: Any, title: str = "Sykefraværet skal ned", **kwargs: Any) -> Goal:
    year = today().year
    values: dict[str, Any] = {
        "start_year": year,
        "end_year": year + 2,
        "measure": "Andel som svarer ja",
        "target": Decimal("80"),
    }
    values.update(kwargs)
    return services.create_goal(actor=None, organisation=world.org, title=title, **values)


def make_plan(world: Any, title: str = "Handlingsplan", **kwargs: Any) -> ActionPlan:
    year = today().year
    values: dict[str, Any] = {"start_year": year, "end_year": year}
    values.update(kwargs)
    return services.create_plan(actor=None, organisation=world.org, title=title, **values)


def make_row(plan: ActionPlan, activity: str = "Kurs for ledere", **kwargs: Any) -> ActionPlanRow:
    values: dict[str, Any] = {
        "focus_area": "Oppfølging",
        "deadline": today() + dt.timedelta(days=30),
    }
    values.update(kwargs)
    return services.add_plan_row(actor=None, plan=plan, activity=activity, **values)

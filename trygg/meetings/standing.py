"""The årshjul's standing cases on a meeting's agenda, through annual_plan's public queries and
services: which items fall in the meeting's month, each item's live figure, and marking the
item done when the minutes are approved."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from trygg.annual_plan import queries as plan_queries
from trygg.annual_plan import services as plan_services
from trygg.lib.dates import today
from trygg.lib.typing import AnyUser
from trygg.org.models import Committee


def ensure_plans(committee: Committee, years: set[int]) -> None:
    """The årshjul adopted for each plan year the meetings fall in (from the organisation's
    template), so that a meeting plan for next year gets its standing cases."""
    for year in sorted(years):
        if 2000 <= year <= 2100:
            plan_services.ensure_plan(actor=None, organisation=committee.organisation, year=year)


def items_for(committee: Committee, year: int, month: int) -> list[Any]:
    return plan_queries.standing_cases(committee=committee, year=year, month=month)


def occurrence(item: Any, month: int) -> set[int]:
    """The months of the item's occurrence that `month` belongs to: the whole range for an
    item in "March/April", the month alone for an item that comes back in several months."""
    months = list(item.months())
    if item.timing not in ("months", "quarter", "tertial") or month not in months:
        return {month}
    run = {month}
    for step in (-1, 1):
        current = month
        while (current + step - 1) % 12 + 1 in months:
            current = (current + step - 1) % 12 + 1
            if current in run:
                break
            run.add(current)
    return run


def figure_context(case: Any, user: AnyUser) -> dict[str, Any] | None:
    """The live figure of a standing case, for the partial "annual_plan/_figure.html"."""
    item = case.plan_item
    if item is None:
        return None
    day = timezone.localtime(case.meeting.starts_at).date() if case.meeting else today()
    figure = plan_queries.figure_for_item(
        item=item, committee=case.committee, meeting_date=day, user=user
    )
    return {"figure": figure, "missing": plan_queries.missing_data(item), "kind": item.figure_kind}


def mark_items_done(cases: list[Any], day: dt.date) -> None:
    """Standing cases dealt with in approved minutes: the årshjul item is done for the year."""
    for case in cases:
        item = case.plan_item
        if item is None or item.done_on is not None:
            continue
        plan_services.mark_done(
            actor=None,
            item=item,
            year=item.plan.year,
            on=min(day, today()),
            note=case.label,
        )

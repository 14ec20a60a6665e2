"""Plain factories for action items."""

from __future__ import annotations

import datetime as dt

from trygg.actions.models import ActionItem
from trygg.actions.services import create_action_item
from trygg.org.models import Person, Unit


def make_item(
    *,
    owner: Person | None = None,
    unit: Unit | None = None,
    deadline: dt.date | None = None,
    title: str = "Skifte lysrør i gangen",
    actor=None,  # type: ignore[no-untyped-def]
    source=None,  # type: ignore[no-untyped-def]
) -> ActionItem:
    return create_action_item(
        actor=actor, title=title, owner=owner, unit=unit, deadline=deadline, source=source
    )

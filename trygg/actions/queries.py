"""Reads of action items for pages, sources, "Mine oppgaver" and the årshjul."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Case, Count, IntegerField, Q, QuerySet, Value, When
from django.db.models import Model as DjangoModel

from trygg.actions.models import ActionItem
from trygg.lib.dates import today
from trygg.org.models import Employment, Person, Unit

OPEN_FIRST = Case(
    When(status__in=ActionItem.OPEN_STATUSES, then=Value(0)),
    default=Value(1),
    output_field=IntegerField(),
)


def ordered(items: QuerySet[ActionItem]) -> QuerySet[ActionItem]:
    """Open items first, the nearest deadline first, items without a deadline last."""
    return items.order_by(OPEN_FIRST, "deadline", "pk")


def items_for_source(source: DjangoModel) -> QuerySet[ActionItem]:
    """The items a record created, for showing on the record's page (one query)."""
    return ordered(ActionItem.objects.with_relations().for_source(source))


def owner_choices(organisation_id: int, unit: Unit | None = None) -> QuerySet[Person]:
    """People who can be made responsible: those employed now in the unit and its subunits
    (with a unit), or everyone employed now in the organisation."""
    employments = Employment.objects.current(today()).filter(organisation_id=organisation_id)
    if unit is not None:
        employments = employments.filter(unit__path__startswith=unit.path)
    return Person.objects.filter(
        organisation_id=organisation_id, pk__in=employments.values("person")
    ).order_by("last_name", "first_name", "pk")


@dataclass(frozen=True)
class ItemFilter:
    status: str = ""  # "", "open", "overdue", or a Status value
    mine: bool = False
    unit: Unit | None = None


def filter_items(
    items: QuerySet[ActionItem], flt: ItemFilter, *, user_id: int | None, day: dt.date
) -> QuerySet[ActionItem]:
    if flt.mine:
        items = items.filter(owner__user_id=user_id)
    if flt.unit is not None:
        items = items.filter(unit__path__startswith=flt.unit.path)
    if flt.status == "open":
        items = items.open()
    elif flt.status == "overdue":
        items = items.overdue(day)
    elif flt.status:
        items = items.filter(status=flt.status)
    return ordered(items.with_relations())


@dataclass(frozen=True)
class Progress:
    total: int
    done: int
    open: int
    overdue: int

    @property
    def percent_done(self) -> int | None:
        return round(self.done * 100 / self.total) if self.total else None


def progress(items: QuerySet[ActionItem], day: dt.date) -> Progress:
    """Counts of all, done, open and overdue items in one query."""
    figures = items.aggregate(
        total=Count("pk", filter=~Q(status=ActionItem.Status.CANCELLED)),
        done=Count("pk", filter=Q(status=ActionItem.Status.DONE)),
        open=Count("pk", filter=Q(status__in=ActionItem.OPEN_STATUSES)),
        overdue=Count("pk", filter=Q(status__in=ActionItem.OPEN_STATUSES, deadline__lt=day)),
    )
    return Progress(**figures)

"""Reminders for årshjul items with deadlines: the owner is reminded 14 days before an item is
due and once more on the day after it became overdue. The notifications engine sends each key
once."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from django.db.models import F, OuterRef, Subquery
from django.utils.translation import gettext as _

from trygg.lib.dates import format_date
from trygg.notifications.reminders import Reminder

from .models import Plan, PlanItem, Timing

LEAD_TIME = dt.timedelta(days=14)


def due_reminders(day: dt.date) -> Iterator[Reminder]:
    newest = Plan.objects.filter(
        organisation_id=OuterRef("organisation_id"), year=OuterRef("plan__year")
    )
    items = (
        PlanItem.objects.filter(
            owner__user__isnull=False,
            owner__user__is_active=True,
            done_on__isnull=True,
            plan__year__gte=day.year - 1,
            plan__year__lte=day.year,
        )
        .exclude(timing__in=[Timing.ONGOING, Timing.BY_NEED])
        .annotate(newest=Subquery(newest.order_by("-version").values("version")[:1]))
        .filter(plan__version=F("newest"))
        .select_related("plan", "owner__user")
    )
    for item in items:
        due = item.due_date()
        if due is None:
            continue
        user = item.owner.user
        if due - LEAD_TIME <= day <= due:
            yield Reminder(
                key=f"annual-plan-item:{item.pk}:due:{due.isoformat()}",
                user=user,
                subject=_("Due %(date)s: %(title)s")
                % {"date": format_date(due), "title": item.title},
                body=_("This item of the annual plan %(year)s is yours and due %(date)s.")
                % {"year": item.plan.label, "date": format_date(due)},
                url=item.get_absolute_url(),
            )
        elif day > due:
            yield Reminder(
                key=f"annual-plan-item:{item.pk}:overdue:{due.isoformat()}",
                user=user,
                subject=_("Overdue since %(date)s: %(title)s")
                % {"date": format_date(due), "title": item.title},
                body=_(
                    "This item of the annual plan %(year)s is yours and was due %(date)s. Mark it done when it is."
                )
                % {"year": item.plan.label, "date": format_date(due)},
                url=item.get_absolute_url(),
            )

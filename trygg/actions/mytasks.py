"""Action items in "Mine oppgaver", reminders before and after deadlines, and the årshjul
figure of action items for a committee's units."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from trygg.actions.models import ActionItem
from trygg.actions.queries import progress
from trygg.audit.queries import cached_for_organisation
from trygg.lib.dates import today
from trygg.lib.figures import Figure, FigureRequest
from trygg.lib.mytasks import TaskItem
from trygg.lib.typing import AnyUser
from trygg.notifications.reminders import Reminder
from trygg.org.models import path_condition

SOON = dt.timedelta(days=3)
MAX_TASKS = 50


def action_item_tasks(user: AnyUser) -> list[TaskItem]:
    if not getattr(user, "organisation_id", None):
        return []
    return cached_for_organisation(
        user.organisation_id,
        f"action-tasks:{user.pk}:{get_language()}",
        lambda: _tasks(user),
    )


def _tasks(user: AnyUser) -> list[TaskItem]:
    day = today()
    items = (
        ActionItem.objects.open()
        .filter(organisation_id=user.organisation_id, owner__user_id=user.pk)
        .select_related("source_type")
        .order_by("deadline", "pk")[:MAX_TASKS]
    )
    return [
        TaskItem(
            title=item.title,
            url=item.get_absolute_url(),
            due=item.deadline,
            context=(
                _("Action item from %(source)s") % {"source": item.source_type.name}
                if item.source_type
                else _("Action item")
            ),
            overdue=item.is_overdue(day),
        )
        for item in items
    ]


def action_item_reminders(day: dt.date) -> Iterable[Reminder]:
    """The owner three days before the deadline and when it has passed; the creator too when it
    has passed."""
    items = (
        ActionItem.objects.open()
        .filter(deadline__lte=day + SOON, owner__user__is_active=True)
        .select_related("owner__user", "created_by")
        .order_by("pk")
        .iterator(chunk_size=500)
    )
    for item in items:
        url = item.get_absolute_url()
        deadline = item.deadline.strftime("%d.%m.%Y")
        owner = item.owner.user
        if item.deadline >= day:
            yield Reminder(
                key=f"action-item:{item.pk}:soon:{item.deadline.isoformat()}",
                user=owner,
                subject=_("Deadline %(deadline)s: %(title)s")
                % {"deadline": deadline, "title": item.title},
                body=_("The action item you are responsible for is due soon."),
                url=url,
            )
            continue
        subject = _("Overdue since %(deadline)s: %(title)s") % {
            "deadline": deadline,
            "title": item.title,
        }
        recipients = [owner]
        if item.created_by and item.created_by.is_active and item.created_by.pk != owner.pk:
            recipients.append(item.created_by)
        for user in recipients:
            yield Reminder(
                key=f"action-item:{item.pk}:overdue:{item.deadline.isoformat()}",
                user=user,
                subject=subject,
                body=_("The deadline has passed and the action item is not done."),
                url=url,
            )


def action_items_figure(request: FigureRequest) -> Figure:
    """Action items in the committee's units with a deadline in the period."""
    items = ActionItem.objects.filter(
        organisation_id=request.organisation_id,
        deadline__gte=request.start,
        deadline__lte=request.end,
    )
    if request.unit_paths:
        items = items.filter(path_condition(request.unit_paths, "unit__path"))
    counts = progress(items, today())
    return Figure(
        title=_("Action items with a deadline in the period"),
        rows=[
            (_("Action items"), str(counts.total)),
            (_("Done"), str(counts.done)),
            (_("Open"), str(counts.open)),
            (_("Overdue"), str(counts.overdue)),
        ],
        url=reverse("actions:list"),
    )

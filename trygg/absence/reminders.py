"""Reminders of follow-up milestones for the employee's leaders, a week before each is due;
and the daily retention of closed cases (the tick runs every source once a day or more)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.utils.translation import gettext as _

from trygg.absence import queries, services, statistics
from trygg.absence.models import FollowUpCase
from trygg.accounts.models import User
from trygg.lib.dates import format_date
from trygg.notifications.reminders import Reminder
from trygg.org.models import Employment, Unit

LEAD = dt.timedelta(days=7)


def leaders_of(person_id: int, day: dt.date) -> list[User]:
    """Users with personnel responsibility for a unit the person works in now, or above it."""
    paths = list(
        Employment.objects.current(day)
        .filter(person_id=person_id)
        .values_list("unit__path", flat=True)
    )
    ancestors = {p for path in paths for p in Unit(path=path).ancestor_paths()}
    return list(
        User.objects.filter(
            person__employments__in=Employment.objects.current(day).filter(
                is_leader=True, unit__path__in=ancestors
            )
        )
        .exclude(person__id=person_id)
        .distinct()
    )


def due_reminders(day: dt.date) -> Iterable[Reminder]:
    services.close_finished_cases(day=day)
    services.dispose_closed_cases(day=day)
    cases = queries.open_cases(FollowUpCase.objects.filter(person__isnull=False), day)
    settings_cache: dict[int, object] = {}
    for case in cases:
        settings = settings_cache.setdefault(
            case.organisation_id, statistics.settings_for(case.organisation_id)
        )
        due = [
            m
            for m in queries.milestones(case, settings)  # type: ignore[arg-type]
            if m.applies and m.employer_duty and not m.done and m.due - LEAD <= day
        ]
        if not due:
            continue
        leaders = leaders_of(case.person_id, day)
        for milestone in due:
            for user in leaders:
                yield Reminder(
                    key=f"absence-case:{case.pk}:{milestone.code}:{milestone.due.isoformat()}",
                    user=user,
                    subject=_("Sick-leave follow-up: %(milestone)s by %(due)s")
                    % {"milestone": milestone.label, "due": format_date(milestone.due)},
                    body=_(
                        "A follow-up milestone for one of your employees is due. Open the case in Trygg."
                    ),
                    url=case.get_absolute_url(),
                )

"""«Mine oppgaver»: the follow-up milestones a leader (or HR) has due or overdue."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _

from trygg.absence import access, queries, statistics
from trygg.lib.dates import today
from trygg.lib.mytasks import TaskItem
from trygg.lib.typing import AnyUser

LOOKAHEAD = dt.timedelta(days=14)


def follow_up_tasks(user: AnyUser) -> list[TaskItem]:
    principal = access.get_principal(user)
    if not principal.is_member or not access.may_follow_up_anyone(user):
        return []
    day = today()
    cases = queries.open_cases(
        access.visible_cases(user).filter(person__in=access.managed_people(user)), day
    )
    settings = statistics.settings_for(principal.organisation_id)
    tasks = []
    for case in cases:
        for milestone in queries.milestones(case, settings):
            if not milestone.applies or milestone.done or not milestone.employer_duty:
                continue
            if milestone.due > day + LOOKAHEAD:
                continue
            tasks.append(
                TaskItem(
                    title=f"{milestone.label}: {case.person}",
                    url=case.get_absolute_url(),
                    due=milestone.due,
                    context=_("Sick-leave follow-up"),
                    overdue=milestone.due < day,
                )
            )
    return tasks

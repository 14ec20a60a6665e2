"""The årshjul's part of "Mine oppgaver": open items the user owns that are due within 30 days
or overdue."""

from __future__ import annotations

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from trygg.audit.queries import cached_for_organisation
from trygg.lib.dates import format_date, today
from trygg.lib.mytasks import TaskItem
from trygg.lib.typing import AnyUser
from trygg.org.principal import get_principal

from . import queries


def tasks_for(user: AnyUser) -> list[TaskItem]:
    principal = get_principal(user)
    if not principal.is_member or principal.person_id is None:
        return []
    person_id, org_id = principal.person_id, principal.organisation_id

    def compute() -> list[TaskItem]:
        day = today()
        tasks = []
        for item in queries.due_for_person(person_id, org_id, day):
            due = item.due_date()
            tasks.append(
                TaskItem(
                    title=item.title,
                    url=item.get_absolute_url(),
                    due=due,
                    context=_("Annual plan %(year)s, due %(date)s")
                    % {"year": item.plan.label, "date": format_date(due)},
                    overdue=due is not None and due < day,
                )
            )
        return tasks

    return cached_for_organisation(org_id, f"annual_plan:tasks:{user.pk}:{get_language()}", compute)

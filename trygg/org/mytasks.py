"""What the organisation asks of people now, for "Mine oppgaver".

The HMS coordinator is told about committees not yet constituted this year, safety areas without
a safety representative and terms that end soon; a committee secretary about their committee's
constitution; a safety representative about their own term ending.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from trygg.audit.queries import cached_for_organisation
from trygg.lib.dates import today
from trygg.lib.mytasks import TaskItem, register
from trygg.lib.typing import AnyUser
from trygg.org.access import can_manage_hms
from trygg.org.models import Committee, SafetyArea, SafetyRepresentative
from trygg.org.principal import Principal, get_principal

TERM_WARNING = dt.timedelta(days=60)


@register
def organisation_tasks(user: AnyUser) -> list[TaskItem]:
    principal = get_principal(user)
    if not principal.is_member:
        return []
    return cached_for_organisation(
        principal.organisation_id,
        f"tasks:{user.pk}:{get_language()}",
        lambda: _organisation_tasks(user, principal),
    )


def _organisation_tasks(user: AnyUser, principal: Principal) -> list[TaskItem]:
    day = today()
    org_id = principal.organisation_id
    items: list[TaskItem] = []

    constituted = Committee.objects.filter(pk=OuterRef("pk"), years__year=day.year)
    committees = Committee.objects.filter(organisation_id=org_id, is_active=True).exclude(
        Exists(constituted)
    )
    if not can_manage_hms(user):
        committees = committees.filter(pk__in=principal.secretary_committee_ids)
    for committee in committees.order_by("name")[:20]:
        items.append(
            TaskItem(
                title=_("Constitute %(name)s for %(year)s")
                % {"name": committee.name, "year": day.year},
                url=reverse("org:committee_detail", args=[committee.pk]),
                due=dt.date(day.year, 3, 31),
                context=_("Chair and deputy chair, elected for one year"),
                overdue=day > dt.date(day.year, 3, 31),
            )
        )

    current = SafetyRepresentative.objects.serving(day).filter(area=OuterRef("pk"))
    if can_manage_hms(user):
        for area in (
            SafetyArea.objects.filter(organisation_id=org_id)
            .exclude(Exists(current))
            .order_by("name")[:20]
        ):
            items.append(
                TaskItem(
                    title=_("Elect a safety representative for %(name)s") % {"name": area.name},
                    url=reverse("org:safety_area_detail", args=[area.pk]),
                    context=_("Safety area without a safety representative"),
                    overdue=True,
                )
            )
    ending = SafetyRepresentative.objects.filter(
        organisation_id=org_id, end_date__gte=day, end_date__lte=day + TERM_WARNING
    ).select_related("person", "area")
    if not can_manage_hms(user):
        ending = (
            ending.filter(person_id=principal.person_id) if principal.person_id else ending.none()
        )
    for term in ending.order_by("end_date")[:20]:
        items.append(
            TaskItem(
                title=_("The term of %(name)s as %(role)s ends")
                % {"name": term.person.full_name, "role": term.get_role_display().lower()},
                url=reverse("org:safety_area_detail", args=[term.area_id])
                if term.area_id
                else reverse("org:safety_area_list"),
                due=term.end_date,
                context=_("Arrange the election of the next safety representative"),
            )
        )
    return items

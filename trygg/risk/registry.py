"""What risk assessments give the rest of Trygg through the registries in trygg.lib:
the årshjul figure, the live indicator for HMS goals, the internal-control records (§ 5 no. 6),
"Mine oppgaver" and the review reminders."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal

from django.urls import reverse
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from trygg.audit.queries import cached_for_organisation
from trygg.lib import controls, figures, indicators, mytasks
from trygg.lib.dates import format_date, today
from trygg.lib.figures import Figure, FigureRequest
from trygg.lib.mytasks import TaskItem
from trygg.lib.typing import AnyUser
from trygg.notifications.reminders import Reminder
from trygg.org.models import Employment
from trygg.org.principal import get_principal
from trygg.risk import access, queries, svg
from trygg.risk.models import Assessment

MAX_TASKS = 20
MAX_NAMED = 10
OVERDUE_GRACE = dt.timedelta(days=14)  # a tick missed for two weeks still sends the reminder


# --- Årshjul: "Status ROS-analyser" and "Oppfølging ROS og vernerunder" -------------------------
def risk_figure(request: FigureRequest) -> Figure | None:
    day = min(request.end, today())
    statuses = queries.unit_statuses(request.organisation_id, request.unit_paths, day)
    current = [s for s in statuses if s.status == queries.UnitStatus.CURRENT]
    due = [s for s in statuses if s.status == queries.UnitStatus.DUE]
    missing = [s for s in statuses if s.status == queries.UnitStatus.MISSING]
    done = queries.completed_between(
        request.organisation_id, request.unit_paths, request.start, request.end
    )
    condition = (
        access.units_in(request.unit_paths, request.organisation_id) if request.unit_paths else None
    )
    picture = queries.heat_map(request.organisation_id, condition)
    rows = [
        (_("Units with a current risk assessment"), f"{len(current)} / {len(statuses)}"),
        (_("Units whose assessment is overdue for review"), str(len(due))),
        (_("Units without a risk assessment"), str(len(missing))),
        (_("Assessments completed in the period"), str(done)),
    ]
    if picture.matrix is not None:
        rows.append((_("High risks in current assessments"), str(picture.bands.get("high", 0))))
    notes = []
    if due:
        notes.append(_("Overdue: %(units)s") % {"units": _names(due)})
    if missing:
        notes.append(_("Missing: %(units)s") % {"units": _names(missing)})
    return Figure(
        title=str(_("Status of risk assessments")),
        rows=rows,
        svg=svg.heat_map(
            picture.matrix, picture.cells, element_id="risk-figure", title=_("Risk diagram")
        )
        if picture.matrix
        else "",
        url=reverse("risk:overview"),
        note=" ".join(notes),
    )


def _names(statuses: list[queries.UnitRisk]) -> str:
    names = [s.unit.name for s in statuses[:MAX_NAMED]]
    more = len(statuses) - len(names)
    return ", ".join(names) + (f" (+{more})" if more > 0 else "")


# --- HMS goals: "risk.current_share" ---------------------------------------------------------
def current_share(
    organisation_id: int, unit_paths: tuple[str, ...], start: dt.date, end: dt.date
) -> Decimal | None:
    current, total = queries.current_share(organisation_id, unit_paths, min(end, today()))
    if not total:
        return None
    return (Decimal(current) * 100 / Decimal(total)).quantize(Decimal("0.1"))


# --- Internal control: point 6 ---------------------------------------------------------------
def control_records(organisation_id: int, unit_path: str) -> list[controls.Record]:
    day = today()
    paths = (unit_path,) if unit_path else ()
    statuses = queries.unit_statuses(organisation_id, paths, day)
    if not statuses:
        return []
    active = Assessment.objects.active().filter(organisation_id=organisation_id)
    if unit_path:
        active = active.filter(unit__path__startswith=unit_path)
    latest = list(active.select_related("unit").order_by("-assessed_on", "-pk")[:MAX_NAMED])
    if not latest:
        return []  # no written risk assessment: the point is not documented
    current = sum(1 for s in statuses if s.status == queries.UnitStatus.CURRENT)
    records = [
        controls.Record(
            title=_("Risk assessments: %(current)s of %(total)s units have a current one")
            % {"current": current, "total": len(statuses)},
            url=reverse("risk:overview"),
            date=day,
            ok=current == len(statuses),
        )
    ]
    for assessment in latest:
        records.append(
            controls.Record(
                title=f"{assessment.title} ({assessment.unit.name})",
                url=assessment.get_absolute_url(),
                date=assessment.assessed_on,
                ok=assessment.review_due >= day,
            )
        )
    return records


# --- "Mine oppgaver" and reminders ------------------------------------------------------------
def review_tasks(user: AnyUser) -> list[TaskItem]:
    principal = get_principal(user)
    if not principal.is_member or not access.writer_paths(principal):
        return []

    def compute() -> list[TaskItem]:
        day = today()
        writable = Assessment.objects.filter(organisation_id=principal.organisation_id).filter(
            access.units_in(access.writer_paths(principal), principal.organisation_id)
        )
        tasks = [
            TaskItem(
                title=_("Review the risk assessment “%(title)s”") % {"title": a.title},
                url=a.get_absolute_url(),
                due=a.review_due,
                context=a.unit.name,
                overdue=a.review_due < day,
            )
            for a in queries.due_for_review(writable, day)[:MAX_TASKS]
        ]
        tasks += [
            TaskItem(
                title=_("Complete the risk assessment “%(title)s”") % {"title": a.title},
                url=a.get_absolute_url(),
                context=a.unit.name,
            )
            for a in writable.filter(status=Assessment.Status.DRAFT, created_by_id=user.pk)
            .select_related("unit")
            .order_by("-created_at")[:MAX_TASKS]
        ]
        return tasks

    return cached_for_organisation(
        principal.organisation_id, f"risk-tasks:{user.pk}:{get_language()}", compute
    )


def review_reminders(day: dt.date) -> Iterable[Reminder]:
    """A month before the review date, and when it has passed: to the unit's leaders."""
    due = (
        Assessment.objects.active()
        .filter(review_due__gte=day - OVERDUE_GRACE, review_due__lte=queries.due_by(day))
        .select_related("unit")
        .order_by("pk")
    )
    for assessment in due.iterator(chunk_size=500):
        overdue = assessment.review_due < day
        occasion = "overdue" if overdue else "notice"
        leaders = list(
            Employment.objects.current(day)
            .filter(
                is_leader=True,
                unit__path__in=assessment.unit.ancestor_paths(),
                person__user__isnull=False,
            )
            .select_related("person__user", "unit")
        )
        # The nearest leaders: those of the unit itself, else of the closest unit above it.
        nearest = max((e.unit.depth for e in leaders), default=None)
        for employment in [e for e in leaders if e.unit.depth == nearest]:
            subject = (
                _("The risk assessment “%(title)s” is overdue for review")
                if overdue
                else _("The risk assessment “%(title)s” is due for review by %(date)s")
            ) % {"title": assessment.title, "date": format_date(assessment.review_due)}
            yield Reminder(
                key=f"risk-review:{assessment.pk}:{assessment.review_due.isoformat()}:{occasion}",
                user=employment.person.user,
                subject=subject,
                body=_("Review it with the safety representative and the employees of %(unit)s.")
                % {"unit": assessment.unit.name},
                url=assessment.get_absolute_url(),
            )


def register() -> None:
    from trygg.notifications import reminders

    figures.register("risk_assessments", risk_figure)
    indicators.register(
        "risk.current_share",
        gettext_lazy("Share of units with a current risk assessment"),
        unit="%",
        lower_is_better=False,
        compute=current_share,
    )
    controls.register(6, control_records)
    mytasks.register(review_tasks)
    reminders.register(review_reminders)
